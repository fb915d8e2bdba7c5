import { createHash } from 'node:crypto';
import type {
  InboundContent,
  InboundEvent,
  InboundMessage,
  MessageContext,
  MessageStatusUpdate,
  ProviderErrorEvent,
  ProviderErrorInfo,
} from '@khaacho/core';

/** The parsed events, and what was skipped with why (logged by the caller; the rest is still taken). */
export interface ParsedDelivery {
  readonly events: readonly InboundEvent[];
  readonly skipped: readonly string[];
}

type Obj = Readonly<Record<string, unknown>>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
/**
 * PostgreSQL stores neither U+0000 nor a lone surrogate (in text or jsonb): one in any string
 * would make the inbox refuse the whole delivery, and Meta redeliver it for days. NUL carries
 * nothing in a chat message; a lone surrogate becomes U+FFFD, as any UTF-8 encoder does.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export const storableText = (v: string): string => v.replace(LONE_SURROGATE, '\uFFFD').replaceAll('\u0000', '');
const str = (v: unknown): string | null => (typeof v === 'string' ? storableText(v) : null);
const nonEmpty = (v: unknown): string | null => {
  const s = str(v);
  return s === null || s === '' ? null : s;
};
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

const MAX_MESSAGE_ID_LENGTH = 200;

class Skip extends Error {}
const need = <T>(value: T | null, what: string): T => {
  if (value === null) throw new Skip(what);
  return value;
};

/** Unix seconds, sent as a string. */
function timestamp(v: unknown): Date {
  const s = need(str(v), 'timestamp is not a string');
  if (!/^\d{1,12}$/.test(s)) throw new Skip('timestamp is not unix seconds');
  return new Date(Number(s) * 1000);
}

function errorsOf(v: unknown): ProviderErrorInfo[] {
  return list(v).flatMap((e) => {
    if (!isObj(e)) return [];
    const code = num(e.code);
    if (code === null) return [];
    const data = isObj(e.error_data) ? e.error_data : {};
    return [
      {
        code,
        title: str(e.title) ?? str(e.message) ?? `error ${code}`,
        message: str(e.message),
        details: str(data.details),
      },
    ];
  });
}

/** The four forms of `context`: a quoted reply, a product enquiry, forwarded, frequently forwarded. */
function contextOf(v: unknown): MessageContext | null {
  if (!isObj(v)) return null;
  const id = nonEmpty(v.id);
  const from = nonEmpty(v.from);
  if (id !== null) {
    const product = isObj(v.referred_product) ? v.referred_product : null;
    if (product !== null) {
      return {
        kind: 'product',
        from,
        messageId: id,
        catalogId: need(str(product.catalog_id), 'referred_product without catalog_id'),
        productRetailerId: need(str(product.product_retailer_id), 'referred_product without product_retailer_id'),
      };
    }
    return { kind: 'reply', from, messageId: id };
  }
  if (v.frequently_forwarded === true) return { kind: 'forwarded', frequently: true };
  if (v.forwarded === true) return { kind: 'forwarded', frequently: false };
  return null;
}

const MEDIA = ['image', 'audio', 'video', 'document', 'sticker'] as const;

function contentOf(m: Obj, type: string): InboundContent {
  const body = isObj(m[type]) ? (m[type] as Obj) : null;
  switch (type) {
    case 'text':
      return { type: 'text', text: need(str(need(body, 'text without body').body), 'text without body') };
    case 'interactive': {
      const i = need(body, 'interactive without object');
      if (i.type === 'button_reply' && isObj(i.button_reply)) {
        return {
          type: 'button_reply',
          id: need(str(i.button_reply.id), 'button_reply without id'),
          title: str(i.button_reply.title) ?? '',
        };
      }
      if (i.type === 'list_reply' && isObj(i.list_reply)) {
        return {
          type: 'list_reply',
          id: need(str(i.list_reply.id), 'list_reply without id'),
          title: str(i.list_reply.title) ?? '',
          description: str(i.list_reply.description),
        };
      }
      // String() on a JSON object with its own non-callable `toString` throws: name only strings.
      return {
        type: 'unsupported',
        originalType: `interactive.${str(i.type) ?? typeof i.type}`,
      };
    }
    case 'button': {
      const b = need(body, 'button without object');
      return { type: 'template_button', payload: str(b.payload) ?? '', text: str(b.text) ?? '' };
    }
    case 'location': {
      const l = need(body, 'location without object');
      return {
        type: 'location',
        latitude: need(num(l.latitude), 'location latitude is not a number'),
        longitude: need(num(l.longitude), 'location longitude is not a number'),
        name: nonEmpty(l.name),
        address: nonEmpty(l.address),
      };
    }
    case 'order': {
      const o = need(body, 'order without object');
      return {
        type: 'order',
        catalogId: need(str(o.catalog_id), 'order without catalog_id'),
        text: nonEmpty(o.text),
        items: list(o.product_items).map((item) => {
          if (!isObj(item)) throw new Skip('order item is not an object');
          return {
            productRetailerId: need(str(item.product_retailer_id), 'order item without product_retailer_id'),
            quantity: need(num(item.quantity), 'order item quantity is not a number'),
            itemPrice: need(num(item.item_price), 'order item price is not a number'),
            currency: need(str(item.currency), 'order item without currency'),
          };
        }),
      };
    }
    case 'reaction': {
      const r = need(body, 'reaction without object');
      return {
        type: 'reaction',
        messageId: need(str(r.message_id), 'reaction without message_id'),
        emoji: nonEmpty(r.emoji),
      };
    }
    case 'contacts':
      return {
        type: 'contacts',
        contacts: list(m.contacts).flatMap((c) => {
          if (!isObj(c)) return [];
          const name = isObj(c.name) ? (str(c.name.formatted_name) ?? str(c.name.first_name) ?? '') : '';
          const phones = list(c.phones).flatMap((p) => {
            const phone = isObj(p) ? str(p.phone) : null;
            return phone === null ? [] : [phone];
          });
          return [{ name, phones }];
        }),
      };
    case 'system': {
      const s = need(body, 'system without object');
      return { type: 'system', body: str(s.body) ?? '', newWaId: str(s.wa_id), kind: str(s.type) };
    }
    case 'unsupported': {
      const u = body;
      return { type: 'unsupported', originalType: (u && str(u.type)) ?? 'unknown' };
    }
    default:
      if ((MEDIA as readonly string[]).includes(type)) {
        const media = need(body, `${type} without object`);
        return {
          type: 'media',
          media: type as (typeof MEDIA)[number],
          mediaId: need(str(media.id), `${type} without id`),
          mimeType: str(media.mime_type),
          caption: str(media.caption),
          filename: str(media.filename),
          voice: media.voice === true,
        };
      }
      return { type: 'unsupported', originalType: type };
  }
}

function messageOf(m: unknown, businessNumberId: string, names: ReadonlyMap<string, string>): InboundMessage {
  if (!isObj(m)) throw new Skip('message is not an object');
  const messageId = need(nonEmpty(m.id), 'message without id');
  // A wamid is well under 100 characters; the answer to a message is keyed by its event id
  // (a request key of at most 256), so a longer one would fail on every attempt until dead.
  if (messageId.length > MAX_MESSAGE_ID_LENGTH) {
    throw new Skip(`message id longer than ${MAX_MESSAGE_ID_LENGTH} characters`);
  }
  const from = need(nonEmpty(m.from), 'message without from');
  const type = need(nonEmpty(m.type), 'message without type');
  return {
    kind: 'message',
    eventId: `wa:msg:${messageId}`,
    businessNumberId,
    messageId,
    from,
    profileName: names.get(from) ?? null,
    sentAt: timestamp(m.timestamp),
    context: contextOf(m.context),
    content: contentOf(m, type),
    errors: errorsOf(m.errors),
  };
}

const STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;

function statusOf(s: unknown, businessNumberId: string): MessageStatusUpdate {
  if (!isObj(s)) throw new Skip('status is not an object');
  const messageId = need(nonEmpty(s.id), 'status without id');
  const status = need(str(s.status), 'status without status');
  if (!(STATUSES as readonly string[]).includes(status)) throw new Skip(`status "${status}" is not one we track`);
  return {
    kind: 'status',
    // One event per message and status: a redelivered callback is the same event.
    eventId: `wa:status:${messageId}:${status}`,
    businessNumberId,
    messageId,
    recipient: need(nonEmpty(s.recipient_id) ?? nonEmpty(s.recipient_user_id), 'status without recipient'),
    status: status as MessageStatusUpdate['status'],
    at: timestamp(s.timestamp),
    errors: errorsOf(s.errors),
  };
}

/** `errors[]` of a change carry no id: the same errors redelivered hash to the same event id. */
function changeErrorsOf(v: unknown, businessNumberId: string): ProviderErrorEvent | null {
  const errors = errorsOf(v);
  if (errors.length === 0) return null;
  const digest = createHash('sha256')
    .update(JSON.stringify([businessNumberId, errors]))
    .digest('hex')
    .slice(0, 32);
  return { kind: 'error', eventId: `wa:error:${digest}`, businessNumberId, errors };
}

/**
 * A webhook delivery (`object: whatsapp_business_account`) as core's inbound events: every
 * `entry[].changes[].value` with its messages (any type), statuses, contact names and
 * errors. A malformed item is skipped with the reason and the rest still taken, because
 * refusing the delivery would only make Meta redeliver the same bytes for days. Events
 * keep the delivery's order; a message repeated in one delivery appears once.
 */
export function parseDelivery(json: unknown): ParsedDelivery {
  const events: InboundEvent[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  const take = (make: () => InboundEvent | null, where: string): void => {
    try {
      const event = make();
      if (event === null || seen.has(event.eventId)) return;
      seen.add(event.eventId);
      events.push(event);
    } catch (error) {
      if (!(error instanceof Skip)) throw error;
      skipped.push(`${where}: ${error.message}`);
    }
  };
  if (!isObj(json) || json.object !== 'whatsapp_business_account') {
    return { events, skipped: ['not a whatsapp_business_account delivery'] };
  }
  list(json.entry).forEach((entry, e) => {
    list(isObj(entry) ? entry.changes : null).forEach((change, c) => {
      const where = `entry[${e}].changes[${c}]`;
      if (!isObj(change) || change.field !== 'messages' || !isObj(change.value)) {
        skipped.push(`${where}: not a messages change`);
        return;
      }
      const value = change.value;
      const metadata = isObj(value.metadata) ? value.metadata : {};
      const businessNumberId = nonEmpty(metadata.phone_number_id);
      if (businessNumberId === null) {
        skipped.push(`${where}: no metadata.phone_number_id`);
        return;
      }
      const names = new Map<string, string>();
      for (const contact of list(value.contacts)) {
        if (!isObj(contact)) continue;
        const waId = str(contact.wa_id);
        const name = isObj(contact.profile) ? str(contact.profile.name) : null;
        if (waId !== null && name !== null) names.set(waId, name);
      }
      list(value.messages).forEach((m, i) => {
        take(() => messageOf(m, businessNumberId, names), `${where}.messages[${i}]`);
      });
      list(value.statuses).forEach((s, i) => {
        take(() => statusOf(s, businessNumberId), `${where}.statuses[${i}]`);
      });
      take(() => changeErrorsOf(value.errors, businessNumberId), `${where}.errors`);
    });
  });
  return { events, skipped };
}

import { createHash, randomBytes } from 'node:crypto';
import { signBody } from '@khaacho/adapters-whatsapp';

/** What a simulated phone sends: typed text, a voice note, or a tap on a reply button or a list row. */
export type SimulatedContent =
  | { readonly text: string }
  /** A voice note already stored with the Graph stub: the delivery names its media id and digest. */
  | { readonly audio: { readonly id: string; readonly mimeType: string; readonly sha256: string } }
  | { readonly buttonReply: { readonly id: string; readonly title: string } }
  | { readonly listReply: { readonly id: string; readonly title: string; readonly description?: string } };

export interface SimulatedInbound {
  /** The sender's WhatsApp id: digits only. */
  readonly from: string;
  /** Shown as `contacts[0].profile.name`. */
  readonly profileName: string;
  readonly content: SimulatedContent;
  /** The wamid of the message a button or row belonged to (`context.id`, as Meta sends on replies). */
  readonly contextId?: string;
}

export interface DeliveryTarget {
  /** The WhatsApp Business Account id (`entry[].id`). */
  readonly businessAccountId: string;
  readonly phoneNumberId: string;
  readonly displayPhoneNumber: string;
  readonly appSecret: string;
}

export interface SignedDelivery {
  /** The exact bytes that were signed: send these, never a re-serialisation. */
  readonly body: Buffer;
  /** `X-Hub-Signature-256`. */
  readonly signature: string;
  readonly messageId: string;
  /** `messages[0]` as delivered (what the chat log shows). */
  readonly message: Readonly<Record<string, unknown>>;
}

/**
 * JSON as Meta writes it: every character outside ASCII as a `\uXXXX` escape (an emoji as
 * its surrogate pair) and "/" as "\/". The bytes differ from `JSON.stringify`'s for any
 * Devanagari or emoji, so a receiver that re-serialises before checking the HMAC fails here
 * exactly as it would with Meta.
 */
export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replaceAll('/', '\\/');
}

function messageOf(input: SimulatedInbound, id: string, at: Date, businessNumber: string): Record<string, unknown> {
  const base: Record<string, unknown> = {
    ...(input.contextId === undefined ? {} : { context: { from: businessNumber, id: input.contextId } }),
    from: input.from,
    id,
    timestamp: String(Math.floor(at.getTime() / 1000)),
  };
  const c = input.content;
  if ('text' in c) return { ...base, type: 'text', text: { body: c.text } };
  if ('audio' in c) {
    // As Meta delivers a voice note: `sha256` base64 here, `voice: true` for one recorded in the app.
    return {
      ...base,
      type: 'audio',
      audio: { mime_type: c.audio.mimeType, sha256: c.audio.sha256, id: c.audio.id, voice: true },
    };
  }
  if ('buttonReply' in c) {
    return {
      ...base,
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: c.buttonReply.id, title: c.buttonReply.title } },
    };
  }
  return {
    ...base,
    type: 'interactive',
    interactive: {
      type: 'list_reply',
      list_reply: {
        id: c.listReply.id,
        title: c.listReply.title,
        ...(c.listReply.description === undefined ? {} : { description: c.listReply.description }),
      },
    },
  };
}

function envelope(target: DeliveryTarget, value: Record<string, unknown>): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: target.businessAccountId,
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: target.displayPhoneNumber, phone_number_id: target.phoneNumberId },
              ...value,
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

export type SimulatedStatus = 'sent' | 'delivered' | 'read';

/**
 * A status callback for one of our messages, as Meta sends them: `sent` and `delivered` with
 * the conversation and pricing, `read` without (as v25 sends it); signed like any delivery.
 */
export function signedStatusDelivery(
  input: { readonly messageId: string; readonly recipient: string; readonly status: SimulatedStatus },
  target: DeliveryTarget,
  at: Date = new Date(),
): { readonly body: Buffer; readonly signature: string } {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const billing =
    input.status === 'read'
      ? {}
      : {
          conversation: {
            id: createHash('md5').update(input.recipient).digest('hex'),
            origin: { type: 'service' },
          },
          pricing: { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' },
        };
  const delivery = envelope(target, {
    statuses: [{ id: input.messageId, status: input.status, timestamp, recipient_id: input.recipient, ...billing }],
  });
  const body = Buffer.from(metaJson(delivery), 'utf8');
  return { body, signature: signBody(body, target.appSecret) };
}

/**
 * A webhook delivery of one inbound message, shaped as the Cloud API's (object →
 * entry[].changes[].value with metadata, contacts and messages; ids and timestamps as
 * strings), serialised as Meta does and signed with the app secret.
 */
export function signedDelivery(input: SimulatedInbound, target: DeliveryTarget, at: Date = new Date()): SignedDelivery {
  const messageId = `wamid.${randomBytes(27).toString('base64')}`;
  const message = messageOf(input, messageId, at, target.displayPhoneNumber);
  const delivery = envelope(target, {
    contacts: [{ profile: { name: input.profileName }, wa_id: input.from }],
    messages: [message],
  });
  const body = Buffer.from(metaJson(delivery), 'utf8');
  return { body, signature: signBody(body, target.appSecret), messageId, message };
}

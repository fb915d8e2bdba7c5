import type { ConversationLanguage, ConversationStore } from '../ports/conversation-store.js';
import { type DomainEvent, EventTypes } from '../events/event-catalog.js';
import { messagesSendRequested } from '../messaging/request-message.js';
import type { DeliveryProof } from '../order/delivery-proof.js';
import type { Order } from '../order/order.js';
import type { OutboundMessage } from '../ports/message-sender.js';
import type { TransactionScope } from '../ports/unit-of-work.js';
import { NEPAL_UTC_OFFSET_MINUTES, nepalDayLabel } from '../shared/clock.js';
import type { OrderId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import type { PhoneNumber } from '../shared/phone-number.js';

/** The languages a shop writes in (conversations keep each shop's; English until they do). */
export type MessageLanguage = ConversationLanguage;

/** What a shop is told at each step of its order. */
export type ShopStepNotice =
  | { readonly step: 'CONFIRMED'; readonly orderNumber: string; readonly total: Money }
  | { readonly step: 'DISPATCHED'; readonly orderNumber: string; readonly deliveryCode: string | null }
  | { readonly step: 'DELIVERED'; readonly orderNumber: string; readonly invoiceAmount: Money; readonly dueAt: Date }
  | { readonly step: 'CANCELLED'; readonly orderNumber: string; readonly reason: string | null }
  /** Staff approved an order that was held (over the credit limit, or for review). */
  | { readonly step: 'APPROVED'; readonly orderNumber: string }
  /** Staff rejected a held order. */
  | { readonly step: 'NOT_APPROVED'; readonly orderNumber: string; readonly reason: string | null };

const MONTHS_NE = [
  'जनवरी',
  'फेब्रुअरी',
  'मार्च',
  'अप्रिल',
  'मे',
  'जुन',
  'जुलाई',
  'अगस्ट',
  'सेप्टेम्बर',
  'अक्टोबर',
  'नोभेम्बर',
  'डिसेम्बर',
];

/** The same day in Devanagari: "६ डिसेम्बर २०२६" (Gregorian, as invoices and the web show it). */
function nepalDayNe(at: Date): string {
  const local = new Date(at.getTime() + NEPAL_UTC_OFFSET_MINUTES * 60_000);
  return `${devanagariDigits(String(local.getUTCDate()))} ${MONTHS_NE[local.getUTCMonth()]} ${devanagariDigits(String(local.getUTCFullYear()))}`;
}

function devanagariDigits(text: string): string {
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(0x0966 + Number(d)));
}

/** The text of a step notice, in the shop's language (the style of the conversation replies). */
export function shopStepText(notice: ShopStepNotice, language: MessageLanguage = 'en'): string {
  const n = notice.orderNumber;
  switch (language) {
    case 'ne-Latn':
      switch (notice.step) {
        case 'CONFIRMED':
          return `Order ${n} supplier le pakka garyo: ${notice.total.format()}. Pathaepachi janaunchhau.`;
        case 'DISPATCHED':
          return notice.deliveryCode === null
            ? `Order ${n} bato ma cha.`
            : `Order ${n} bato ma cha. Tapaiko delivery code ${notice.deliveryCode} ho: saman hat ma aaepachi matra driver lai dinus.`;
        case 'DELIVERED':
          return `Order ${n} pugyo. Bill ${notice.invoiceAmount.format()}, tirne myad ${nepalDayLabel(notice.dueAt)}.`;
        case 'CANCELLED':
          return notice.reason ? `Order ${n} radda bhayo: ${notice.reason}.` : `Order ${n} radda bhayo.`;
        case 'APPROVED':
          return `Order ${n} hamro team le swikrit garyo. Supplier khojdai chhau; sweekar garepachi janaunchhau.`;
        case 'NOT_APPROVED':
          return notice.reason ? `Order ${n} swikrit bhayena: ${notice.reason}.` : `Order ${n} swikrit bhayena.`;
      }
      break;
    case 'ne':
      switch (notice.step) {
        case 'CONFIRMED':
          return `अर्डर ${n} सप्लायरले पक्का गर्‍यो: ${notice.total.format()}। पठाएपछि जानकारी दिनेछौं।`;
        case 'DISPATCHED':
          return notice.deliveryCode === null
            ? `अर्डर ${n} बाटोमा छ।`
            : `अर्डर ${n} बाटोमा छ। तपाईंको डेलिभरी कोड ${notice.deliveryCode} हो: सामान हातमा आएपछि मात्र ड्राइभरलाई दिनुहोस्।`;
        case 'DELIVERED':
          return `अर्डर ${n} पुग्यो। बिल ${notice.invoiceAmount.format()}, तिर्ने म्याद ${nepalDayNe(notice.dueAt)}।`;
        case 'CANCELLED':
          return notice.reason ? `अर्डर ${n} रद्द भयो: ${notice.reason}।` : `अर्डर ${n} रद्द भयो।`;
        case 'APPROVED':
          return `अर्डर ${n} हाम्रो टोलीले स्वीकृत गर्‍यो। सप्लायर खोज्दै छौं; स्वीकार गरेपछि जानकारी दिनेछौं।`;
        case 'NOT_APPROVED':
          return notice.reason ? `अर्डर ${n} स्वीकृत भएन: ${notice.reason}।` : `अर्डर ${n} स्वीकृत भएन।`;
      }
      break;
  }
  switch (notice.step) {
    case 'CONFIRMED':
      return `Order ${n} is confirmed by the supplier: ${notice.total.format()}. We will tell you when it leaves.`;
    case 'DISPATCHED':
      return notice.deliveryCode === null
        ? `Order ${n} is on its way.`
        : `Order ${n} is on its way. Your delivery code is ${notice.deliveryCode}: give it to the driver only when you have the goods.`;
    case 'DELIVERED':
      return `Order ${n} is delivered. Invoice ${notice.invoiceAmount.format()}, due ${nepalDayLabel(notice.dueAt)}.`;
    case 'CANCELLED':
      return notice.reason ? `Order ${n} is cancelled: ${notice.reason}.` : `Order ${n} is cancelled.`;
    case 'APPROVED':
      return `Order ${n} is approved by our team. We are finding a supplier and will tell you when one accepts.`;
    case 'NOT_APPROVED':
      return notice.reason ? `Order ${n} was not approved: ${notice.reason}.` : `Order ${n} was not approved.`;
  }
}

/** The title of the button a DISPATCHED notice carries (≤ 20 characters). */
export const NOT_RECEIVED_TITLE: Readonly<Record<MessageLanguage, string>> = {
  en: 'Not received',
  'ne-Latn': 'Aayena',
  ne: 'आएन',
};

const NOTIFIED_STEPS = new Set(['CONFIRMED', 'DISPATCHED', 'DELIVERED', 'CANCELLED']);
/** A held order's decision: told too (only from ON_HOLD; a placement routed or refused is answered by its reply). */
const DECIDED_FROM_HOLD = new Set(['ROUTING', 'REJECTED']);

/**
 * The shop's step notices for the status changes among `events`, as `message.send_requested`
 * events for the same transaction. Recorded with the change rather than by a consumer of the
 * status event: the notice then exists exactly when the change commits (never lost, never
 * twice), and the facts it quotes (the code, the invoice) are at hand here, not to be read back
 * later when they may have moved on (the code is erased once the delivery is settled).
 *
 * A change the shop made itself (its cancel, a held order replaced by the smaller one) gets no
 * notice: the shop is answered by the reply to what it did (the chat reply, the API response),
 * and a second message saying the same would only confuse. Changes by the vendor, staff or the
 * system are told. The text is in the language of the shop's conversation, read here, inside
 * the transaction ('en' when the shop never wrote).
 */
export async function shopStepNotices(
  tx: Pick<TransactionScope, 'retailers' | 'conversations'>,
  events: readonly DomainEvent[],
  orders: readonly Order[],
  proofs: readonly DeliveryProof[],
): Promise<DomainEvent[]> {
  const byPhone = new Map<string, { messages: OutboundMessage[]; reasons: string[]; at: Date }>();
  const phones = new Map<string, PhoneNumber | null>();
  for (const event of events) {
    if (event.type !== EventTypes.ORDER_STATUS_CHANGED) continue;
    const { from, to: step } = event.payload;
    if (!NOTIFIED_STEPS.has(step) && !(from === 'ON_HOLD' && DECIDED_FROM_HOLD.has(step))) continue;
    if (event.payload.actor.type === 'retailer') continue;
    const order = orders.find((o) => o.id === event.aggregateId);
    if (!order) continue;
    const notice = noticeOf(step, order, event.payload.reason, events, proofs);
    if (!notice) continue;
    if (!phones.has(order.retailerId))
      phones.set(order.retailerId, (await tx.retailers.get(order.retailerId))?.phone ?? null);
    const to = phones.get(order.retailerId);
    if (!to) continue;
    const language = await shopLanguage(tx, to);
    const text = shopStepText(notice, language);
    const message: OutboundMessage =
      notice.step === 'DISPATCHED' && notice.deliveryCode !== null
        ? {
            kind: 'buttons',
            to,
            body: text,
            buttons: [{ id: `delivery:not-received:${order.id}`, title: NOT_RECEIVED_TITLE[language] }],
          }
        : { kind: 'text', to, text };
    const reason = `order.${notice.step.toLowerCase()}`;
    const group = byPhone.get(to.value) ?? { messages: [], reasons: [], at: event.occurredAt };
    group.messages.push(message);
    if (!group.reasons.includes(reason)) group.reasons.push(reason);
    byPhone.set(to.value, group);
  }
  // One event per shop: the notices of one change reach it in the order the change made them
  // (one job sends them in turn), not in whatever order concurrent jobs finish.
  return [...byPhone.values()].flatMap((g) => messagesSendRequested(g.messages, g.reasons.join(','), g.at));
}

/**
 * The language of this number's conversation ('en' when it never wrote): step notices, and the
 * worker's payment reminders. Read as of the epoch: a conversation that has
 * expired (which `get` at the present would answer as a fresh, English one) still knows the
 * language the shop writes in, until housekeeping purges it.
 */
export async function shopLanguage(
  stores: { readonly conversations: Pick<ConversationStore, 'get'> },
  phone: PhoneNumber,
): Promise<MessageLanguage> {
  return (await stores.conversations.get(phone, new Date(0))).language;
}

function noticeOf(
  to: string,
  order: Order,
  reason: string | null,
  events: readonly DomainEvent[],
  proofs: readonly DeliveryProof[],
): ShopStepNotice | null {
  const orderNumber = order.number;
  switch (to) {
    case 'CONFIRMED':
      return { step: 'CONFIRMED', orderNumber, total: order.total };
    case 'DISPATCHED':
      return {
        step: 'DISPATCHED',
        orderNumber,
        deliveryCode: proofs.find((p) => p.orderId === order.id)?.code ?? null,
      };
    case 'DELIVERED': {
      const invoice = invoiceOf(events, order.id);
      return invoice ? { step: 'DELIVERED', orderNumber, ...invoice } : null;
    }
    case 'CANCELLED':
      return { step: 'CANCELLED', orderNumber, reason };
    case 'ROUTING':
      return { step: 'APPROVED', orderNumber };
    case 'REJECTED':
      return { step: 'NOT_APPROVED', orderNumber, reason };
    default:
      return null;
  }
}

function invoiceOf(events: readonly DomainEvent[], orderId: OrderId): { invoiceAmount: Money; dueAt: Date } | null {
  for (const e of events) {
    if (e.type === EventTypes.CREDIT_INVOICE_ISSUED && e.payload.orderId === orderId) {
      return { invoiceAmount: Money.of(e.payload.amount, e.payload.currency), dueAt: new Date(e.payload.dueAt) };
    }
  }
  return null;
}

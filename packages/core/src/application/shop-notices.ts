import { type DomainEvent, EventTypes } from '../events/event-catalog.js';
import { messageSendRequested } from '../messaging/request-message.js';
import type { DeliveryProof } from '../order/delivery-proof.js';
import type { Order } from '../order/order.js';
import type { TransactionScope } from '../ports/unit-of-work.js';
import { NEPAL_UTC_OFFSET_MINUTES } from '../shared/clock.js';
import type { OrderId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import type { PhoneNumber } from '../shared/phone-number.js';

/** The languages a shop writes in (conversations keep each shop's; English until they do). */
export type MessageLanguage = 'en' | 'ne-Latn' | 'ne';

/** What a shop is told at each step of its order. */
export type ShopStepNotice =
  | { readonly step: 'CONFIRMED'; readonly orderNumber: string; readonly total: Money }
  | { readonly step: 'DISPATCHED'; readonly orderNumber: string; readonly deliveryCode: string | null }
  | { readonly step: 'DELIVERED'; readonly orderNumber: string; readonly invoiceAmount: Money; readonly dueAt: Date }
  | { readonly step: 'CANCELLED'; readonly orderNumber: string; readonly reason: string | null };

/** "6 Dec 2026", the Nepali calendar day (UTC+05:45) of an instant. */
function nepalDay(at: Date): string {
  const local = new Date(at.getTime() + NEPAL_UTC_OFFSET_MINUTES * 60_000);
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][
    local.getUTCMonth()
  ];
  return `${local.getUTCDate()} ${month} ${local.getUTCFullYear()}`;
}

/**
 * The text of a step notice. Only English is written so far: every language gets it until the
 * romanised and Devanagari texts are (the parameter is the seam conv-core wires the shop's into).
 */
export function shopStepText(notice: ShopStepNotice, _language: MessageLanguage = 'en'): string {
  switch (notice.step) {
    case 'CONFIRMED':
      return `Order ${notice.orderNumber} is confirmed by the supplier: ${notice.total.format()}. We will tell you when it leaves.`;
    case 'DISPATCHED':
      return notice.deliveryCode === null
        ? `Order ${notice.orderNumber} is on its way.`
        : `Order ${notice.orderNumber} is on its way. Your delivery code is ${notice.deliveryCode}: give it to the driver only when you have the goods.`;
    case 'DELIVERED':
      return `Order ${notice.orderNumber} is delivered. Invoice ${notice.invoiceAmount.format()}, due ${nepalDay(notice.dueAt)}.`;
    case 'CANCELLED':
      return notice.reason
        ? `Order ${notice.orderNumber} is cancelled: ${notice.reason}.`
        : `Order ${notice.orderNumber} is cancelled.`;
  }
}

const NOTIFIED_STEPS = new Set(['CONFIRMED', 'DISPATCHED', 'DELIVERED', 'CANCELLED']);

/**
 * The shop's step notices for the status changes among `events`, as `message.send_requested`
 * events for the same transaction. Recorded with the change rather than by a consumer of the
 * status event: the notice then exists exactly when the change commits (never lost, never
 * twice), and the facts it quotes (the code, the invoice) are at hand here, not to be read back
 * later when they may have moved on (the code is erased once the delivery is settled).
 */
export async function shopStepNotices(
  tx: Pick<TransactionScope, 'retailers'>,
  events: readonly DomainEvent[],
  orders: readonly Order[],
  proofs: readonly DeliveryProof[],
  language: MessageLanguage = 'en',
): Promise<DomainEvent[]> {
  const out: DomainEvent[] = [];
  const phones = new Map<string, PhoneNumber | null>();
  for (const event of events) {
    if (event.type !== EventTypes.ORDER_STATUS_CHANGED || !NOTIFIED_STEPS.has(event.payload.to)) continue;
    const order = orders.find((o) => o.id === event.aggregateId);
    if (!order) continue;
    const notice = noticeOf(event.payload.to, order, event.payload.reason, events, proofs);
    if (!notice) continue;
    if (!phones.has(order.retailerId))
      phones.set(order.retailerId, (await tx.retailers.get(order.retailerId))?.phone ?? null);
    const to = phones.get(order.retailerId);
    if (!to) continue;
    const text = shopStepText(notice, language);
    out.push(messageSendRequested({ kind: 'text', to, text }, `order.${notice.step.toLowerCase()}`, event.occurredAt));
  }
  return out;
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

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { domainEvent, EventTypes } from '../events/event-catalog.js';
import { requestedMessages } from '../messaging/request-message.js';
import type { Order } from '../order/order.js';
import type { TransactionScope } from '../ports/unit-of-work.js';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import type { OrderId, RetailerId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { PhoneNumber } from '../shared/phone-number.js';
import { shopStepNotices } from './shop-notices.js';

const at = new Date('2026-12-06T06:00:00.000Z');
const SHOPS = { a: PhoneNumber.parse('9841000111'), b: PhoneNumber.parse('9841000222') };
const total = Money.parse('1200');

/** Only what the notices read of an order. */
const order = (n: number, shop: keyof typeof SHOPS) =>
  ({
    id: `01950000-0000-7000-8000-00000000000${n}` as OrderId,
    retailerId: `retailer-${shop}` as RetailerId,
    number: `KH-00000${n}`,
    total,
  }) as unknown as Order;

const changed = (o: Order, to: 'CONFIRMED' | 'CANCELLED') =>
  domainEvent(EventTypes.ORDER_STATUS_CHANGED, o.id, at, {
    from: 'ROUTING',
    to,
    transition: to === 'CONFIRMED' ? 'confirm' : 'cancel',
    actor: SYSTEM_ACTOR,
    reason: to === 'CANCELLED' ? 'out of stock' : null,
    retailerId: o.retailerId,
    vendorId: null,
    total: total.toJSON(),
  });

const tx = {
  retailers: { get: async (id: RetailerId) => ({ phone: id === 'retailer-a' ? SHOPS.a : SHOPS.b }) },
  conversations: { get: async () => ({ language: 'en' }) },
} as unknown as Pick<TransactionScope, 'retailers' | 'conversations'>;

test("one change telling a shop several steps is one event per shop, the shop's notices in the change's order", async () => {
  const [o1, o2, o3] = [order(1, 'a'), order(2, 'b'), order(3, 'a')] as [Order, Order, Order];
  const events = await shopStepNotices(
    tx,
    [changed(o1, 'CONFIRMED'), changed(o2, 'CONFIRMED'), changed(o3, 'CANCELLED')],
    [o1, o2, o3],
    [],
  );
  assert.equal(
    events.map((e) => e.aggregateId),
    [SHOPS.a.value, SHOPS.b.value],
  );
  const [forA] = events;
  assert.ok(forA?.type === EventTypes.MESSAGE_SEND_REQUESTED);
  if (forA?.type !== EventTypes.MESSAGE_SEND_REQUESTED) return;
  assert.is(forA.payload.reason, 'order.confirmed,order.cancelled');
  assert.equal(
    requestedMessages(forA.payload).map((m) => (m.kind === 'text' ? m.text : m.kind)),
    [
      'Order KH-000001 is confirmed by the supplier: NPR 1,200.00. We will tell you when it leaves.',
      'Order KH-000003 is cancelled: out of stock.',
    ],
  );
});

test.run();

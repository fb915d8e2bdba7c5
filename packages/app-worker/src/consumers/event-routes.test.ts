import {
  type DomainEvent,
  domainEvent,
  EventTypes,
  type EventType,
  type OrderId,
  type OrderStatus,
  QueueNames,
  type VendorId,
} from '@khaacho/core';
import { oneEventOfEachType } from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type EventRoute, eventFromJobPayload, eventToJobPayload, routeEvent } from './event-routes.js';

const at = new Date('2026-03-02T04:00:00.000Z');
const samples = oneEventOfEachType(at);

/** The table the README shows; `null` is "marked published, no job". */
const EXPECTED: Readonly<Record<EventType, EventRoute | null>> = {
  'order.placed': null,
  'order.offered': { queue: QueueNames.NOTIFICATIONS, job: 'notify-vendor-offer' },
  'order.offer_rejected': { queue: QueueNames.ORDER_ROUTING, job: 'route-order' },
  'order.offer_expired': { queue: QueueNames.ORDER_ROUTING, job: 'route-order' },
  'order.needs_manual_assignment': { queue: QueueNames.NOTIFICATIONS, job: 'alert-operator' },
  'order.status_changed': null, // the sample goes elsewhere than ROUTING/DELIVERED; see below
  'credit.hold_placed': null,
  'credit.hold_released': null,
  'credit.invoice_issued': null,
  'credit.payment_recorded': { queue: QueueNames.CREDIT_SCORE, job: 'recalculate-credit-score' },
  'credit.adjusted': null,
  'credit.limit_changed': null,
  'credit.limit_released_to_scoring': null,
  'credit.limit_overridden': null,
  'credit.terms_changed': null,
  'credit.score_calculated': null,
  'retailer.registered': null,
  'retailer.approved': null,
  'retailer.suspended': null,
  'vendor.registered': null,
  'product.created': { queue: QueueNames.ORDER_PROCESSING, job: 'invalidate-catalog-cache' },
  'product.updated': { queue: QueueNames.ORDER_PROCESSING, job: 'invalidate-catalog-cache' },
  'offer.price_changed': { queue: QueueNames.ORDER_PROCESSING, job: 'invalidate-catalog-cache' },
  'offer.updated': { queue: QueueNames.ORDER_PROCESSING, job: 'invalidate-catalog-cache' },
  'risk.rule_saved': null,
  'order.delivery_code_issued': null,
  'order.delivery_disputed': { queue: QueueNames.NOTIFICATIONS, job: 'alert-operator' },
  'order.delivery_dispute_resolved': null,
  'order.delivery_overridden': null,
  'message.send_requested': { queue: QueueNames.NOTIFICATIONS, job: 'send-message' },
};

test('every catalog event has its route (or none)', () => {
  for (const [type, event] of Object.entries(samples) as [EventType, DomainEvent][]) {
    if (
      type === EventTypes.ORDER_STATUS_CHANGED &&
      event.type === type &&
      ['ROUTING', 'DELIVERED', 'CONFIRMED', 'DISPATCHED', 'CANCELLED'].includes(event.payload.to)
    ) {
      continue;
    }
    assert.equal(routeEvent(event), EXPECTED[type], type);
  }
});

test('a status change routes by where the order went: ROUTING to routing, DELIVERED to scoring, a vendor step to its snapshot, others nowhere', () => {
  const base = samples[EventTypes.ORDER_STATUS_CHANGED];
  const vendorId = base.payload.vendorId ?? ('01970000-0000-7000-8000-0000000000aa' as VendorId);
  const to = (status: OrderStatus, vendor: VendorId | null = vendorId) =>
    routeEvent(
      domainEvent(EventTypes.ORDER_STATUS_CHANGED, base.aggregateId as OrderId, at, {
        ...base.payload,
        to: status,
        vendorId: vendor,
      }),
    );
  assert.equal(to('ROUTING'), { queue: QueueNames.ORDER_ROUTING, job: 'route-order' });
  assert.equal(to('DELIVERED'), { queue: QueueNames.CREDIT_SCORE, job: 'recalculate-credit-score' });
  assert.is(to('ON_HOLD'), null, 'a HELD order waits for its review');
  for (const status of ['CONFIRMED', 'DISPATCHED', 'CANCELLED'] as const) {
    assert.equal(to(status), { queue: QueueNames.REPORT_GENERATION, job: 'refresh-snapshots' }, status);
  }
  assert.is(to('CANCELLED', null), null, 'cancelled before any vendor: no performance moved');
});

test('an event survives the job payload (JSON) unchanged, and a forged one is refused', () => {
  for (const event of Object.values(samples) as DomainEvent[]) {
    const payload = JSON.parse(JSON.stringify(eventToJobPayload(event)));
    assert.equal(eventFromJobPayload(payload), event, event.type);
  }
  const forged = eventToJobPayload(samples[EventTypes.ORDER_OFFERED]);
  (forged.event as { payload: { vendorId: unknown } }).payload.vendorId = 42;
  assert.throws(() => eventFromJobPayload(forged), /vendorId/);
  assert.throws(() => eventFromJobPayload({}), /no event/);
});

test.run();

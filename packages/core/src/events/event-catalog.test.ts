import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DomainError, ErrorCodes } from '../shared/errors.js';
import { oneEventOfEachType } from '../testing/event-samples.js';
import {
  assertNever,
  type DomainEvent,
  EventTypes,
  isEventType,
  parseDomainEvent,
  type StoredEvent,
} from './event-catalog.js';

const at = new Date('2026-03-01T08:00:00.000Z');
const samples = Object.values(oneEventOfEachType(at));

/** What the outbox hands back: the payload through JSON text, as PostgreSQL's jsonb returns it. */
function stored(event: DomainEvent, change: Partial<StoredEvent> = {}): StoredEvent {
  return { ...event, payload: JSON.parse(JSON.stringify(event.payload)), ...change };
}

function refused(input: StoredEvent, field: string | null): void {
  try {
    parseDomainEvent(input);
  } catch (error) {
    assert.ok(DomainError.hasCode(error, ErrorCodes.INVARIANT), String(error));
    if (field !== null) assert.is((error as DomainError).details.field, field);
    return;
  }
  assert.unreachable(`${input.type} was read as a catalog event`);
}

/** A consumer: the WhatsApp notifier or the worker would look like this. */
function whoHears(event: DomainEvent): string {
  switch (event.type) {
    case EventTypes.ORDER_PLACED:
      return `retailer ${event.payload.retailerId}: ${event.payload.lines.length} lines`;
    case EventTypes.ORDER_OFFERED:
      return `vendor ${event.payload.vendorId} until ${event.payload.deadline}`;
    case EventTypes.ORDER_OFFER_REJECTED:
    case EventTypes.ORDER_OFFER_EXPIRED:
      return `router: ${event.payload.vendorId}`;
    case EventTypes.ORDER_NEEDS_MANUAL_ASSIGNMENT:
      return `operator: ${event.payload.reason}`;
    case EventTypes.ORDER_STATUS_CHANGED:
      return `retailer ${event.payload.retailerId}: ${event.payload.from} → ${event.payload.to}`;
    case EventTypes.CREDIT_HOLD_PLACED:
    case EventTypes.CREDIT_HOLD_RELEASED:
    case EventTypes.CREDIT_INVOICE_ISSUED:
      return `ledger: order ${event.payload.orderId} ${event.payload.amount}`;
    case EventTypes.CREDIT_PAYMENT_RECORDED:
    case EventTypes.CREDIT_ADJUSTED:
      return `scoring: ${event.payload.settledOrderIds.length} settled`;
    case EventTypes.CREDIT_LIMIT_CHANGED:
      return `retailer ${event.payload.retailerId}: limit ${event.payload.limit}`;
    case EventTypes.CREDIT_LIMIT_RELEASED_TO_SCORING:
      return `audit: ${event.payload.actor.type}`;
    case EventTypes.CREDIT_LIMIT_OVERRIDDEN:
      return `audit: order ${event.payload.orderId} over by ${event.payload.amount - event.payload.available}`;
    case EventTypes.CREDIT_TERMS_CHANGED:
      return `retailer: ${event.payload.netTermsDays} days`;
    case EventTypes.CREDIT_SCORE_CALCULATED:
      return `audit: band ${event.payload.band}`;
    case EventTypes.RETAILER_REGISTERED:
      return `onboarding: ${event.payload.area}`;
    case EventTypes.RETAILER_APPROVED:
    case EventTypes.RETAILER_SUSPENDED:
      return `audit: ${event.payload.from} → ${event.payload.to} by ${event.payload.actor.type}`;
    case EventTypes.VENDOR_REGISTERED:
      return `onboarding: ${event.payload.serviceAreas.join()}`;
    case EventTypes.PRODUCT_CREATED:
    case EventTypes.PRODUCT_UPDATED:
      return `search index: ${event.payload.sku}`;
    case EventTypes.OFFER_PRICE_CHANGED:
    case EventTypes.OFFER_UPDATED:
      return `price watch: ${event.payload.price}`;
    case EventTypes.RISK_RULE_SAVED:
      return `audit: ${event.payload.ruleType}`;
    case EventTypes.ORDER_DELIVERY_CODE_ISSUED:
      return `shop ${event.payload.retailerId}: code sent`;
    case EventTypes.ORDER_DELIVERY_DISPUTED:
      return `operator: dispute ${event.payload.reason}`;
    case EventTypes.ORDER_DELIVERY_DISPUTE_RESOLVED:
      return `audit: delivered ${event.payload.delivered}`;
    case EventTypes.ORDER_DELIVERY_OVERRIDDEN:
      return `audit: override by ${event.payload.actor.type}`;
    case EventTypes.MESSAGE_SEND_REQUESTED:
      return `sender: ${event.payload.message.kind} (${event.payload.reason})`;
    default:
      return assertNever(event, 'event type');
  }
}

test('a consumer switches over the whole union; each branch reads its own payload', () => {
  const heard = samples.map(whoHears);
  assert.is(heard.length, Object.keys(EventTypes).length);
  assert.is(heard[0], 'retailer 01900000-0000-7000-8000-000000000002: 1 lines');
  assert.ok(
    heard.every((line) => !line.includes('undefined')),
    heard.join('\n'),
  );
});

test('assertNever throws when a value it was promised never comes does come', () => {
  const fromNewerCode = { type: 'order.teleported' } as unknown as never;
  assert.throws(
    () => assertNever(fromNewerCode, 'event type'),
    (e: unknown) => DomainError.hasCode(e, ErrorCodes.INVARIANT),
  );
});

test('every catalog event reads back from its stored JSON unchanged', () => {
  for (const event of samples) assert.equal(parseDomainEvent(stored(event)), event, event.type);
  assert.ok(samples.every((e) => isEventType(e.type)));
});

test('issue 8 #12: a stored event of an unknown type is an error, not a cast into the union', () => {
  const [placed] = samples as [DomainEvent];
  refused(stored(placed, { type: 'order.teleported' }), null);
  refused(stored(placed, { type: 'constructor' }), null);
  refused(stored(placed, { type: 'toString' }), null);
  assert.not.ok(isEventType('__proto__'));
});

test('a stored event whose aggregate, id, time or payload is not its catalog entry’s is refused', () => {
  const event = oneEventOfEachType(at)['order.status_changed'];
  refused(stored(event, { aggregateType: 'credit_account' }), null);
  refused(stored(event, { aggregateId: '' }), null);
  refused(stored(event, { occurredAt: new Date(Number.NaN) }), null);
  refused(stored(event, { payload: null }), null);
  refused(stored(event, { payload: [event.payload] }), null);
  refused(stored(event, { payload: '{"from":"ROUTING"}' }), null);
  const { vendorId: _dropped, ...withoutVendor } = event.payload;
  refused(stored(event, { payload: withoutVendor }), 'vendorId');
  refused(stored(event, { payload: { ...event.payload, reason: 42 } }), 'reason');
  refused(stored(event, { payload: { ...event.payload, total: 480_000 } }), 'total');
});

test('an optional payload field may be absent, and a null is kept where the type allows it', () => {
  const offered = oneEventOfEachType(at)['order.offered'];
  const { actor: _none, ...automatic } = offered.payload;
  const read = parseDomainEvent(stored(offered, { payload: automatic }));
  assert.equal(read.payload, automatic);
  refused(stored(offered, { payload: { ...automatic, actor: 'operator' } }), 'actor');
  const rejected = oneEventOfEachType(at)['order.offer_rejected'];
  assert.is(rejected.payload.reason, null);
  assert.equal(parseDomainEvent(stored(rejected)), rejected);
});

test.run();

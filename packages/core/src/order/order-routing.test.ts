import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DomainError, ErrorCodes } from '../shared/errors.js';
import type { VendorId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { anOrder } from '../testing/builders.js';
import { deterministicIds } from '../testing/deterministic-ids.js';
import { ManualClock } from '../testing/manual-clock.js';
import { MAX_ROUTING_ATTEMPTS } from './routing-attempt.js';

const MIN = 60_000;

function setup() {
  const clock = new ManualClock('2026-04-01T10:00:00Z');
  const ids = deterministicIds(clock, 11);
  const vendors = Array.from({ length: 8 }, () => ids.next() as VendorId);
  const order = anOrder(ids, clock.now()).withLines(2).inStatus('ROUTING').build();
  order.pullEvents();
  return { clock, ids, vendors, order };
}

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (e) {
    return DomainError.is(e) ? e.code : String(e);
  }
  return undefined;
}

test('one offer at a time; accept before the deadline confirms with that vendor', () => {
  const { clock, vendors, order } = setup();
  const [v1, v2] = vendors as [VendorId, VendorId];
  order.offerTo(v1, clock.now(), new Date(clock.now().getTime() + 15 * MIN));
  assert.is(
    codeOf(() => order.offerTo(v2, clock.now(), new Date(clock.now().getTime() + MIN))),
    ErrorCodes.ORDER_OFFER_PENDING,
  );
  assert.is(
    codeOf(() => order.acceptOffer(v2, clock.now())),
    ErrorCodes.ORDER_OFFER_MISMATCH,
  );
  clock.advance(5 * MIN);
  order.acceptOffer(v1, clock.now());
  assert.is(order.status, 'CONFIRMED');
  assert.is(order.vendorId, v1);
  assert.equal(
    order.routingAttempts.map((a) => [a.vendorId, a.outcome]),
    [[v1, 'ACCEPTED']],
  );
  const types = order.pullEvents().map((e) => e.type);
  assert.equal(types, ['order.offered', 'order.status_changed']);
});

test('an accept after the deadline is refused; expiry before the deadline is refused', () => {
  const { clock, vendors, order } = setup();
  const v1 = vendors[0] as VendorId;
  order.offerTo(v1, clock.now(), new Date(clock.now().getTime() + 15 * MIN));
  assert.is(
    codeOf(() => order.expireOffer(new Date(clock.now().getTime() + 14 * MIN))),
    ErrorCodes.ORDER_NO_PENDING_OFFER,
  );
  clock.advance(16 * MIN);
  assert.is(
    codeOf(() => order.acceptOffer(v1, clock.now())),
    ErrorCodes.ORDER_NO_PENDING_OFFER,
  );
  order.expireOffer(clock.now());
  assert.is(order.status, 'ROUTING', 'stays ROUTING while retrying');
  assert.is(order.routingAttempts[0]?.outcome, 'EXPIRED');
});

test('a tried vendor is not offered again automatically', () => {
  const { clock, vendors, order } = setup();
  const v1 = vendors[0] as VendorId;
  order.offerTo(v1, clock.now(), new Date(clock.now().getTime() + MIN));
  order.rejectOffer(v1, clock.now(), 'no stock');
  assert.is(
    codeOf(() => order.offerTo(v1, clock.now(), new Date(clock.now().getTime() + MIN))),
    ErrorCodes.ORDER_VENDOR_ALREADY_TRIED,
  );
  assert.equal(order.triedVendorIds(), [v1]);
});

test(`after ${MAX_ROUTING_ATTEMPTS} failed offers the order stays ROUTING, is flagged for manual assignment, and an alert event is raised`, () => {
  const { clock, vendors, order } = setup();
  for (let i = 0; i < MAX_ROUTING_ATTEMPTS; i++) {
    const v = vendors[i] as VendorId;
    assert.ok(order.canOfferAutomatically());
    order.offerTo(v, clock.now(), new Date(clock.now().getTime() + 15 * MIN));
    if (i % 2 === 0) order.rejectOffer(v, clock.now(), 'busy');
    else {
      clock.advance(15 * MIN);
      order.expireOffer(clock.now());
    }
    assert.is(order.needsManualAssignment, i === MAX_ROUTING_ATTEMPTS - 1);
  }
  assert.is(order.status, 'ROUTING');
  assert.not.ok(order.canOfferAutomatically());
  assert.is(
    codeOf(() => order.offerTo(vendors[6] as VendorId, clock.now(), new Date(clock.now().getTime() + MIN))),
    ErrorCodes.ORDER_ROUTING_EXHAUSTED,
  );
  const flagged = order.pullEvents().filter((e) => e.type === 'order.needs_manual_assignment');
  assert.is(flagged.length, 1);
  // An operator assigns a vendor by hand (even one tried before); the flag clears.
  order.offerTo(vendors[0] as VendorId, clock.now(), new Date(clock.now().getTime() + MIN), { manual: true });
  assert.not.ok(order.needsManualAssignment);
  order.acceptOffer(vendors[0] as VendorId, clock.now());
  assert.is(order.status, 'CONFIRMED');
  assert.is(order.automaticAttempts(), MAX_ROUTING_ATTEMPTS);
});

test('the offer window is half-open: at the deadline the offer has expired and cannot be accepted', () => {
  const { clock, vendors, order } = setup();
  const v1 = vendors[0] as VendorId;
  const deadline = new Date(clock.now().getTime() + 15 * MIN);
  order.offerTo(v1, clock.now(), deadline);
  assert.is(
    codeOf(() => order.acceptOffer(v1, deadline)),
    ErrorCodes.ORDER_NO_PENDING_OFFER,
  );
  assert.is(
    codeOf(() => order.expireOffer(new Date(deadline.getTime() - 1))),
    ErrorCodes.ORDER_NO_PENDING_OFFER,
  );
  order.expireOffer(deadline);
  assert.is(order.routingAttempts[0]?.outcome, 'EXPIRED');
});

test("an operator's own choice that declines or lapses goes back to the operator", () => {
  const { clock, vendors, order } = setup();
  const [v1, v2] = vendors as [VendorId, VendorId];
  order.offerTo(v1, clock.now(), new Date(clock.now().getTime() + MIN), { manual: true });
  order.rejectOffer(v1, clock.now(), 'closed today');
  assert.ok(order.needsManualAssignment, 'flagged again after a manual rejection');
  assert.not.ok(order.canOfferAutomatically(), 'automatic routing leaves it to the operator');
  order.offerTo(v2, clock.now(), new Date(clock.now().getTime() + MIN), { manual: true });
  assert.not.ok(order.needsManualAssignment);
  clock.advance(MIN);
  order.expireOffer(clock.now());
  assert.ok(order.needsManualAssignment, 'flagged again after a manual offer lapses');
  assert.is(order.automaticAttempts(), 0, 'manual attempts do not use up automatic ones');
});

test('cancelling withdraws a pending offer', () => {
  const { clock, vendors, order } = setup();
  order.offerTo(vendors[0] as VendorId, clock.now(), new Date(clock.now().getTime() + MIN));
  order.cancel({ type: 'retailer', id: order.retailerId }, clock.now(), 'ordered elsewhere');
  assert.is(order.status, 'CANCELLED');
  assert.is(order.routingAttempts[0]?.outcome, 'WITHDRAWN');
  assert.is(order.pendingOffer(), undefined);
});

test('totals are the exact sum of half-up line totals', () => {
  const { order } = setup();
  assert.equal(order.total, Money.sum(order.lines.map((l) => l.lineTotal)));
  assert.is(order.total.amount, 2 * 2_000 + 2 * 2_100);
});

test.run();

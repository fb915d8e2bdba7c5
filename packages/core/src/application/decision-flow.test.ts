import { expectFailure, expectOk } from '../testing/outcomes.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_ROUTING_ATTEMPTS } from '../order/routing-attempt.js';
import { MS_PER_DAY, MS_PER_MINUTE } from '../shared/clock.js';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { ErrorCodes } from '../shared/errors.js';
import { geoPoint } from '../shared/geo.js';
import type { OrderId, RetailerId, VendorId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { createTestWorld, type TestWorld } from '../testing/test-world.js';

const OPERATOR = { type: 'operator', id: 'op-7' } as const;

async function market(world: TestWorld, vendorCount: number, limit = Money.parse('500000')) {
  const retailer = await world.given.retailer({
    creditLimit: limit,
    netTermsDays: 15,
    location: geoPoint(27.7, 85.32),
  });
  const product = await world.given.product({
    sku: 'CHINI-1KG',
    name: 'Sugar 1 kg',
    baseUnit: 'packet',
    conversions: [{ unit: 'bag', toBase: 50 }],
  });
  const vendors = [];
  for (let i = 0; i < vendorCount; i++) {
    const v = await world.given.vendor({ location: geoPoint(27.7 + i * 0.01, 85.32) });
    // Vendor 0 is the cheapest, then each a little dearer: routing should go in that order.
    await world.given.offer({
      vendorId: v.id,
      productId: product.id,
      unitPrice: Money.of(11_000 + i * 100),
      stockOnHand: 5_000,
    });
    vendors.push(v);
  }
  return { retailer, product, vendors };
}

async function place(world: TestWorld, retailerId: RetailerId, productId: string, quantity: number) {
  const r = await world.useCases.placeOrder.execute({
    retailerId,
    lines: [{ productId: productId as never, quantity }],
    source: 'whatsapp',
    actor: { type: 'retailer', id: retailerId },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

async function deliverNow(world: TestWorld, orderId: OrderId): Promise<void> {
  const routed = expectOk(await world.useCases.routeOrder.execute({ orderId: orderId, actor: SYSTEM_ACTOR }));
  assert.is(routed.outcome, 'OFFERED');
  if (routed.outcome !== 'OFFERED') return;
  expectOk(
    await world.useCases.acceptVendorOffer.execute({
      orderId: orderId,
      vendorId: routed.vendorId,
      actor: { type: 'vendor', id: routed.vendorId },
    }),
  );
  expectOk(
    await world.useCases.dispatchOrder.execute({ orderId: orderId, actor: { type: 'vendor', id: routed.vendorId } }),
  );
  expectOk(
    await world.useCases.deliverOrder.execute({
      orderId: orderId,
      actor: { type: 'vendor', id: routed.vendorId },
      code: await world.deliveryCode(orderId),
    }),
  );
}

test('an overdue retailer is blocked by the overdue rule, with every verdict recorded', async () => {
  const world = createTestWorld({ risk: 'rules' });
  const { retailer, product } = await market(world, 2);
  world.clock.advance(30 * MS_PER_DAY); // past the new-account window
  const first = await place(world, retailer.id, product.id, 10);
  assert.is(first.status, 'ROUTING');
  await deliverNow(world, first.order.id);
  world.clock.advance((15 + 31) * MS_PER_DAY); // 31 days past due
  const second = await place(world, retailer.id, product.id, 1);
  assert.is(second.status, 'REJECTED');
  assert.is(second.risk?.verdict, 'BLOCK');
  assert.match(second.reasons.join(' '), /overdue|past due/i);
  const events = await world.repos.riskEvents.listByOrder(second.order.id);
  assert.ok(events.length >= 7, 'one event per rule');
  assert.ok(events.every((e) => e.assessmentVerdict === 'BLOCK'));
  assert.ok(events.some((e) => e.triggered && e.ruleType === 'OVERDUE' && e.outcome === 'BLOCK'));
});

test('a large first order of a new account is put on hold, then approved into routing', async () => {
  const world = createTestWorld({ risk: 'rules' });
  const { retailer, product, vendors } = await market(world, 1);
  // 3 bags = 150 packets × NPR 110 = NPR 16,500 … make it NPR 33,000 (6 bags): over the new-account NPR 25,000.
  const placed = await place(world, retailer.id, product.id, 300);
  assert.is(placed.status, 'ON_HOLD');
  assert.ok(placed.reasons.length > 0);
  const approved = expectOk(
    await world.useCases.reviewHeldOrder.execute({
      orderId: placed.order.id,
      decision: 'APPROVE',
      actor: OPERATOR,
      reason: 'called the shop',
    }),
  );
  assert.is(approved.status, 'ROUTING');
  const routed = expectOk(await world.useCases.routeOrder.execute({ orderId: placed.order.id, actor: SYSTEM_ACTOR }));
  assert.ok(routed.outcome === 'OFFERED' && routed.vendorId === vendors[0]?.id);
});

test('routed, re-routed after a rejection, re-routed after an expired offer; every decision stored', async () => {
  const world = createTestWorld({ risk: 'rules' });
  const { retailer, product, vendors } = await market(world, 3);
  const placed = await place(world, retailer.id, product.id, 10);
  const id = placed.order.id;
  const first = expectOk(await world.useCases.routeOrder.execute({ orderId: id, actor: SYSTEM_ACTOR }));
  assert.ok(first.outcome === 'OFFERED' && first.vendorId === vendors[0]?.id, 'cheapest first');
  expectOk(
    await world.useCases.rejectVendorOffer.execute({
      orderId: id,
      vendorId: vendors[0]?.id as VendorId,
      reason: 'no delivery van today',
      actor: { type: 'vendor', id: vendors[0]?.id as VendorId },
    }),
  );
  const second = expectOk(await world.useCases.routeOrder.execute({ orderId: id, actor: SYSTEM_ACTOR }));
  assert.ok(second.outcome === 'OFFERED' && second.vendorId === vendors[1]?.id, 'next best after a rejection');
  world.clock.advance(16 * MS_PER_MINUTE);
  assert.equal(expectOk(await world.useCases.expireOverdueOffers.execute({ actor: SYSTEM_ACTOR })), [id]);
  const third = expectOk(await world.useCases.routeOrder.execute({ orderId: id, actor: SYSTEM_ACTOR }));
  assert.ok(third.outcome === 'OFFERED' && third.vendorId === vendors[2]?.id, 'next best after expiry');
  const again = expectOk(await world.useCases.routeOrder.execute({ orderId: id, actor: SYSTEM_ACTOR }));
  assert.is(again.outcome, 'SKIPPED', 'a redelivered routing job does nothing while an offer waits');
  const decisions = await world.repos.routingDecisions.listByOrder(id);
  assert.equal(
    decisions.map((d) => [d.attempt, d.decision.selectedVendorId]),
    [
      [1, vendors[0]?.id],
      [2, vendors[1]?.id],
      [3, vendors[2]?.id],
    ],
  );
  assert.ok(decisions[1]?.decision.excluded.some((e) => e.vendorId === vendors[0]?.id && e.reason === 'ALREADY_TRIED'));
  assert.is(decisions[0]?.decision.candidates.length, 3, 'every candidate scored');
  const order = expectOk(await world.useCases.getOrder.execute({ orderId: id }));
  assert.is(order.status, 'ROUTING');
  expectOk(
    await world.useCases.acceptVendorOffer.execute({
      orderId: id,
      vendorId: vendors[2]?.id as VendorId,
      actor: { type: 'vendor', id: vendors[2]?.id as VendorId },
    }),
  );
  assert.is(expectOk(await world.useCases.getOrder.execute({ orderId: id })).status, 'CONFIRMED');
});

test(`after ${MAX_ROUTING_ATTEMPTS} vendors decline, the order is flagged for manual assignment and an alert raised`, async () => {
  const world = createTestWorld({ risk: 'rules' });
  const { retailer, product, vendors } = await market(world, 7);
  const placed = await place(world, retailer.id, product.id, 5);
  const id = placed.order.id;
  for (let i = 0; i < MAX_ROUTING_ATTEMPTS; i++) {
    const routed = expectOk(await world.useCases.routeOrder.execute({ orderId: id, actor: SYSTEM_ACTOR }));
    assert.is(routed.outcome, 'OFFERED');
    if (routed.outcome === 'OFFERED')
      expectOk(
        await world.useCases.rejectVendorOffer.execute({
          orderId: id,
          vendorId: routed.vendorId,
          reason: 'busy',
          actor: { type: 'vendor', id: routed.vendorId },
        }),
      );
  }
  const order = expectOk(await world.useCases.getOrder.execute({ orderId: id }));
  assert.is(order.status, 'ROUTING', 'never FAILED');
  assert.ok(order.needsManualAssignment);
  const last = expectOk(await world.useCases.routeOrder.execute({ orderId: id, actor: SYSTEM_ACTOR }));
  assert.is(last.outcome, 'NEEDS_MANUAL_ASSIGNMENT');
  const claimed = await world.persistence.outbox.claim({ limit: 200, leaseMs: 1000, now: world.clock.now() });
  assert.is(claimed.filter((m) => m.event.type === 'order.needs_manual_assignment').length, 1, 'one alert');
  const flagged = expectOk(
    await world.useCases.listOrders.execute({ filter: { needsManualAssignment: true }, page: { limit: 10 } }),
  );
  assert.equal(
    flagged.items.map((o) => o.id),
    [id],
  );
  // An operator assigns the sixth vendor by hand; it accepts.
  expectOk(
    await world.useCases.offerOrderToVendor.execute({
      orderId: id,
      vendorId: vendors[6]?.id as VendorId,
      manual: true,
      actor: OPERATOR,
    }),
  );
  expectOk(
    await world.useCases.acceptVendorOffer.execute({
      orderId: id,
      vendorId: vendors[6]?.id as VendorId,
      actor: { type: 'vendor', id: vendors[6]?.id as VendorId },
    }),
  );
  assert.is(expectOk(await world.useCases.getOrder.execute({ orderId: id })).status, 'CONFIRMED');
});

test('no vendor serves the area: routing flags the order at once and explains why', async () => {
  const world = createTestWorld({ risk: 'rules' });
  const { retailer, product, vendors } = await market(world, 1);
  const placed = await place(world, retailer.id, product.id, 5);
  await world.given.vendor({ serviceAreas: ['pokhara'] });
  expectOk(
    await world.useCases.offerOrderToVendor.execute({
      orderId: placed.order.id,
      vendorId: vendors[0]?.id as VendorId,
      actor: SYSTEM_ACTOR,
    }),
  );
  expectOk(
    await world.useCases.rejectVendorOffer.execute({
      orderId: placed.order.id,
      vendorId: vendors[0]?.id as VendorId,
      reason: 'closed',
      actor: { type: 'vendor', id: vendors[0]?.id as VendorId },
    }),
  );
  const routed = expectOk(await world.useCases.routeOrder.execute({ orderId: placed.order.id, actor: SYSTEM_ACTOR }));
  assert.is(routed.outcome, 'NEEDS_MANUAL_ASSIGNMENT');
  if (routed.outcome === 'NEEDS_MANUAL_ASSIGNMENT') {
    assert.is(routed.decision?.selectedVendorId, null);
    assert.ok(routed.decision?.excluded.some((e) => e.reason === 'ALREADY_TRIED'));
  }
});

test('scores are recalculated with their explanation; limits follow the recommendation', async () => {
  const world = createTestWorld({ risk: 'rules' });
  const { retailer, product } = await market(world, 1, Money.parse('50000'));
  const fresh = expectOk(
    await world.useCases.recalculateCreditScore.execute({
      retailerId: retailer.id,
      trigger: 'ONBOARDING',
      actor: SYSTEM_ACTOR,
    }),
  );
  assert.ok(fresh.score >= 300 && fresh.score <= 900);
  assert.ok(fresh.result.factors.length > 0 && fresh.result.evidence.thinFile, 'thin file explained');
  // Build a good history: 6 orders delivered and paid on time.
  for (let i = 0; i < 6; i++) {
    world.clock.advance(7 * MS_PER_DAY);
    const p = await place(world, retailer.id, product.id, 20);
    await deliverNow(world, p.order.id);
    world.clock.advance(5 * MS_PER_DAY);
    expectOk(
      await world.useCases.recordPayment.execute({
        retailerId: retailer.id,
        amount: p.order.total,
        reference: `PAY-${i}`,
        actor: OPERATOR,
      }),
    );
  }
  const good = expectOk(
    await world.useCases.recalculateCreditScore.execute({
      retailerId: retailer.id,
      trigger: 'PAYMENT',
      actor: SYSTEM_ACTOR,
    }),
  );
  assert.ok(good.score > fresh.score, `paying on time raises the score (${fresh.score} → ${good.score})`);
  // Now a delivered order goes 70 days unpaid.
  const late = await place(world, retailer.id, product.id, 20);
  await deliverNow(world, late.order.id);
  world.clock.advance(85 * MS_PER_DAY);
  const bad = expectOk(
    await world.useCases.recalculateCreditScore.execute({
      retailerId: retailer.id,
      trigger: 'NIGHTLY',
      actor: SYSTEM_ACTOR,
    }),
  );
  assert.ok(bad.score < good.score, `an overdue invoice lowers the score (${good.score} → ${bad.score})`);
  assert.is(bad.recommendedLimit.amount, 0, 'a 60+ day overdue invoice freezes credit');
  const account = await world.repos.credit.get(retailer.id);
  assert.is(account?.creditLimit.amount, 0, 'the limit follows the recommendation');
  const history = await world.repos.creditScores.history(retailer.id);
  assert.equal(
    history.map((h) => h.trigger),
    ['NIGHTLY', 'PAYMENT', 'ONBOARDING'],
  );
  // An operator's own limit survives the nightly rescore until handed back to scoring.
  expectOk(
    await world.useCases.setCreditLimit.execute({
      retailerId: retailer.id,
      limit: Money.parse('5000'),
      reason: 'agreed a small line while the invoice is chased',
      actor: OPERATOR,
    }),
  );
  expectOk(
    await world.useCases.recalculateCreditScore.execute({
      retailerId: retailer.id,
      trigger: 'NIGHTLY',
      actor: SYSTEM_ACTOR,
    }),
  );
  assert.is((await world.repos.credit.get(retailer.id))?.creditLimit.amount, 500_000, 'manual limit kept');
  expectOk(
    await world.useCases.setCreditLimit.execute({
      retailerId: retailer.id,
      limit: 'scoring',
      reason: 'back to scoring',
      actor: OPERATOR,
    }),
  );
  expectOk(
    await world.useCases.recalculateCreditScore.execute({
      retailerId: retailer.id,
      trigger: 'NIGHTLY',
      actor: SYSTEM_ACTOR,
    }),
  );
  assert.is((await world.repos.credit.get(retailer.id))?.creditLimit.amount, 0, 'scoring moves it again');
});

test('risk rules are data: an operator disables one and it stops firing', async () => {
  const world = createTestWorld({ risk: 'rules' });
  const { retailer, product } = await market(world, 1);
  const { rules, source } = expectOk(await world.useCases.listRiskRules.execute());
  assert.is(source, 'defaults');
  const newAccount = rules.find((r) => r.type === 'NEW_ACCOUNT');
  assert.ok(newAccount);
  expectOk(await world.useCases.manageRiskRules.execute({ rule: { ...newAccount, enabled: false }, actor: OPERATOR }));
  const after = expectOk(await world.useCases.listRiskRules.execute());
  assert.is(after.source, 'stored');
  assert.is(after.rules.length, rules.length, 'the rest of the defaults were kept');
  const placed = await place(world, retailer.id, product.id, 300);
  assert.is(placed.status, 'ROUTING', 'the disabled rule no longer holds the order');
  let error: unknown;
  try {
    expectOk(
      await world.useCases.manageRiskRules.execute({
        rule: { id: 'bad', type: 'MAX_ORDER_VALUE', action: 'PANIC' },
        actor: OPERATOR,
      }),
    );
  } catch (e) {
    error = e;
  }
  assert.match(String(error), /invalid risk rule/);
});

test('ratings: only the retailer of a delivered order, once', async () => {
  const world = createTestWorld();
  const { retailer, product } = await market(world, 1);
  const p = await place(world, retailer.id, product.id, 2);
  const rate = { orderId: p.order.id, retailerId: retailer.id, rating: 5 };
  const early = await world.useCases.rateVendor.execute({ ...rate, actor: { type: 'retailer', id: retailer.id } });
  assert.match(expectFailure(early, ErrorCodes.ORDER_NOT_DELIVERED).message, /delivered/);
  await deliverNow(world, p.order.id);
  const rating = expectOk(
    await world.useCases.rateVendor.execute({
      orderId: p.order.id,
      retailerId: retailer.id,
      rating: 4,
      comment: 'on time',
      actor: { type: 'retailer', id: retailer.id },
    }),
  );
  assert.is(rating.rating, 4);
  const byVendor = await world.useCases.rateVendor.execute({
    ...rate,
    actor: { type: 'vendor', id: p.order.vendorId },
  });
  expectFailure(byVendor, ErrorCodes.FORBIDDEN);
  const twice = await world.useCases.rateVendor.execute({ ...rate, actor: { type: 'retailer', id: retailer.id } });
  assert.match(expectFailure(twice, ErrorCodes.DUPLICATE).message, /already rated/);
});

test.run();

import { expectFailure, expectOk } from '../testing/outcomes.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CreditAccount } from '../credit/credit-account.js';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { ErrorCodes } from '../shared/errors.js';
import { EventTypes } from '../events/event-catalog.js';
import type { OrderId, RetailerId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { createTestWorld, type TestWorld } from '../testing/test-world.js';
import type { OrderRiskPolicy } from './order-risk-policy.js';
import type { LineProblem } from './order-pricing.js';

const OPERATOR = { type: 'operator', id: 'op-1' } as const;

async function market(world: TestWorld, limit = Money.of(5_000_000)) {
  const retailer = await world.given.retailer({ creditLimit: limit, netTermsDays: 15 });
  const vendor = await world.given.vendor();
  const cheaper = await world.given.vendor();
  const noodles = await world.given.product();
  const rice = await world.given.product({
    sku: 'RICE-SONA-25',
    name: 'Sona Mansuli Rice',
    category: 'rice',
    baseUnit: 'kg',
    conversions: [{ unit: 'bag', toBase: 25 }],
  });
  await world.given.offer({ vendorId: vendor.id, productId: noodles.id, unitPrice: Money.of(2_000) });
  await world.given.offer({ vendorId: cheaper.id, productId: noodles.id, unitPrice: Money.of(1_950), stockOnHand: 40 });
  await world.given.offer({ vendorId: vendor.id, productId: rice.id, unit: 'kg', unitPrice: Money.of(9_050) });
  return { retailer, vendor, cheaper, noodles, rice };
}

async function place(
  world: TestWorld,
  retailerId: RetailerId,
  lines: Parameters<TestWorld['useCases']['placeOrder']['execute']>[0]['lines'],
) {
  const result = await world.useCases.placeOrder.execute({
    retailerId,
    lines,
    source: 'whatsapp',
    actor: { type: 'retailer', id: retailerId },
  });
  if (!result.ok) throw new Error(`place failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

test('happy path: place → offer → accept (hold) → dispatch → deliver (invoice) → pay (complete)', async () => {
  const world = createTestWorld();
  const { retailer, vendor, noodles } = await market(world);
  const placed = await place(world, retailer.id, [
    { productId: noodles.id, quantity: 2, unit: 'carton' },
    { sku: 'rice-sona-25', quantity: 1, unit: 'bag' },
  ]);
  assert.is(placed.status, 'ROUTING');
  // 2 cartons = 60 packets: only the first vendor has the stock (the cheaper one has 40) → 60 × 20.00 per packet.
  assert.is(placed.order.lines[0]?.unitPrice.amount, 60_000, 'carton price = 30 × packet price');
  assert.is(placed.order.lines[0]?.lineTotal.amount, 120_000);
  assert.is(placed.order.lines[1]?.lineTotal.amount, 226_250, '25 kg × 90.50');
  assert.is(placed.order.total.amount, 346_250);
  assert.match(placed.order.number, /^KH-\d{6}$/);

  const id = placed.order.id;
  expectOk(await world.useCases.offerOrderToVendor.execute({ orderId: id, vendorId: vendor.id, actor: SYSTEM_ACTOR }));
  world.clock.advance(5 * 60_000);
  const confirmed = expectOk(
    await world.useCases.acceptVendorOffer.execute({
      orderId: id,
      vendorId: vendor.id,
      actor: { type: 'vendor', id: vendor.id },
    }),
  );
  assert.is(confirmed.status, 'CONFIRMED');
  let account = (await world.repos.credit.get(retailer.id)) as CreditAccount;
  assert.is(account.held().amount, 346_250);

  expectOk(await world.useCases.dispatchOrder.execute({ orderId: id, actor: { type: 'vendor', id: vendor.id } }));
  world.clock.advance(86_400_000);
  const delivered = expectOk(
    await world.useCases.deliverOrder.execute({
      orderId: id,
      actor: { type: 'vendor', id: vendor.id },
      code: await world.deliveryCode(id),
    }),
  );
  assert.is(delivered.status, 'DELIVERED');
  account = (await world.repos.credit.get(retailer.id)) as CreditAccount;
  assert.is(account.held().amount, 0);
  assert.is(account.outstanding().amount, 346_250);

  const part = expectOk(
    await world.useCases.recordPayment.execute({
      retailerId: retailer.id,
      amount: Money.of(100_000),
      reference: 'ESEWA-1',
      actor: OPERATOR,
    }),
  );
  assert.is(part.completedOrders.length, 0);
  const rest = expectOk(
    await world.useCases.recordPayment.execute({
      retailerId: retailer.id,
      amount: Money.of(246_250),
      reference: 'ESEWA-2',
      actor: OPERATOR,
    }),
  );
  assert.equal(
    rest.completedOrders.map((o) => o.status),
    ['COMPLETED'],
  );
  const final = expectOk(await world.useCases.getOrder.execute({ orderId: id }));
  assert.equal(
    final.statusLog.map((l) => l.to),
    ['PENDING', 'ROUTING', 'CONFIRMED', 'DISPATCHED', 'DELIVERED', 'COMPLETED'],
  );
  // Every state change reached the outbox.
  const stats = await world.persistence.outbox.stats(world.clock.now());
  assert.ok(stats.pending > 10);
  assert.ok(world.logger.records.some((r) => r.message === 'order delivered and invoiced'));
});

test('the same payment reference is recorded once', async () => {
  const world = createTestWorld();
  const { retailer } = await market(world);
  const cmd = { retailerId: retailer.id, amount: Money.of(5_000), reference: 'BANK-77', actor: OPERATOR };
  const a = expectOk(await world.useCases.recordPayment.execute(cmd));
  const b = expectOk(await world.useCases.recordPayment.execute(cmd));
  assert.is(a.duplicate, false);
  assert.is(b.duplicate, true);
  assert.is(b.entry.id, a.entry.id);
  assert.is((await world.repos.credit.listEntries(retailer.id, {})).length, 1);
});

test('a payment reference reused for another amount is a conflict, not a silent duplicate', async () => {
  const world = createTestWorld();
  const { retailer } = await market(world);
  expectOk(
    await world.useCases.recordPayment.execute({
      retailerId: retailer.id,
      amount: Money.of(5_000),
      reference: 'BANK-78',
      actor: OPERATOR,
    }),
  );
  const conflict = expectFailure(
    await world.useCases.recordPayment.execute({
      retailerId: retailer.id,
      amount: Money.of(6_000),
      reference: ' BANK-78',
      actor: OPERATOR,
    }),
    ErrorCodes.IDEMPOTENCY_KEY_REUSED,
  );
  assert.is(conflict.details.recorded, 5_000);
  assert.is((await world.repos.credit.listEntries(retailer.id, {})).length, 1);
});

async function confirmedOrder(world: TestWorld) {
  const m = await market(world);
  const placed = await place(world, m.retailer.id, [{ productId: m.noodles.id, quantity: 10, unit: 'packet' }]);
  const id = placed.order.id;
  expectOk(
    await world.useCases.offerOrderToVendor.execute({ orderId: id, vendorId: m.cheaper.id, actor: SYSTEM_ACTOR }),
  );
  expectOk(
    await world.useCases.acceptVendorOffer.execute({
      orderId: id,
      vendorId: m.cheaper.id,
      actor: { type: 'vendor', id: m.cheaper.id },
    }),
  );
  return { ...m, id, total: placed.order.total, vendorActor: { type: 'vendor', id: m.cheaper.id } as const };
}

test('prepaid credit covering the invoice completes the order at delivery', async () => {
  const world = createTestWorld();
  const { retailer, id, total, vendorActor } = await confirmedOrder(world);
  expectOk(
    await world.useCases.recordPayment.execute({
      retailerId: retailer.id,
      amount: total.add(Money.of(1_000)),
      reference: 'ADV-1',
      actor: OPERATOR,
    }),
  );
  expectOk(await world.useCases.dispatchOrder.execute({ orderId: id, actor: vendorActor }));
  const done = expectOk(
    await world.useCases.deliverOrder.execute({ orderId: id, actor: vendorActor, code: await world.deliveryCode(id) }),
  );
  assert.is(done.status, 'COMPLETED');
  assert.equal(done.statusLog.map((l) => l.to).slice(-2), ['DELIVERED', 'COMPLETED']);
  const account = (await world.repos.credit.get(retailer.id)) as CreditAccount;
  assert.is(account.outstanding().amount, -1_000, 'the rest stays as credit');
  assert.is(account.openItems().length, 0);
});

test('a credit note that settles a delivered invoice completes the order; notes are idempotent and staff-only', async () => {
  const world = createTestWorld();
  const { retailer, id, total, vendorActor } = await confirmedOrder(world);
  expectOk(await world.useCases.dispatchOrder.execute({ orderId: id, actor: vendorActor }));
  expectOk(
    await world.useCases.deliverOrder.execute({ orderId: id, actor: vendorActor, code: await world.deliveryCode(id) }),
  );
  const cmd = {
    retailerId: retailer.id,
    amount: total.negate(),
    note: 'goods returned',
    reference: 'CN-1',
    actor: OPERATOR,
  };
  const note = expectOk(await world.useCases.adjustCredit.execute(cmd));
  assert.equal(
    note.completedOrders.map((o) => [o.id, o.status]),
    [[id, 'COMPLETED']],
  );
  const again = expectOk(await world.useCases.adjustCredit.execute(cmd));
  assert.ok(again.duplicate);
  assert.is(again.entry.id, note.entry.id);
  expectFailure(
    await world.useCases.adjustCredit.execute({
      ...cmd,
      reference: 'CN-2',
      actor: { type: 'retailer', id: retailer.id },
    }),
    ErrorCodes.FORBIDDEN,
  );
  const debit = expectOk(
    await world.useCases.adjustCredit.execute({
      ...cmd,
      amount: Money.of(500),
      note: 'late fee',
      reference: 'DN-1',
    }),
  );
  assert.is(debit.completedOrders.length, 0);
  assert.is(((await world.repos.credit.get(retailer.id)) as CreditAccount).outstanding().amount, 500);
});

test('repeated accept, dispatch and deliver are no-ops; a retailer cannot dispatch or deliver', async () => {
  const world = createTestWorld();
  const { retailer, cheaper, id, vendorActor } = await confirmedOrder(world);
  const retailerActor = { type: 'retailer', id: retailer.id } as const;
  const again = expectOk(
    await world.useCases.acceptVendorOffer.execute({
      orderId: id,
      vendorId: cheaper.id,
      actor: { type: 'vendor', id: cheaper.id },
    }),
  );
  assert.is(again.status, 'CONFIRMED');
  for (const action of [world.useCases.dispatchOrder, world.useCases.deliverOrder]) {
    const refused = expectFailure(await action.execute({ orderId: id, actor: retailerActor }), ErrorCodes.FORBIDDEN);
    assert.is(refused.kind, 'forbidden');
  }
  expectOk(await world.useCases.dispatchOrder.execute({ orderId: id, actor: vendorActor }));
  assert.is(
    expectOk(await world.useCases.dispatchOrder.execute({ orderId: id, actor: vendorActor })).status,
    'DISPATCHED',
  );
  expectOk(
    await world.useCases.deliverOrder.execute({ orderId: id, actor: vendorActor, code: await world.deliveryCode(id) }),
  );
  assert.is(
    expectOk(await world.useCases.deliverOrder.execute({ orderId: id, actor: vendorActor })).status,
    'DELIVERED',
  );
  assert.is(
    expectOk(await world.useCases.dispatchOrder.execute({ orderId: id, actor: vendorActor })).status,
    'DELIVERED',
  );
  const order = expectOk(await world.useCases.getOrder.execute({ orderId: id }));
  assert.equal(
    order.statusLog.map((l) => l.to),
    ['PENDING', 'ROUTING', 'CONFIRMED', 'DISPATCHED', 'DELIVERED'],
  );
  const entries = await world.repos.credit.listEntries(retailer.id, {});
  assert.equal(
    entries.map((e) => e.type),
    ['HOLD', 'RELEASE', 'INVOICE'],
    'one hold, one invoice',
  );
});

test('lines are refused with reasons: unknown product, out of stock, minimum order, unit, area', async () => {
  const world = createTestWorld();
  const { retailer, vendor, noodles, rice } = await market(world);
  const oil = await world.given.product({ sku: 'OIL-1L', name: 'Mustard Oil 1L', baseUnit: 'bottle', conversions: [] });
  await world.given.offer({ vendorId: vendor.id, productId: oil.id, unit: 'bottle', minOrderQty: 12 });
  const far = await world.given.vendor({ serviceAreas: ['pokhara'] });
  const ghee = await world.given.product({ sku: 'GHEE-1L', name: 'Ghee', baseUnit: 'litre', conversions: [] });
  await world.given.offer({ vendorId: far.id, productId: ghee.id, unit: 'litre' });
  const result = await world.useCases.placeOrder.execute({
    retailerId: retailer.id,
    lines: [
      { sku: 'NOPE', quantity: 1 },
      { productId: noodles.id, quantity: 500, unit: 'carton' },
      { productId: oil.id, quantity: 2 },
      { productId: rice.id, quantity: 1, unit: 'bottle' },
      { productId: ghee.id, quantity: 1 },
    ],
    source: 'api',
    actor: SYSTEM_ACTOR,
  });
  const failure = expectFailure(result, ErrorCodes.ORDER_INVALID_LINES);
  assert.equal(
    (failure.details.problems as LineProblem[]).map((p) => p.code),
    ['UNKNOWN_PRODUCT', 'OUT_OF_STOCK', 'BELOW_MINIMUM_ORDER', 'UNIT_NOT_SUPPORTED', 'NOT_AVAILABLE_IN_AREA'],
  );
  assert.is(
    expectOk(await world.useCases.listOrders.execute({ filter: {}, page: { limit: 10 } })).items.length,
    0,
    'nothing stored',
  );
});

test('an inactive or unknown retailer cannot order', async () => {
  const world = createTestWorld();
  const { noodles } = await market(world);
  const pending = await world.given.retailer({ status: 'PENDING_KYC' });
  const r1 = await world.useCases.placeOrder.execute({
    retailerId: pending.id,
    lines: [{ productId: noodles.id, quantity: 1 }],
    source: 'api',
    actor: SYSTEM_ACTOR,
  });
  assert.is(expectFailure(r1, ErrorCodes.PARTY_INACTIVE).details.status, 'PENDING_KYC');
  const r2 = await world.useCases.placeOrder.execute({
    retailerId: world.ids.next() as RetailerId,
    lines: [{ productId: noodles.id, quantity: 1 }],
    source: 'api',
    actor: SYSTEM_ACTOR,
  });
  expectFailure(r2, ErrorCodes.NOT_FOUND);
});

test('over the limit: the order is held (CREDIT_LIMIT), not rejected, with the reason', async () => {
  const world = createTestWorld();
  const { retailer, noodles } = await market(world, Money.of(100_000));
  const placed = await place(world, retailer.id, [{ productId: noodles.id, quantity: 2, unit: 'carton' }]);
  assert.is(placed.status, 'ON_HOLD');
  assert.is(placed.holdReason, 'CREDIT_LIMIT');
  assert.match(placed.reasons[0] ?? '', /credit limit exceeded/);
  assert.is(placed.creditExceeded?.available.amount, 100_000);
  const stored = expectOk(await world.useCases.getOrder.execute({ orderId: placed.order.id }));
  assert.is(stored.status, 'ON_HOLD');
  assert.is(stored.holdReason, 'CREDIT_LIMIT');
  assert.is(
    (await world.repos.orders.pendingExposure(retailer.id, 'NPR')).amount,
    0,
    'a credit hold reserves nothing: it would otherwise hold every later order too',
  );
  const claimed = await world.persistence.outbox.claim({ limit: 100, leaseMs: 1000, now: world.clock.now() });
  const held = claimed
    .map((m) => m.event)
    .find((e) => e.type === EventTypes.ORDER_STATUS_CHANGED && e.aggregateId === placed.order.id);
  assert.is(held?.type === EventTypes.ORDER_STATUS_CHANGED ? held.payload.holdReason : null, 'CREDIT_LIMIT', 'told');
});

test('pending orders count against the limit before any hold exists', async () => {
  const world = createTestWorld();
  const { retailer, noodles } = await market(world, Money.of(150_000));
  const first = await place(world, retailer.id, [{ productId: noodles.id, quantity: 60 }]);
  const second = await place(world, retailer.id, [{ productId: noodles.id, quantity: 60 }]);
  assert.is(first.status, 'ROUTING');
  assert.is(second.status, 'ON_HOLD', '120,000 committed, 30,000 left');
  assert.is(second.holdReason, 'CREDIT_LIMIT');
  const third = await place(world, retailer.id, [{ productId: noodles.id, quantity: 10 }]);
  assert.is(third.status, 'ROUTING', 'the held order reserves nothing: 20,000 of 30,000 still fits');
});

test('a credit hold goes to an operator: approve routes it (an explicit override), reject closes it', async () => {
  const world = createTestWorld();
  const { retailer, noodles } = await market(world, Money.of(100_000));
  const a = await place(world, retailer.id, [{ productId: noodles.id, quantity: 60 }]);
  const b = await place(world, retailer.id, [{ productId: noodles.id, quantity: 70 }]);
  assert.equal([a.holdReason, b.holdReason], ['CREDIT_LIMIT', 'CREDIT_LIMIT']);
  // Still over the available credit: an approval without a reason is refused and changes nothing.
  const bare = await world.useCases.reviewHeldOrder.execute({
    orderId: a.order.id,
    decision: 'APPROVE',
    actor: OPERATOR,
  });
  assert.is(bare.ok ? 'approved' : bare.error.code, 'CREDIT.LIMIT_EXCEEDED');
  assert.is((await world.repos.orders.get(a.order.id))?.status, 'ON_HOLD');
  const approved = expectOk(
    await world.useCases.reviewHeldOrder.execute({
      orderId: a.order.id,
      decision: 'APPROVE',
      reason: 'regular shop, pays on delivery',
      actor: OPERATOR,
    }),
  );
  assert.is(approved.status, 'ROUTING');
  assert.is(approved.holdReason, null);
  assert.is((await world.repos.orders.pendingExposure(retailer.id, 'NPR')).amount, 120_000, 'now it counts');
  const rejected = expectOk(
    await world.useCases.reviewHeldOrder.execute({
      orderId: b.order.id,
      decision: 'REJECT',
      reason: 'over the limit',
      actor: OPERATOR,
    }),
  );
  assert.is(rejected.status, 'REJECTED');
});

test('risk REVIEW holds the order; approve routes it, reject closes it', async () => {
  const reviewAll: OrderRiskPolicy = {
    async assess() {
      return { verdict: 'REVIEW', reasons: ['first order of a new account'], details: {} };
    },
  };
  const world = createTestWorld({ risk: reviewAll });
  const { retailer, noodles } = await market(world);
  const a = await place(world, retailer.id, [{ productId: noodles.id, quantity: 5 }]);
  const b = await place(world, retailer.id, [{ productId: noodles.id, quantity: 5 }]);
  assert.is(a.status, 'ON_HOLD');
  assert.equal(a.reasons, ['first order of a new account']);
  assert.is(
    expectOk(
      await world.useCases.reviewHeldOrder.execute({ orderId: a.order.id, decision: 'APPROVE', actor: OPERATOR }),
    ).status,
    'ROUTING',
  );
  assert.is(
    expectOk(
      await world.useCases.reviewHeldOrder.execute({
        orderId: b.order.id,
        decision: 'REJECT',
        reason: 'duplicate',
        actor: OPERATOR,
      }),
    ).status,
    'REJECTED',
  );
  const held = expectOk(
    await world.useCases.listOrders.execute({ filter: { statuses: ['ON_HOLD'] }, page: { limit: 5 } }),
  );
  assert.is(held.items.length, 0);
});

test('risk BLOCK rejects at once', async () => {
  const world = createTestWorld({
    risk: { assess: async () => ({ verdict: 'BLOCK', reasons: ['90 days overdue'], details: {} }) },
  });
  const { retailer, noodles } = await market(world);
  const placed = await place(world, retailer.id, [{ productId: noodles.id, quantity: 1 }]);
  assert.is(placed.status, 'REJECTED');
  assert.is(placed.order.statusLog.at(-1)?.reason, '90 days overdue');
});

test('cancel after confirmation releases the hold; a vendor cannot touch another vendor’s order', async () => {
  const world = createTestWorld();
  const { retailer, vendor, cheaper, noodles } = await market(world);
  const placed = await place(world, retailer.id, [{ productId: noodles.id, quantity: 10 }]);
  expectOk(
    await world.useCases.offerOrderToVendor.execute({
      orderId: placed.order.id,
      vendorId: vendor.id,
      actor: SYSTEM_ACTOR,
    }),
  );
  expectOk(
    await world.useCases.acceptVendorOffer.execute({
      orderId: placed.order.id,
      vendorId: vendor.id,
      actor: { type: 'vendor', id: vendor.id },
    }),
  );
  expectFailure(
    await world.useCases.dispatchOrder.execute({
      orderId: placed.order.id,
      actor: { type: 'vendor', id: cheaper.id },
    }),
    ErrorCodes.FORBIDDEN,
  );
  const cancelled = expectOk(
    await world.useCases.cancelOrder.execute({
      orderId: placed.order.id,
      reason: 'shop closed',
      actor: { type: 'retailer', id: retailer.id },
    }),
  );
  assert.is(cancelled.status, 'CANCELLED');
  const account = (await world.repos.credit.get(retailer.id)) as CreditAccount;
  assert.is(account.held().amount, 0);
  const types = (await world.repos.credit.listEntries(retailer.id, {})).map((e) => e.type);
  assert.equal(types, ['HOLD', 'RELEASE']);
  // Cannot cancel after dispatch — and nothing changes when refused.
  const other = await place(world, retailer.id, [{ productId: noodles.id, quantity: 1 }]);
  expectOk(
    await world.useCases.offerOrderToVendor.execute({
      orderId: other.order.id,
      vendorId: vendor.id,
      actor: SYSTEM_ACTOR,
    }),
  );
  expectOk(
    await world.useCases.acceptVendorOffer.execute({
      orderId: other.order.id,
      vendorId: vendor.id,
      actor: { type: 'vendor', id: vendor.id },
    }),
  );
  expectOk(
    await world.useCases.dispatchOrder.execute({ orderId: other.order.id, actor: { type: 'vendor', id: vendor.id } }),
  );
  expectFailure(
    await world.useCases.cancelOrder.execute({ orderId: other.order.id, reason: 'too late', actor: OPERATOR }),
    ErrorCodes.ORDER_ILLEGAL_TRANSITION,
  );
  assert.is(expectOk(await world.useCases.getOrder.execute({ orderId: other.order.id })).status, 'DISPATCHED');
});

test('reject and expiry of offers; the sweep expires only overdue offers', async () => {
  const world = createTestWorld();
  const { retailer, vendor, cheaper, noodles } = await market(world);
  const a = await place(world, retailer.id, [{ productId: noodles.id, quantity: 1 }]);
  const b = await place(world, retailer.id, [{ productId: noodles.id, quantity: 1 }]);
  expectOk(
    await world.useCases.offerOrderToVendor.execute({ orderId: a.order.id, vendorId: vendor.id, actor: SYSTEM_ACTOR }),
  );
  expectOk(
    await world.useCases.offerOrderToVendor.execute({
      orderId: b.order.id,
      vendorId: vendor.id,
      actor: SYSTEM_ACTOR,
      timeoutMs: 60 * 60_000,
    }),
  );
  const rejected = expectOk(
    await world.useCases.rejectVendorOffer.execute({
      orderId: a.order.id,
      vendorId: vendor.id,
      reason: 'out of stock',
      actor: { type: 'vendor', id: vendor.id },
    }),
  );
  assert.is(rejected.routingAttempts[0]?.outcome, 'REJECTED');
  expectOk(
    await world.useCases.offerOrderToVendor.execute({ orderId: a.order.id, vendorId: cheaper.id, actor: SYSTEM_ACTOR }),
  );
  world.clock.advance(16 * 60_000);
  assert.equal(expectOk(await world.useCases.expireOverdueOffers.execute({ actor: SYSTEM_ACTOR })), [a.order.id]);
  assert.equal(
    expectOk(await world.useCases.expireOverdueOffers.execute({ actor: SYSTEM_ACTOR })),
    [],
    'idempotent sweep',
  );
  const after = expectOk(await world.useCases.getOrder.execute({ orderId: a.order.id }));
  assert.equal(
    after.routingAttempts.map((x) => x.outcome),
    ['REJECTED', 'EXPIRED'],
  );
  assert.is(
    expectOk(await world.useCases.getOrder.execute({ orderId: b.order.id })).pendingOffer()?.vendorId,
    vendor.id,
  );
});

test('credit statement: opening and closing balances, aging, entries of the period', async () => {
  const world = createTestWorld();
  const { retailer, vendor, noodles } = await market(world);
  const start = world.clock.now();
  const placed = await place(world, retailer.id, [{ productId: noodles.id, quantity: 10 }]);
  const id: OrderId = placed.order.id;
  expectOk(await world.useCases.offerOrderToVendor.execute({ orderId: id, vendorId: vendor.id, actor: SYSTEM_ACTOR }));
  expectOk(
    await world.useCases.acceptVendorOffer.execute({
      orderId: id,
      vendorId: vendor.id,
      actor: { type: 'vendor', id: vendor.id },
    }),
  );
  expectOk(await world.useCases.dispatchOrder.execute({ orderId: id, actor: SYSTEM_ACTOR }));
  expectOk(
    await world.useCases.deliverOrder.execute({
      orderId: id,
      actor: SYSTEM_ACTOR,
      reason: 'delivery confirmed by phone',
    }),
  );
  world.clock.advance(20 * 86_400_000);
  const mid = world.clock.now();
  expectOk(
    await world.useCases.recordPayment.execute({
      retailerId: retailer.id,
      amount: Money.of(5_000),
      reference: 'R1',
      actor: OPERATOR,
    }),
  );
  world.clock.advance(1_000);
  const statement = expectOk(
    await world.useCases.getCreditStatement.execute({ retailerId: retailer.id, from: mid, to: world.clock.now() }),
  );
  // 10 packets at the cheaper vendor's NPR 19.50 (it has 40 in stock).
  assert.is(statement.openingBalance.amount, 19_500);
  assert.is(statement.closingBalance.amount, 14_500);
  assert.equal(
    statement.entries.map((e) => e.type),
    ['PAYMENT'],
  );
  assert.is(statement.daysPastDue, 5);
  assert.is(statement.aging.d1_30.amount, 14_500);
  assert.is(statement.available.amount, 5_000_000 - 14_500);
  const full = expectOk(
    await world.useCases.getCreditStatement.execute({ retailerId: retailer.id, from: start, to: world.clock.now() }),
  );
  assert.equal(
    full.entries.map((e) => e.type),
    ['HOLD', 'RELEASE', 'INVOICE', 'PAYMENT'],
  );
});

test('registration: a phone registered twice is ENTITY.DUPLICATE; products upsert by sku; offers keep price history', async () => {
  const world = createTestWorld();
  const r = await world.given.retailer();
  const twice = await world.useCases.registerRetailer.execute({
    name: 'Another Pasal',
    phone: r.phone,
    area: 'kathmandu-10',
    district: 'kathmandu',
    actor: { type: 'retailer', id: null },
  });
  assert.equal(expectFailure(twice, ErrorCodes.DUPLICATE).details, { field: 'phone' });
  const p1 = await world.given.product({ sku: 'TEA-500' });
  const again = expectOk(
    await world.useCases.upsertProduct.execute({
      sku: 'tea-500',
      name: 'Tokla Tea 500g',
      category: 'tea',
      baseUnit: 'packet',
      actor: SYSTEM_ACTOR,
    }),
  );
  assert.is(again.created, false);
  assert.is(again.product.id, p1.id);
  const v = await world.given.vendor();
  await world.given.offer({ vendorId: v.id, productId: p1.id, unitPrice: Money.of(25_000) });
  world.clock.advance(1000);
  const same = expectOk(
    await world.useCases.upsertVendorOffer.execute({
      vendorId: v.id,
      productId: p1.id,
      unit: 'packet',
      unitPrice: Money.of(25_000),
      stockOnHand: 3,
      actor: SYSTEM_ACTOR,
    }),
  );
  assert.is(same.priceChanged, false);
  const moved = expectOk(
    await world.useCases.upsertVendorOffer.execute({
      vendorId: v.id,
      productId: p1.id,
      unit: 'packet',
      unitPrice: Money.of(26_000),
      stockOnHand: 3,
      actor: SYSTEM_ACTOR,
    }),
  );
  assert.is(moved.priceChanged, true);
  const history = await world.repos.priceHistory.listForProduct(p1.id, new Date(0));
  assert.equal(
    history.map((h) => [h.previousPrice?.amount ?? null, h.price.amount]),
    [
      [null, 25_000],
      [25_000, 26_000],
    ],
  );
});

test.run();

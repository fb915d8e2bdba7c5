import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MS_PER_DAY } from '../shared/clock.js';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { ErrorCodes, ValidationError } from '../shared/errors.js';
import type { RetailerId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { expectOk } from '../testing/outcomes.js';
import { createTestWorld, type TestWorld } from '../testing/test-world.js';

async function readAll<T>(
  next: (cursor: string | null) => Promise<{ items: readonly T[]; nextCursor: string | null }>,
) {
  const all: T[] = [];
  let cursor: string | null = null;
  do {
    const page = await next(cursor);
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/** A retailer with one delivered order invoiced on net terms. */
async function invoiced(world: TestWorld, netTermsDays: number): Promise<RetailerId> {
  const retailer = await world.given.retailer({ creditLimit: Money.of(5_000_000), netTermsDays });
  const vendor = await world.given.vendor();
  const product = await world.given.product();
  await world.given.offer({ vendorId: vendor.id, productId: product.id });
  const placed = expectOk(
    await world.useCases.placeOrder.execute({
      retailerId: retailer.id,
      lines: [{ productId: product.id, quantity: 2 }],
      source: 'api',
      actor: { type: 'retailer', id: retailer.id },
    }),
  );
  const orderId = placed.order.id;
  expectOk(await world.useCases.offerOrderToVendor.execute({ orderId, vendorId: vendor.id, actor: SYSTEM_ACTOR }));
  expectOk(
    await world.useCases.acceptVendorOffer.execute({
      orderId,
      vendorId: vendor.id,
      actor: { type: 'vendor', id: vendor.id },
    }),
  );
  expectOk(await world.useCases.dispatchOrder.execute({ orderId, actor: SYSTEM_ACTOR }));
  expectOk(
    await world.useCases.deliverOrder.execute({
      orderId: orderId,
      actor: SYSTEM_ACTOR,
      reason: 'delivery confirmed by phone',
    }),
  );
  return retailer.id;
}

test('ListRetailers: every page followed to the end gives each retailer of the status once', async () => {
  const world = createTestWorld();
  const active: RetailerId[] = [];
  for (let i = 0; i < 5; i++) active.push((await world.given.retailer()).id);
  const pending = await world.given.retailer({ status: 'PENDING_KYC' });
  const suspended = await world.given.retailer();
  expectOk(
    await world.useCases.suspendRetailer.execute({
      retailerId: suspended.id,
      reason: 'test',
      actor: { type: 'operator', id: 'op-1' },
    }),
  );
  const listed = await readAll((cursor) =>
    world.useCases.listRetailers.execute({ status: 'ACTIVE', page: { limit: 2, cursor } }).then(expectOk),
  );
  assert.equal(listed.map((r) => r.id).sort(), [...active].sort());
  const everyone = await readAll((cursor) =>
    world.useCases.listRetailers.execute({ page: { limit: 3, cursor } }).then(expectOk),
  );
  assert.is(everyone.length, 7);
  assert.ok(everyone.some((r) => r.id === pending.id));
});

test('ListRetailers: an unknown status or a bad page size is refused', async () => {
  const world = createTestWorld();
  for (const query of [{ status: 'GONE', page: { limit: 10 } }, { page: { limit: 0 } }]) {
    try {
      await world.useCases.listRetailers.execute(query as never);
      assert.unreachable(JSON.stringify(query));
    } catch (error) {
      assert.ok(ValidationError.is(error));
    }
  }
});

test('ListOverdueAccounts: only accounts with an invoice past due, with days and amount, as of the clock', async () => {
  const world = createTestWorld();
  const shortTerms = await invoiced(world, 7);
  const longTerms = await invoiced(world, 30);
  await world.given.retailer(); // no invoice at all
  const list = (minDaysPastDue?: number) =>
    readAll((cursor) =>
      world.useCases.listOverdueAccounts
        .execute({ page: { limit: 2, cursor }, ...(minDaysPastDue ? { minDaysPastDue } : {}) })
        .then(expectOk),
    );
  assert.equal(await list(), [], 'nothing is due yet');
  world.clock.advance(10 * MS_PER_DAY);
  const overdue = await list();
  assert.equal(
    overdue.map((a) => a.retailerId),
    [shortTerms],
  );
  assert.is(overdue[0]?.daysPastDue, 3);
  assert.ok((overdue[0]?.overdue.amount ?? 0) > 0);
  assert.equal(overdue[0]?.overdue, overdue[0]?.outstanding);
  assert.equal(await list(5), [], 'three days is under the threshold of five');
  world.clock.advance(30 * MS_PER_DAY);
  assert.equal((await list()).map((a) => a.retailerId).sort(), [shortTerms, longTerms].sort());
  // Paying it off takes the retailer off the list.
  const owed = overdue[0]?.outstanding ?? Money.of(0);
  expectOk(
    await world.useCases.recordPayment.execute({
      retailerId: shortTerms,
      amount: owed,
      reference: 'P1',
      actor: { type: 'operator', id: 'op-1' },
    }),
  );
  assert.equal(
    (await list()).map((a) => a.retailerId),
    [longTerms],
  );
});

test('ListOverdueAccounts: minDaysPastDue out of range is refused', async () => {
  const world = createTestWorld();
  try {
    await world.useCases.listOverdueAccounts.execute({ minDaysPastDue: 0, page: { limit: 10 } });
    assert.unreachable();
  } catch (error) {
    assert.is((error as ValidationError).code, ErrorCodes.OUT_OF_RANGE);
  }
});

test.run();

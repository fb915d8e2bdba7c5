import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MS_PER_DAY } from '../shared/clock.js';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { ErrorCodes } from '../shared/errors.js';
import type { OrderId, RetailerId } from '../shared/ids.js';
import { expectFailure, expectOk } from '../testing/outcomes.js';
import { createTestWorld } from '../testing/test-world.js';

const OPERATOR = { type: 'operator', id: 'op-1' } as const;

test('routing decisions of an order: one per attempt, with the chosen vendor and the excluded ones', async () => {
  const world = createTestWorld();
  const retailer = await world.given.retailer();
  const [v1, v2] = [await world.given.vendor(), await world.given.vendor()];
  const product = await world.given.product();
  await world.given.offer({ vendorId: v1.id, productId: product.id });
  await world.given.offer({ vendorId: v2.id, productId: product.id });
  const { order } = expectOk(
    await world.useCases.placeOrder.execute({
      retailerId: retailer.id,
      lines: [{ productId: product.id, quantity: 2 }],
      source: 'api',
      actor: SYSTEM_ACTOR,
    }),
  );
  const list = world.useCases.listRoutingDecisions;
  assert.equal(expectOk(await list.execute({ orderId: order.id })), [], 'none before routing');
  const first = expectOk(await world.useCases.routeOrder.execute({ orderId: order.id, actor: SYSTEM_ACTOR }));
  if (first.outcome !== 'OFFERED') throw new Error(`routing offered the order: ${first.outcome}`);
  const offered = first.vendorId;
  expectOk(await world.useCases.rejectVendorOffer.execute({ orderId: order.id, vendorId: offered, actor: OPERATOR }));
  expectOk(await world.useCases.routeOrder.execute({ orderId: order.id, actor: SYSTEM_ACTOR }));
  const decisions = expectOk(await list.execute({ orderId: order.id }));
  assert.equal(
    decisions.map((d) => d.attempt),
    [1, 2],
  );
  assert.is(decisions[0]?.decision.selectedVendorId, offered);
  assert.ok(decisions[1]?.decision.excluded.some((e) => e.vendorId === offered && e.reason === 'ALREADY_TRIED'));
  expectFailure(await list.execute({ orderId: world.ids.next() as OrderId }), ErrorCodes.NOT_FOUND);
});

test('credit score: NOT_FOUND before the first score, then the latest; history newest first and bounded', async () => {
  const world = createTestWorld();
  const retailer = await world.given.retailer();
  const get = world.useCases.getCreditScore;
  expectFailure(await get.execute({ retailerId: retailer.id }), ErrorCodes.NOT_FOUND);
  for (const trigger of ['ONBOARDING', 'MANUAL', 'NIGHTLY'] as const) {
    world.clock.advance(MS_PER_DAY);
    expectOk(
      await world.useCases.recalculateCreditScore.execute({ retailerId: retailer.id, trigger, actor: OPERATOR }),
    );
  }
  assert.is(expectOk(await get.execute({ retailerId: retailer.id })).trigger, 'NIGHTLY');
  const history = world.useCases.listCreditScoreHistory;
  assert.equal(
    expectOk(await history.execute({ retailerId: retailer.id })).map((r) => r.trigger),
    ['NIGHTLY', 'MANUAL', 'ONBOARDING'],
  );
  assert.is(expectOk(await history.execute({ retailerId: retailer.id, limit: 1 })).length, 1);
  for (const limit of [0, 201, 1.5]) {
    await history.execute({ retailerId: retailer.id, limit }).then(
      () => assert.unreachable(`limit ${limit} is refused`),
      (e: { code: string }) => assert.is(e.code, ErrorCodes.OUT_OF_RANGE),
    );
  }
  const stranger = world.ids.next() as RetailerId;
  expectFailure(await history.execute({ retailerId: stranger }), ErrorCodes.NOT_FOUND);
  expectFailure(await get.execute({ retailerId: stranger }), ErrorCodes.NOT_FOUND);
});

test('net terms: staff only, new invoices use them, a bad value is refused and nothing changes', async () => {
  const world = createTestWorld();
  const retailer = await world.given.retailer({ netTermsDays: 30 });
  const set = world.useCases.setNetTerms;
  expectFailure(
    await set.execute({ retailerId: retailer.id, days: 7, actor: { type: 'retailer', id: retailer.id } }),
    ErrorCodes.FORBIDDEN,
  );
  for (const days of [100_000, -1, 2.5]) {
    await set.execute({ retailerId: retailer.id, days, actor: OPERATOR }).then(
      () => assert.unreachable(`${days} days is refused`),
      (e: { kind: string }) => assert.is(e.kind, 'validation'),
    );
  }
  assert.is((await world.repos.credit.get(retailer.id))?.netTermsDays, 30);
  assert.equal(expectOk(await set.execute({ retailerId: retailer.id, days: 7, actor: OPERATOR })), {
    netTermsDays: 7,
    previous: 30,
  });
  assert.is((await world.repos.credit.get(retailer.id))?.netTermsDays, 7);
  expectFailure(
    await set.execute({ retailerId: world.ids.next() as RetailerId, days: 7, actor: OPERATOR }),
    ErrorCodes.NOT_FOUND,
  );
});

test('a product by its SKU, whatever its case and spaces; an unknown SKU is NOT_FOUND, a malformed one invalid', async () => {
  const world = createTestWorld();
  const product = await world.given.product();
  const bySku = world.useCases.getProductBySku;
  assert.is(expectOk(await bySku.execute({ sku: ` ${product.sku.toLowerCase()} ` })).id, product.id);
  expectFailure(await bySku.execute({ sku: 'NO-SUCH-SKU' }), ErrorCodes.NOT_FOUND);
  await bySku.execute({ sku: 'bad sku!' }).then(
    () => assert.unreachable('a malformed sku is refused'),
    (e: { kind: string }) => assert.is(e.kind, 'validation'),
  );
});

test.run();

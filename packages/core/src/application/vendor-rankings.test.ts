import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { ValidationError } from '../shared/errors.js';
import { expectOk } from '../testing/outcomes.js';
import { createTestWorld } from '../testing/test-world.js';

const OPERATOR = { type: 'operator', id: 'op-1' } as const;

test('vendor rankings: from stored snapshots, best first; vendors without one last with null; bounded page', async () => {
  const world = createTestWorld();
  const retailer = await world.given.retailer();
  const [v1, v2, v3] = [await world.given.vendor(), await world.given.vendor(), await world.given.vendor()];
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
  const first = expectOk(await world.useCases.routeOrder.execute({ orderId: order.id, actor: SYSTEM_ACTOR }));
  if (first.outcome !== 'OFFERED') throw new Error(`routing offered the order: ${first.outcome}`);
  const decliner = first.vendorId;
  expectOk(await world.useCases.rejectVendorOffer.execute({ orderId: order.id, vendorId: decliner, actor: OPERATOR }));
  const second = expectOk(await world.useCases.routeOrder.execute({ orderId: order.id, actor: SYSTEM_ACTOR }));
  if (second.outcome !== 'OFFERED') throw new Error(`routing offered the order again: ${second.outcome}`);
  const accepter = second.vendorId;
  expectOk(await world.useCases.acceptVendorOffer.execute({ orderId: order.id, vendorId: accepter, actor: OPERATOR }));

  const rankings = world.useCases.getVendorRankings;
  const before = expectOk(await rankings.execute({ metric: 'acceptanceRate' }));
  assert.is(before.total, 3);
  assert.ok(
    before.items.every((r) => r.value === null && r.computedAt === null),
    'no snapshot yet: nothing ranked by data',
  );

  for (const vendorId of [v1.id, v2.id]) {
    expectOk(await world.useCases.refreshVendorPerformance.execute({ vendorId, actor: SYSTEM_ACTOR }));
  }
  const after = expectOk(await rankings.execute({ metric: 'acceptanceRate' }));
  assert.equal(
    after.items.map((r) => [r.rank, r.vendorId, r.value]),
    [
      [1, accepter, 1],
      [2, decliner, 0],
      [3, v3.id, null],
    ],
  );
  assert.ok(after.items[0]?.computedAt instanceof Date);
  const top = expectOk(await rankings.execute({ metric: 'acceptanceRate', limit: 1 }));
  assert.equal(
    top.items.map((r) => r.vendorId),
    [accepter],
  );
  assert.is(top.total, 3);
  assert.is(expectOk(await rankings.execute({})).metric, 'reliability');
  for (const bad of [{ limit: 0 }, { limit: 201 }, { metric: 'price' as never }]) {
    const error = await rankings.execute(bad).then(
      () => null,
      (e: unknown) => e,
    );
    assert.instance(error, ValidationError, JSON.stringify(bad));
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { ErrorCodes } from '../shared/errors.js';
import type { OrderId, RetailerId } from '../shared/ids.js';
import { expectFailure, expectOk } from '../testing/outcomes.js';
import { createTestWorld } from '../testing/test-world.js';

const OPERATOR = { type: 'operator', id: 'op-1' } as const;

async function placed(world: ReturnType<typeof createTestWorld>, quantity: number) {
  const retailer = await world.given.retailer();
  const vendor = await world.given.vendor();
  const product = await world.given.product();
  await world.given.offer({ vendorId: vendor.id, productId: product.id });
  const { order } = expectOk(
    await world.useCases.placeOrder.execute({
      retailerId: retailer.id,
      lines: [{ productId: product.id, quantity }],
      source: 'api',
      actor: SYSTEM_ACTOR,
    }),
  );
  return { retailer, order };
}

test('assess an order now: the rules in force give the verdict; a dry run records nothing and moves nothing', async () => {
  const world = createTestWorld({ risk: 'rules' });
  const { order, retailer } = await placed(world, 2);
  const events = expectOk(await world.useCases.listRiskEvents.execute({ orderId: order.id }));
  assert.ok(events.length > 0, 'placing recorded one event per rule');
  const review = expectOk(await world.useCases.assessOrderRisk.execute({ orderId: order.id }));
  assert.equal([review.source, review.assessment.verdict], ['defaults', 'ALLOW']);
  assert.is(review.assessment.verdicts.length, events.length, 'the same rules as at placing');
  // An operator lowers the cap below this order's value: the same order would now be held.
  expectOk(
    await world.useCases.manageRiskRules.execute({
      rule: {
        id: 'max-order-value-review',
        type: 'MAX_ORDER_VALUE',
        params: { max: { amount: order.total.amount - 1, currency: 'NPR' } },
        action: 'REVIEW',
      },
      actor: OPERATOR,
    }),
  );
  const now = expectOk(await world.useCases.assessOrderRisk.execute({ orderId: order.id }));
  assert.equal([now.source, now.assessment.verdict], ['stored', 'REVIEW']);
  assert.equal(now.assessment.decidingRuleIds, ['max-order-value-review']);
  assert.is(expectOk(await world.useCases.listRiskEvents.execute({ orderId: order.id })).length, events.length);
  assert.is(expectOk(await world.useCases.getOrder.execute({ orderId: order.id })).status, order.status);
  const byRetailer = expectOk(await world.useCases.listRiskEvents.execute({ retailerId: retailer.id, limit: 2 }));
  assert.is(byRetailer.length, 2);
  expectFailure(
    await world.useCases.assessOrderRisk.execute({ orderId: world.ids.next() as OrderId }),
    ErrorCodes.NOT_FOUND,
  );
  expectFailure(
    await world.useCases.listRiskEvents.execute({ retailerId: world.ids.next() as RetailerId }),
    ErrorCodes.NOT_FOUND,
  );
  await world.useCases.listRiskEvents.execute({ retailerId: retailer.id, limit: 500 }).then(
    () => assert.unreachable('limit 500 is refused'),
    (e: { code: string }) => assert.is(e.code, ErrorCodes.OUT_OF_RANGE),
  );
});

test.run();

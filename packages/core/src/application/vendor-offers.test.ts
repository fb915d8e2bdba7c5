import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { ErrorCodes } from '../shared/errors.js';
import { expectFailure, expectOk } from '../testing/outcomes.js';
import { createTestWorld, type TestWorld } from '../testing/test-world.js';

const OPERATOR = { type: 'operator', id: 'op-7' } as const;

async function offered(world: TestWorld) {
  const retailer = await world.given.retailer();
  const vendor = await world.given.vendor();
  const other = await world.given.vendor();
  const product = await world.given.product();
  await world.given.offer({ vendorId: vendor.id, productId: product.id });
  const placed = expectOk(
    await world.useCases.placeOrder.execute({
      retailerId: retailer.id,
      lines: [{ productId: product.id, quantity: 3 }],
      source: 'api',
      actor: SYSTEM_ACTOR,
    }),
  );
  const orderId = placed.order.id;
  expectOk(await world.useCases.offerOrderToVendor.execute({ orderId, vendorId: vendor.id, actor: SYSTEM_ACTOR }));
  return { retailer, vendor, other, orderId };
}

test('issue 9: who accepted an offer is recorded in the status log and on the credit hold', async () => {
  const world = createTestWorld();
  const { retailer, vendor, orderId } = await offered(world);
  const order = expectOk(
    await world.useCases.acceptVendorOffer.execute({ orderId, vendorId: vendor.id, actor: OPERATOR }),
  );
  assert.equal(order.statusLog.at(-1)?.actor, OPERATOR);
  assert.is(order.vendorId, vendor.id);
  const [hold] = await world.repos.credit.listEntries(retailer.id, {});
  assert.equal([hold?.type, hold?.actor], ['HOLD', OPERATOR]);
});

test('a vendor answers only its own offer, a retailer none; a missing order is NOT_FOUND', async () => {
  const world = createTestWorld();
  const { retailer, vendor, other, orderId } = await offered(world);
  const accept = world.useCases.acceptVendorOffer;
  const asOther = { type: 'vendor', id: other.id } as const;
  expectFailure(await accept.execute({ orderId, vendorId: vendor.id, actor: asOther }), ErrorCodes.FORBIDDEN);
  expectFailure(
    await accept.execute({ orderId, vendorId: vendor.id, actor: { type: 'retailer', id: retailer.id } }),
    ErrorCodes.FORBIDDEN,
  );
  expectFailure(await accept.execute({ orderId, vendorId: other.id, actor: asOther }), ErrorCodes.ORDER_OFFER_MISMATCH);
  expectFailure(
    await world.useCases.rejectVendorOffer.execute({ orderId, vendorId: vendor.id, actor: asOther }),
    ErrorCodes.FORBIDDEN,
  );
  expectFailure(
    await accept.execute({ orderId: world.ids.next() as typeof orderId, vendorId: vendor.id, actor: OPERATOR }),
    ErrorCodes.NOT_FOUND,
  );
  assert.is(expectOk(await world.useCases.getOrder.execute({ orderId })).status, 'ROUTING', 'nothing changed');
});

test('an offer to an inactive vendor is PARTY.INACTIVE, not a validation error', async () => {
  const world = createTestWorld();
  const { orderId } = await offered(world);
  const sleeping = await world.given.vendor({ status: 'SUSPENDED' });
  const outcome = await world.useCases.offerOrderToVendor.execute({
    orderId,
    vendorId: sleeping.id,
    manual: true,
    actor: OPERATOR,
  });
  assert.is(sleeping.status, 'SUSPENDED');
  assert.is(expectFailure(outcome, ErrorCodes.PARTY_INACTIVE).details.vendorId, sleeping.id);
});

test.run();

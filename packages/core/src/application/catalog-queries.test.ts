import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { ErrorCodes } from '../shared/errors.js';
import type { ProductId, RetailerId, VendorId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { expectFailure, expectOk } from '../testing/outcomes.js';
import { createTestWorld } from '../testing/test-world.js';

const MISSING = '00000000-0000-7000-8000-000000000000';

test('ListProducts pages by sku and filters by search and category; GetProduct finds one or fails NOT_FOUND', async () => {
  const world = createTestWorld();
  await world.given.product({
    sku: 'RICE-MANSULI',
    name: 'Mansuli Rice',
    category: 'rice',
    baseUnit: 'kg',
    aliases: [],
  });
  const noodles = await world.given.product({ sku: 'WAIWAI-75' });
  await world.given.product({
    sku: 'DAL-MASOOR',
    name: 'Masoor Dal',
    category: 'lentils',
    baseUnit: 'kg',
    aliases: [],
  });
  const first = expectOk(await world.useCases.listProducts.execute({ page: { limit: 2 } }));
  assert.equal(
    first.items.map((p) => p.sku),
    ['DAL-MASOOR', 'RICE-MANSULI'],
  );
  const second = expectOk(await world.useCases.listProducts.execute({ page: { limit: 2, cursor: first.nextCursor } }));
  assert.equal(
    second.items.map((p) => p.sku),
    ['WAIWAI-75'],
  );
  assert.is(second.nextCursor, null);
  const found = expectOk(
    await world.useCases.listProducts.execute({ filter: { search: 'wai wai' }, page: { limit: 10 } }),
  );
  assert.equal(
    found.items.map((p) => p.id),
    [noodles.id],
  );
  const rice = expectOk(
    await world.useCases.listProducts.execute({ filter: { category: 'rice' }, page: { limit: 10 } }),
  );
  assert.is(rice.items.length, 1);
  assert.is(expectOk(await world.useCases.getProduct.execute({ productId: noodles.id })).sku, 'WAIWAI-75');
  expectFailure(await world.useCases.getProduct.execute({ productId: MISSING as ProductId }), ErrorCodes.NOT_FOUND);
  try {
    await world.useCases.getProduct.execute({ productId: 'nope' as ProductId });
    assert.unreachable('a malformed id was accepted');
  } catch (error) {
    assert.is((error as { code: string }).code, ErrorCodes.INVALID_ID);
  }
});

test("ListVendorOffers: a product's active offers cheapest first; a vendor's offers, inactive too; unknown ids NOT_FOUND", async () => {
  const world = createTestWorld();
  const product = await world.given.product();
  const dear = await world.given.vendor();
  const cheap = await world.given.vendor();
  await world.given.offer({ vendorId: dear.id, productId: product.id, unitPrice: Money.of(2_500) });
  await world.given.offer({ vendorId: cheap.id, productId: product.id, unitPrice: Money.of(1_900) });
  const other = await world.given.product({ sku: 'DAL-MASOOR', baseUnit: 'kg' });
  await world.given.offer({ vendorId: cheap.id, productId: other.id, active: false });
  const forProduct = expectOk(await world.useCases.listVendorOffers.execute({ productId: product.id }));
  assert.equal(
    forProduct.map((o) => o.vendorId),
    [cheap.id, dear.id],
  );
  const byVendor = expectOk(await world.useCases.listVendorOffers.execute({ vendorId: cheap.id }));
  assert.equal(byVendor.map((o) => o.productId).sort(), [product.id, other.id].sort());
  expectFailure(
    await world.useCases.listVendorOffers.execute({ productId: MISSING as ProductId }),
    ErrorCodes.NOT_FOUND,
  );
  expectFailure(await world.useCases.listVendorOffers.execute({ vendorId: MISSING as VendorId }), ErrorCodes.NOT_FOUND);
});

test('GetCreditBalance: the limit, what an unconfirmed order already takes, and what is left', async () => {
  const world = createTestWorld();
  const retailer = await world.given.retailer({ creditLimit: Money.of(1_000_000) });
  const vendor = await world.given.vendor();
  const product = await world.given.product();
  await world.given.offer({ vendorId: vendor.id, productId: product.id, unitPrice: Money.of(2_000) });
  expectOk(
    await world.useCases.placeOrder.execute({
      retailerId: retailer.id,
      lines: [{ productId: product.id, quantity: 10 }],
      source: 'api',
      actor: SYSTEM_ACTOR,
    }),
  );
  const balance = expectOk(await world.useCases.getCreditBalance.execute({ retailerId: retailer.id }));
  assert.is(balance.creditLimit.amount, 1_000_000);
  assert.is(balance.pendingExposure.amount, 20_000);
  assert.is(balance.outstanding.amount, 0);
  assert.is(balance.available.amount, 980_000);
  assert.is(balance.daysPastDue, 0);
  expectFailure(
    await world.useCases.getCreditBalance.execute({ retailerId: MISSING as RetailerId }),
    ErrorCodes.NOT_FOUND,
  );
});

test.run();

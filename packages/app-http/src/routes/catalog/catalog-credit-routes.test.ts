import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seedShop, startTestApp } from '../../testing/test-app.js';

test('products: listed by sku with a search over names and aliases; one product; its offers cheapest first', async () => {
  const app = await startTestApp();
  try {
    const shop = await seedShop(app);
    const list = await app.request('GET', '/api/v1/products?search=wai&limit=5', { token: shop.tokens.retailer });
    assert.is(list.status, 200, JSON.stringify(list.body));
    assert.equal(
      list.body.items.map((p: { sku: string }) => p.sku),
      ['WAIWAI-75'],
    );
    assert.equal(list.body.items[0].conversions, [{ unit: 'carton', toBase: 30 }]);
    const none = await app.request('GET', '/api/v1/products?search=चामल', { token: shop.tokens.retailer });
    assert.equal(none.body, { items: [], nextCursor: null });
    const id = list.body.items[0].id;
    const one = await app.request('GET', `/api/v1/products/${id}`, { token: shop.tokens.vendor });
    assert.is(one.body.name, 'Wai Wai Noodles 75g');
    const offers = await app.request('GET', `/api/v1/products/${id}/offers`, { token: shop.tokens.retailer });
    assert.equal(
      offers.body.items.map((o: { vendorId: string; unitPrice: { amount: number } }) => [
        o.vendorId,
        o.unitPrice.amount,
      ]),
      [
        [shop.vendorId, 2_000],
        [shop.otherVendorId, 2_100],
      ],
    );
    const missing = await app.request('GET', '/api/v1/products/00000000-0000-7000-8000-000000000000/offers', {
      token: shop.tokens.retailer,
    });
    assert.is(missing.status, 404);
    const tooLong = await app.request('GET', `/api/v1/products?search=${'x'.repeat(101)}`, {
      token: shop.tokens.retailer,
    });
    assert.is(tooLong.status, 422);
  } finally {
    await app.close();
  }
});

test("a vendor lists its own offers; another vendor's answer 404", async () => {
  const app = await startTestApp();
  try {
    const shop = await seedShop(app);
    const own = await app.request('GET', `/api/v1/vendors/${shop.vendorId}/offers`, { token: shop.tokens.vendor });
    assert.is(own.status, 200);
    assert.is(own.body.items.length, 1);
    assert.is(own.body.items[0].vendorId, shop.vendorId);
    const other = await app.request('GET', `/api/v1/vendors/${shop.otherVendorId}/offers`, {
      token: shop.tokens.vendor,
    });
    assert.is(other.status, 404);
  } finally {
    await app.close();
  }
});

test("credit balance: a retailer's own, an order placed counts as pending exposure; staff must name the retailer", async () => {
  const app = await startTestApp();
  try {
    const shop = await seedShop(app);
    const before = await app.request('GET', '/api/v1/credit/balance', { token: shop.tokens.retailer });
    assert.is(before.status, 200, JSON.stringify(before.body));
    assert.equal(before.body.creditLimit, { amount: 50_000_000, currency: 'NPR' });
    assert.equal(before.body.available, before.body.creditLimit);
    await app.request('POST', '/api/v1/orders', {
      token: shop.tokens.retailer,
      body: { lines: [{ sku: 'WAIWAI-75', quantity: 1, unit: 'carton' }] },
    });
    const after = await app.request('GET', '/api/v1/credit/balance', { token: shop.tokens.retailer });
    assert.is(after.body.pendingExposure.amount, 60_000);
    assert.is(after.body.available.amount, 50_000_000 - 60_000);
    assert.is((await app.request('GET', '/api/v1/credit/balance', { token: shop.tokens.admin })).status, 422);
    const named = await app.request('GET', `/api/v1/credit/balance?retailerId=${shop.retailerId}`, {
      token: shop.tokens.admin,
    });
    assert.equal(named.body.available, after.body.available);
  } finally {
    await app.close();
  }
});

test.run();

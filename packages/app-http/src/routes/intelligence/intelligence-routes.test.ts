import { type OrderId, REPOSITORIES, SYSTEM_ACTOR, USE_CASE_TOKENS, unwrap } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seedShop, startTestApp } from '../../testing/test-app.js';

test('rating, performance and rankings: the retailer rates a delivered order once; the figures show it', async () => {
  const app = await startTestApp({ risk: 'allow-all' });
  try {
    const shop = await seedShop(app);
    const uc = USE_CASE_TOKENS;
    const get = app.composition.get.bind(app.composition);
    const placed = await app.request('POST', '/api/v1/orders', {
      token: shop.tokens.retailer,
      body: { lines: [{ sku: 'WAIWAI-75', quantity: 2 }] },
    });
    assert.is(placed.status, 201);
    const orderId = placed.body.order.id as OrderId;
    const rate = (token: string, body: unknown, key?: string) =>
      app.request('POST', `/api/v1/orders/${orderId}/rating`, {
        token,
        body,
        ...(key ? { headers: { 'Idempotency-Key': key } } : {}),
      });

    const early = await rate(shop.tokens.retailer, { rating: 4 });
    assert.is(early.status, 409, 'not delivered yet');
    assert.is(early.body.error.code, 'ORDER.NOT_DELIVERED');

    const vendor = { type: 'vendor', id: shop.vendorId } as const;
    unwrap(await get(uc.offerOrderToVendor).execute({ orderId, vendorId: shop.vendorId, actor: SYSTEM_ACTOR }));
    unwrap(await get(uc.acceptVendorOffer).execute({ orderId, vendorId: shop.vendorId, actor: vendor }));
    unwrap(await get(uc.dispatchOrder).execute({ orderId, actor: vendor }));
    const code = (await get(REPOSITORIES).deliveries.get(orderId))?.code ?? null;
    unwrap(await get(uc.deliverOrder).execute({ orderId, actor: vendor, code }));

    assert.is((await rate(shop.tokens.otherRetailer, { rating: 1 })).status, 404, "another shop's order");
    assert.is((await rate(shop.tokens.retailer, { rating: 6 })).status, 422);
    assert.is((await rate(shop.tokens.retailer, { rating: 4, extra: true })).status, 422);
    const rated = await rate(shop.tokens.retailer, { rating: 4, comment: 'राम्रो सेवा 👍' }, 'rate-1');
    assert.is(rated.status, 201, JSON.stringify(rated.body));
    assert.equal(
      [rated.body.vendorId, rated.body.orderId, rated.body.rating, rated.body.comment],
      [shop.vendorId, orderId, 4, 'राम्रो सेवा 👍'],
    );
    const replay = await rate(shop.tokens.retailer, { rating: 4, comment: 'राम्रो सेवा 👍' }, 'rate-1');
    assert.equal([replay.status, replay.body.id], [201, rated.body.id], 'same key and body: the stored answer');
    const again = await rate(shop.tokens.retailer, { rating: 1 });
    assert.is(again.status, 409, 'one rating per order');
    assert.is(again.body.error.code, 'ENTITY.DUPLICATE');

    const performance = (token: string, vendorId: string) =>
      app.request('GET', `/api/v1/vendors/${vendorId}/performance`, { token });
    const own = await performance(shop.tokens.vendor, shop.vendorId);
    assert.is(own.status, 200, JSON.stringify(own.body));
    assert.is(own.body.source, 'COMPUTED', 'no refresh has run: computed on read');
    const month = own.body.windows.find((w: { windowDays: number }) => w.windowDays === 30);
    assert.equal([month.ratingCount, month.averageRating, month.accepted, month.delivered], [1, 4, 1, 1]);
    assert.is((await performance(shop.tokens.otherVendor, shop.vendorId)).status, 404);
    assert.is((await performance(shop.tokens.admin, '00000000-0000-7000-8000-00000000abcd')).status, 404);

    for (const vendorId of [shop.vendorId, shop.otherVendorId]) {
      unwrap(await get(uc.refreshVendorPerformance).execute({ vendorId, actor: SYSTEM_ACTOR }));
    }
    assert.is((await performance(shop.tokens.operator, shop.vendorId)).body.source, 'SNAPSHOT');
    const rankings = await app.request('GET', '/api/v1/vendors/rankings?metric=averageRating', {
      token: shop.tokens.operator,
    });
    assert.is(rankings.status, 200, JSON.stringify(rankings.body));
    assert.equal(
      rankings.body.items.map((r: { rank: number; vendorId: string; value: number | null }) => [
        r.rank,
        r.vendorId,
        r.value,
      ]),
      [
        [1, shop.vendorId, 4],
        [2, shop.otherVendorId, null],
      ],
    );
    const top = await app.request('GET', '/api/v1/vendors/rankings?limit=1', { token: shop.tokens.admin });
    assert.equal([top.body.metric, top.body.items.length, top.body.total], ['reliability', 1, 2]);
    for (const bad of ['limit=0', 'limit=201', 'metric=price', 'sort=rank']) {
      const r = await app.request('GET', `/api/v1/vendors/rankings?${bad}`, { token: shop.tokens.admin });
      assert.is(r.status, 422, bad);
    }
  } finally {
    await app.close();
  }
});

test('price intelligence: market reference, history, trend and alerts of a product, for every role', async () => {
  const app = await startTestApp();
  try {
    const shop = await seedShop(app);
    const products = await app.request('GET', '/api/v1/products', { token: shop.tokens.retailer });
    const productId = products.body.items[0].id as string;
    for (const token of Object.values(shop.tokens)) {
      const r = await app.request('GET', `/api/v1/products/${productId}/price-intelligence`, { token });
      assert.is(r.status, 200, JSON.stringify(r.body));
      assert.is(r.body.productId, productId);
      assert.equal(
        [r.body.reference.offerCount, r.body.reference.median, r.body.reference.min, r.body.reference.max],
        [2, { amount: 2_050, currency: 'NPR' }, { amount: 2_000, currency: 'NPR' }, { amount: 2_100, currency: 'NPR' }],
      );
      assert.ok(['UP', 'DOWN', 'FLAT'].includes(r.body.trend.direction));
      assert.ok(r.body.dailyCloses.length >= 1, 'today closes with the offers');
      assert.ok(Array.isArray(r.body.alerts));
    }
    const unknown = await app.request(
      'GET',
      '/api/v1/products/00000000-0000-7000-8000-00000000abcd/price-intelligence',
      {
        token: shop.tokens.admin,
      },
    );
    assert.is(unknown.status, 404);
    const bad = await app.request('GET', '/api/v1/products/not-a-uuid/price-intelligence', {
      token: shop.tokens.admin,
    });
    assert.is(bad.status, 422);
  } finally {
    await app.close();
  }
});

test.run();

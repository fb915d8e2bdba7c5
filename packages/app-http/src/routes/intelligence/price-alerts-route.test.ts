import { Money, type PriceIntelligenceSnapshot, type ProductId, REPOSITORIES, type VendorId } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Shop, seedShop, startTestApp, type TestApp } from '../../testing/test-app.js';

let app: TestApp;
let shop: Shop;
test.before(async () => {
  app = await startTestApp();
  shop = await seedShop(app);
});
test.after(async () => app?.close());

const AT = new Date('2026-12-01T00:00:00Z');
const pid = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}` as ProductId;

function snapshot(productId: ProductId, vendorId: VendorId, percents: number[]): PriceIntelligenceSnapshot {
  const price = Money.of(10_000);
  return {
    productId,
    fingerprint: `fp-${productId}`,
    version: 1,
    computedAt: AT,
    checkedAt: AT,
    insight: {
      productId,
      baseUnit: 'packet',
      reference: { productId, baseUnit: 'packet', median: price, min: price, max: price, offerCount: 0, prices: [] },
      movingAverage7: null,
      movingAverage30: null,
      trend: { direction: 'FLAT', slopePerDay: 0, relativeSlopePerDay: 0, points: 0 },
      dailyCloses: [],
      alerts: percents.map((percent) => ({
        type: 'ABOVE_MEDIAN' as const,
        productId,
        vendorId,
        price: Money.of(13_000),
        median: price,
        percent,
      })),
    },
  };
}

test('price alerts across products: stored snapshots, paged by cursor, filtered; staff only', async () => {
  const snapshots = app.composition.get(REPOSITORIES).priceIntelligence;
  await snapshots.save(snapshot(pid(1), shop.vendorId, [30, 45]));
  await snapshots.save(snapshot(pid(2), shop.otherVendorId, [21]));
  const list = (q: string) =>
    app.request('GET', `/api/v1/price-intelligence/alerts?${q}`, { token: shop.tokens.operator });

  const first = await list('limit=2');
  assert.is(first.status, 200, JSON.stringify(first.body));
  const second = await list(`limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
  const seen = [...first.body.items, ...second.body.items].map((a: { productId: string; percent: number }) => [
    a.productId,
    a.percent,
  ]);
  assert.equal(seen, [
    [pid(1), 30],
    [pid(1), 45],
    [pid(2), 21],
  ]);
  assert.is(second.body.nextCursor, null);
  assert.equal(first.body.items[0].price, { amount: 13_000, currency: 'NPR' });
  assert.is(first.body.items[0].computedAt, AT.toISOString());

  const byVendor = await list(`vendorId=${shop.otherVendorId}`);
  assert.equal(
    byVendor.body.items.map((a: { productId: string }) => a.productId),
    [pid(2)],
  );
  assert.is((await list('minPercent=40')).body.items.length, 1);
  assert.equal((await list('type=PRICE_MOVE')).body, { items: [], nextCursor: null });
  for (const bad of ['limit=0', 'limit=201', 'cursor=nope', 'type=CHEAP', 'minPercent=-1', 'vendorId=1'])
    assert.is((await list(bad)).status, 422, bad);
  const retailer = await app.request('GET', '/api/v1/price-intelligence/alerts', { token: shop.tokens.retailer });
  assert.is(retailer.status, 403);
});

test.run();

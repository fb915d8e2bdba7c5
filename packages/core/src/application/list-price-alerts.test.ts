import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PriceAlert } from '../engines/pricing/price-alerts.js';
import type { PriceIntelligenceSnapshot } from '../ports/engine-repositories.js';
import { ValidationError } from '../shared/errors.js';
import type { ProductId, VendorId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { createInMemoryEngineRepositories } from '../testing/in-memory-engine-repositories.js';
import { ListPriceAlerts } from './list-price-alerts.js';

const pid = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}` as ProductId;
const V1 = '00000000-0000-7000-9000-000000000001' as VendorId;
const V2 = '00000000-0000-7000-9000-000000000002' as VendorId;
const AT = new Date('2026-12-01T00:00:00Z');

function above(productId: ProductId, vendorId: VendorId, percent: number): PriceAlert {
  return { type: 'ABOVE_MEDIAN', productId, vendorId, price: Money.of(12_000), median: Money.of(10_000), percent };
}
function move(productId: ProductId, vendorId: VendorId, percent: number): PriceAlert {
  return { type: 'PRICE_MOVE', productId, vendorId, from: Money.of(10_000), to: Money.of(12_000), percent, at: AT };
}

function snapshot(productId: ProductId, alerts: PriceAlert[]): PriceIntelligenceSnapshot {
  const price = Money.of(10_000);
  return {
    productId,
    fingerprint: `fp-${productId}`,
    version: 1,
    computedAt: AT,
    checkedAt: AT,
    insight: {
      productId,
      baseUnit: 'piece',
      reference: { productId, baseUnit: 'piece', median: price, min: price, max: price, offerCount: 0, prices: [] },
      movingAverage7: null,
      movingAverage30: null,
      trend: { direction: 'FLAT', slopePerDay: 0, relativeSlopePerDay: 0, points: 0 },
      dailyCloses: [],
      alerts,
    },
  };
}

async function world() {
  const repos = createInMemoryEngineRepositories();
  await repos.priceIntelligence.save(snapshot(pid(1), [above(pid(1), V1, 30), move(pid(1), V2, -12)]));
  await repos.priceIntelligence.save(snapshot(pid(2), []));
  await repos.priceIntelligence.save(snapshot(pid(3), [above(pid(3), V2, 25)]));
  await repos.priceIntelligence.save(
    snapshot(pid(4), [move(pid(4), V1, 40), above(pid(4), V1, 22), move(pid(4), V2, 5)]),
  );
  return new ListPriceAlerts({ snapshots: repos.priceIntelligence });
}

const key = (a: PriceAlert) => `${a.productId.slice(-1)}:${a.type}:${a.vendorId.slice(-1)}`;

async function pages(list: ListPriceAlerts, query: Parameters<ListPriceAlerts['execute']>[0]) {
  const out: string[][] = [];
  let cursor: string | undefined;
  do {
    const r = await list.execute({ ...query, ...(cursor ? { cursor } : {}) });
    assert.ok(r.ok);
    if (!r.ok) break;
    out.push(r.value.items.map(key));
    cursor = r.value.nextCursor ?? undefined;
  } while (cursor && out.length < 20);
  return out;
}

test('every alert across products once, by product, in pages that split a product’s alerts', async () => {
  const list = await world();
  assert.equal(await pages(list, { limit: 2 }), [
    ['1:ABOVE_MEDIAN:1', '1:PRICE_MOVE:2'],
    ['3:ABOVE_MEDIAN:2', '4:PRICE_MOVE:1'],
    ['4:ABOVE_MEDIAN:1', '4:PRICE_MOVE:2'],
  ]);
  const all = await list.execute({ limit: 10 });
  assert.ok(all.ok && all.value.nextCursor === null && all.value.items.length === 6);
  assert.ok(all.ok && all.value.items.every((a) => a.computedAt.getTime() === AT.getTime()));
});

test('filters: type, vendor and |percent|, applied before paging', async () => {
  const list = await world();
  assert.equal(await pages(list, { type: 'PRICE_MOVE', limit: 2 }), [
    ['1:PRICE_MOVE:2', '4:PRICE_MOVE:1'],
    ['4:PRICE_MOVE:2'],
  ]);
  assert.equal(await pages(list, { vendorId: V1, limit: 5 }), [
    ['1:ABOVE_MEDIAN:1', '4:PRICE_MOVE:1', '4:ABOVE_MEDIAN:1'],
  ]);
  assert.equal(await pages(list, { minPercent: 25, limit: 5 }), [
    ['1:ABOVE_MEDIAN:1', '3:ABOVE_MEDIAN:2', '4:PRICE_MOVE:1'],
  ]);
  assert.equal(await pages(list, { minPercent: 12, type: 'PRICE_MOVE', limit: 5 }), [
    ['1:PRICE_MOVE:2', '4:PRICE_MOVE:1'],
  ]);
});

test('bad limits, cursors and filters are refused', async () => {
  const list = await world();
  for (const bad of [
    { limit: 0 },
    { limit: 201 },
    { cursor: 'nope' },
    { minPercent: -1 },
    { vendorId: 'x' as VendorId },
  ]) {
    let refused = false;
    await list.execute(bad).catch((e) => {
      refused = ValidationError.is(e);
    });
    assert.ok(refused, JSON.stringify(bad));
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createProduct } from '../../catalog/product.js';
import { createVendorOffer, type PriceChange, type VendorOffer } from '../../catalog/vendor-offer.js';
import type { ProductId, VendorId, VendorOfferId } from '../../shared/ids.js';
import { Money } from '../../shared/money.js';
import type { Unit } from '../../shared/quantity.js';
import { analysePrices } from './analyse-prices.js';
import { pricePerBaseUnit } from './base-unit-price.js';
import { marketReference } from './market-reference.js';

const AS_OF = new Date('2025-06-30T18:00:00Z');
const DAY = 86_400_000;
const ago = (days: number, hours = 0): Date => new Date(AS_OF.getTime() - days * DAY - hours * 3_600_000);
const npr = (rupees: number): Money => Money.of(Math.round(rupees * 100));

const noodles = createProduct(
  {
    sku: 'WAIWAI',
    name: 'Wai Wai',
    category: 'noodles',
    baseUnit: 'packet',
    conversions: [{ unit: 'carton', toBase: 24 }],
  },
  'p-1' as ProductId,
  ago(400),
);
const oil = createProduct(
  { sku: 'OIL', name: 'Oil', category: 'oil', baseUnit: 'litre' },
  'p-2' as ProductId,
  ago(400),
);

const offer = (vendor: string, unit: Unit, rupees: number, active = true): VendorOffer =>
  createVendorOffer(
    { vendorId: vendor as VendorId, productId: noodles.id, unit, unitPrice: npr(rupees), stockOnHand: 10, active },
    `of-${vendor}` as VendorOfferId,
    ago(60),
  );

const change = (vendor: string, rupees: number, at: Date, prev: number | null, unit: Unit = 'packet'): PriceChange => ({
  vendorId: vendor as VendorId,
  productId: noodles.id,
  unit,
  previousPrice: prev === null ? null : npr(prev),
  price: npr(rupees),
  changedAt: at,
});

test('prices are normalised to the base unit exactly', () => {
  assert.is(pricePerBaseUnit(noodles, npr(2_400), 'carton')?.amount, npr(100).amount);
  assert.is(pricePerBaseUnit(noodles, npr(20), 'packet')?.amount, npr(20).amount);
  assert.is(pricePerBaseUnit(noodles, npr(20), 'kg'), null);
  assert.is(pricePerBaseUnit(oil, npr(300), 'ml')?.amount, npr(300_000).amount);
});

test('market reference = median of active offers per base unit', () => {
  const ref = marketReference(noodles, [
    offer('v-a', 'packet', 20),
    offer('v-b', 'carton', 480), // 20 a packet
    offer('v-c', 'packet', 30),
    offer('v-d', 'packet', 22),
    offer('v-e', 'packet', 5, false),
  ]);
  assert.is(ref.offerCount, 4);
  assert.is(ref.median?.amount, npr(21).amount);
  assert.is(ref.min?.amount, npr(20).amount);
  assert.is(ref.max?.amount, npr(30).amount);
});

test('no offers: no median, no alerts, flat trend', () => {
  const r = analysePrices({ asOf: AS_OF, products: [oil], offers: [], history: [] });
  const [insight] = r.products;
  assert.is(insight?.reference.median, null);
  assert.is(insight?.movingAverage7, null);
  assert.is(insight?.trend.direction, 'FLAT');
  assert.equal(r.alerts, []);
});

test('alerts an offer more than 15 % above the median, only with three offers', () => {
  const offers = [offer('v-a', 'packet', 20), offer('v-b', 'packet', 20), offer('v-c', 'packet', 24)];
  const r = analysePrices({ asOf: AS_OF, products: [noodles], offers, history: [] });
  assert.equal(
    r.alerts.map((a) => [a.type, a.vendorId]),
    [['ABOVE_MEDIAN', 'v-c']],
  );
  const two = analysePrices({ asOf: AS_OF, products: [noodles], offers: offers.slice(1), history: [] });
  assert.equal(two.alerts, []);
});

test('alerts a price move of more than 10 % within a day, even if reverted', () => {
  const history = [
    change('v-a', 20, ago(10), null),
    change('v-a', 25, ago(0, 10), 20),
    change('v-a', 20, ago(0, 2), 25),
    change('v-b', 20, ago(10), null),
    change('v-b', 21, ago(0, 1), 20),
    change('v-c', 0, ago(3), null),
    change('v-c', 10, ago(0, 1), 0),
  ];
  const r = analysePrices({ asOf: AS_OF, products: [noodles], offers: [], history });
  const moves = r.alerts.filter((a) => a.type === 'PRICE_MOVE');
  assert.is(moves.length, 1);
  const [m] = moves;
  assert.ok(m?.type === 'PRICE_MOVE' && m.vendorId === 'v-a' && m.percent === 25);
});

test('moving averages use daily closes; trend detects a rising market', () => {
  const history: PriceChange[] = [];
  for (let d = 30; d >= 0; d--) {
    history.push(change('v-a', 100 + (30 - d), ago(d, 1), d === 30 ? null : 99 + (30 - d)));
    history.push(change('v-b', 104 + (30 - d), ago(d, 1), d === 30 ? null : 103 + (30 - d)));
  }
  const r = analysePrices({ asOf: AS_OF, products: [noodles], offers: [], history });
  const [insight] = r.products;
  // Today's close: median(130, 134) = 132; last 7 closes are 126..132 → mean 129.
  assert.is(insight?.dailyCloses.at(-1)?.close.amount, npr(132).amount);
  assert.is(insight?.movingAverage7?.amount, npr(129).amount);
  assert.is(insight?.trend.direction, 'UP');
  assert.ok(Math.abs((insight?.trend.slopePerDay ?? 0) - 100) < 1e-6);
});

test('a stable market is FLAT; an offer without history seeds the series', () => {
  const r = analysePrices({ asOf: AS_OF, products: [noodles], offers: [offer('v-a', 'carton', 480)], history: [] });
  const [insight] = r.products;
  assert.is(insight?.trend.direction, 'FLAT');
  assert.is(insight?.movingAverage30?.amount, npr(20).amount);
  assert.is(insight?.dailyCloses.length, 30);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SeededRandom } from '../../shared/seeded-random.js';
import { createProduct, type Product } from '../../catalog/product.js';
import { createVendorOffer, type VendorOffer } from '../../catalog/vendor-offer.js';
import { type OrderLine, orderLine } from '../../order/order-line.js';
import { createVendor, type Vendor } from '../../parties/vendor.js';
import { type GeoPoint, geoPoint } from '../../shared/geo.js';
import type { OrderId, ProductId, VendorId, VendorOfferId } from '../../shared/ids.js';
import { Money } from '../../shared/money.js';
import { PhoneNumber } from '../../shared/phone-number.js';
import { Quantity, type Unit } from '../../shared/quantity.js';
import { rankVendors } from './rank-vendors.js';
import type { RoutingInput } from './routing-input.js';

const NOW = new Date('2025-06-01T08:00:00Z');
const npr = (rupees: number): Money => Money.of(Math.round(rupees * 100));

/** Seeded (mulberry32) so property tests are reproducible. */
const prng = (seed: number): (() => number) => {
  const r = new SeededRandom(seed);
  return () => r.next();
};

const noodles = createProduct(
  {
    sku: 'WAIWAI',
    name: 'Wai Wai',
    category: 'noodles',
    baseUnit: 'packet',
    conversions: [{ unit: 'carton', toBase: 30 }],
  },
  'p-noodles' as ProductId,
  NOW,
);
const rice = createProduct(
  { sku: 'RICE', name: 'Rice', category: 'grain', baseUnit: 'kg' },
  'p-rice' as ProductId,
  NOW,
);

let phoneSeq = 0;
function aVendor(id: string, opts: { capacity?: number; location?: GeoPoint | null; areas?: string[] } = {}): Vendor {
  phoneSeq++;
  return createVendor(
    {
      name: `Vendor ${id}`,
      phone: PhoneNumber.parse(`+977980${String(1_000_000 + phoneSeq).slice(-7)}`),
      serviceAreas: opts.areas ?? ['kathmandu-10'],
      dailyCapacity: opts.capacity ?? 10,
      location: opts.location ?? null,
    },
    id as VendorId,
    NOW,
  );
}

function anOffer(vendor: string, product: Product, unit: Unit, rupees: number, stock: number, moq = 0): VendorOffer {
  return createVendorOffer(
    {
      vendorId: vendor as VendorId,
      productId: product.id,
      unit,
      unitPrice: npr(rupees),
      stockOnHand: stock,
      minOrderQty: moq,
    },
    `off-${vendor}-${product.id}` as VendorOfferId,
    NOW,
  );
}

function aLine(product: Product, qty: number, unit: Unit, rupees: number): OrderLine {
  return orderLine({
    productId: product.id,
    sku: product.sku,
    name: product.name,
    quantity: Quantity.of(qty, unit),
    unitPrice: npr(rupees),
  });
}

function anInput(overrides: Partial<RoutingInput> = {}): RoutingInput {
  return {
    orderId: 'o-1' as OrderId,
    asOf: NOW,
    retailer: { area: 'Kathmandu 10', location: geoPoint(27.7, 85.32) },
    lines: [aLine(noodles, 2, 'carton', 600), aLine(rice, 25, 'kg', 80)],
    products: [noodles, rice],
    vendors: [aVendor('v-a'), aVendor('v-b')],
    offers: [
      anOffer('v-a', noodles, 'packet', 20, 100),
      anOffer('v-a', rice, 'kg', 80, 100),
      anOffer('v-b', noodles, 'carton', 600, 10),
      anOffer('v-b', rice, 'kg', 80, 100),
    ],
    triedVendorIds: [],
    confirmedToday: new Map(),
    ...overrides,
  };
}

test('two identical vendors tie and are ordered by vendor id', () => {
  const d = rankVendors(anInput());
  assert.equal(
    d.candidates.map((c) => c.vendorId),
    ['v-a', 'v-b'],
  );
  assert.is(d.candidates[0]?.score, d.candidates[1]?.score);
  assert.is(d.selectedVendorId, 'v-a');
  assert.ok(d.fullCoverage);
  assert.equal(d.uncoveredLines, []);
  // 2 cartons = 60 packets at NPR 20 = NPR 1,200 (+ 25 kg rice NPR 2,000): units converted exactly.
  assert.is(d.candidates[0]?.estimatedCost.amount, npr(3_200).amount);
});

test('the cheaper vendor wins on price', () => {
  const input = anInput();
  const offers = input.offers.map((o) =>
    o.vendorId === 'v-b' && o.productId === rice.id ? { ...o, unitPrice: npr(70) } : o,
  );
  const d = rankVendors({ ...input, offers });
  assert.is(d.selectedVendorId, 'v-b');
  assert.ok((d.candidates[0]?.factors.price ?? 0) > (d.candidates[1]?.factors.price ?? 1));
});

test('stock conversion: a vendor with too few packets does not fully cover a carton line', () => {
  const input = anInput();
  const offers = input.offers.map((o) => (o.id === 'off-v-a-p-noodles' ? { ...o, stockOnHand: 30 } : o));
  const d = rankVendors({ ...input, offers });
  assert.is(d.selectedVendorId, 'v-b');
  const a = d.candidates.find((c) => c.vendorId === 'v-a');
  assert.is(a?.fullCoverage, false);
  assert.equal(a?.uncoveredLineIndexes, [0]);
});

test('excluded vendors are reported with reasons and never ranked', () => {
  const input = anInput({
    vendors: [
      aVendor('v-a'),
      aVendor('v-b', { capacity: 2 }),
      { ...aVendor('v-c'), status: 'SUSPENDED' },
      aVendor('v-d', { areas: ['pokhara'] }),
      aVendor('v-e'),
      aVendor('v-f'),
    ],
    triedVendorIds: ['v-a' as VendorId],
    confirmedToday: new Map([['v-b' as VendorId, 2]]),
  });
  const d = rankVendors(input);
  assert.equal(
    d.excluded.map((e) => [e.vendorId, e.reason]),
    [
      ['v-a', 'ALREADY_TRIED'],
      ['v-b', 'AT_CAPACITY'],
      ['v-c', 'INACTIVE'],
      ['v-d', 'OUTSIDE_AREA'],
      ['v-e', 'NO_MATCHING_OFFERS'],
      ['v-f', 'NO_MATCHING_OFFERS'],
    ],
  );
  assert.equal(d.candidates, []);
  assert.is(d.selectedVendorId, null);
  assert.is(d.fullCoverage, false);
  assert.is(d.uncoveredLines.length, 2);
});

test('one vendor only: it is selected; partial coverage is stated', () => {
  const d = rankVendors(anInput({ vendors: [aVendor('v-a')], offers: [anOffer('v-a', rice, 'kg', 80, 100)] }));
  assert.is(d.selectedVendorId, 'v-a');
  assert.is(d.fullCoverage, false);
  assert.equal(
    d.uncoveredLines.map((l) => l.sku),
    ['WAIWAI'],
  );
  assert.equal(
    d.linesCoveredByNoCandidate.map((l) => l.lineIndex),
    [0],
  );
});

test('a full-coverage vendor outranks a cheaper partial one', () => {
  const d = rankVendors(
    anInput({
      offers: [
        anOffer('v-a', rice, 'kg', 10, 100),
        anOffer('v-b', noodles, 'carton', 600, 10),
        anOffer('v-b', rice, 'kg', 90, 100),
      ],
    }),
  );
  assert.is(d.selectedVendorId, 'v-b');
  const partialFirst = rankVendors(
    anInput({
      offers: [
        anOffer('v-a', rice, 'kg', 10, 100),
        anOffer('v-b', noodles, 'carton', 600, 10),
        anOffer('v-b', rice, 'kg', 90, 100),
      ],
    }),
    {},
    { preferFullCoverage: false },
  );
  assert.is(partialFirst.candidates.length, 2);
});

test('minimum order quantity: below it a line is not covered', () => {
  const input = anInput({
    offers: [
      ...anInput().offers.filter((o) => o.vendorId !== 'v-a'),
      anOffer('v-a', noodles, 'packet', 20, 500, 100),
      anOffer('v-a', rice, 'kg', 80, 100),
    ],
  });
  const a = rankVendors(input).candidates.find((c) => c.vendorId === 'v-a');
  assert.equal(a?.uncoveredLineIndexes, [0]);
});

test('zero prices do not break the price factor', () => {
  const lines = [aLine(rice, 10, 'kg', 0)];
  const d = rankVendors(
    anInput({ lines, offers: [anOffer('v-a', rice, 'kg', 0, 100), anOffer('v-b', rice, 'kg', 5, 100)] }),
  );
  assert.is(d.selectedVendorId, 'v-a');
  assert.is(d.candidates[0]?.factors.price, 1);
  assert.is(d.candidates[1]?.factors.price, 0);
});

test('reliability is smoothed: a new vendor gets the prior, one perfect order barely moves it', () => {
  const d = rankVendors(anInput({ reliability: new Map([['v-a' as VendorId, { score: 1, sampleSize: 1 }]]) }));
  const a = d.candidates.find((c) => c.vendorId === 'v-a');
  const b = d.candidates.find((c) => c.vendorId === 'v-b');
  assert.is(b?.factors.reliability, 0.7);
  assert.ok((a?.factors.reliability ?? 0) > 0.7 && (a?.factors.reliability ?? 1) < 0.75);
  assert.is(a?.reliabilitySamples, 1);
});

test('distance: nearer wins; missing coordinates are neutral', () => {
  const vendors = [
    aVendor('v-a', { location: geoPoint(27.9, 85.5) }),
    aVendor('v-b', { location: geoPoint(27.71, 85.32) }),
  ];
  const d = rankVendors(anInput({ vendors }));
  assert.is(d.selectedVendorId, 'v-b');
  const neutral = rankVendors(anInput({ retailer: { area: 'kathmandu-10', location: null }, vendors }));
  assert.is(neutral.candidates[0]?.factors.distance, 0.5);
  assert.is(neutral.candidates[0]?.distanceKm, null);
});

test('load: a busier vendor scores lower', () => {
  const d = rankVendors(anInput({ confirmedToday: new Map([['v-a' as VendorId, 8]]) }));
  assert.is(d.selectedVendorId, 'v-b');
  assert.ok(Math.abs((d.candidates[1]?.factors.load ?? 0) - 0.2) < 1e-9);
});

test('weights are validated and normalised', () => {
  assert.throws(() => rankVendors(anInput(), { price: -1 }));
  assert.throws(() => rankVendors(anInput(), { price: 0, coverage: 0, reliability: 0, distance: 0, load: 0 }));
  const d = rankVendors(anInput(), { price: 3, coverage: 3, reliability: 2, distance: 1, load: 1 });
  assert.ok(Math.abs(d.weights.price - 0.3) < 1e-12);
});

test('property: routing never returns an excluded or tried vendor, and is deterministic', () => {
  const rand = prng(2024);
  const ids = ['v-1', 'v-2', 'v-3', 'v-4', 'v-5', 'v-6'];
  for (let i = 0; i < 200; i++) {
    const vendors = ids.map((id) =>
      aVendor(id, {
        capacity: Math.floor(rand() * 4),
        areas: rand() < 0.8 ? ['kathmandu-10'] : ['lalitpur'],
        location: rand() < 0.5 ? geoPoint(27.6 + rand() * 0.3, 85.2 + rand() * 0.3) : null,
      }),
    );
    const offers = ids.flatMap((id) =>
      [noodles, rice]
        .filter(() => rand() < 0.7)
        .map((p) =>
          anOffer(id, p, p === noodles ? 'packet' : 'kg', 1 + Math.floor(rand() * 100), Math.floor(rand() * 80)),
        ),
    );
    const tried = ids.filter(() => rand() < 0.3) as VendorId[];
    const confirmedToday = new Map(ids.map((id) => [id as VendorId, Math.floor(rand() * 3)]));
    const input = anInput({ vendors, offers, triedVendorIds: tried, confirmedToday });
    const d = rankVendors(input);
    const excluded = new Set(d.excluded.map((e) => e.vendorId));
    for (const c of d.candidates) {
      assert.not.ok(excluded.has(c.vendorId));
      assert.not.ok(tried.includes(c.vendorId));
      assert.ok(c.confirmedToday < c.dailyCapacity);
      assert.ok(c.score >= 0 && c.score <= 1);
    }
    assert.is(d.candidates.length + d.excluded.length, ids.length);
    if (d.selectedVendorId) assert.not.ok(excluded.has(d.selectedVendorId));
    const shuffled = rankVendors({ ...input, vendors: [...vendors].reverse(), offers: [...offers].reverse() });
    assert.equal(JSON.stringify(shuffled), JSON.stringify(d));
  }
});

test.run();

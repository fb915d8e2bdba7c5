import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { conversionRatio, type Product } from '../catalog/product.js';
import type { VendorOffer } from '../catalog/vendor-offer.js';
import { ValidationError } from '../shared/errors.js';
import { Money } from '../shared/money.js';
import { aProduct, anOffer, aVendor } from '../testing/builders.js';
import { deterministicIds } from '../testing/deterministic-ids.js';
import { ManualClock } from '../testing/manual-clock.js';
import { type OrderLineRequest, quoteOrderLines } from './order-pricing.js';

const clock = new ManualClock('2026-05-01T04:00:00Z');
const ids = deterministicIds(clock, 7);
const vendor = aVendor(ids, clock.now());

function quote(
  product: Product,
  offer: Partial<Parameters<typeof anOffer>[2]>,
  req: Omit<OrderLineRequest, 'productId'>,
) {
  const o: VendorOffer = anOffer(ids, clock.now(), {
    vendorId: vendor.id,
    productId: product.id,
    minOrderQty: 0.001,
    ...offer,
  });
  const result = quoteOrderLines([{ productId: product.id, ...req }], new Map([[product.id, product]]), [o], [vendor]);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value[0] as NonNullable<(typeof result.value)[0]>;
}

test('a packet from a carton-priced offer keeps the packet and rounds the exact total once', () => {
  const noodles = aProduct(ids, clock.now(), { baseUnit: 'packet', conversions: [{ unit: 'carton', toBase: 24 }] });
  const line = quote(noodles, { unit: 'carton', unitPrice: Money.of(239_999) }, { quantity: 1, unit: 'packet' });
  assert.is(line.quantity.toString(), '1 packet', "the retailer's quantity, not 0.042 carton");
  assert.is(line.priceUnit, 'carton');
  assert.is(line.unitPrice.amount, 239_999);
  // 2,399.99 / 24 = 99.99958… → 100.00; rounding the quantity first (0.042 carton) gave 100.80.
  assert.is(line.lineTotal.amount, 10_000);
  const thirty = quote(noodles, { unit: 'carton', unitPrice: Money.of(239_999) }, { quantity: 30, unit: 'packet' });
  assert.is(thirty.lineTotal.amount, 299_999, '30 × 2,399.99 / 24 = 2,999.9875');
});

test('a whole multiple converts the price itself, so the line reads in one unit', () => {
  const noodles = aProduct(ids, clock.now(), { baseUnit: 'packet', conversions: [{ unit: 'carton', toBase: 24 }] });
  const line = quote(noodles, { unit: 'packet', unitPrice: Money.of(1_999) }, { quantity: 2, unit: 'carton' });
  assert.equal([line.priceUnit, line.unitPrice.amount, line.lineTotal.amount], ['carton', 47_976, 95_952]);
});

test('fractional conversions (half-kilo packets, grams against a kg price) are exact', () => {
  const sugar = aProduct(ids, clock.now(), { baseUnit: 'kg', conversions: [{ unit: 'packet', toBase: 0.5 }] });
  assert.equal(conversionRatio(sugar, 'packet', 'kg'), { numerator: 1, denominator: 2 });
  assert.equal(conversionRatio(sugar, 'g', 'packet'), { numerator: 1, denominator: 500 });
  const packets = quote(sugar, { unit: 'kg', unitPrice: Money.of(11_001) }, { quantity: 3, unit: 'packet' });
  assert.equal([packets.priceUnit, packets.lineTotal.amount], ['kg', 16_502], '1.5 kg × 110.01 = 165.015 → 165.02');
  const grams = quote(sugar, { unit: 'packet', unitPrice: Money.of(5_599) }, { quantity: 333, unit: 'g' });
  // 333 g = 0.666 packet × 55.99 = 37.28934 → 37.29
  assert.equal([grams.quantity.toString(), grams.lineTotal.amount], ['333 g', 3_729]);
});

test('a conversion that cannot be held exactly is refused at the catalog', () => {
  assert.throws(
    () => aProduct(ids, clock.now(), { conversions: [{ unit: 'carton', toBase: 1 / 3 }] }),
    (e: unknown) => ValidationError.is(e) && /at most 6 decimals/.test((e as Error).message),
  );
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventTypes } from '../events/event-catalog.js';
import { ErrorCodes } from '../shared/errors.js';
import { Money } from '../shared/money.js';
import { expectFailure, expectOk } from '../testing/outcomes.js';
import { createTestWorld, type TestWorld } from '../testing/test-world.js';
import { offerUpdateText } from '../conversations/replies.js';

async function vendorWithOffers(world: TestWorld) {
  const vendor = await world.given.vendor();
  const rice = await world.given.product({
    sku: 'RMAN-ANN-25KG',
    name: 'Annapurna Mansuli Rice 25kg',
    category: 'rice',
    baseUnit: 'bag',
    conversions: [{ unit: 'kg', toBase: 0.04 }],
    aliases: [
      { text: 'annapurna mansuli rice', language: 'en' },
      { text: 'अन्नपूर्ण मन्सुली चामल', language: 'ne' },
    ],
  });
  const sugar = await world.given.product({
    sku: 'SUGAR',
    name: 'Sugar',
    category: 'sugar',
    baseUnit: 'kg',
    conversions: [{ unit: 'bag', toBase: 50 }],
    aliases: [
      { text: 'chini', language: 'ne-Latn' },
      { text: 'चिनी', language: 'ne' },
    ],
  });
  const other = await world.given.vendor();
  const oil = await world.given.product({
    sku: 'OIL-MUSTARD',
    name: 'Mustard Oil',
    baseUnit: 'litre',
    conversions: [],
  });
  await world.given.offer({ vendorId: vendor.id, productId: rice.id, unit: 'bag', unitPrice: Money.parse('2100') });
  await world.given.offer({
    vendorId: vendor.id,
    productId: sugar.id,
    unit: 'kg',
    unitPrice: Money.parse('90'),
    stockOnHand: 500,
  });
  await world.given.offer({ vendorId: other.id, productId: oil.id, unit: 'litre', unitPrice: Money.parse('300') });
  return { vendor, other, rice, sugar, asVendor: { type: 'vendor', id: vendor.id } as const };
}

test('a price by message goes through UpsertVendorOffer: price history, its event, and a confirmation', async () => {
  const world = createTestWorld();
  const v = await vendorWithOffers(world);
  const result = expectOk(
    await world.useCases.updateOfferFromMessage.execute({
      vendorId: v.vendor.id,
      text: 'rice mansuli 25kg रु २१५०',
      actor: v.asVendor,
    }),
  );
  assert.equal(
    [result.product.sku, result.kind, result.before.price.amount, result.after.price.amount],
    ['RMAN-ANN-25KG', 'price', 210_000, 215_000],
  );
  assert.is(offerUpdateText(result), 'Annapurna Mansuli Rice 25kg: price NPR 2,100.00 → NPR 2,150.00 per bag.');
  const stored = await world.repos.offers.getByVendorAndProduct(v.vendor.id, v.rice.id);
  assert.is(stored?.unitPrice.amount, 215_000);
  const history = await world.repos.priceHistory.listForProduct(v.rice.id, new Date(0));
  assert.is(history.at(-1)?.price.amount, 215_000);
  const claimed = await world.persistence.outbox.claim({ limit: 1_000, leaseMs: 60_000, now: world.clock.now() });
  assert.ok(claimed.some((m) => m.event.type === EventTypes.OFFER_PRICE_CHANGED));
  const again = expectOk(
    await world.useCases.updateOfferFromMessage.execute({
      vendorId: v.vendor.id,
      text: 'rice mansuli 25kg 2150',
      actor: v.asVendor,
    }),
  );
  assert.is(again.changed, false, 'the same price again changes nothing');
});

test("stock by message is converted into the offer's unit: 2 bora of sugar sold by the kg is 100 kg", async () => {
  const world = createTestWorld();
  const v = await vendorWithOffers(world);
  const result = expectOk(
    await world.useCases.updateOfferFromMessage.execute({
      vendorId: v.vendor.id,
      text: 'stock chini 2 bora',
      actor: v.asVendor,
    }),
  );
  assert.equal([result.kind, result.unit, result.before.stock, result.after.stock], ['stock', 'kg', 500, 100]);
  assert.is(result.after.price.amount, 9_000, 'the price is kept');
  assert.is(offerUpdateText(result), 'Sugar: stock 500 → 100 kg.');
});

test("refused with its reason: another vendor's product, a unit the product has no conversion for, another vendor", async () => {
  const world = createTestWorld();
  const v = await vendorWithOffers(world);
  const notMine = expectFailure(
    await world.useCases.updateOfferFromMessage.execute({
      vendorId: v.vendor.id,
      text: 'mustard oil 310',
      actor: v.asVendor,
    }),
    ErrorCodes.OFFER_UPDATE_UNREADABLE,
  );
  assert.is(notMine.details.reason, 'UNKNOWN_PRODUCT', 'only its own offers');
  const unit = expectFailure(
    await world.useCases.updateOfferFromMessage.execute({
      vendorId: v.vendor.id,
      text: 'stock annapurna mansuli 25kg 3 carton',
      actor: v.asVendor,
    }),
    ErrorCodes.OFFER_UPDATE_UNREADABLE,
  );
  assert.equal([unit.details.reason, unit.details.offerUnit], ['UNIT_MISMATCH', 'bag']);
  expectFailure(
    await world.useCases.updateOfferFromMessage.execute({
      vendorId: v.vendor.id,
      text: 'chini 95',
      actor: { type: 'vendor', id: v.other.id },
    }),
    ErrorCodes.FORBIDDEN,
  );
  const stored = await world.repos.offers.getByVendorAndProduct(v.vendor.id, v.sugar.id);
  assert.is(stored?.unitPrice.amount, 9_000, 'nothing changed');
});

test.run();

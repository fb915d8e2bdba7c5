import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { Money } from '../shared/money.js';
import { expectOk } from '../testing/outcomes.js';
import { createTestWorld } from '../testing/test-world.js';

test('upserting the same product or offer again writes and announces nothing; a real change does', async () => {
  const world = createTestWorld();
  const pending = async () => (await world.persistence.outbox.stats(world.clock.now())).pending;
  const input = {
    sku: 'atta-10',
    name: 'Fortune Chakki Atta 10kg',
    category: 'Flour',
    baseUnit: 'bag' as const,
    aliases: [{ text: 'पीठो', language: 'ne' as const }],
    actor: SYSTEM_ACTOR,
  };
  const first = expectOk(await world.useCases.upsertProduct.execute(input));
  assert.equal([first.created, first.changed], [true, true]);
  const events = await pending();
  world.clock.advance(60_000);
  const again = expectOk(await world.useCases.upsertProduct.execute({ ...input, sku: ' ATTA-10 ', category: 'flour' }));
  assert.equal([again.created, again.changed, again.product.updatedAt], [false, false, first.product.updatedAt]);
  assert.is(await pending(), events, 'no product.updated for nothing');
  const renamed = expectOk(await world.useCases.upsertProduct.execute({ ...input, name: 'Atta 10kg' }));
  assert.equal([renamed.changed, renamed.product.id], [true, first.product.id]);
  assert.is(await pending(), events + 1);

  const vendor = await world.given.vendor();
  const offer = {
    vendorId: vendor.id,
    productId: first.product.id,
    unit: 'bag' as const,
    unitPrice: Money.parse('650'),
    stockOnHand: 40,
    actor: SYSTEM_ACTOR,
  };
  const created = expectOk(await world.useCases.upsertVendorOffer.execute(offer));
  assert.equal([created.created, created.changed, created.priceChanged], [true, true, true]);
  const before = await pending();
  const same = expectOk(await world.useCases.upsertVendorOffer.execute({ ...offer, unitPrice: Money.parse('650.00') }));
  assert.equal([same.created, same.changed, same.priceChanged], [false, false, false]);
  assert.is(await pending(), before);
  const restocked = expectOk(await world.useCases.upsertVendorOffer.execute({ ...offer, stockOnHand: 41 }));
  assert.equal([restocked.changed, restocked.priceChanged], [true, false]);
  assert.is(await pending(), before + 1);
});

test.run();

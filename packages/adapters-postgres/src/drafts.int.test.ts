import { createDraftUseCases, LocalOrderTextParser, Money, type PlaceOrder, SYSTEM_ACTOR } from '@khaacho/core';
import { createWorldOn, draftMarket, expectOk } from '@khaacho/core/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPostgresPersistence, type PostgresPersistence } from './create-postgres-persistence.js';
import { truncateAll } from './testing/contract-subject.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';

/*
 * Drafts on a real server: confirming is idempotent under concurrency (the draft row lock),
 * history and defaults come from PostgreSQL, and an over-limit order is held, not rejected.
 */
const test = suite('drafts on PostgreSQL');

let db: TestDatabase;
let p: PostgresPersistence;

test.before(async () => {
  db = await createTestDatabase('khaacho_drafts');
  p = await createPostgresPersistence({ databaseUrl: db.url, migrate: true, poolMax: 12 });
});
test.after(async () => {
  await p?.close();
  await db?.drop();
});
test.before.each(async () => {
  await truncateAll(p);
});

const asShop = (id: string) => ({ type: 'retailer', id }) as const;

test('10 concurrent confirmations of one draft place one order, and all answer with it', async () => {
  const m = await draftMarket({ world: createWorldOn(p) });
  const draft = expectOk(
    await m.drafts.draftOrderFromText.execute({ retailerId: m.shop.id, text: 'chini 10 kg', actor: asShop(m.shop.id) }),
  );
  const results = await Promise.all(
    Array.from({ length: 10 }, () => m.drafts.confirmDraft.execute({ draftId: draft.id, actor: asShop(m.shop.id) })),
  );
  const placed = results.map((r) => {
    const v = expectOk(r);
    if (v.kind !== 'PLACED') throw new Error('expected PLACED');
    return v;
  });
  assert.is(new Set(placed.map((v) => v.order.id)).size, 1, 'one order id in every answer');
  assert.is(placed.filter((v) => !v.repeated).length, 1, 'placed once');
  const orders = expectOk(
    await m.world.useCases.listOrders.execute({ filter: { retailerId: m.shop.id }, page: { limit: 20 } }),
  );
  assert.is(orders.items.length, 1, 'one order stored');
  const stored = await p.repos.orderDrafts.get(draft.id);
  assert.is(stored?.status, 'CONFIRMED');
  assert.is(stored?.orderId, placed[0]?.order.id);
});

test("history and the catalog's default come from PostgreSQL", async () => {
  const m = await draftMarket({ world: createWorldOn(p) });
  await p.repos.catalogDefaults.set('tel', m.product('OIL-MUSTARD').id);
  const viaDefault = expectOk(
    await m.drafts.draftOrderFromText.execute({ retailerId: m.shop.id, text: 'tel 2 litre', actor: SYSTEM_ACTOR }),
  );
  assert.equal(
    viaDefault.lines.map((l) => [l.line.sku, l.resolvedBy]),
    [['OIL-MUSTARD', 'default']],
  );
  await m.bought(m.shop.id, 'OIL-SOYA', 2, 2);
  const viaHistory = expectOk(
    await m.drafts.draftOrderFromText.execute({ retailerId: m.shop.id, text: 'tel 2 litre', actor: SYSTEM_ACTOR }),
  );
  assert.equal(
    viaHistory.lines.map((l) => [l.line.sku, l.resolvedBy]),
    [['OIL-SOYA', 'history']],
  );
});

test('over the limit: held with CREDIT_LIMIT on PostgreSQL; the reduced draft replaces it', async () => {
  const m = await draftMarket({ world: createWorldOn(p), creditLimit: Money.parse('3000') });
  const draft = expectOk(
    await m.drafts.draftOrderFromText.execute({ retailerId: m.shop.id, text: 'chini 50 kg', actor: SYSTEM_ACTOR }),
  );
  const held = expectOk(await m.drafts.confirmDraft.execute({ draftId: draft.id, actor: SYSTEM_ACTOR }));
  if (held.kind !== 'PLACED' || !held.orderWhatFits) return assert.unreachable('held with what fits');
  assert.is(held.order.status, 'ON_HOLD');
  assert.is((await p.repos.orders.get(held.order.id))?.holdReason, 'CREDIT_LIMIT', 'stored');
  assert.is((await p.repos.orders.pendingExposure(m.shop.id, 'NPR')).amount, 0, 'reserves nothing');
  // NPR 3,000 at NPR 110/kg: 27 kg.
  assert.is(`${held.orderWhatFits.lines[0]?.line.quantity}`, '27 kg');
  const fits = expectOk(await m.drafts.confirmDraft.execute({ draftId: held.orderWhatFits.id, actor: SYSTEM_ACTOR }));
  assert.is(fits.kind === 'PLACED' ? fits.order.status : null, 'ROUTING');
  assert.is((await p.repos.orders.get(held.order.id))?.status, 'CANCELLED');
});

test('a price committed between the draft check and the placement is PRICES_CHANGED, never an order at a price the shop did not see', async () => {
  const m = await draftMarket({ world: createWorldOn(p) });
  const sugar = m.product('SUGAR');
  const real = m.world.useCases.placeOrder;
  let moved = false;
  // The vendor's new price commits (on another connection) after ConfirmDraft compared prices
  // and before PlaceOrder reads the offers: the interleaving that a busy catalog produces.
  const racing = Object.assign(Object.create(real) as PlaceOrder, {
    placeWithin: async (...args: Parameters<PlaceOrder['placeWithin']>) => {
      if (!moved) {
        moved = true;
        expectOk(
          await m.world.useCases.upsertVendorOffer.execute({
            vendorId: m.vendor.id,
            productId: sugar.id,
            unit: 'kg',
            unitPrice: Money.of(11_100),
            stockOnHand: 100_000,
            minOrderQty: 1,
            leadTimeHours: 24,
            actor: SYSTEM_ACTOR,
          }),
        );
      }
      return real.placeWithin(...args);
    },
  });
  const drafts = createDraftUseCases(m.world.ctx, { parser: new LocalOrderTextParser(m.catalog), placeOrder: racing });
  const draft = expectOk(
    await drafts.draftOrderFromText.execute({ retailerId: m.shop.id, text: 'chini 10 kg', actor: asShop(m.shop.id) }),
  );
  assert.is(draft.total.amount, 110_000);
  const r = expectOk(await drafts.confirmDraft.execute({ draftId: draft.id, actor: asShop(m.shop.id) }));
  assert.is(r.kind, 'PRICES_CHANGED', r.kind === 'PLACED' ? `placed at ${r.order.total.amount}` : '');
  if (r.kind === 'PRICES_CHANGED') assert.is(r.draft.total.amount, 111_000);
  const orders = expectOk(
    await m.world.useCases.listOrders.execute({ filter: { retailerId: m.shop.id }, page: { limit: 20 } }),
  );
  assert.is(orders.items.length, 0, 'nothing placed');
});

test.run();

import { DomainError, type ErrorCode, ErrorCodes, Money, type OrderId } from '@khaacho/core';
import { createWorldOn, expectOk } from '@khaacho/core/testing';
import pg from 'pg';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPostgresPersistence, type PostgresPersistence } from './create-postgres-persistence.js';
import { migrateUp } from './migrations-runner.js';
import { createOrm } from './orm/create-orm.js';
import { truncateAll } from './testing/contract-subject.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';

// Issue 8, items 6-9, against the real server: what the domain refuses never reaches it,
// what it accepts comes back as it was given, and one bad row planted by hand breaks nobody else.
const test = suite('bad input (real server)');
let db: TestDatabase;
let p: PostgresPersistence;

test.before(async () => {
  db = await createTestDatabase();
  p = await createPostgresPersistence({ databaseUrl: db.url, migrate: true, poolMax: 4 });
});
test.after(async () => {
  await p?.close();
  await db?.drop();
});
test.before.each(async () => {
  await truncateAll(p);
});

/** uvu formats `err.details` as an assertion diff: a DomainError's details object would hide the failure. */
function plain(body: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await body();
    } catch (e) {
      if (DomainError.is(e)) throw new Error(`${e.code}: ${e.message}`);
      throw e;
    }
  };
}

async function sql(url: string, text: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
}

/** The code a call was refused with, thrown or returned as a failure; 'none' when it succeeded. */
async function codeOf(work: () => Promise<unknown>): Promise<ErrorCode | string> {
  try {
    const done = await work();
    const failed = done as { ok?: unknown; error?: { code?: ErrorCode } } | undefined;
    return failed?.ok === false && failed.error?.code ? failed.error.code : 'none';
  } catch (e) {
    return DomainError.is(e) ? e.code : `raw ${String(e)}`;
  }
}

async function market(world: ReturnType<typeof createWorldOn>) {
  const retailer = await world.given.retailer();
  const vendor = await world.given.vendor({ location: { lat: 27.7, lng: 85.3 } });
  const rice = await world.given.product({ sku: 'RICE-1', baseUnit: 'kg', conversions: [] });
  await world.given.offer({ vendorId: vendor.id, productId: rice.id, unit: 'kg' });
  return { retailer, vendor, rice };
}

const order = (retailerId: string, extra: Record<string, unknown> = {}) =>
  ({
    retailerId,
    lines: [{ sku: 'RICE-1', quantity: 2 }],
    source: 'api',
    actor: { type: 'retailer', id: retailerId },
    ...extra,
  }) as never;

test(
  'issue 8 #6: one vendor stored with lat 277.1 does not break PlaceOrder in its area; a NaN retailer still loads',
  plain(async () => {
    // Own database: the checks are dropped to plant the rows, as an old row or a hand edit would be.
    const own = await createTestDatabase();
    const q = await createPostgresPersistence({ databaseUrl: own.url, migrate: true, poolMax: 2 });
    try {
      const world = createWorldOn(q);
      const { retailer, vendor, rice } = await market(world);
      const broken = await world.given.vendor({ location: { lat: 27.6, lng: 85.2 } });
      await world.given.offer({ vendorId: broken.id, productId: rice.id, unit: 'kg', unitPrice: Money.of(1_500) });
      const unlucky = await world.given.retailer({ location: { lat: 27.6, lng: 85.2 } });
      await sql(own.url, 'alter table vendors drop constraint if exists vendors_location_check');
      await sql(own.url, 'alter table retailers drop constraint if exists retailers_location_check');
      await sql(own.url, 'update vendors set lat = 277.1 where id = $1', [broken.id]);
      await sql(own.url, `update retailers set lat = 'NaN' where id = $1`, [unlucky.id]);

      const placed = await world.useCases.placeOrder.execute(order(retailer.id));
      assert.ok(placed.ok, JSON.stringify(placed));
      const serving = await q.repos.vendors.listActiveServing('kathmandu-10');
      assert.equal(
        serving.map((v) => [v.id, v.location]),
        [
          [vendor.id, { lat: 27.7, lng: 85.3 }],
          [broken.id, null],
        ].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
        'both vendors listed; the broken location reads as unknown',
      );
      assert.is((await q.repos.retailers.get(unlucky.id))?.location, null, 'the NaN retailer loads');
      assert.is((await q.repos.retailers.list({ limit: 10 })).items.length, 2, 'and lists');
      const theirs = await world.useCases.placeOrder.execute(order(unlucky.id));
      assert.ok(theirs.ok, 'and can still order');
    } finally {
      await q.close();
      await own.drop();
    }
  }),
);

test(
  'issue 8 #6: the migration nulls coordinates stored out of range, then the check refuses new ones',
  plain(async () => {
    const own = await createTestDatabase();
    const orm = await createOrm({ clientUrl: own.url, poolMax: 2 });
    try {
      await orm.migrator.up({ to: 'Migration20261122085628_initial' });
      const ids = ['1', '2', '3', '4'].map((n) => `00000000-0000-7000-8000-00000000000${n}`);
      const insert = `insert into vendors (id, name, phone, service_areas, daily_capacity, lat, lng, status, created_at, updated_at)
      values ($1, 'V', $2, '{a}', 5, $3, $4, 'ACTIVE', now(), now())`;
      await sql(own.url, insert, [ids[0], '+9779800000001', 277.1, 85.3]);
      await sql(own.url, insert, [ids[1], '+9779800000002', 'NaN', 85.3]);
      await sql(own.url, insert, [ids[2], '+9779800000003', 27.7, 85.3]);
      await sql(own.url, insert, [ids[3], '+9779800000004', 27.7, null]);
      await migrateUp(orm);
      const rows = await sql(own.url, 'select lat, lng from vendors order by id');
      assert.equal(rows.rows, [
        { lat: null, lng: null },
        { lat: null, lng: null },
        { lat: 27.7, lng: 85.3 },
        { lat: null, lng: null },
      ]);
      const refused = await sql(own.url, insert, [
        '00000000-0000-7000-8000-000000000005',
        '+9779800000005',
        'NaN',
        85.3,
      ]).then(
        () => 'stored',
        (e: { code?: string }) => e.code,
      );
      assert.is(refused, '23514', 'the check refuses NaN');
    } finally {
      await orm.close(true);
      await own.drop();
    }
  }),
);

test(
  'issue 8 #7: what PlaceOrder and RecordPayment return is what PostgreSQL stores; a lone surrogate is refused',
  plain(async () => {
    const world = createWorldOn(p);
    const { retailer } = await market(world);
    const note = '  चामल 🍚 दुई बोरा\nबिहान ७ बजे\t(पसल) ';
    const placed = await world.useCases.placeOrder.execute(order(retailer.id, { note }));
    assert.ok(placed.ok);
    if (!placed.ok) return;
    const stored = await p.repos.orders.get(placed.value.order.id);
    assert.is(placed.value.order.snapshot().note, note.trim());
    assert.is(stored?.snapshot().note, placed.value.order.snapshot().note, 'order note round trip');

    const staff = { type: 'operator', id: 'op-1' } as const;
    const paid = expectOk(
      await world.useCases.recordPayment.execute({
        retailerId: retailer.id,
        amount: Money.of(100),
        reference: 'ESEWA-१',
        note: 'नगद 💵',
        actor: staff,
      }),
    );
    const [entry] = await p.repos.credit.listEntries(retailer.id, {});
    assert.equal([entry?.note, entry?.reference], [paid.entry.note, paid.entry.reference], 'ledger round trip');

    const lone = await codeOf(() => world.useCases.placeOrder.execute(order(retailer.id, { note: 'half \ud83c' })));
    assert.is(lone, ErrorCodes.INVALID_CHARACTERS);
    const nul = await codeOf(() =>
      world.useCases.recordPayment.execute({
        retailerId: retailer.id,
        amount: Money.of(1),
        reference: 'R\u0000',
        actor: staff,
      }),
    );
    assert.is(nul, ErrorCodes.INVALID_CHARACTERS, 'NUL never reaches the server');
    assert.is((await p.repos.orders.list({}, { limit: 10 })).items.length, 1, 'only the good order');
  }),
);

test(
  'issue 8 #8: stock and minimum come back as stored; 10.0004 is refused instead of stored as 10.000',
  plain(async () => {
    const world = createWorldOn(p);
    const { vendor, rice } = await market(world);
    const offer = { vendorId: vendor.id, productId: rice.id, unit: 'kg' as const };
    const saved = await world.given.offer({ ...offer, stockOnHand: 10.001, minOrderQty: 0.25, leadTimeHours: 1.25 });
    const stored = await p.repos.offers.getByVendorAndProduct(vendor.id, rice.id);
    assert.equal(
      [stored?.stockOnHand, stored?.minOrderQty, stored?.leadTimeHours],
      [saved.stockOnHand, saved.minOrderQty, saved.leadTimeHours],
    );
    assert.is(await codeOf(() => world.given.offer({ ...offer, stockOnHand: 10.0004 })), ErrorCodes.TOO_MANY_DECIMALS);
    assert.is(await codeOf(() => world.given.offer({ ...offer, minOrderQty: 0.0004 })), ErrorCodes.TOO_MANY_DECIMALS);
    assert.is((await p.repos.offers.getByVendorAndProduct(vendor.id, rice.id))?.stockOnHand, 10.001, 'unchanged');
  }),
);

test(
  'issue 8 #9: a non-UUID id never reaches PostgreSQL; a refused source leaves no gap in order numbers',
  plain(async () => {
    const world = createWorldOn(p);
    const { retailer } = await market(world);
    try {
      expectOk(await world.useCases.getOrder.execute({ orderId: 'KH-12' as OrderId }));
      assert.unreachable('accepted');
    } catch (e) {
      assert.ok(DomainError.hasCode(e, ErrorCodes.INVALID_ID), String(e));
      assert.not.match(JSON.stringify((e as DomainError).toJSON()), /invalid input syntax|uuid:/);
    }
    assert.is(
      await codeOf(() => world.useCases.placeOrder.execute(order(retailer.id, { source: 'fax' }))),
      ErrorCodes.UNKNOWN_ORDER_SOURCE,
    );
    assert.is(
      await codeOf(() => world.useCases.placeOrder.execute(order(retailer.id, { actor: { type: 'robot', id: null } }))),
      ErrorCodes.UNKNOWN_ACTOR_TYPE,
    );
    const placed = await world.useCases.placeOrder.execute(order(retailer.id));
    assert.ok(placed.ok);
    if (placed.ok) assert.is(placed.value.order.number, 'KH-000001', 'the sequence was not touched');
  }),
);

test.run();

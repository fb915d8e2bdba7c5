import { ErrorCodes, PhoneNumber, UnavailableError } from '@khaacho/core';
import pg from 'pg';
import * as assert from 'uvu/assert';
import { suite } from 'uvu';
import { createPostgresPersistence, type PostgresPersistence } from './create-postgres-persistence.js';
import { ormOf } from './orm/persistence-orm.js';
import { preparedName } from './sql/prepared-statements.js';
import { openShop, type Shop } from './testing/shop-fixture.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';

/*
 * Hot lookups go as named prepared statements (sql/prepared-statements.ts): parsed once per
 * connection and, after five runs, planned once. A pool of one, so every statement below
 * runs on the backend whose pg_prepared_statements is read.
 */
const test = suite('prepared statements (real server, pool of 1)');
let db: TestDatabase;
let p: PostgresPersistence;
let shop: Shop;

test.before.each(async () => {
  db = await createTestDatabase('khaacho_prepared');
  p = await createPostgresPersistence({ databaseUrl: db.url, migrate: true, poolMax: 1 });
  shop = await openShop(p, 2);
});
test.after.each(async () => {
  await p.close();
  await db.drop();
});

const BY_PHONE = 'select * from retailers where phone = $1';

async function preparedOnBackend(): Promise<{ name: string; statement: string; generic_plans: number }[]> {
  const rows = await ormOf(p)
    .em.fork()
    .getConnection()
    .execute('select name, statement, generic_plans::int from pg_prepared_statements');
  return rows as { name: string; statement: string; generic_plans: number }[];
}

test('a hot lookup is prepared once under its name, answers as before, and reuses a generic plan', async () => {
  const retailer = shop.retailers[0];
  assert.ok(retailer);
  const name = preparedName(BY_PHONE);
  assert.ok(name, 'retailers by phone is registered');
  for (let i = 0; i < 8; i++) {
    const found = await p.repos.retailers.getByPhone(retailer.phone);
    assert.is(found?.id, retailer.id, 'the same shop');
  }
  assert.is(await p.repos.retailers.getByPhone(PhoneNumber.parse('9819999999')), null, 'an unknown phone: none');
  const statements = await preparedOnBackend();
  const mine = statements.filter((s) => s.name === name);
  assert.is(mine.length, 1, 'prepared on the connection, once');
  assert.is(mine[0]?.statement, BY_PHONE);
  assert.ok((mine[0]?.generic_plans ?? 0) >= 1, 'planned once and reused (plan_cache_mode auto)');
  assert.ok(
    statements.every((s) => s.name.startsWith('k_')),
    'only registered statements are named (everything else goes unnamed)',
  );
});

test('a migration that changes a prepared select * costs one failed call: the connection is replaced', async () => {
  const retailer = shop.retailers[0];
  assert.ok(retailer);
  await p.repos.retailers.getByPhone(retailer.phone);
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  try {
    await admin.query('alter table retailers add column prepared_probe integer');
  } finally {
    await admin.end();
  }
  // The statement prepared before the column existed: PostgreSQL refuses it on that connection.
  const first = await p.repos.retailers.getByPhone(retailer.phone).then(
    (r) => r,
    (e: unknown) => e,
  );
  if (first instanceof Error) {
    assert.ok(
      UnavailableError.is(first) && first.code === ErrorCodes.CONNECTION_LOST,
      `a stale statement is a lost connection (retry on a fresh one), got ${String(first)}`,
    );
  }
  for (let i = 0; i < 3; i++) {
    const again = await p.repos.retailers.getByPhone(retailer.phone);
    assert.is(again?.id, retailer.id, 'answers again on a fresh connection');
  }
  // Inside a unit of work too (Kysely's client path, not the pool's).
  const inTx = await p.uow.run((tx) => tx.retailers.getByPhone(retailer.phone));
  assert.is(inTx?.id, retailer.id);
});

test.run();

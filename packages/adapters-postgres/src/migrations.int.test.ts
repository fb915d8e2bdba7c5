import * as assert from 'uvu/assert';
import { suite } from 'uvu';
import { migrateDown, migrateUp, migrationStatus, schemaDrift } from './migrations-runner.js';
import { createOrm } from './orm/create-orm.js';
import { TABLE_NAMES } from './schema/entities.js';
import { createTestDatabase } from './testing/test-database.js';

const test = suite('migrations');

async function tables(orm: Awaited<ReturnType<typeof createOrm>>): Promise<string[]> {
  const rows = await orm.em
    .fork()
    .getConnection()
    .execute<{ table_name: string }[]>(
      `select table_name from information_schema.tables where table_schema = 'public' and table_name <> 'mikro_orm_migrations'`,
    );
  return rows.map((r) => r.table_name).sort();
}

test('up from empty, down to empty, up again; the schema matches the entities', async () => {
  const db = await createTestDatabase();
  const orm = await createOrm({ clientUrl: db.url, poolMax: 2 });
  try {
    assert.equal(await tables(orm), []);
    const applied = await migrateUp(orm);
    assert.ok(applied.length > 0, 'migrations applied');
    assert.equal(await tables(orm), [...TABLE_NAMES].sort(), 'every entity has its table');
    assert.is(await schemaDrift(orm), '', 'no pending schema diff after up');
    assert.equal((await migrationStatus(orm)).pending, []);

    await migrateDown(orm, 'all');
    assert.equal(await tables(orm), [], 'down removes every table');
    assert.equal((await migrationStatus(orm)).executed, []);

    assert.equal(await migrateUp(orm), applied, 'up again applies the same migrations');
    assert.is(await schemaDrift(orm), '', 'still no diff');
    assert.equal(await migrateUp(orm), [], 'a second up is a no-op');
  } finally {
    await orm.close(true);
    await db.drop();
  }
});

test('the ledger is append-only in the database itself', async () => {
  const db = await createTestDatabase();
  const orm = await createOrm({ clientUrl: db.url, poolMax: 2 });
  try {
    await migrateUp(orm);
    const conn = orm.em.fork().getConnection();
    const r = '00000000-0000-7000-8000-000000000001';
    await conn.execute(
      `insert into retailers values ('${r}', 'Shop', '+9779800000001', 'a', 'd', null, null, 'ACTIVE', now(), now())`,
    );
    await conn.execute(
      `insert into credit_accounts (retailer_id, currency, credit_limit, limit_set_manually, net_terms_days, balance,
         held, unapplied_credit, last_sequence, version, created_at, updated_at)
       values ('${r}', 'NPR', 100, false, 15, 0, 0, 0, 1, 1, now(), now())`,
    );
    await conn.execute(
      `insert into ledger_entries (id, retailer_id, sequence, type, amount, currency, allocations, actor_type, created_at)
       values ('00000000-0000-7000-8000-000000000002', '${r}', 1, 'ADJUSTMENT', 5, 'NPR', '[]', 'system', now())`,
    );
    let refused = false;
    try {
      await conn.execute('delete from ledger_entries');
    } catch (error) {
      refused = /append-only/.test(String(error));
    }
    assert.ok(refused, 'delete refused by the trigger');
  } finally {
    await orm.close(true);
    await db.drop();
  }
});

test.run();

import { Migration } from '@mikro-orm/migrations';
import * as assert from 'uvu/assert';
import { suite } from 'uvu';
import { MIGRATION_LOCK_TIMEOUT_MS, migrateUp } from './migrations-runner.js';
import { createOrm } from './orm/create-orm.js';
import { createTestDatabase } from './testing/test-database.js';

const test = suite('migration timeouts');

/** A data migration that runs longer than the API's statement timeout below. */
class SlowDataMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table slow_step (lock_timeout text not null)');
    this.addSql('select pg_sleep(0.6)');
    this.addSql(`insert into slow_step values (current_setting('lock_timeout'))`);
  }
}

test('review8 #4: a migration step longer than the API statement timeout completes; the pool keeps its timeout', async () => {
  const db = await createTestDatabase();
  const orm = await createOrm({
    clientUrl: db.url,
    poolMax: 1,
    timeouts: { statementMs: 200 },
    migrationsList: [{ name: 'Migration00000000000001_slow', class: SlowDataMigration }],
  });
  try {
    assert.equal(await migrateUp(orm), ['Migration00000000000001_slow']);
    const conn = orm.em.fork().getConnection();
    const [row] = await conn.execute<{ lock_timeout: string }[]>('select lock_timeout from slow_step');
    assert.is(row?.lock_timeout, `${MIGRATION_LOCK_TIMEOUT_MS / 1000}s`, 'a deliberate lock timeout while migrating');
    // The same pooled session still cancels a slow API statement: the migration's settings did not leak.
    const cancelled = await conn.execute('select pg_sleep(0.6)').then(
      () => 'ran',
      (e: { code?: string }) => e.code,
    );
    assert.is(cancelled, '57014');
  } finally {
    await orm.close(true);
    await db.drop();
  }
});

test.run();

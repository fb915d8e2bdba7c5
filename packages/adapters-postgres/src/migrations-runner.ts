import type { MikroORM, Transaction } from '@mikro-orm/postgresql';
import pg from 'pg';
import type { MigrateOptions, MigrationStatus } from './migration-options.js';

/**
 * How long a migration waits for a lock before it gives up (and rolls back whole). DDL takes
 * ACCESS EXCLUSIVE locks and every API query queues behind a waiting one, so the wait is
 * bounded, longer than the API's but not open-ended: a deploy that meets a long transaction
 * fails fast and is run again.
 */
export const MIGRATION_LOCK_TIMEOUT_MS = 10_000;

/** Apply every pending migration (all in one transaction); returns the names applied. */
export async function migrateUp(orm: MikroORM, options: MigrateOptions = {}): Promise<string[]> {
  return exclusively(orm, options, () =>
    inMigrationTransaction(orm, async (transaction) => (await orm.migrator.up({ transaction })).map((m) => m.name)),
  );
}

/** Revert the last `steps` migrations (default 1); `steps: 'all'` goes back to empty. */
export async function migrateDown(
  orm: MikroORM,
  steps: number | 'all' = 1,
  options: MigrateOptions = {},
): Promise<string[]> {
  if (steps !== 'all' && (!Number.isSafeInteger(steps) || steps < 1)) {
    throw new RangeError('steps must be a whole number ≥ 1 or "all"');
  }
  return exclusively(orm, options, () =>
    inMigrationTransaction(orm, async (transaction) => {
      const reverted =
        steps === 'all' ? await orm.migrator.down({ to: 0, transaction }) : await revertSteps(orm, steps, transaction);
      return reverted.map((m) => m.name);
    }),
  );
}

/**
 * The migrations' own transaction. The pool's sessions carry the API's statement timeout
 * (seconds), which would cancel a data migration over a whole table and roll it back on
 * every deploy: here there is none, and the lock wait has its own bound. SET LOCAL ends
 * with the transaction, so the pooled session goes back to the API's settings.
 */
async function inMigrationTransaction<T>(orm: MikroORM, work: (trx: Transaction) => Promise<T>): Promise<T> {
  // The migrator's first use checks the database and its table on a pool session of its own,
  // which a pool of one could not give while this transaction holds it: do that first.
  await orm.migrator.getExecuted();
  const connection = orm.em.getConnection();
  return connection.transactional(async (trx) => {
    await connection.execute('set local statement_timeout = 0', [], 'run', trx);
    await connection.execute(`set local lock_timeout = ${MIGRATION_LOCK_TIMEOUT_MS}`, [], 'run', trx);
    return work(trx);
  });
}

/** Both halves of the advisory lock key: "kh" and the migrations. */
const LOCK_KEY = [0x6b68, 1] as const;

/**
 * Run `work` while a session of its own holds the migration advisory lock. The lock is
 * held on a separate connection, not one of the pool's, so a pool of 1 can still migrate;
 * if that session dies, PostgreSQL releases the lock with it.
 */
async function exclusively<T>(orm: MikroORM, options: MigrateOptions, work: () => Promise<T>): Promise<T> {
  if (options.lock === false) return work();
  const client = new pg.Client(orm.em.getConnection().getConnectionOptions() as pg.ClientConfig);
  client.on('error', () => {}); // a lost lock session surfaces as the failure of its next query
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1, $2)', [...LOCK_KEY]);
    try {
      return await work();
    } finally {
      await client.query('select pg_advisory_unlock($1, $2)', [...LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}

async function revertSteps(orm: MikroORM, steps: number, transaction: Transaction) {
  const out = [];
  for (let i = 0; i < steps; i++) {
    const done = await orm.migrator.down({ transaction });
    if (done.length === 0) break;
    out.push(...done);
  }
  return out;
}

export async function migrationStatus(orm: MikroORM): Promise<MigrationStatus> {
  // Sequential: on a fresh database both calls would race to create the migrations table.
  const executed = await orm.migrator.getExecuted();
  const pending = await orm.migrator.getPending();
  return { executed: executed.map((m) => m.name), pending: pending.map((m) => m.name) };
}

/** SQL that would bring the database in line with the entities: empty when migrations are complete. */
export async function schemaDrift(orm: MikroORM): Promise<string> {
  const sql = await orm.schema.getUpdateSchemaSQL({ wrap: false });
  return sql.trim();
}

import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import type { MigrateOptions, MigrationStatus } from './migration-options.js';

/** Apply every pending migration (all in one transaction); returns the names applied. */
export async function migrateUp(orm: MikroORM, options: MigrateOptions = {}): Promise<string[]> {
  return exclusively(orm, options, async () => (await orm.migrator.up()).map((m) => m.name));
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
  return exclusively(orm, options, async () => {
    const reverted = steps === 'all' ? await orm.migrator.down({ to: 0 }) : await revertSteps(orm, steps);
    return reverted.map((m) => m.name);
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

async function revertSteps(orm: MikroORM, steps: number) {
  const out = [];
  for (let i = 0; i < steps; i++) {
    const done = await orm.migrator.down();
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

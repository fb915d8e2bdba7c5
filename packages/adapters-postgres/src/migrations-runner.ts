import type { MikroORM } from '@mikro-orm/postgresql';

export interface MigrationStatus {
  readonly executed: readonly string[];
  readonly pending: readonly string[];
}

/** Apply every pending migration (all in one transaction); returns the names applied. */
export async function migrateUp(orm: MikroORM): Promise<string[]> {
  return (await orm.migrator.up()).map((m) => m.name);
}

/** Revert the last `steps` migrations (default 1); `steps: 'all'` goes back to empty. */
export async function migrateDown(orm: MikroORM, steps: number | 'all' = 1): Promise<string[]> {
  const reverted = steps === 'all' ? await orm.migrator.down({ to: 0 }) : await revertSteps(orm, steps);
  return reverted.map((m) => m.name);
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

import type { PostgresPersistence } from './create-postgres-persistence.js';
import type { MigrateOptions, MigrationStatus } from './migration-options.js';
import * as runner from './migrations-runner.js';
import { ormOf } from './orm/persistence-orm.js';

/*
 * The migrations, for a program that owns its deploy step (the CLI does the same). They take
 * a persistence, not the ORM behind it, so no ORM type is part of this package's API. Open
 * the persistence with `migrate: true` to migrate at startup instead.
 */

export type { MigrateOptions, MigrationStatus } from './migration-options.js';

/** Apply every pending migration (all in one transaction); returns the names applied. */
export function migrateUp(persistence: PostgresPersistence, options?: MigrateOptions): Promise<string[]> {
  return runner.migrateUp(ormOf(persistence), options);
}

/** Revert the last `steps` migrations (default 1); `steps: 'all'` goes back to empty. */
export function migrateDown(
  persistence: PostgresPersistence,
  steps: number | 'all' = 1,
  options?: MigrateOptions,
): Promise<string[]> {
  return runner.migrateDown(ormOf(persistence), steps, options);
}

export function migrationStatus(persistence: PostgresPersistence): Promise<MigrationStatus> {
  return runner.migrationStatus(ormOf(persistence));
}

/** SQL that would bring the database in line with the entities: empty when migrations are complete. */
export function schemaDrift(persistence: PostgresPersistence): Promise<string> {
  return runner.schemaDrift(ormOf(persistence));
}

import { DomainError, ErrorCodes, UnavailableError } from '@khaacho/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { MIGRATIONS_TABLE } from './orm/create-orm.js';

/**
 * Fail at startup rather than at the first use case: the database answers and holds every
 * migration this code knows. Read-only: on a fresh database the migrations table is
 * looked up, not created.
 */
export async function assertSchemaCurrent(orm: MikroORM): Promise<void> {
  const [row] = await orm.em
    .fork()
    .getConnection()
    .execute<{ present: boolean }[]>('select to_regclass(?) is not null as present', [MIGRATIONS_TABLE]);
  // No migrations table: nothing has run. Asking the migrator would create the table.
  const pending = row?.present ? (await orm.migrator.getPending()).map((m) => m.name) : null;
  if (pending !== null && pending.length === 0) return;
  throw new UnavailableError(
    `the database schema is behind this code (${pending === null ? 'no migrations have run' : `pending: ${pending.join(', ')}`}): ` +
      'run `khaacho migrate up`, or start with `migrate: true`',
    { pending: pending ?? 'all' },
    ErrorCodes.MIGRATIONS_PENDING,
  );
}

/** A missing database named, so the message says what to create or which URL to fix. */
export function nameMissingDatabase(error: unknown, url: string): unknown {
  if (!DomainError.is(error) || error.code !== ErrorCodes.DATABASE_MISSING) return error;
  const database = decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres';
  return new UnavailableError(
    `database "${database}" does not exist: create it (createdb ${database}) or point DATABASE_URL at one that does`,
    { ...error.details, database },
    ErrorCodes.DATABASE_MISSING,
  );
}

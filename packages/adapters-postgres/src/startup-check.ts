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

/**
 * A failure while opening, described for the one who started the process: a missing
 * database named (what to create or which URL to fix); a server that never answered named
 * by host and port ("could not connect to …", not "connection lost": nothing was lost, and
 * the usual fix is the URL or the server). The code stays the translated one; never the URL
 * itself, which may hold a password.
 */
export function describeStartupFailure(error: unknown, url: string): unknown {
  const named = nameMissingDatabase(error, url);
  if (!DomainError.is(named) || named.code !== ErrorCodes.CONNECTION_LOST || named !== error) return named;
  const { hostname, port } = new URL(url);
  const address = `${hostname}:${port || '5432'}`;
  return new UnavailableError(
    `could not connect to ${address}: check that PostgreSQL is running there and that DATABASE_URL points at it`,
    { ...named.details, address },
    ErrorCodes.CONNECTION_LOST,
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

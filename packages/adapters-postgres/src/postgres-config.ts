import type { IdGenerator } from '@khaacho/core';
import type { RetryPolicy } from './pg-unit-of-work.js';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_DATA_DIR = './.khaacho/data';

export interface PostgresPersistenceConfig {
  /** A PostgreSQL server. Absent or null: embedded PGlite under `dataDir`. */
  readonly databaseUrl?: string | null;
  /** Embedded mode only: a folder (default `./.khaacho/data`) or `memory://`. */
  readonly dataDir?: string;
  /** Pool size for a server (default 10); embedded mode is capped by the socket's connections. */
  readonly poolMax?: number;
  /** Run pending migrations at startup. Default: true embedded, false for a server (use `khaacho migrate up`). */
  readonly migrate?: boolean;
  /** Ids for outbox and inbox rows (default: UUIDv7 from the system clock). */
  readonly ids?: IdGenerator;
  readonly retry?: RetryPolicy;
  /** Log every SQL statement (MikroORM debug). */
  readonly debug?: boolean;
}

/** DATABASE_URL, KHAACHO_DATA_DIR and KHAACHO_DB_POOL_MAX from the environment. */
export function persistenceConfigFromEnv(env: Readonly<Record<string, string | undefined>>): PostgresPersistenceConfig {
  const pool = env.KHAACHO_DB_POOL_MAX ? Number(env.KHAACHO_DB_POOL_MAX) : undefined;
  return {
    databaseUrl: env.DATABASE_URL?.trim() || null,
    dataDir: env.KHAACHO_DATA_DIR?.trim() || DEFAULT_DATA_DIR,
    ...(pool !== undefined && Number.isSafeInteger(pool) && pool > 0 ? { poolMax: pool } : {}),
  };
}

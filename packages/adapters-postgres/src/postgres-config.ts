import type { Clock, IdGenerator } from '@khaacho/core';
import type { RetryPolicy } from './retry-policy.js';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_DATA_DIR = './.khaacho/data';

/** Every bound a caller can wait on, in milliseconds. 0 turns one off. */
export interface PostgresTimeouts {
  /** `statement_timeout`: one statement's run time on the server (pg 57014 → QUERY_CANCELLED). */
  readonly statementMs: number;
  /** `lock_timeout`: waiting for one row or table lock (pg 55P03 → LOCK_TIMEOUT). */
  readonly lockMs: number;
  /** `idle_in_transaction_session_timeout`: a transaction left open without a statement is ended. */
  readonly idleInTransactionMs: number;
  /** Opening one connection: TCP, TLS and authentication (→ CONNECTION_LOST). */
  readonly connectMs: number;
  /** Waiting for a pooled connection when all are busy (→ POOL_EXHAUSTED). */
  readonly acquireMs: number;
}

/** Suited to an API: a request fails fast with a typed error rather than queueing behind a stuck lock. */
export const DEFAULT_TIMEOUTS: PostgresTimeouts = {
  statementMs: 5_000,
  lockMs: 2_000,
  idleInTransactionMs: 10_000,
  connectMs: 5_000,
  acquireMs: 5_000,
};

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
  /** Stamps when outbox rows are written, which their lag is measured from (default: the system clock). */
  readonly clock?: Clock;
  readonly retry?: RetryPolicy;
  /** Any subset; the rest keep `DEFAULT_TIMEOUTS`. */
  readonly timeouts?: Partial<PostgresTimeouts>;
  /** Log every SQL statement (MikroORM debug). */
  readonly debug?: boolean;
}

const TIMEOUT_ENV: Readonly<Record<keyof PostgresTimeouts, string>> = {
  statementMs: 'KHAACHO_DB_STATEMENT_TIMEOUT_MS',
  lockMs: 'KHAACHO_DB_LOCK_TIMEOUT_MS',
  idleInTransactionMs: 'KHAACHO_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS',
  connectMs: 'KHAACHO_DB_CONNECT_TIMEOUT_MS',
  acquireMs: 'KHAACHO_DB_ACQUIRE_TIMEOUT_MS',
};

/** DATABASE_URL, KHAACHO_DATA_DIR, KHAACHO_DB_POOL_MAX and the KHAACHO_DB_*_TIMEOUT_MS bounds. */
export function persistenceConfigFromEnv(env: Readonly<Record<string, string | undefined>>): PostgresPersistenceConfig {
  const pool = whole(env.KHAACHO_DB_POOL_MAX, 'KHAACHO_DB_POOL_MAX');
  const timeouts: Partial<Record<keyof PostgresTimeouts, number>> = {};
  for (const [key, name] of Object.entries(TIMEOUT_ENV) as [keyof PostgresTimeouts, string][]) {
    const ms = whole(env[name], name);
    if (ms !== undefined) timeouts[key] = ms;
  }
  return {
    databaseUrl: env.DATABASE_URL?.trim() || null,
    dataDir: env.KHAACHO_DATA_DIR?.trim() || DEFAULT_DATA_DIR,
    ...(pool !== undefined && pool > 0 ? { poolMax: pool } : {}),
    ...(Object.keys(timeouts).length > 0 ? { timeouts } : {}),
  };
}

/** The configured bounds over the defaults; a negative or fractional bound is refused at startup. */
export function resolveTimeouts(partial: Partial<PostgresTimeouts> = {}): PostgresTimeouts {
  const resolved = { ...DEFAULT_TIMEOUTS, ...partial };
  for (const [key, ms] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`timeouts.${key} must be a whole number of ms ≥ 0`);
  }
  return resolved;
}

function whole(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a whole number ≥ 0, got "${value}"`);
  return n;
}

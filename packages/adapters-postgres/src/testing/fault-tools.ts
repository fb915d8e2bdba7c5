import pg from 'pg';
import { serverUrl } from './test-database.js';

/*
 * Real faults against the local PostgreSQL for fault tests: backends terminated with
 * pg_terminate_backend, rows locked by a separate session. Never a mock.
 */

async function admin<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export type BackendState = 'active' | 'idle' | 'idle in transaction';

/** Backends of `database` (other than the caller's), optionally only those in `state`. */
export async function backends(database: string, state?: BackendState): Promise<number[]> {
  const rows = await admin<{ pid: number }>(
    `select pid from pg_stat_activity
     where datname = $1 and pid <> pg_backend_pid() and backend_type = 'client backend' and ($2::text is null or state = $2)`,
    [database, state ?? null],
  );
  return rows.map((r) => r.pid);
}

/** Backends of `database` whose statement is waiting for a lock. */
export async function waitingOnLock(database: string): Promise<number[]> {
  const rows = await admin<{ pid: number }>(
    `select pid from pg_stat_activity where datname = $1 and state = 'active' and wait_event_type = 'Lock'`,
    [database],
  );
  return rows.map((r) => r.pid);
}

/** pg_terminate_backend on each pid; resolves once they are gone. */
export async function terminate(pids: readonly number[]): Promise<void> {
  if (pids.length === 0) return;
  await admin('select pg_terminate_backend(pid, 5000) from unnest($1::int[]) as pid', [pids]);
}

/** What a PostgreSQL restart looks like to a client: every backend of the database is terminated. */
export async function terminateAll(database: string): Promise<number> {
  const pids = await backends(database);
  await terminate(pids);
  return pids.length;
}

/** Poll until `check` holds (or fail after `ms`). */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  ms = 5_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Settle `promise` within `ms`, or reject naming `what`. A hang in the code under test
 * becomes a failing assertion instead of a test run that never ends.
 */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** A separate session holding row locks in an open transaction until `release()`. */
export interface LockHolder {
  readonly pid: number;
  release(): Promise<void>;
}

export async function holdLock(url: string, sql: string, params: unknown[] = []): Promise<LockHolder> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  const [row] = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows;
  await client.query('begin');
  await client.query(sql, params);
  return {
    pid: (row as { pid: number }).pid,
    async release() {
      await client.query('rollback').catch(() => {});
      await client.end().catch(() => {});
    },
  };
}

/** Settle every promise; report each as its value or its error's code (or message). */
export async function outcomes<T>(promises: readonly Promise<T>[]): Promise<(T | string)[]> {
  const settled = await Promise.allSettled(promises);
  return settled.map((s) =>
    s.status === 'fulfilled' ? s.value : String((s.reason as { code?: unknown }).code ?? (s.reason as Error).message),
  );
}

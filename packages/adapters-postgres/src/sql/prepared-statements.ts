import { createHash } from 'node:crypto';

/*
 * Hot statements as named prepared statements. Each unnamed statement is parsed, analysed
 * and planned again on every round trip; for the short lookups a chat message makes (a
 * shop by phone, its conversation, its draft, the vendors of its area) that is most of the
 * backend's CPU: 3-10x the execution itself. A statement registered here is sent by the pg
 * client under a name derived from its text: parsed once per connection, and after five
 * runs PostgreSQL may keep a generic plan (plan_cache_mode auto) instead of planning again.
 *
 * Only statements whose plan does not depend on the values belong here (lookups by a key
 * or an indexed equality): a generic plan is chosen without the values. The registry is by
 * text, so the SQL reaches the client unchanged through Kysely or the pool, and a statement
 * not registered goes unnamed as before (PGlite never sees a name: it has no pg client).
 */

const names = new Map<string, string>();

/** Registers `sql` as a prepared statement and returns it unchanged. */
export function prepared(sql: string): string {
  if (!names.has(sql)) names.set(sql, `k_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`);
  return sql;
}

/** The statement name of registered SQL, else null (sent unnamed). */
export function preparedName(sql: string): string | null {
  return names.get(sql) ?? null;
}

/**
 * PostgreSQL refuses a prepared statement whose result columns changed under it (a
 * migration added a column to a `select *` while this connection held the statement):
 * SQLSTATE 0A000, "cached plan must not change result type". The statement stays broken on
 * that connection, so the connection is closed and the pool opens a fresh one.
 */
export function isStalePreparedStatement(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; message?: unknown };
  return e.code === '0A000' && typeof e.message === 'string' && e.message.includes('cached plan must not change');
}

import type pg from 'pg';
import { translatePgError } from './pg-exception-translator.js';
import type { SqlSession } from './sql-session.js';

/** One statement, committed on its own. */
export interface SqlRunner {
  rows<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

/**
 * Statements straight on the pg pool MikroORM made (same connections, timeouts and type
 * parsers), for a hot path of single autocommitted statements: a fork's Kysely handle costs
 * more CPU per statement than the insert itself on the webhook's path. Before the pool exists
 * (or with none), the session serves.
 */
export class PoolRunner implements SqlRunner {
  constructor(
    private readonly pool: () => pg.Pool | null,
    private readonly fallback: SqlSession,
  ) {}

  async rows<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    const pool = this.pool();
    if (!pool) return this.fallback.rows<R>(sql, params);
    try {
      const result = await pool.query(sql, params as unknown[]);
      return result.rows as R[];
    } catch (error) {
      throw translatePgError(error);
    }
  }
}

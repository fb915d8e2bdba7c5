import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery } from 'kysely';
import { translatePgError } from './pg-exception-translator.js';

/** Where repositories send SQL: the pool (each statement commits) or one open transaction. */
export interface SqlSession {
  readonly inTransaction: boolean;
  rows<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Rows affected. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Run `work` atomically: in this transaction if there is one, else in a new one. */
  atomic<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
}

/**
 * A session over a MikroORM EntityManager fork. Statements go through the fork's Kysely
 * handle, which is bound to the fork's transaction when there is one, with real `$n`
 * parameters (no client-side interpolation).
 */
export class MikroSqlSession implements SqlSession {
  constructor(
    private readonly em: EntityManager,
    readonly inTransaction: boolean,
  ) {}

  async rows<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    try {
      const result = await this.em.getKysely().executeQuery(CompiledQuery.raw(sql, [...params]));
      return result.rows as R[];
    } catch (error) {
      throw translatePgError(error);
    }
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    try {
      const result = await this.em.getKysely().executeQuery(CompiledQuery.raw(sql, [...params]));
      return Number(result.numAffectedRows ?? 0n);
    } catch (error) {
      throw translatePgError(error);
    }
  }

  async atomic<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    try {
      return await this.em.fork().transactional((em) => work(new MikroSqlSession(em, true)));
    } catch (error) {
      throw translatePgError(error);
    }
  }
}

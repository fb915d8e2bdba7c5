import {
  ErrorCodes,
  type IdempotencyStore,
  type Outbox,
  type OutboxWakeup,
  type Repositories,
  type UnitOfWork,
  systemClock,
  systemIds,
  UnavailableError,
  type OutboundMessageLog,
  type WebhookInbox,
} from '@khaacho/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded/embedded-postgres.js';
import { PgIdempotencyStore } from './messaging/pg-idempotency-store.js';
import { PgOutbox } from './messaging/pg-outbox.js';
import { PgOutboundMessageLog } from './messaging/pg-outbound-message-log.js';
import { LocalWakeup } from './messaging/local-wakeup.js';
import { InboxNotifier, PgWebhookInbox } from './messaging/pg-webhook-inbox.js';
import { PoolRunner } from './sql/pool-runner.js';
import { migrateUp } from './migrations-runner.js';
import { createOrm } from './orm/create-orm.js';
import { bindOrm } from './orm/persistence-orm.js';
import { PgUnitOfWork } from './pg-unit-of-work.js';
import { DEFAULT_DATA_DIR, type PostgresPersistenceConfig, resolveTimeouts } from './postgres-config.js';
import { createPgRepositories } from './repositories/pg-repositories.js';
import { translatePgError } from './sql/pg-exception-translator.js';
import { MikroSqlSession } from './sql/sql-session.js';
import { assertSchemaCurrent, describeStartupFailure } from './startup-check.js';

/** The pg pool's figures now (pg-pool's counters: no query, no await). */
export interface PoolStats {
  /** The pool's bound: `poolMax`, or embedded PostgreSQL's one connection. */
  readonly max: number;
  /** Open connections, idle or checked out. */
  readonly total: number;
  readonly idle: number;
  /** Callers waiting for a connection: the pool is at `max` and all are checked out. */
  readonly waiting: number;
}

export interface PostgresPersistence {
  readonly mode: 'server' | 'embedded';
  readonly repos: Repositories;
  readonly uow: UnitOfWork;
  readonly outbox: Outbox;
  readonly inbox: WebhookInbox;
  readonly outboundLog: OutboundMessageLog;
  readonly idempotency: IdempotencyStore;
  /**
   * Embedded only: the inbox processor's and the outbox relay's wake-ups, in the process (a
   * server's are LISTEN/NOTIFY on connections of their own, which PGlite's one connection
   * cannot spare). null on a server.
   */
  readonly localWakeups: { readonly inbox: OutboxWakeup; readonly outbox: OutboxWakeup } | null;
  /**
   * `select 1` round trip: what a readiness probe calls. Throws UnavailableError when down,
   * busy past the acquire timeout, or silent for longer than acquire + statement timeouts.
   */
  ping(): Promise<void>;
  /**
   * The connection pool's figures. Embedded, the pool talks to PGlite's socket, which serves
   * one connection over one backend: `max` is 1 and `waiting` is the queue for that backend.
   */
  poolStats(): PoolStats;
  /** Closes the pool and stops embedded PostgreSQL, whose server keeps the process alive until then. */
  close(): Promise<void>;
  /** `await using persistence = await createPostgresPersistence()` closes it on leaving the scope. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** What the package's own CLI needs besides the config: `none` skips the schema check (it migrates). */
export type StartupSchema = 'check' | 'none';

/**
 * Connect (or start embedded PostgreSQL), migrate when `config.migrate` says so, and wire
 * every port. Fails at startup, with a typed error naming the fix, when the database is
 * missing (`STORAGE.DATABASE_MISSING`), unreachable (`STORAGE.CONNECTION_LOST`) or behind
 * the code's migrations (`STORAGE.MIGRATIONS_PENDING`).
 */
export function createPostgresPersistence(config: PostgresPersistenceConfig = {}): Promise<PostgresPersistence> {
  return openPostgresPersistence(config, 'check');
}

export async function openPostgresPersistence(
  config: PostgresPersistenceConfig,
  schema: StartupSchema,
): Promise<PostgresPersistence> {
  let embedded: EmbeddedPostgres | null = null;
  let url = config.databaseUrl ?? null;
  if (!url) {
    embedded = await startEmbeddedPostgres(config.dataDir ?? DEFAULT_DATA_DIR);
    url = embedded.url;
  }
  const poolMax = embedded
    ? Math.min(config.poolMax ?? embedded.maxConnections, embedded.maxConnections)
    : (config.poolMax ?? 10);
  const timeouts = resolveTimeouts(config.timeouts);
  let orm: MikroORM;
  // MikroORM creates the pool (and may create it again on a reconnect): keep the latest.
  let pool: pg.Pool | null = null;
  try {
    orm = await createOrm({
      clientUrl: url,
      poolMax,
      onPool: (created) => {
        pool = created;
      },
      debug: config.debug ?? false,
      timeouts,
      sessionTimeouts: embedded === null,
      // PGlite's socket serves every connection from its one backend session, so a statement
      // prepared by a connection that closed is still there for the next one's Parse.
      preparedStatements: embedded === null,
    });
  } catch (error) {
    await embedded?.stop();
    throw describeStartupFailure(translatePgError(error), url);
  }
  try {
    if (config.migrate ?? embedded !== null) await migrateUp(orm, { lock: embedded === null });
    else if (schema === 'check') await assertSchemaCurrent(orm);
  } catch (error) {
    await orm.close(true);
    await embedded?.stop();
    throw describeStartupFailure(translatePgError(error), url);
  }
  // A composition root passes its own ids; core's system provider serves standalone use (the CLI).
  const ids = config.ids ?? systemIds();
  const clock = config.clock ?? systemClock;
  const session = new MikroSqlSession(orm.em.fork(), false);
  // The webhook inbox's writes go to the pool without the ORM session (its hot path).
  const direct = new PoolRunner(() => pool, session);
  const close = async () => {
    await orm.close(true);
    await embedded?.stop();
  };
  const inboxWakeup = embedded ? new LocalWakeup() : null;
  const outboxWakeup = embedded ? new LocalWakeup() : null;
  const persistence: PostgresPersistence = {
    localWakeups: inboxWakeup && outboxWakeup ? { inbox: inboxWakeup, outbox: outboxWakeup } : null,
    mode: embedded ? 'embedded' : 'server',
    repos: createPgRepositories(session),
    uow: new PgUnitOfWork(orm, ids, config.retry, outboxWakeup, clock),
    outbox: new PgOutbox(session, ids, outboxWakeup, clock),
    inbox: new PgWebhookInbox(session, ids, inboxWakeup ?? new InboxNotifier(direct), direct),
    outboundLog: new PgOutboundMessageLog(session),
    idempotency: new PgIdempotencyStore(session),
    async ping() {
      const ms = Math.max(timeouts.acquireMs + timeouts.statementMs, 1_000);
      await deadline(session.rows('select 1'), ms);
    },
    poolStats() {
      const p = pool as pg.Pool | null;
      return { max: poolMax, total: p?.totalCount ?? 0, idle: p?.idleCount ?? 0, waiting: p?.waitingCount ?? 0 };
    },
    close,
    [Symbol.asyncDispose]: close,
  };
  return bindOrm(persistence, orm);
}

/** A database that never answers (a dropped network) must not hang a readiness probe. */
async function deadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new UnavailableError('the database did not answer in time', { ms }, ErrorCodes.CONNECTION_LOST)),
      ms,
    );
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

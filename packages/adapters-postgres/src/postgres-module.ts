import {
  CLOCK,
  type Clock,
  ID_GENERATOR,
  IDEMPOTENCY_STORE,
  type IdGenerator,
  LOGGER,
  type Logger,
  OUTBOX,
  OUTBOX_WAKEUP,
  type OutboxWakeup,
  REPOSITORIES,
  REPOSITORY_TOKENS,
  type Repositories,
  type Token,
  token,
  UNIT_OF_WORK,
  INBOX_WAKEUP,
  OUTBOUND_MESSAGE_LOG,
  WEBHOOK_INBOX,
} from '@khaacho/core';
import { ContainerModule } from 'inversify';
import { createPostgresPersistence, type PostgresPersistence } from './create-postgres-persistence.js';
import { INBOX_CHANNEL, PgOutboxListener } from './messaging/pg-outbox-listener.js';
import type { PostgresPersistenceConfig } from './postgres-config.js';

/** The opened persistence itself (for `ping()` in a readiness probe). */
export const POSTGRES_PERSISTENCE: Token<PostgresPersistence> = token('PostgresPersistence');

/** Everything `createPostgresPersistence` takes except the ids and the clock, which come from the container. */
export type PostgresModuleConfig = Omit<PostgresPersistenceConfig, 'ids' | 'clock'>;

/**
 * An Inversify module binding every persistence port this package implements: the unit of
 * work, `Repositories` and each repository, the outbox, the webhook inbox and the
 * idempotency store. It needs `ID_GENERATOR` bound by the app (the process-level UUIDv7) and `CLOCK`.
 * On a server it also binds `OUTBOX_WAKEUP` (a `PgOutboxListener`, which needs `LOGGER`).
 *
 * Opening is asynchronous (connect, migrate or check the schema), so the persistence is a
 * singleton promise: resolve any of these tokens once with `container.getAsync` before
 * using `container.get`. Unbinding it (`container.unbindAll()`/`unload`) closes the pool
 * and stops embedded PostgreSQL.
 */
export function postgresModule(config: PostgresModuleConfig = {}): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<PostgresPersistence>(POSTGRES_PERSISTENCE)
      .toResolvedValue(
        (ids: IdGenerator, clock: Clock) => createPostgresPersistence({ ...config, ids, clock }),
        [ID_GENERATOR, CLOCK],
      )
      .inSingletonScope()
      .onDeactivation((persistence) => persistence.close());
    const fromPersistence = <T>(service: Token<T>, pick: (persistence: PostgresPersistence) => T): void => {
      bind<T>(service).toResolvedValue(pick, [POSTGRES_PERSISTENCE]).inSingletonScope();
    };
    fromPersistence(UNIT_OF_WORK, (p) => p.uow);
    fromPersistence(REPOSITORIES, (p) => p.repos);
    for (const key of Object.keys(REPOSITORY_TOKENS) as (keyof Repositories)[]) {
      fromPersistence<Repositories[typeof key]>(REPOSITORY_TOKENS[key], (p) => p.repos[key]);
    }
    fromPersistence(OUTBOX, (p) => p.outbox);
    fromPersistence(WEBHOOK_INBOX, (p) => p.inbox);
    fromPersistence(OUTBOUND_MESSAGE_LOG, (p) => p.outboundLog);
    fromPersistence(IDEMPOTENCY_STORE, (p) => p.idempotency);
    // On a server, relays wake on LISTEN/NOTIFY. Embedded PGlite has no second connection
    // to listen on (its socket serves one, held by the pool), so there the outbox relay only
    // polls, and the inbox processor is woken in the process by the webhook that shares it.
    const databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      const none: OutboxWakeup = { subscribe: () => () => {} };
      bind<OutboxWakeup>(INBOX_WAKEUP)
        .toResolvedValue((p: PostgresPersistence) => p.localWakeups?.inbox ?? none, [POSTGRES_PERSISTENCE])
        .inSingletonScope();
      bind<OutboxWakeup>(OUTBOX_WAKEUP)
        .toResolvedValue((p: PostgresPersistence) => p.localWakeups?.outbox ?? none, [POSTGRES_PERSISTENCE])
        .inSingletonScope();
    }
    if (databaseUrl) {
      bind<OutboxWakeup>(OUTBOX_WAKEUP)
        .toResolvedValue(
          (logger: Logger) =>
            new PgOutboxListener({
              databaseUrl,
              ...(config.timeouts?.connectMs ? { connectTimeoutMs: config.timeouts.connectMs } : {}),
              logger,
            }).start(),
          [LOGGER],
        )
        .inSingletonScope()
        .onDeactivation((listener) => (listener instanceof PgOutboxListener ? listener.close() : undefined));
      bind<OutboxWakeup>(INBOX_WAKEUP)
        .toResolvedValue(
          (logger: Logger) =>
            new PgOutboxListener({
              databaseUrl,
              channel: INBOX_CHANNEL,
              ...(config.timeouts?.connectMs ? { connectTimeoutMs: config.timeouts.connectMs } : {}),
              logger,
            }).start(),
          [LOGGER],
        )
        .inSingletonScope()
        .onDeactivation((listener) => (listener instanceof PgOutboxListener ? listener.close() : undefined));
    }
  });
}

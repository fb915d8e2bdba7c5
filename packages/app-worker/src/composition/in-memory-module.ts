import {
  CACHE,
  CLOCK,
  ID_GENERATOR,
  IDEMPOTENCY_STORE,
  JOB_QUEUE,
  LEASE_LOCK,
  MESSAGE_SENDER,
  RATE_LIMITER,
  OUTBOX,
  type RateLimiter,
  type RateLimitPolicy,
  REPOSITORIES,
  REPOSITORY_TOKENS,
  type Repositories,
  TIMER,
  type Token,
  token,
  UNIT_OF_WORK,
  OUTBOUND_MESSAGE_LOG,
  WEBHOOK_INBOX,
} from '@khaacho/core';
import {
  createInMemoryPersistence,
  InMemoryCache,
  type InMemoryPersistence,
  InMemoryJobQueue,
  InMemoryLeaseLock,
  InMemoryMessageSender,
  InMemoryRateLimiter,
} from '@khaacho/core/testing';
import { DEFAULT_RATE_LIMIT } from '@khaacho/adapters-redis';
import { ContainerModule } from 'inversify';
import { provide } from './bindings.js';

/** The in-memory store itself (tests read it; nothing in production needs it). */
export const IN_MEMORY_PERSISTENCE: Token<InMemoryPersistence> = token('InMemoryPersistence');

/*
 * core's in-memory adapters as Inversify modules. They live here, not in core, because core
 * never imports a container. Everything vanishes with the process: for tests, demos and
 * `KHAACHO_STORE=memory`.
 */

/** Every persistence port the PostgreSQL module binds, in memory. Needs ID_GENERATOR and CLOCK. */
export function inMemoryPersistenceModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    provide(bind, IN_MEMORY_PERSISTENCE, [ID_GENERATOR, CLOCK], (ids, clock) => createInMemoryPersistence(ids, clock));
    provide(bind, UNIT_OF_WORK, [IN_MEMORY_PERSISTENCE], (p) => p.uow);
    provide(bind, REPOSITORIES, [IN_MEMORY_PERSISTENCE], (p) => p.repos);
    for (const key of Object.keys(REPOSITORY_TOKENS) as (keyof Repositories)[]) {
      provide(
        bind,
        REPOSITORY_TOKENS[key] as Token<Repositories[typeof key]>,
        [IN_MEMORY_PERSISTENCE],
        (p) => p.repos[key],
      );
    }
    provide(bind, OUTBOX, [IN_MEMORY_PERSISTENCE], (p) => p.outbox);
    provide(bind, WEBHOOK_INBOX, [IN_MEMORY_PERSISTENCE], (p) => p.inbox);
    provide(bind, OUTBOUND_MESSAGE_LOG, [IN_MEMORY_PERSISTENCE], (p) => p.outboundLog);
    provide(bind, IDEMPOTENCY_STORE, [IN_MEMORY_PERSISTENCE], (p) => p.idempotency);
  });
}

/**
 * What `redisModule` binds, in one process: job queue, cache, rate limiter (the same
 * default policy) and lease lock. Needs CLOCK and TIMER.
 */
/**
 * Closing waits at most this long for running jobs: a worker's `stop()` has already waited its
 * own bound for them, and an abandoned embedded job is published again after its lease.
 */
const QUEUE_CLOSE_TIMEOUT_MS = 2_000;

export function inMemoryQueueModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    provide(
      bind,
      JOB_QUEUE,
      [CLOCK, TIMER],
      (clock, timer) => new InMemoryJobQueue(clock, timer, { closeTimeoutMs: QUEUE_CLOSE_TIMEOUT_MS }),
    ).onDeactivation((queue) => queue.close());
    provide(bind, CACHE, [CLOCK], (clock) => new InMemoryCache(clock));
    provide(bind, RATE_LIMITER, [CLOCK], (clock) => new InMemoryRateLimiter(clock, DEFAULT_RATE_LIMIT));
    provide(bind, LEASE_LOCK, [CLOCK], (clock) => new InMemoryLeaseLock(clock));
  });
}

/** A sender that keeps every message (`sent`) instead of sending it: `KHAACHO_MESSAGE_SENDER=memory`, for tests. */
export function inMemoryMessageSenderModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    provide(bind, MESSAGE_SENDER, [], () => new InMemoryMessageSender());
  });
}

/** A rate limiter under its own token and policy, counted in this process (no Redis). Needs CLOCK. */
export function inMemoryRateLimiterModule(service: Token<RateLimiter>, policy: RateLimitPolicy): ContainerModule {
  return new ContainerModule(({ bind }) => {
    provide(bind, service, [CLOCK], (clock) => new InMemoryRateLimiter(clock, policy));
  });
}

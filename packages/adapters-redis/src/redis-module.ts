import {
  CACHE,
  JOB_QUEUE,
  LEASE_LOCK,
  LOGGER,
  type Logger,
  RATE_LIMITER,
  type RateLimitPolicy,
  type Token,
  token,
} from '@khaacho/core';
import { ContainerModule } from 'inversify';
import { BeeJobQueue, type BeeJobQueueConfig } from './bee-job-queue.js';
import { RedisCache } from './redis-cache.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, RedisConnection, type RedisConnectionConfig } from './redis-connection.js';
import { RedisLeaseLock } from './redis-lease-lock.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

/** The shared connection (for `ping()`, or an adapter the module does not bind). */
export const REDIS_CONNECTION: Token<RedisConnection> = token('RedisConnection');

/**
 * Resolves when every Redis client answers (`RedisConnection.check`: the command and worker
 * clients PING, the queue workers' connections are up), waiting up to the connect timeout
 * for a first connection; rejects with `UnavailableError` (`DEPENDENCY.UNAVAILABLE`) when one
 * does not, `details.reason: 'config'` when the server refused the URL's database.
 */
export type RedisReadinessCheck = () => Promise<void>;
export const REDIS_READINESS: Token<RedisReadinessCheck> = token('RedisReadiness');

export const DEFAULT_REDIS_PREFIX = 'khaacho';
/** The policy of the one `RATE_LIMITER` the module binds, unless the config gives another. */
export const DEFAULT_RATE_LIMIT: RateLimitPolicy = Object.freeze({ points: 60, durationMs: 60_000 });

export interface RedisModuleConfig extends Omit<RedisConnectionConfig, 'logger'> {
  /** Every key starts with `<prefix>:` (queues under `<prefix>:bq`). Default `khaacho`. */
  readonly prefix?: string;
  /** Per-queue concurrency and timeout (defaults: core's `DEFAULT_QUEUE_CONCURRENCY`, 60 s). */
  readonly queues?: BeeJobQueueConfig['queues'];
  /** A job run longer than this counts as a failed attempt, unless its queue says otherwise. */
  readonly jobTimeoutMs?: number;
  /** `stop()`/`close()` wait this long for running jobs. Default 10 s. */
  readonly stopTimeoutMs?: number;
  /** How long a succeeded job's record (and so its id's duplicate check) is kept. Default 7 days. */
  readonly succeededRetentionMs?: number;
  readonly rateLimit?: RateLimitPolicy;
}

/**
 * An Inversify module binding the Redis adapters on one connection: `JOB_QUEUE` →
 * `BeeJobQueue`, `CACHE` → `RedisCache`, `RATE_LIMITER` → `RedisRateLimiter`,
 * `LEASE_LOCK` → `RedisLeaseLock`, plus `REDIS_CONNECTION` and `REDIS_READINESS`. It
 * needs `LOGGER` bound by the app.
 *
 * Everything is a singleton and nothing waits for the server: the connection retries in
 * the background, so a container composes while Redis is down and `REDIS_READINESS`
 * says so. Unbinding (`container.unbindAllAsync()`) closes the queue (consumers drain,
 * bounded) and then the connection, in that order whichever deactivation runs first.
 */
export function redisModule(config: RedisModuleConfig): ContainerModule {
  const {
    prefix = DEFAULT_REDIS_PREFIX,
    queues,
    jobTimeoutMs,
    stopTimeoutMs,
    succeededRetentionMs,
    rateLimit,
    ...connection
  } = config;
  // Deactivations may run in any order: the connection's waits for the queue's close.
  let queueClosing: Promise<void> | null = null;
  let openedQueue: BeeJobQueue | null = null;
  const closeQueue = (): Promise<void> => {
    queueClosing ??= openedQueue ? openedQueue.close() : Promise.resolve();
    return queueClosing;
  };
  return new ContainerModule(({ bind }) => {
    bind<RedisConnection>(REDIS_CONNECTION)
      .toResolvedValue((logger: Logger) => new RedisConnection({ ...connection, logger }), [LOGGER])
      .inSingletonScope()
      .onDeactivation(async (redis) => {
        await closeQueue();
        await redis.close();
      });
    bind<BeeJobQueue>(JOB_QUEUE)
      .toResolvedValue(
        (redis: RedisConnection, logger: Logger) => {
          openedQueue = new BeeJobQueue({
            connection: redis,
            prefix: `${prefix}:bq`,
            logger,
            ...(queues ? { queues } : {}),
            ...(jobTimeoutMs === undefined ? {} : { jobTimeoutMs }),
            ...(stopTimeoutMs === undefined ? {} : { stopTimeoutMs }),
            ...(succeededRetentionMs === undefined ? {} : { succeededRetentionMs }),
          });
          return openedQueue;
        },
        [REDIS_CONNECTION, LOGGER],
      )
      .inSingletonScope()
      .onDeactivation(() => closeQueue());
    bind<RedisCache>(CACHE)
      .toResolvedValue(
        (redis: RedisConnection, logger: Logger) => new RedisCache({ connection: redis, prefix: `${prefix}:`, logger }),
        [REDIS_CONNECTION, LOGGER],
      )
      .inSingletonScope();
    bind<RedisRateLimiter>(RATE_LIMITER)
      .toResolvedValue(
        (redis: RedisConnection, logger: Logger) =>
          new RedisRateLimiter({
            connection: redis,
            prefix: `${prefix}:rl`,
            logger,
            ...(rateLimit ?? DEFAULT_RATE_LIMIT),
          }),
        [REDIS_CONNECTION, LOGGER],
      )
      .inSingletonScope();
    bind<RedisLeaseLock>(LEASE_LOCK)
      .toResolvedValue(
        (redis: RedisConnection) => new RedisLeaseLock({ connection: redis, prefix: `${prefix}:` }),
        [REDIS_CONNECTION],
      )
      .inSingletonScope();
    bind<RedisReadinessCheck>(REDIS_READINESS)
      .toResolvedValue(
        (redis: RedisConnection) => async () => {
          // Right after start the first connection may still be on its way: wait for it, bounded.
          if (!redis.workersReady) await firstReady(redis, connection.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
          // Every client, not just the command one: the queue's workers have their own.
          await redis.check();
        },
        [REDIS_CONNECTION],
      )
      .inSingletonScope();
  });
}

function firstReady(redis: RedisConnection, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      off();
      resolve();
    };
    const timer = setTimeout(done, ms);
    // onReady fires for the workers' client too, which may connect first: wait for `client`.
    // Both clients: the command one is often ready a moment before the workers' one.
    const off = redis.onReady(() => {
      if (redis.workersReady) done();
    });
  });
}

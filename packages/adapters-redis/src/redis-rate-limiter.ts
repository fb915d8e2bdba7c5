import {
  type Logger,
  NOOP_LOGGER,
  type RateLimitDecision,
  type RateLimiter,
  type RateLimitPolicy,
  ValidationError,
} from '@khaacho/core';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { decisionOf } from './rate-limit-decision.js';
import { messageOf } from './redis-errors.js';
import type { RedisConnection } from './redis-connection.js';

export interface RedisRateLimiterConfig extends RateLimitPolicy {
  readonly connection: RedisConnection;
  /** Namespace for every key, e.g. `khaacho:rl:login`; one per policy. */
  readonly prefix: string;
  readonly logger?: Logger;
}

/**
 * Core's `RateLimiter` on rate-limiter-flexible's `RateLimiterRedis` (fixed windows, one
 * atomic INCR+EXPIRE script). When Redis is not ready or a command fails, its
 * insurance limiter (`RateLimiterMemory`, same policy) decides instead, per process:
 * during an outage N instances allow up to N× the budget, and nobody is refused for
 * Redis being down.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly limiter: RateLimiterRedis;
  private readonly logger: Logger;

  constructor(config: RedisRateLimiterConfig) {
    const { points, durationMs } = config;
    if (
      !(
        Number.isSafeInteger(points) &&
        points > 0 &&
        Number.isSafeInteger(durationMs) &&
        durationMs >= 1_000 &&
        durationMs % 1_000 === 0
      )
    ) {
      throw new ValidationError('a Redis rate limit needs whole points > 0 and a durationMs of whole seconds', {
        points,
        durationMs,
      });
    }
    this.logger = config.logger ?? NOOP_LOGGER;
    const duration = durationMs / 1_000;
    this.limiter = new RateLimiterRedis({
      storeClient: config.connection.client,
      keyPrefix: config.prefix,
      points,
      duration,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: config.prefix, points, duration }),
    });
  }

  consume(key: string, points = 1): Promise<RateLimitDecision> {
    return decisionOf(this.limiter.consume(key, points), key, this.logger);
  }

  async reset(key: string): Promise<void> {
    try {
      await this.limiter.delete(key);
    } catch (error) {
      this.logger.warn('rate limiter reset failed', { key, error: messageOf(error) });
    }
  }
}

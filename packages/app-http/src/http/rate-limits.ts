import { REDIS_CONNECTION, RedisRateLimiter } from '@khaacho/adapters-redis';
import type { Composition } from '@khaacho/app-worker/composition';
import {
  CLOCK,
  type Clock,
  LOGGER,
  type RateLimitDecision,
  type RateLimiter,
  type RateLimitPolicy,
} from '@khaacho/core';
import type { RateLimitClass } from '../routes/route.js';

export type RateLimitPolicies = Readonly<Record<RateLimitClass, RateLimitPolicy>>;
export type RateLimiters = Readonly<Record<RateLimitClass, RateLimiter>>;

export const RATE_LIMIT_CLASSES: readonly RateLimitClass[] = ['api', 'auth', 'webhook', 'admin'];

/**
 * Requests per minute per key. `auth` is keyed by IP and is the brute-force guard in front
 * of core's per-identifier lockout; `api` and `admin` are keyed by the signed-in user.
 */
export const DEFAULT_RATE_LIMITS: RateLimitPolicies = Object.freeze({
  api: { points: 600, durationMs: 60_000 },
  auth: { points: 30, durationMs: 60_000 },
  webhook: { points: 1_200, durationMs: 60_000 },
  admin: { points: 120, durationMs: 60_000 },
});

/**
 * One limiter per route class, each an implementation of core's RateLimiter port: on Redis
 * when the composition is (shared by every API instance, `<prefix>:rl:http:<class>`; Redis
 * down → the adapter's per-process insurance limiter), else in this process.
 */
export function rateLimitersFor(
  composition: Composition,
  policies: RateLimitPolicies,
  redisPrefix: string,
): RateLimiters {
  const make = (cls: RateLimitClass): RateLimiter =>
    composition.adapters.rateLimiter === 'redis'
      ? new RedisRateLimiter({
          connection: composition.get(REDIS_CONNECTION),
          prefix: `${redisPrefix}:rl:http:${cls}`,
          logger: composition.get(LOGGER),
          ...policies[cls],
        })
      : new ProcessRateLimiter(composition.get(CLOCK), policies[cls]);
  return Object.freeze(Object.fromEntries(RATE_LIMIT_CLASSES.map((cls) => [cls, make(cls)]))) as RateLimiters;
}

/**
 * Fixed windows per key in this process, on the Clock port (what `npm start` and a single
 * instance without Redis use). Core's InMemoryRateLimiter is the same thing for tests, but
 * apps may not reach core/testing (depcruise); a refused call still counts, as on Redis.
 */
export class ProcessRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { consumed: number; endsAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly policy: RateLimitPolicy,
  ) {
    if (
      !(
        Number.isSafeInteger(policy.points) &&
        policy.points > 0 &&
        Number.isSafeInteger(policy.durationMs) &&
        policy.durationMs > 0
      )
    ) {
      throw new RangeError('a rate limit needs whole points > 0 and durationMs > 0');
    }
  }

  async consume(key: string, points = 1): Promise<RateLimitDecision> {
    const now = this.clock.now().getTime();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      if (this.windows.size >= 10_000) this.sweep(now);
      window = { consumed: 0, endsAt: now + this.policy.durationMs };
      this.windows.set(key, window);
    }
    window.consumed += points;
    const allowed = window.consumed <= this.policy.points;
    return {
      allowed,
      remainingPoints: Math.max(0, this.policy.points - window.consumed),
      retryAfterMs: allowed ? 0 : window.endsAt - now,
    };
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  /** Lapsed windows go, so a process facing many addresses does not grow without end. */
  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}

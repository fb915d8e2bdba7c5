import { type Token, token } from '../shared/token.js';
/** The outcome of one `consume`: whether the call may go ahead, and when to try again if not. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  /** Points left in the current window (0 when refused). */
  readonly remainingPoints: number;
  /** 0 when allowed; otherwise how long until enough points are back. */
  readonly retryAfterMs: number;
}

/**
 * Port: a fixed-window rate limit per key (`points` per `durationMs`, set when the
 * adapter is built). Adapters: InMemoryRateLimiter (core/testing), RedisRateLimiter.
 * An outage of the limiter's store must not refuse every caller: adapters fall back
 * to a per-process limit.
 */
export interface RateLimiter {
  /** Take `points` (default 1) from `key`'s budget. Refused calls take nothing. */
  consume(key: string, points?: number): Promise<RateLimitDecision>;
  /** Give `key` a full budget again (e.g. after a successful login). */
  reset(key: string): Promise<void>;
}

export interface RateLimitPolicy {
  /** Points per window (> 0). */
  readonly points: number;
  /** Window length in ms (> 0; whole seconds for the Redis adapter, whose keys expire in seconds). */
  readonly durationMs: number;
}

export const RATE_LIMITER: Token<RateLimiter> = token('RateLimiter');

import type { Logger, RateLimitDecision } from '@khaacho/core';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { messageOf } from './redis-errors.js';

/**
 * A rate-limiter-flexible `consume` as core's decision: its `RateLimiterRes` rejection is a
 * refusal with the wait; any other failure (only when even the in-memory limiter failed) lets
 * the call through, logged, rather than fail it.
 */
export async function decisionOf(
  consumed: Promise<RateLimiterRes>,
  key: string,
  logger: Logger,
): Promise<RateLimitDecision> {
  try {
    const res = await consumed;
    return { allowed: true, remainingPoints: res.remainingPoints, retryAfterMs: 0 };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      return { allowed: false, remainingPoints: 0, retryAfterMs: Math.max(1, rejection.msBeforeNext) };
    }
    logger.error('rate limiter failed; allowing the call', { key, error: messageOf(rejection) });
    return { allowed: true, remainingPoints: 0, retryAfterMs: 0 };
  }
}

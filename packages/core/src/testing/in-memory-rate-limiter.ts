import type { RateLimitDecision, RateLimiter, RateLimitPolicy } from '../ports/rate-limiter.js';
import type { Clock } from '../shared/clock.js';
import { ValidationError } from '../shared/errors.js';

/**
 * Fixed windows per key on the clock port, with the semantics of rate-limiter-flexible:
 * the window starts at a key's first call, and a refused call still counts.
 */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { consumed: number; endsAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly policy: RateLimitPolicy,
  ) {
    checkPolicy(policy);
  }

  async consume(key: string, points = 1): Promise<RateLimitDecision> {
    const now = this.clock.now().getTime();
    let w = this.windows.get(key);
    if (!w || w.endsAt <= now) {
      w = { consumed: 0, endsAt: now + this.policy.durationMs };
      this.windows.set(key, w);
      this.sweep(now);
    }
    w.consumed += points;
    const allowed = w.consumed <= this.policy.points;
    return {
      allowed,
      remainingPoints: Math.max(0, this.policy.points - w.consumed),
      retryAfterMs: allowed ? 0 : w.endsAt - now,
    };
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  /** Drops lapsed windows now and then, so an embedded process does not grow without end. */
  private sweep(now: number): void {
    if (this.windows.size < 10_000) return;
    for (const [k, w] of this.windows) if (w.endsAt <= now) this.windows.delete(k);
  }
}

export function checkPolicy(policy: RateLimitPolicy): void {
  if (
    !(
      Number.isSafeInteger(policy.points) &&
      policy.points > 0 &&
      Number.isSafeInteger(policy.durationMs) &&
      policy.durationMs > 0
    )
  ) {
    throw new ValidationError('a rate limit needs whole points > 0 and durationMs > 0', { ...policy });
  }
}

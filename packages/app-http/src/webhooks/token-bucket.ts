import type { Clock, RateLimitDecision, RateLimitPolicy } from '@khaacho/core';

/**
 * Token buckets per key in this process: `points` of burst, refilled at `points` per
 * `durationMs`. For the webhook's signed deliveries (see whatsapp-webhook.ts): no shared store
 * to ask, so it costs a Map lookup, and it bounds a replayed signed body per instance.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly policy: RateLimitPolicy,
    private readonly maxKeys = 10_000,
  ) {
    if (!(policy.points > 0 && policy.durationMs > 0))
      throw new RangeError('a token bucket needs points and durationMs > 0');
    this.perMs = policy.points / policy.durationMs;
  }

  take(key: string): RateLimitDecision {
    const now = this.clock.now().getTime();
    let bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(this.policy.points, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs);
      bucket.at = now;
    } else {
      if (this.buckets.size >= this.maxKeys) this.sweep(now);
      bucket = { tokens: this.policy.points, at: now };
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remainingPoints: Math.floor(bucket.tokens), retryAfterMs: 0 };
    }
    return { allowed: false, remainingPoints: 0, retryAfterMs: Math.ceil((1 - bucket.tokens) / this.perMs) };
  }

  /** Full buckets are the same as none: dropped, so a process facing many addresses stays bounded. */
  private sweep(now: number): void {
    for (const [key, b] of this.buckets)
      if (b.tokens + (now - b.at) * this.perMs >= this.policy.points) this.buckets.delete(key);
    // Still full of busy keys: start over rather than grow (each gets a full bucket again).
    if (this.buckets.size >= this.maxKeys) this.buckets.clear();
  }
}

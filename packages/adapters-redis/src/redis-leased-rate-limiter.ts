import { createHash } from 'node:crypto';
import {
  type Logger,
  NOOP_LOGGER,
  type RateLimitDecision,
  type RateLimiter,
  type RateLimitPolicy,
  ValidationError,
} from '@khaacho/core';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { decisionOf } from './rate-limit-decision.js';
import { messageOf } from './redis-errors.js';
import type { RedisConnection } from './redis-connection.js';

export interface RedisLeasedRateLimiterConfig extends RateLimitPolicy {
  readonly connection: RedisConnection;
  /** Namespace for every key, e.g. `khaacho:rl:whatsapp`; one per policy. */
  readonly prefix: string;
  /**
   * The most points one process takes from Redis at once (default a tenth of `points`, at
   * least 1). Larger: fewer round trips; but points a process leased and did not use before
   * the window ends are lost to every process, so the whole budget is only reachable when
   * the senders are busy.
   */
  readonly maxLease?: number;
  readonly logger?: Logger;
}

/*
 * Takes up to ARGV[2] points (at least ARGV[1]) of the window's budget ARGV[3] in one go, on
 * the same key and fixed window as rate-limiter-flexible's RateLimiterRedis (a counter that
 * expires a window after its first point): a lease that does not fit takes nothing. Returns
 * { points granted (0: refused), points used in the window after it, ms left in the window }.
 */
const LEASE = `
local used = tonumber(redis.call('get', KEYS[1]) or '0')
local free = tonumber(ARGV[3]) - used
if free < tonumber(ARGV[1]) then
  local ttl = redis.call('pttl', KEYS[1])
  if ttl < 0 then ttl = tonumber(ARGV[4]) end
  return {0, used, ttl}
end
local grant = math.min(tonumber(ARGV[2]), free)
used = redis.call('incrby', KEYS[1], grant)
local ttl = redis.call('pttl', KEYS[1])
if ttl < 0 then
  redis.call('pexpire', KEYS[1], ARGV[4])
  ttl = tonumber(ARGV[4])
end
return {grant, used, ttl}`;
const LEASE_SHA = createHash('sha1').update(LEASE).digest('hex');

interface Lease {
  /** Leased points not used yet; they belong to the window that ends at `until`. */
  left: number;
  /** Local time by which the window has surely ended (measured from before the lease was asked for). */
  until: number;
  /** Points of the window the others had left at the last lease (for `remainingPoints`). */
  othersLeft: number;
  /**
   * The size of the next lease: doubled while leases run out within a window; halved at a new
   * window only if the last one ended with leased points unspent (a sender that slowed down).
   */
  size: number;
  /** Points of the last lease that its window's end took away unspent. */
  wasted: number;
  /** A lease being asked for: concurrent calls wait for it rather than asking too. */
  pending: Promise<void> | null;
  /** When Redis last refused `refusedNeed` points: a call for as many waits for the window's end. */
  refusedUntil: number;
  refusedNeed: number;
}

/**
 * Core's `RateLimiter` for a budget many processes share and spend often (the per-number
 * WhatsApp send rate): each process leases points from the Redis window in batches and spends
 * them locally, so most calls cost no Redis round trip; the Redis counter still never lets the
 * processes together take more than `points` per window, because a leased point is counted
 * there when leased and dropped locally when its window ends. What it costs: points leased and
 * not spent by the window's end are lost (at most `maxLease` − 1 per process and window).
 * `RedisRateLimiter` stays the one for per-caller limits (logins), where each key is rare.
 * When Redis is not ready or a command fails, an in-memory limiter with the same policy
 * decides, per process (as `RedisRateLimiter`'s insurance does).
 */
export class RedisLeasedRateLimiter implements RateLimiter {
  private readonly leases = new Map<string, Lease>();
  private readonly insurance: RateLimiterMemory;
  private readonly logger: Logger;
  private readonly maxLease: number;

  constructor(private readonly config: RedisLeasedRateLimiterConfig) {
    const { points, durationMs } = config;
    if (!(Number.isSafeInteger(points) && points > 0 && Number.isSafeInteger(durationMs) && durationMs >= 1)) {
      throw new ValidationError('a leased rate limit needs whole points > 0 and a whole durationMs > 0', {
        points,
        durationMs,
      });
    }
    this.maxLease = config.maxLease ?? Math.max(1, Math.floor(points / 10));
    if (!(Number.isSafeInteger(this.maxLease) && this.maxLease >= 1)) {
      throw new ValidationError('maxLease must be a whole number ≥ 1', { maxLease: config.maxLease });
    }
    this.logger = config.logger ?? NOOP_LOGGER;
    this.insurance = new RateLimiterMemory({
      keyPrefix: config.prefix,
      points,
      duration: Math.max(1, Math.ceil(durationMs / 1_000)),
    });
  }

  async consume(key: string, points = 1): Promise<RateLimitDecision> {
    if (!(Number.isSafeInteger(points) && points > 0))
      throw new ValidationError('points must be a whole number > 0', { points });
    if (points > this.config.points) {
      return { allowed: false, remainingPoints: 0, retryAfterMs: this.config.durationMs };
    }
    const lease = this.leaseOf(key);
    for (;;) {
      const now = Date.now();
      if (now >= lease.until && lease.left > 0) {
        lease.wasted = lease.left;
        lease.left = 0;
      }
      if (lease.left >= points) {
        lease.left -= points;
        return { allowed: true, remainingPoints: lease.left + lease.othersLeft, retryAfterMs: 0 };
      }
      if (now < lease.refusedUntil && points - lease.left >= lease.refusedNeed)
        return { allowed: false, remainingPoints: 0, retryAfterMs: lease.refusedUntil - now };
      if (lease.pending) {
        await lease.pending;
        continue;
      }
      if (!this.config.connection.ready) return this.insured(key, points);
      let failed: unknown = null;
      lease.pending = this.takeLease(key, lease, points - lease.left).catch((error: unknown) => {
        failed = error;
      });
      try {
        await lease.pending;
      } finally {
        lease.pending = null;
      }
      if (failed !== null) {
        this.logger.warn('rate limiter: Redis failed; deciding in memory', { key, error: messageOf(failed) });
        return this.insured(key, points);
      }
    }
  }

  async reset(key: string): Promise<void> {
    this.leases.delete(key);
    try {
      await this.insurance.delete(key);
      await this.config.connection.client.del(this.redisKey(key));
    } catch (error) {
      this.logger.warn('rate limiter reset failed', { key, error: messageOf(error) });
    }
  }

  private leaseOf(key: string): Lease {
    let lease = this.leases.get(key);
    if (!lease) {
      // Many keys (not the use it is meant for): forget those whose window has ended.
      if (this.leases.size >= 1_000) {
        const now = Date.now();
        for (const [k, l] of this.leases) {
          if (l.pending === null && now >= l.until && now >= l.refusedUntil) this.leases.delete(k);
        }
      }
      lease = { left: 0, until: 0, othersLeft: 0, size: 1, wasted: 0, pending: null, refusedUntil: 0, refusedNeed: 0 };
      this.leases.set(key, lease);
    }
    return lease;
  }

  /** One round trip: at least `need` points, up to the lease size, or a refusal until the window ends. */
  private async takeLease(key: string, lease: Lease, need: number): Promise<void> {
    const asked = Date.now();
    const sameWindow = asked < lease.until;
    const size = sameWindow
      ? Math.min(this.maxLease, lease.size * 2)
      : lease.wasted > 0
        ? Math.max(1, Math.floor(lease.size / 2))
        : lease.size;
    const want = Math.max(need, size);
    const args = [this.redisKey(key), need, want, this.config.points, this.config.durationMs];
    const client = this.config.connection.client;
    let reply: unknown;
    try {
      reply = await client.evalsha(LEASE_SHA, 1, ...args);
    } catch (error) {
      if (!messageOf(error).startsWith('NOSCRIPT')) throw error;
      reply = await client.eval(LEASE, 1, ...args);
    }
    const [granted, used, ttl] = (reply as [number, number, number]).map(Number) as [number, number, number];
    // Measured from before the request: the window surely ends no later than this locally.
    const until = asked + Math.max(0, ttl);
    if (granted === 0) {
      lease.refusedUntil = until;
      lease.refusedNeed = need;
      return;
    }
    // Points left of an earlier lease are of the same window only if it has not ended.
    if (!sameWindow) {
      lease.left = 0;
      lease.wasted = 0;
    }
    lease.left += granted;
    lease.until = until;
    lease.size = Math.max(size, granted);
    lease.othersLeft = Math.max(0, this.config.points - used);
  }

  private insured(key: string, points: number): Promise<RateLimitDecision> {
    return decisionOf(this.insurance.consume(key, points), key, this.logger);
  }

  private redisKey(key: string): string {
    return `${this.config.prefix}:${key}`;
  }
}

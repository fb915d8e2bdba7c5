import { type Token, token } from '../shared/token.js';
/** A held lease. Only its holder can extend or release it (checked by a token, not by trust). */
export interface Lease {
  readonly name: string;
  /** When the lease lapses unless extended (by the adapter's clock); moves on `extend`. */
  readonly expiresAt: Date;
  /** Push the expiry to `ttlMs` from now; false when the lease was lost (it lapsed and maybe someone else holds it). */
  extend(ttlMs: number): Promise<boolean>;
  /** Give the lock up; false when it was no longer ours. Idempotent. */
  release(): Promise<boolean>;
}

/**
 * Port: a named mutual-exclusion lease across instances, for work that must run on
 * one instance at a time (a scheduler slot, a sweep). A lease that is not extended
 * lapses after its TTL, so a crashed holder frees the lock on its own. Adapters:
 * InMemoryLeaseLock (core/testing), RedisLeaseLock.
 */
export interface LeaseLock {
  /** Take `name` for `ttlMs`, or null when someone holds it. Never waits. */
  acquire(name: string, ttlMs: number): Promise<Lease | null>;
}

export const LEASE_LOCK: Token<LeaseLock> = token('LeaseLock');

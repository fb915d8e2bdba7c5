import { MS_PER_MINUTE } from '../shared/clock.js';

/**
 * Failed logins per key, for backoff and lockout. Keys are built from what the caller
 * typed (`id:<identifier>`) and where from (`ip:<address>`), never from a found account,
 * so an unknown identifier is throttled exactly like a known one and the throttle tells
 * nobody which accounts exist.
 */
export interface LoginThrottle {
  readonly key: string;
  /** Failures in the current window. */
  readonly failures: number;
  readonly windowStartedAt: Date;
  readonly lastFailureAt: Date;
  readonly lockedUntil: Date | null;
}

export interface LoginThrottlePolicy {
  /** Failures allowed without delay. */
  readonly freeFailures: number;
  /** After them, each attempt waits base·2^(n−1) after the last failure (n = failures past the free ones), at most `backoffMaxMs`. */
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /** This many failures within `windowMs` lock the key for `lockoutMs`. */
  readonly lockoutThreshold: number;
  readonly windowMs: number;
  readonly lockoutMs: number;
}

/** Per identifier: 3 free tries, then 1 s, 2 s, 4 s …; 10 failures in 15 minutes lock it for 15 minutes. */
export const DEFAULT_IDENTIFIER_THROTTLE: LoginThrottlePolicy = Object.freeze({
  freeFailures: 3,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
  lockoutThreshold: 10,
  windowMs: 15 * MS_PER_MINUTE,
  lockoutMs: 15 * MS_PER_MINUTE,
});

/** Per address: looser (an office or a carrier NAT shares one), still bounding a spray over many identifiers. */
export const DEFAULT_IP_THROTTLE: LoginThrottlePolicy = Object.freeze({
  freeFailures: 20,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  lockoutThreshold: 100,
  windowMs: 15 * MS_PER_MINUTE,
  lockoutMs: 15 * MS_PER_MINUTE,
});

export interface ThrottleDecision {
  readonly allowed: boolean;
  /** 0 when allowed. */
  readonly retryAfterMs: number;
  readonly locked: boolean;
}

const ALLOWED: ThrottleDecision = Object.freeze({ allowed: true, retryAfterMs: 0, locked: false });

function windowOver(t: LoginThrottle, now: Date, policy: LoginThrottlePolicy): boolean {
  return now.getTime() - t.windowStartedAt.getTime() >= policy.windowMs;
}

/** May an attempt under this key go ahead now? A refused attempt is not verified and does not count. */
export function checkThrottle(t: LoginThrottle | null, now: Date, policy: LoginThrottlePolicy): ThrottleDecision {
  if (t === null) return ALLOWED;
  const at = now.getTime();
  if (t.lockedUntil !== null && t.lockedUntil.getTime() > at) {
    return { allowed: false, retryAfterMs: t.lockedUntil.getTime() - at, locked: true };
  }
  if (t.lockedUntil !== null || windowOver(t, now, policy)) return ALLOWED;
  const past = t.failures - policy.freeFailures;
  if (past <= 0) return ALLOWED;
  const delay = Math.min(policy.backoffBaseMs * 2 ** (past - 1), policy.backoffMaxMs);
  const earliest = t.lastFailureAt.getTime() + delay;
  return earliest > at ? { allowed: false, retryAfterMs: earliest - at, locked: false } : ALLOWED;
}

/**
 * The counter after one more failure: a new window when the last one ended or a lockout ran
 * out. A failure while locked (attempts that passed the check before the lock was written)
 * counts and keeps the lock: it never resets it.
 */
export function recordFailure(
  t: LoginThrottle | null,
  key: string,
  now: Date,
  policy: LoginThrottlePolicy,
): LoginThrottle {
  const at = now.getTime();
  const lockedNow = t !== null && t.lockedUntil !== null && t.lockedUntil.getTime() > at;
  const fresh = t === null || (!lockedNow && (t.lockedUntil !== null || windowOver(t, now, policy)));
  const failures = fresh ? 1 : t.failures + 1;
  const lockedUntil = lockedNow
    ? t.lockedUntil
    : failures >= policy.lockoutThreshold
      ? new Date(at + policy.lockoutMs)
      : null;
  return { key, failures, windowStartedAt: fresh ? now : t.windowStartedAt, lastFailureAt: now, lockedUntil };
}

/**
 * The counter with one failure taken back: an attempt is counted before its password is
 * verified, and a right password gives its count back. A lock stays only while the
 * failures left still reach the threshold (one this attempt's own count set is lifted).
 */
export function releaseAttempt(t: LoginThrottle, policy: LoginThrottlePolicy): LoginThrottle {
  const failures = Math.max(0, t.failures - 1);
  return { ...t, failures, lockedUntil: failures >= policy.lockoutThreshold ? t.lockedUntil : null };
}

export function identifierThrottleKey(normalizedIdentifier: string): string {
  return `id:${normalizedIdentifier}`;
}

export function ipThrottleKey(ip: string): string {
  return `ip:${ip}`;
}

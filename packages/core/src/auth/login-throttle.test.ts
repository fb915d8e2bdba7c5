import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkThrottle, type LoginThrottlePolicy, recordFailure } from './login-throttle.js';

const POLICY: LoginThrottlePolicy = {
  freeFailures: 2,
  backoffBaseMs: 1_000,
  backoffMaxMs: 4_000,
  lockoutThreshold: 5,
  windowMs: 60_000,
  lockoutMs: 120_000,
};
const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);

test('free failures, then doubling backoff up to its cap, measured from the last failure', () => {
  let t = null;
  const waits: number[] = [];
  for (let i = 0; i < 4; i++) {
    t = recordFailure(t, 'k', at(i), POLICY);
    waits.push(checkThrottle(t, at(i), POLICY).retryAfterMs);
  }
  assert.equal(waits, [0, 0, 1_000, 2_000]);
  assert.is(checkThrottle(t, at(3 + 2_000), POLICY).allowed, true, 'after the wait');
});

test('lockout at the threshold, for lockoutMs; a failure while locked keeps the lock; a new window after it', () => {
  let t = null;
  for (let i = 0; i < 5; i++) t = recordFailure(t, 'k', at(i), POLICY);
  assert.equal(t?.lockedUntil, at(4 + 120_000));
  assert.equal(checkThrottle(t, at(10), POLICY), { allowed: false, retryAfterMs: 120_000 - 6, locked: true });
  const during = recordFailure(t, 'k', at(20), POLICY);
  assert.equal([during.failures, during.lockedUntil], [6, t?.lockedUntil], 'still locked, counted');
  assert.is(checkThrottle(during, at(4 + 120_000), POLICY).allowed, true, 'the lock ran out');
  const after = recordFailure(during, 'k', at(4 + 120_000), POLICY);
  assert.equal([after.failures, after.lockedUntil], [1, null], 'a fresh window');
});

test('a window that ended forgets its failures', () => {
  let t = null;
  for (let i = 0; i < 4; i++) t = recordFailure(t, 'k', at(i), POLICY);
  assert.is(checkThrottle(t, at(60_000), POLICY).allowed, true);
  assert.is(recordFailure(t, 'k', at(60_000), POLICY).failures, 1);
});

test.run();

import type { LeaseLock } from '../../ports/lease-lock.js';
import type { RateLimiter, RateLimitPolicy } from '../../ports/rate-limiter.js';
import { type Contract, expectEqual, expectTrue } from '../contract.js';

/** Rate limiters of one backend with real time; each `limiter` call gets its own key space. */
export interface RateLimiterSubject {
  limiter(policy: RateLimitPolicy): RateLimiter;
  sleep(ms: number): Promise<void>;
}

export interface LeaseLockSubject {
  /** Two handles on the same locks, as two instances of the app would have. */
  readonly locks: readonly [LeaseLock, LeaseLock];
  sleep(ms: number): Promise<void>;
}

export const rateLimiterContract: Contract<RateLimiterSubject> = {
  name: 'RateLimiter',
  cases: [
    {
      name: 'allows the budget per key, then refuses with a retry delay within the window',
      async run(s) {
        const limiter = s.limiter({ points: 3, durationMs: 60_000 });
        const first = await limiter.consume('a');
        expectEqual(first, { allowed: true, remainingPoints: 2, retryAfterMs: 0 }, 'first call');
        expectEqual((await limiter.consume('a', 2)).remainingPoints, 0, 'two points at once');
        const refused = await limiter.consume('a');
        expectEqual([refused.allowed, refused.remainingPoints], [false, 0], 'over budget');
        expectTrue(refused.retryAfterMs > 0 && refused.retryAfterMs <= 60_000, 'retry within the window');
        expectEqual((await limiter.consume('b')).allowed, true, 'another key has its own budget');
      },
    },
    {
      name: 'the budget comes back after the window, and reset restores it at once',
      async run(s) {
        const limiter = s.limiter({ points: 1, durationMs: 1_000 });
        expectEqual((await limiter.consume('k')).allowed, true, 'first');
        expectEqual((await limiter.consume('k')).allowed, false, 'second in the window');
        await s.sleep(1_300);
        expectEqual((await limiter.consume('k')).allowed, true, 'after the window');
        expectEqual((await limiter.consume('k')).allowed, false, 'spent again');
        await limiter.reset('k');
        expectEqual((await limiter.consume('k')).allowed, true, 'after reset');
      },
    },
  ],
};

export const leaseLockContract: Contract<LeaseLockSubject> = {
  name: 'LeaseLock',
  cases: [
    {
      name: 'one holder at a time; release frees the lock once',
      async run(s) {
        const [a, b] = s.locks;
        const lease = await a.acquire('sweep', 10_000);
        expectTrue(lease !== null, 'first acquire');
        expectEqual(lease.name, 'sweep', 'lease name');
        expectEqual(await b.acquire('sweep', 10_000), null, 'held by the other instance');
        expectEqual(await a.acquire('sweep', 10_000), null, 'held, even for the same instance');
        expectTrue((await b.acquire('other', 10_000)) !== null, 'another name is free');
        expectEqual(await lease.release(), true, 'release');
        expectEqual(await lease.release(), false, 'second release');
        const next = await b.acquire('sweep', 10_000);
        expectTrue(next !== null, 'free after release');
        await next.release();
      },
    },
    {
      name: 'a lapsed lease frees the lock, and its old holder can neither extend nor release the new one',
      async run(s) {
        const [a, b] = s.locks;
        const old = await a.acquire('slot', 100);
        expectTrue(old !== null, 'acquired');
        await s.sleep(300);
        const taken = await b.acquire('slot', 10_000);
        expectTrue(taken !== null, 'taken over after the TTL');
        expectEqual(await old.extend(10_000), false, 'old holder cannot extend');
        expectEqual(await old.release(), false, 'old holder cannot release');
        expectEqual(await a.acquire('slot', 10_000), null, 'still held by the new holder');
        expectEqual(await taken.release(), true, 'new holder releases');
      },
    },
    {
      name: 'extend keeps the lease past its first TTL',
      async run(s) {
        const [a, b] = s.locks;
        const lease = await a.acquire('long', 200);
        expectTrue(lease !== null, 'acquired');
        const first = lease.expiresAt.getTime();
        expectEqual(await lease.extend(10_000), true, 'extended');
        expectTrue(lease.expiresAt.getTime() >= first + 5_000, 'expiry moved');
        await s.sleep(400);
        expectEqual(await b.acquire('long', 10_000), null, 'still held after the first TTL');
        expectEqual(await lease.release(), true, 'released');
      },
    },
  ],
};

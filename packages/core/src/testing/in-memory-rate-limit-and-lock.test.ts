import { test } from 'uvu';
import { registerContract } from './contract.js';
import { leaseLockContract, rateLimiterContract } from './contracts/rate-limit-and-lock.contract.js';
import { InMemoryLeaseLock } from './in-memory-lease-lock.js';
import { InMemoryRateLimiter } from './in-memory-rate-limiter.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const systemClock = { now: () => new Date() };

registerContract(test, rateLimiterContract, {
  async create() {
    return { limiter: (policy) => new InMemoryRateLimiter(systemClock, policy), sleep };
  },
});

registerContract(test, leaseLockContract, {
  async create() {
    const lock = new InMemoryLeaseLock(systemClock);
    // One process, one map: both "instances" share it, as two app instances share Redis.
    return { locks: [lock, lock] as const, sleep };
  },
});

test.run();

import {
  cacheContract,
  catalogCacheContract,
  jobQueueContract,
  leaseLockContract,
  rateLimiterContract,
  registerContract,
} from '@khaacho/core/testing';
import { test } from 'uvu';
import { BeeJobQueue } from './bee-job-queue.js';
import { RedisCache } from './redis-cache.js';
import type { RedisConnection } from './redis-connection.js';
import { RedisLeaseLock } from './redis-lease-lock.js';
import { RedisLeasedRateLimiter } from './redis-leased-rate-limiter.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';
import { connected, deleteKeys, sleep, uniquePrefix } from './testing/test-redis.js';

// Every case gets its own connection and key prefix, and deletes its keys afterwards.
const resources = new WeakMap<object, { connection: RedisConnection; prefix: string }>();

async function cleanup(subject: object): Promise<void> {
  const r = resources.get(subject);
  if (!r) return;
  await deleteKeys(r.connection, r.prefix);
  await r.connection.close();
}

registerContract(test, jobQueueContract, {
  async create() {
    const connection = await connected();
    const prefix = uniquePrefix('bq');
    const queue = new BeeJobQueue({ connection, prefix, stopTimeoutMs: 2_000 });
    const subject = { queue, queueName: 'contract', sleep };
    resources.set(subject, { connection, prefix });
    return subject;
  },
  async dispose(s) {
    await s.queue.close();
    await cleanup(s);
  },
});

registerContract(test, cacheContract, {
  async create() {
    const connection = await connected();
    const prefix = uniquePrefix('cache');
    const subject = { cache: new RedisCache({ connection, prefix }), sleep };
    resources.set(subject, { connection, prefix });
    return subject;
  },
  dispose: cleanup,
});

// The catalog's read-through cache over Redis: Money, Dates and lists through real JSON text.
registerContract(test, catalogCacheContract, {
  async create() {
    const connection = await connected();
    const prefix = uniquePrefix('catalog');
    const subject = { cache: new RedisCache({ connection, prefix }), sleep };
    resources.set(subject, { connection, prefix });
    return subject;
  },
  dispose: cleanup,
});

registerContract(test, rateLimiterContract, {
  async create() {
    const connection = await connected();
    const prefix = uniquePrefix('rl');
    let n = 0;
    const subject = {
      limiter: (policy: { points: number; durationMs: number }) =>
        new RedisRateLimiter({ connection, prefix: `${prefix}:${++n}`, ...policy }),
      sleep,
    };
    resources.set(subject, { connection, prefix });
    return subject;
  },
  dispose: cleanup,
});

// The same contract for the leased limiter, with leases of several points (one process).
registerContract((name, fn) => test(`leased ${name}`, fn), rateLimiterContract, {
  async create() {
    const connection = await connected();
    const prefix = uniquePrefix('rl-leased');
    let n = 0;
    const subject = {
      limiter: (policy: { points: number; durationMs: number }) =>
        new RedisLeasedRateLimiter({ connection, prefix: `${prefix}:${++n}`, maxLease: 4, ...policy }),
      sleep,
    };
    resources.set(subject, { connection, prefix });
    return subject;
  },
  dispose: cleanup,
});

registerContract(test, leaseLockContract, {
  async create() {
    const connection = await connected();
    const other = await connected();
    const prefix = uniquePrefix('lock');
    // Two connections: two app instances contending for the same locks.
    const subject = {
      locks: [new RedisLeaseLock({ connection, prefix }), new RedisLeaseLock({ connection: other, prefix })] as const,
      sleep,
    };
    resources.set(subject, { connection, prefix });
    resources.set(subject.locks, { connection: other, prefix });
    return subject;
  },
  async dispose(s) {
    await cleanup(s);
    await cleanup(s.locks);
  },
});

test.run();

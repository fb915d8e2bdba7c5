import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { BeeJobQueue, REDIS_CONNECTION, RedisLeaseLock, RedisRateLimiter } from '@khaacho/adapters-redis';
import { JOB_QUEUE, LEASE_LOCK, RATE_LIMITER, UnavailableError } from '@khaacho/core';
import { Redis } from 'ioredis';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError } from '../config/config-error.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { composeContainer, READINESS } from './compose-container.js';

const REDIS = process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
const CHILD = fileURLToPath(new URL('../testing/compose-and-close.ts', import.meta.url));
const prefix = `khaacho-test:compose:${process.pid}`;

async function deleteKeys(): Promise<number> {
  const redis = new Redis(REDIS);
  try {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

test.after(async () => {
  await deleteKeys();
});

test('REDIS_URL set: queue, rate limiter and lease lock are the Redis adapters; readiness checks storage and Redis', async () => {
  const app = await composeContainer(
    workerConfigFromEnv({
      KHAACHO_STORE: 'memory',
      REDIS_URL: REDIS,
      KHAACHO_REDIS_PREFIX: prefix,
      LOG_LEVEL: 'silent',
    }),
  );
  try {
    assert.equal(app.adapters, {
      store: 'memory',
      jobQueue: 'redis',
      cache: 'redis',
      rateLimiter: 'redis',
      leaseLock: 'redis',
      messageSender: 'log',
      parser: 'local',
    });
    assert.ok(app.get(JOB_QUEUE) instanceof BeeJobQueue);
    assert.ok(app.get(RATE_LIMITER) instanceof RedisRateLimiter);
    assert.ok(app.get(LEASE_LOCK) instanceof RedisLeaseLock);
    const connection = app.get(REDIS_CONNECTION);
    for (let i = 0; i < 200 && !connection.ready; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(await app.get(READINESS)(), { ready: true, checks: { storage: { ok: true }, redis: { ok: true } } });
    await app.ready();
    const lease = await app.get(LEASE_LOCK).acquire('compose-test', 10_000);
    assert.ok(lease);
    await lease.release();
  } finally {
    await app.close();
  }
});

test('REDIS_URL set: a process composes, runs a job on BeeJobQueue, closes, and exits by itself', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: {
      PATH: process.env.PATH ?? '',
      KHAACHO_STORE: 'memory',
      REDIS_URL: REDIS,
      KHAACHO_REDIS_PREFIX: prefix,
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  // A hang guard, not a timing assertion: a leaked socket would keep the child alive forever.
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearTimeout(guard);
  assert.is(signal, null, `the child did not exit by itself; stdout ${out}; stderr ${err}`);
  assert.is(code, 0, err);
  assert.equal(out.trim().split('\n'), ['ran child-job on BeeJobQueue', 'closed']);
});

test('Redis unreachable at start: composition succeeds, readiness reports redis down, ready() rejects, close returns', async () => {
  const port = await freePort();
  const app = await composeContainer(
    workerConfigFromEnv({ KHAACHO_STORE: 'memory', REDIS_URL: `redis://127.0.0.1:${port}`, LOG_LEVEL: 'silent' }),
  );
  try {
    const report = await app.get(READINESS)();
    assert.is(report.ready, false);
    assert.equal(report.checks.storage, { ok: true });
    assert.is(report.checks.redis?.ok, false);
    try {
      await app.ready();
      assert.unreachable('ready() passed without Redis');
    } catch (error) {
      assert.ok(UnavailableError.is(error));
      assert.equal((error as UnavailableError).details, {
        dependency: 'redis',
        reason: 'connection',
        client: 'command',
      });
    }
    // Enqueueing fails fast with the queue's own code (the outbox keeps the event meanwhile).
    try {
      await app.get(JOB_QUEUE).enqueue({ queue: 'q', name: 'n', payload: {}, jobId: 'j' });
      assert.unreachable('enqueue passed without Redis');
    } catch (error) {
      assert.is((error as UnavailableError).code, 'QUEUE.UNAVAILABLE');
    }
  } finally {
    await app.close();
  }
});

test('a malformed REDIS_URL is a config error naming it (and not echoing it)', () => {
  try {
    workerConfigFromEnv({ REDIS_URL: 'redis//:s3cret@cache:6379' });
    assert.unreachable('accepted');
  } catch (error) {
    assert.ok(ConfigError.is(error));
    assert.equal(
      error.problems.map((p) => p.variable),
      ['REDIS_URL'],
    );
    assert.not.match(error.message, 's3cret');
  }
});

test.run();

import {
  type Cache,
  CACHE,
  type JobQueue,
  JOB_QUEUE,
  LEASE_LOCK,
  LOGGER,
  NOOP_LOGGER,
  RATE_LIMITER,
  UnavailableError,
} from '@khaacho/core';
import { Container, ContainerModule } from 'inversify';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BeeJobQueue } from './bee-job-queue.js';
import { RedisCache } from './redis-cache.js';
import { RedisLeaseLock } from './redis-lease-lock.js';
import type { RedisConnection } from './redis-connection.js';
import { REDIS_CONNECTION, REDIS_READINESS, type RedisReadinessCheck, redisModule } from './redis-module.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';
import { freePort } from './testing/redis-server.js';
import { connected, deleteKeys, redisUrl, sleep, uniquePrefix } from './testing/test-redis.js';

function containerWith(module: ContainerModule): Container {
  const container = new Container();
  container.load(
    new ContainerModule(({ bind }) => {
      bind(LOGGER).toConstantValue(NOOP_LOGGER);
    }),
    module,
  );
  return container;
}

test('redisModule: every token resolves to its Redis adapter on one connection; a job runs; unbinding closes queue then connection', async () => {
  const prefix = uniquePrefix('module');
  const container = containerWith(redisModule({ url: redisUrl(), prefix, stopTimeoutMs: 2_000 }));
  const admin = await connected();
  try {
    const queue = container.get<JobQueue>(JOB_QUEUE);
    assert.ok(queue instanceof BeeJobQueue);
    assert.ok(container.get(CACHE) instanceof RedisCache);
    assert.ok(container.get(RATE_LIMITER) instanceof RedisRateLimiter);
    assert.ok(container.get(LEASE_LOCK) instanceof RedisLeaseLock);
    assert.is(container.get<JobQueue>(JOB_QUEUE), queue, 'a singleton');
    const connection = container.get<RedisConnection>(REDIS_CONNECTION);
    for (let i = 0; i < 200 && !connection.ready; i++) await sleep(10);
    await container.get<RedisReadinessCheck>(REDIS_READINESS)();

    const ran: string[] = [];
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    queue.process('module-test', async (job) => {
      ran.push(job.jobId);
      done();
    });
    await queue.enqueue({ queue: 'module-test', name: 'ping', payload: {}, jobId: 'job-1' });
    await finished;
    assert.equal(ran, ['job-1']);
    // The keys live under the configured prefix.
    assert.ok((await admin.client.exists(`${prefix}:bq:module-test:jobs`)) === 1);
    await container.get<Cache>(CACHE).set('k', { v: 1 }, 10_000);
    assert.equal(await admin.client.get(`${prefix}:cache:k`), '{"v":1}');

    await container.unbindAllAsync();
    assert.not.ok(await connection.ping(), 'the connection is closed');
    try {
      await queue.enqueue({ queue: 'module-test', name: 'ping', payload: {}, jobId: 'job-2' });
      assert.unreachable('a closed queue took a job');
    } catch (error) {
      assert.ok(UnavailableError.is(error));
    }
  } finally {
    await container.unbindAllAsync();
    await deleteKeys(admin, prefix);
    await admin.close();
  }
});

test('redisModule: nothing listening → it still composes, readiness rejects with DEPENDENCY.UNAVAILABLE, close returns', async () => {
  const port = await freePort();
  const container = containerWith(redisModule({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 200 }));
  assert.ok(container.get<JobQueue>(JOB_QUEUE) instanceof BeeJobQueue);
  try {
    await container.get<RedisReadinessCheck>(REDIS_READINESS)();
    assert.unreachable('readiness passed without a server');
  } catch (error) {
    assert.ok(UnavailableError.is(error));
    assert.is((error as UnavailableError).code, 'DEPENDENCY.UNAVAILABLE');
    assert.equal((error as UnavailableError).details, { dependency: 'redis', reason: 'connection', client: 'command' });
  }
  await container.unbindAllAsync();
});

test('worker-ops 2: a database index the server does not have is not ready (reason config, naming REDIS_URL), and nothing is written to database 0', async () => {
  const prefix = uniquePrefix('db99');
  const url = new URL(redisUrl());
  url.pathname = '/99';
  const container = containerWith(redisModule({ url: url.toString(), prefix, connectTimeoutMs: 500 }));
  const admin = await connected();
  try {
    const connection = container.get<RedisConnection>(REDIS_CONNECTION);
    try {
      await container.get<RedisReadinessCheck>(REDIS_READINESS)();
      assert.unreachable('ready on a database the server refused');
    } catch (error) {
      assert.ok(UnavailableError.is(error), String(error));
      assert.is(error.details.reason, 'config');
      assert.is(error.details.variable, 'REDIS_URL');
      assert.match(error.message, 'REDIS_URL selects database 99, which the server refused');
    }
    assert.is(connection.ready, false);
    await container.get<Cache>(CACHE).set('k', { v: 1 }, 10_000); // a cache outage is a miss, never an error
    assert.is(await admin.client.exists(`${prefix}:cache:k`), 0, 'ioredis would have fallen back to database 0');
  } finally {
    await container.unbindAllAsync();
    await deleteKeys(admin, prefix);
    await admin.close();
  }
});

test('worker-ops 2: readiness exercises the queue workers’ client too, not only the command one', async () => {
  const prefix = uniquePrefix('ready-all');
  const container = containerWith(redisModule({ url: redisUrl(), prefix, connectTimeoutMs: 500 }));
  try {
    const connection = container.get<RedisConnection>(REDIS_CONNECTION);
    for (let i = 0; i < 200 && !connection.workersReady; i++) await sleep(10);
    await container.get<RedisReadinessCheck>(REDIS_READINESS)();
    connection.workerClient.disconnect(); // what a consumer's failing connection looks like to the process
    try {
      await container.get<RedisReadinessCheck>(REDIS_READINESS)();
      assert.unreachable('ready while the workers’ client is down');
    } catch (error) {
      assert.ok(UnavailableError.is(error));
      assert.is(error.details.client, 'worker');
    }
  } finally {
    await container.unbindAllAsync();
  }
});

test.run();

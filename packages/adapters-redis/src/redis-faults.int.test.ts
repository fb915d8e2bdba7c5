import {
  CatalogCache,
  DomainError,
  domainEvent,
  ErrorCodes,
  EventTypes,
  type ProductRepository,
  UnavailableError,
} from '@khaacho/core';
import {
  aProduct,
  createInMemoryPersistence,
  deterministicIds,
  ManualClock,
  RecordingLogger,
} from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BeeJobQueue } from './bee-job-queue.js';
import { RedisCache } from './redis-cache.js';
import { RedisConnection } from './redis-connection.js';
import { RedisLeaseLock } from './redis-lease-lock.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';
import { eventually, type OwnRedis, startOwnRedis } from './testing/redis-server.js';
import { sleep } from './testing/test-redis.js';

/*
 * Faults against a redis-server of our own (free port, SIGKILL by pid). Bounds here are
 * hang guards; nothing asserts speed.
 */

let server: OwnRedis;
const open: Array<{ close(): Promise<void> }> = [];

async function connect(logger = new RecordingLogger()): Promise<RedisConnection> {
  const connection = new RedisConnection({ url: server.url, logger, commandTimeoutMs: 500 });
  open.push(connection);
  await eventually('connected', async () => connection.ready);
  return connection;
}

test.before.each(async () => {
  server = await startOwnRedis();
});

test.after.each(async () => {
  for (const r of open.splice(0).reverse()) await r.close();
  await server.stop();
});

// `aof` is asserted by app-worker's faults/conversation-killed.int.test.ts on a server started
// with an append-only file in a folder of its own (switched on here it would write into the cwd).
test('durability: none without an append-only file, unknown while Redis is down', async () => {
  const connection = await connect();
  assert.is(await connection.durability(), 'none', 'this server runs with appendonly no');
  await server.kill();
  assert.is(await connection.durability(), 'unknown', 'no answer: not known');
});

test('cache: while Redis is down get misses and set/delete return; after a restart it caches again', async () => {
  const logger = new RecordingLogger();
  const connection = await connect(logger);
  const cache = new RedisCache({ connection, prefix: 'f:', logger });
  await cache.set('p', { sku: 'RICE-25' }, 60_000);
  assert.equal(await cache.get('p'), { sku: 'RICE-25' });
  await server.kill();
  assert.is(await cache.get('p'), null, 'miss, not an error');
  await cache.set('p', 1, 60_000);
  await cache.delete('p');
  await server.restart();
  await eventually('reconnected', async () => connection.ready);
  await cache.set('q', [1, 2], 60_000);
  assert.equal(await cache.get('q'), [1, 2]);
});

test('catalog cache: Redis killed, every lookup costs a repository read and none fails; invalidation fails until Redis is back', async () => {
  const connection = await connect();
  const clock = new ManualClock();
  const ids = deterministicIds(clock);
  const { repos } = createInMemoryPersistence(ids);
  const catalog = new CatalogCache(new RedisCache({ connection, prefix: 'f:', timeoutMs: 300 }), {
    newStamp: () => ids.next(),
  });
  let reads = 0;
  const source: ProductRepository = {
    get: (id) => {
      reads += 1;
      return repos.products.get(id);
    },
    getBySku: (sku) => repos.products.getBySku(sku),
    getMany: (many) => repos.products.getMany(many),
    getManyBySku: (skus) => repos.products.getManyBySku(skus),
    list: (f, p) => repos.products.list(f, p),
    listActive: () => repos.products.listActive(),
    save: (p) => repos.products.save(p),
  };
  const products = catalog.products(source);
  const p = aProduct(ids, clock.now());
  await repos.products.save(p);
  assert.equal(await products.get(p.id), p);
  assert.equal(await products.get(p.id), p);
  assert.is(reads, 1, 'cached while Redis is up');

  await server.kill();
  await eventually('connection noticed the outage', async () => !connection.ready);
  for (let i = 0; i < 3; i++) assert.equal(await products.get(p.id), p, 'answered from the repository');
  assert.is(reads, 4, 'one repository read per lookup');
  const event = domainEvent(EventTypes.PRODUCT_UPDATED, p.id, clock.now(), { sku: p.sku });
  let failure: unknown = null;
  await catalog.invalidate(event).catch((error) => {
    failure = error;
  });
  assert.ok(UnavailableError.is(failure), 'the invalidation says it did not happen (its job is retried)');

  await server.restart();
  await eventually('reconnected', async () => connection.ready);
  assert.is(await catalog.invalidate(event), 'products', 'the retry succeeds');
  assert.equal(await products.get(p.id), p);
  assert.equal(await products.get(p.id), p);
  assert.is(reads, 5, 'caching again');
});

test('queue: enqueue while Redis is down fails with QUEUE.UNAVAILABLE; after a restart the consumer processes again', async () => {
  const connection = await connect();
  const queue = new BeeJobQueue({ connection, prefix: 'f:bq', stopTimeoutMs: 1_000 });
  open.push(queue);
  const handled: string[] = [];
  queue.process('ORDER_ROUTING', async (job) => {
    handled.push(job.jobId);
  });
  await queue.enqueue({ queue: 'ORDER_ROUTING', name: 'route', jobId: 'before', payload: {} });
  await eventually('first job handled', async () => handled.includes('before'));

  await server.kill();
  await eventually('connection noticed the outage', async () => !connection.ready);
  let failure: unknown = null;
  try {
    await queue.enqueue({ queue: 'ORDER_ROUTING', name: 'route', jobId: 'during', payload: {} });
  } catch (error) {
    failure = error;
  }
  assert.ok(UnavailableError.is(failure), 'an UnavailableError');
  assert.is((failure as DomainError).code, ErrorCodes.QUEUE_UNAVAILABLE);
  let statsFailure: unknown = null;
  await queue.stats('ORDER_ROUTING').catch((error) => {
    statsFailure = error;
  });
  assert.ok(DomainError.hasCode(statsFailure, ErrorCodes.QUEUE_UNAVAILABLE), 'stats fail the same way');

  await server.restart();
  // What the outbox relay does: publish again until it is accepted.
  await eventually('accepted after the restart', async () =>
    queue.enqueue({ queue: 'ORDER_ROUTING', name: 'route', jobId: 'after', payload: {} }).then(
      () => true,
      () => false,
    ),
  );
  await eventually('processed after the restart', async () => handled.includes('after'), 20_000);
  assert.equal(handled, ['before', 'after']);
});

test('probe 1: a producer queue survives Redis staying down through reconnect attempts (no unhandled error event)', async () => {
  // Before the fix the producer's bee-queue re-emitted the client's ECONNREFUSED with no
  // listener, and the process died on the first failed reconnect.
  const logger = new RecordingLogger();
  const connection = await connect(logger);
  const queue = new BeeJobQueue({ connection, prefix: 'f:probe', stopTimeoutMs: 1_000, logger });
  open.push(queue);
  await queue.enqueue({ queue: 'NOTIFICATIONS', name: 'n', jobId: 'made-the-producer', payload: {} });
  await server.kill();
  const refusals = () =>
    logger.records.filter(
      (r) => r.message === 'redis connection error' && String(r.fields.error).includes('ECONNREFUSED'),
    );
  await eventually('reconnects refused at least twice', async () => refusals().length >= 2, 10_000);
  await server.restart();
  await eventually('accepted after the restart', async () =>
    queue.enqueue({ queue: 'NOTIFICATIONS', name: 'n', jobId: 'after', payload: {} }).then(
      () => true,
      () => false,
    ),
  );
});

test('queue and connection: close() resolves while Redis is down, with a consumer running', async () => {
  const connection = await connect();
  const queue = new BeeJobQueue({ connection, prefix: 'f:bq', stopTimeoutMs: 500 });
  const cache = new RedisCache({ connection, prefix: 'f:' });
  queue.process('NOTIFICATIONS', async () => {});
  await queue.enqueue({ queue: 'NOTIFICATIONS', name: 'n', jobId: 'n1', payload: {} });
  await eventually('done', async () => (await queue.get('NOTIFICATIONS', 'n1'))?.state === 'succeeded');
  await server.kill();
  await eventually('outage noticed', async () => !connection.ready);
  assert.is(await cache.get('x'), null);
  const closed = await Promise.race([
    queue
      .close()
      .then(() => connection.close())
      .then(() => 'closed'),
    sleep(15_000).then(() => 'hung'),
  ]);
  assert.is(closed, 'closed');
});

test('rate limiter: with Redis down the in-memory insurance still limits; lock acquire is refused as unavailable', async () => {
  const connection = await connect();
  const limiter = new RedisRateLimiter({ connection, prefix: 'f:rl', points: 2, durationMs: 60_000 });
  const locks = new RedisLeaseLock({ connection, prefix: 'f:' });
  assert.ok((await limiter.consume('u')).allowed);
  await server.kill();
  await eventually('outage noticed', async () => !connection.ready);
  const during = [await limiter.consume('v'), await limiter.consume('v'), await limiter.consume('v')];
  assert.equal(
    during.map((d) => d.allowed),
    [true, true, false],
    'the insurance applies the same policy',
  );
  let failure: unknown = null;
  await locks.acquire('sweep', 1_000).catch((error) => {
    failure = error;
  });
  assert.ok(DomainError.hasCode(failure, ErrorCodes.UNAVAILABLE), 'no lock while Redis is down');
});

test.run();

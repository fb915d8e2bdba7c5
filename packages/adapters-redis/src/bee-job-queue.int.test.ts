import { ErrorCodes, ValidationError } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BeeJobQueue } from './bee-job-queue.js';
import type { RedisConnection } from './redis-connection.js';
import { eventually } from './testing/redis-server.js';
import { connected, deleteKeys, uniquePrefix } from './testing/test-redis.js';

let connection: RedisConnection;
let prefix: string;
let queues: BeeJobQueue[] = [];

function aQueue(options: Partial<ConstructorParameters<typeof BeeJobQueue>[0]> = {}): BeeJobQueue {
  const queue = new BeeJobQueue({ connection, prefix, stopTimeoutMs: 2_000, ...options });
  queues.push(queue);
  return queue;
}

test.before.each(async () => {
  connection = await connected();
  prefix = uniquePrefix('bq');
});

test.after.each(async () => {
  for (const q of queues) await q.close();
  queues = [];
  await deleteKeys(connection, prefix);
  await connection.close();
});

test('a poison job ends in dead letters and does not block its queue', async () => {
  const queue = aQueue();
  const handled: string[] = [];
  queue.process(
    'NOTIFICATIONS',
    async (job) => {
      if (job.name === 'poison') throw new Error('cannot render template');
      handled.push(job.jobId);
    },
    { concurrency: 1 },
  );
  await queue.enqueue({
    queue: 'NOTIFICATIONS',
    name: 'poison',
    jobId: 'p',
    payload: {},
    maxAttempts: 3,
    backoffMs: 10,
  });
  for (let i = 0; i < 5; i++) {
    await queue.enqueue({ queue: 'NOTIFICATIONS', name: 'ok', jobId: `ok-${i}`, payload: { i } });
  }
  await eventually('poison dead', async () => (await queue.get('NOTIFICATIONS', 'p'))?.state === 'dead');
  await eventually('good jobs done', async () => handled.length === 5);
  const [dead] = await queue.deadLetters('NOTIFICATIONS', 10);
  assert.equal([dead?.jobId, dead?.attempts, dead?.lastError], ['p', 3, 'cannot render template']);
  assert.equal(await queue.stats('NOTIFICATIONS'), { waiting: 0, active: 0, delayed: 0, succeeded: 5, failed: 1 });
});

test('two producers (two instances) publishing one outbox message id make one job', async () => {
  const a = aQueue();
  const b = aQueue();
  const first = await a.enqueue({ queue: 'ORDER_PROCESSING', name: 'OrderPlaced', jobId: 'msg-1', payload: { v: 1 } });
  const second = await b.enqueue({ queue: 'ORDER_PROCESSING', name: 'OrderPlaced', jobId: 'msg-1', payload: { v: 2 } });
  assert.equal([first.duplicate, second.duplicate], [false, true]);
  assert.equal(second.job.payload, { v: 1 }, 'the stored job, not the second request');
  assert.is((await a.stats('ORDER_PROCESSING')).waiting, 1);
});

test('dead letters are listed newest first and retried with fresh attempts', async () => {
  const queue = aQueue();
  let healthy = false;
  queue.process('CREDIT_SCORE', async () => {
    if (!healthy) throw new Error('score service down');
  });
  for (const id of ['d1', 'd2', 'd3']) {
    await queue.enqueue({ queue: 'CREDIT_SCORE', name: 'score', jobId: id, payload: {}, maxAttempts: 1 });
    await eventually(`${id} dead`, async () => (await queue.get('CREDIT_SCORE', id))?.state === 'dead');
  }
  assert.equal(
    (await queue.deadLetters('CREDIT_SCORE', 2)).map((j) => j.jobId),
    ['d3', 'd2'],
  );
  healthy = true;
  assert.ok(await queue.retryDead('CREDIT_SCORE', 'd1'));
  await eventually('d1 retried', async () => (await queue.get('CREDIT_SCORE', 'd1'))?.state === 'succeeded');
  const d1 = await queue.get('CREDIT_SCORE', 'd1');
  assert.equal([d1?.attempts, d1?.lastError], [1, null]);
  assert.equal((await queue.stats('CREDIT_SCORE')).failed, 2);
  assert.is(await queue.retryDead('CREDIT_SCORE', 'missing'), false);
});

test('a run longer than the queue timeout fails and is retried', async () => {
  const queue = aQueue({ queues: { REPORT_GENERATION: { timeoutMs: 50 } } });
  let runs = 0;
  queue.process('REPORT_GENERATION', async () => {
    runs += 1;
    if (runs === 1) await new Promise((r) => setTimeout(r, 300));
  });
  await queue.enqueue({ queue: 'REPORT_GENERATION', name: 'r', jobId: 'slow', payload: {}, backoffMs: 10 });
  await eventually(
    'succeeded on the second run',
    async () => (await queue.get('REPORT_GENERATION', 'slow'))?.state === 'succeeded',
  );
  const job = await queue.get('REPORT_GENERATION', 'slow');
  assert.is(job?.attempts, 2);
});

test('per-queue concurrency comes from config', async () => {
  const queue = aQueue({ queues: { PAYMENT_REMINDER: { concurrency: 2 } } });
  let running = 0;
  let peak = 0;
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  queue.process('PAYMENT_REMINDER', async () => {
    running += 1;
    peak = Math.max(peak, running);
    await gate;
    running -= 1;
  });
  for (let i = 0; i < 4; i++)
    await queue.enqueue({ queue: 'PAYMENT_REMINDER', name: 'remind', jobId: `r${i}`, payload: {} });
  await eventually('two running', async () => (await queue.stats('PAYMENT_REMINDER')).active === 2);
  assert.equal(await queue.stats('PAYMENT_REMINDER'), { waiting: 2, active: 2, delayed: 0, succeeded: 0, failed: 0 });
  release();
  await eventually('all done', async () => (await queue.stats('PAYMENT_REMINDER')).succeeded === 4);
  assert.is(peak, 2);
});

test('worker-ops 8: a succeeded job keeps a record without its payload; a re-publish after success is still a duplicate; past the retention the record is trimmed', async () => {
  const retentionMs = 3_600_000;
  const queue = aQueue({ succeededRetentionMs: retentionMs });
  const bulky = { event: 'x'.repeat(2_000) };
  queue.process('ORDER_ROUTING', async () => {}, { concurrency: 1 });
  await queue.enqueue({ queue: 'ORDER_ROUTING', name: 'route-order', jobId: 'msg-1', payload: bulky });
  await eventually('succeeded', async () => (await queue.get('ORDER_ROUTING', 'msg-1'))?.state === 'succeeded');

  const raw = await connection.client.hget(`${prefix}:ORDER_ROUTING:jobs`, 'msg-1');
  assert.ok(raw !== null && raw.length < 500, `a trimmed record (${raw?.length} bytes)`);
  const stored = await queue.get('ORDER_ROUTING', 'msg-1');
  assert.equal([stored?.name, stored?.payload, stored?.attempts], ['route-order', {}, 1]);

  // The relay publishing the same outbox message again (its lease lapsed): still one job.
  const again = await queue.enqueue({ queue: 'ORDER_ROUTING', name: 'route-order', jobId: 'msg-1', payload: bulky });
  assert.is(again.duplicate, true);
  assert.is(again.job.state, 'succeeded');
  assert.equal(await queue.stats('ORDER_ROUTING'), { waiting: 0, active: 0, delayed: 0, succeeded: 1, failed: 0 });

  assert.is(await queue.trimSucceeded('ORDER_ROUTING'), 0, 'inside the retention nothing is trimmed');
  assert.is(
    await queue.trimSucceeded('ORDER_ROUTING', Date.now() + retentionMs + 1_000),
    1,
    'past it, the record goes',
  );
  assert.is(await queue.get('ORDER_ROUTING', 'msg-1'), null);
  assert.is(await connection.client.zcard(`${prefix}:ORDER_ROUTING:succeeded_at`), 0, 'the index is trimmed too');
  assert.equal(await queue.stats('ORDER_ROUTING'), { waiting: 0, active: 0, delayed: 0, succeeded: 0, failed: 0 });
});

test('worker-ops 8: a trim leaves waiting, failed and dead jobs alone', async () => {
  const queue = aQueue({ succeededRetentionMs: 1 });
  queue.process('NOTIFICATIONS', async (job) => {
    if (job.name === 'boom') throw new Error('boom');
  });
  await queue.enqueue({ queue: 'NOTIFICATIONS', name: 'boom', jobId: 'dead-1', payload: {}, maxAttempts: 1 });
  await queue.enqueue({ queue: 'NOTIFICATIONS', name: 'ok', jobId: 'ok-1', payload: {} });
  await eventually('both finished', async () => {
    const s = await queue.stats('NOTIFICATIONS');
    return s.succeeded === 1 && s.failed === 1;
  });
  await queue.enqueue({ queue: 'OTHER', name: 'ok', jobId: 'waiting-1', payload: { keep: true } });
  assert.is(await queue.trimSucceeded('NOTIFICATIONS', Date.now() + 1_000), 1);
  assert.is((await queue.get('NOTIFICATIONS', 'dead-1'))?.state, 'dead');
  assert.equal((await queue.get('OTHER', 'waiting-1'))?.payload, { keep: true });
});

test('bad job specs are refused before Redis sees them', async () => {
  const queue = aQueue();
  for (const spec of [{ jobId: '' }, { jobId: 'x', maxAttempts: 0 }, { jobId: 'y', backoffMs: -1 }]) {
    let failure: unknown = null;
    await queue.enqueue({ queue: 'NOTIFICATIONS', name: 'n', payload: {}, ...spec }).catch((e) => {
      failure = e;
    });
    assert.ok(ValidationError.is(failure), JSON.stringify(spec));
    assert.is((failure as ValidationError).code, ErrorCodes.VALIDATION);
  }
});

test.run();

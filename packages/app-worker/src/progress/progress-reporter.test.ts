import { type JobQueueStats, QueueNames, type Timer } from '@khaacho/core';
import { createTestWorld, InMemoryJobQueue, RecordingLogger } from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startProgressReporter } from './progress-reporter.js';

/** Timers a test fires by hand: no waiting on the wall clock. */
class HandTimer implements Timer {
  private next = 1;
  readonly pending = new Map<number, { callback: () => void; ms: number }>();
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { callback, ms });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  fire(): void {
    const [first] = this.pending;
    if (!first) throw new Error('no timer pending');
    this.pending.delete(first[0]);
    first[1].callback();
  }
}

const idleTimer: Timer = { setTimeout: () => 0, clearTimeout: () => {} };

test('each interval logs one info line with every queue’s counts and the outbox backlog', async () => {
  const world = createTestWorld();
  await world.given.product(); // one event in the outbox, never published here
  const queue = new InMemoryJobQueue(world.clock, idleTimer);
  await queue.enqueue({ queue: QueueNames.ORDER_ROUTING, name: 'route', payload: {}, jobId: 'a' });
  await queue.enqueue({ queue: QueueNames.ORDER_ROUTING, name: 'route', payload: {}, jobId: 'b', delayMs: 5_000 });
  await queue.enqueue({ queue: QueueNames.NOTIFICATIONS, name: 'send', payload: {}, jobId: 'c' });
  world.clock.advance(90_000);
  const logger = new RecordingLogger();
  const timer = new HandTimer();
  const reporter = startProgressReporter({
    queue,
    queues: [QueueNames.ORDER_ROUTING, QueueNames.NOTIFICATIONS],
    outbox: world.persistence.outbox,
    logger,
    intervalMs: 30_000,
    clock: world.clock,
    timer,
  });
  assert.equal(
    [...timer.pending.values()].map((p) => p.ms),
    [30_000],
    'the first line is scheduled one interval out',
  );
  timer.fire();
  const line = await reporter.report(); // joins the tick's report in flight
  const routing = await queue.stats(QueueNames.ORDER_ROUTING);
  assert.equal(line.queues, {
    ORDER_ROUTING: routing,
    NOTIFICATIONS: { waiting: 1, active: 0, delayed: 0, succeeded: 0, failed: 0 },
  });
  assert.equal(line.outbox, { pending: 1, failing: 0, unreadable: 0, oldestPendingAgeMs: 90_000 });
  assert.equal(
    logger.records.map((r) => [r.level, r.message, r.fields]),
    [['info', 'progress', { queues: line.queues, outbox: line.outbox }]],
    'exactly one line for the tick',
  );
  assert.is(timer.pending.size, 1, 'the next line is scheduled after this one');
  await reporter.stop();
});

test('a failing stats call is one warn and a null in the line; the reporter keeps going', async () => {
  const logger = new RecordingLogger();
  const timer = new HandTimer();
  const good: JobQueueStats = { waiting: 2, active: 1, delayed: 0, succeeded: 7, failed: 1 };
  const reporter = startProgressReporter({
    queue: {
      stats: async (name) => {
        if (name === 'BROKEN') throw new Error('Redis is unreachable');
        return good;
      },
    },
    queues: ['FINE', 'BROKEN'],
    outbox: { stats: () => Promise.reject(new Error('pool exhausted')) },
    logger,
    intervalMs: 1_000,
    timer,
  });
  timer.fire();
  const line = await reporter.report();
  assert.equal(line, { queues: { FINE: good, BROKEN: null }, outbox: null });
  assert.equal(
    logger.records.map((r) => [r.level, r.message, r.fields.queue ?? null, r.fields.error ?? null]),
    [
      ['warn', 'progress: queue stats failed', 'BROKEN', 'Redis is unreachable'],
      ['warn', 'progress: outbox stats failed', null, 'pool exhausted'],
      ['info', 'progress', null, null],
    ],
  );
  assert.is(timer.pending.size, 1, 'still scheduled');
  timer.fire();
  await reporter.report();
  assert.is(logger.records.filter((r) => r.message === 'progress').length, 2, 'a second line');
  await reporter.stop();
});

test('stop() cancels the next line and is idempotent; no outbox means queue counts only', async () => {
  const logger = new RecordingLogger();
  const timer = new HandTimer();
  const reporter = startProgressReporter({
    queue: { stats: async () => ({ waiting: 0, active: 0, delayed: 0, succeeded: 0, failed: 0 }) },
    queues: ['ONLY'],
    logger,
    intervalMs: 10,
    timer,
  });
  await Promise.all([reporter.stop(), reporter.stop()]);
  assert.is(timer.pending.size, 0, 'nothing scheduled after stop');
  assert.equal(logger.records, [], 'no line after stop');
  const manual = await reporter.report();
  assert.is(manual.outbox, null);
});

test('on Node’s timers: lines keep coming until stop()', async () => {
  const logger = new RecordingLogger();
  const reporter = startProgressReporter({
    queue: { stats: async () => ({ waiting: 0, active: 0, delayed: 0, succeeded: 0, failed: 0 }) },
    queues: ['ONLY'],
    logger,
    intervalMs: 1,
  });
  while (logger.records.length < 3) await new Promise((resolve) => setImmediate(resolve));
  await reporter.stop();
  const count = logger.records.length;
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.is(logger.records.length, count, 'no line after stop');
  assert.ok(logger.records.every((r) => r.level === 'info' && r.message === 'progress'));
});

test('an interval below 1 ms is refused', () => {
  assert.throws(
    () =>
      startProgressReporter({
        queue: { stats: async () => ({}) as JobQueueStats },
        queues: [],
        logger: new RecordingLogger(),
        intervalMs: 0,
      }),
    (error: unknown) => error instanceof RangeError,
  );
});

test.run();

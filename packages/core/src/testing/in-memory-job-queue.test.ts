import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Timer } from '../ports/timer.js';
import { InMemoryJobQueue } from './in-memory-job-queue.js';
import { ManualClock } from './manual-clock.js';

/** Fires callbacks only when told: the bound is reached by `fire`, not by waiting. */
class StepTimer implements Timer {
  private readonly pending = new Map<number, { fn: () => void; ms: number }>();
  private next = 0;
  setTimeout(fn: () => void, ms: number): unknown {
    this.next += 1;
    this.pending.set(this.next, { fn, ms });
    return this.next;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  delays(): number[] {
    return [...this.pending.values()].map((p) => p.ms);
  }
  fire(ms: number): void {
    for (const [id, p] of [...this.pending]) {
      if (p.ms !== ms) continue;
      this.pending.delete(id);
      p.fn();
    }
  }
}

/** Lets every queued microtask and I/O callback run, so a settled promise has been observed. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

test('close() is bounded: a handler that never settles is abandoned after closeTimeoutMs', async () => {
  const timer = new StepTimer();
  const queue = new InMemoryJobQueue(new ManualClock(), timer, { closeTimeoutMs: 2_500 });
  let started = false;
  queue.process('q', () => {
    started = true;
    return new Promise<void>(() => {});
  });
  await queue.enqueue({ queue: 'q', name: 'hang', jobId: 'j1', payload: {} });
  assert.ok(started);
  let closed = false;
  const closing = queue.close().then(() => {
    closed = true;
  });
  await settle();
  assert.not.ok(closed, 'close waits for the running handler up to its bound');
  assert.equal(timer.delays(), [2_500]);
  timer.fire(2_500);
  await settle();
  assert.ok(closed, 'close returned at its bound');
  await closing;
  assert.is((await queue.get('q', 'j1'))?.state, 'active', 'the abandoned job stays as it was taken');
});

test('close() waits for a handler that finishes within the bound, and its result is kept', async () => {
  const timer = new StepTimer();
  const queue = new InMemoryJobQueue(new ManualClock(), timer, { closeTimeoutMs: 2_500 });
  let finish: () => void = () => {};
  queue.process('q', () => new Promise<void>((resolve) => (finish = resolve)));
  await queue.enqueue({ queue: 'q', name: 'slow', jobId: 'j1', payload: {} });
  let closed = false;
  const closing = queue.close().then(() => {
    closed = true;
  });
  await settle();
  assert.not.ok(closed);
  finish();
  await closing;
  assert.is((await queue.get('q', 'j1'))?.state, 'succeeded');
  assert.equal(timer.delays(), [], 'the bound timer was cleared');
});

test('a job failing while the queue closes schedules no retry after close', async () => {
  const timer = new StepTimer();
  const queue = new InMemoryJobQueue(new ManualClock(), timer);
  let fail: (error: Error) => void = () => {};
  queue.process('q', () => new Promise<void>((_, reject) => (fail = reject)));
  await queue.enqueue({ queue: 'q', name: 'x', jobId: 'j1', payload: {}, backoffMs: 700 });
  const closing = queue.close();
  fail(new Error('boom'));
  await closing;
  assert.equal(timer.delays(), [], 'no retry timer outlives the queue');
  assert.is((await queue.get('q', 'j1'))?.state, 'failed');
});

test.run();

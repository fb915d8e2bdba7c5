import { randomUUID } from 'node:crypto';
import { BeeJobQueue } from '@khaacho/adapters-redis';
import { JOB_QUEUE, type JobInfo, LOGGER, QueueNames } from '@khaacho/core';
import { ManualClock } from '@khaacho/core/testing';
import { Redis } from 'ioredis';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Composition, composeContainer } from '../composition/compose-container.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { ManualTimer, settled } from '../testing/scheduler-fixtures.js';
import { type ScheduledTask, startScheduler } from './scheduler.js';
import { slotJobId } from './slots.js';

const REDIS = process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
const prefix = `khaacho-test:sched:${randomUUID().slice(0, 8)}`;
const TASKS: readonly ScheduledTask[] = [
  { name: 'every-minute', cron: '* * * * *' },
  { name: 'every-two', cron: '*/2 * * * *' },
];

async function deleteKeys(): Promise<void> {
  const redis = new Redis(REDIS);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

test.after(deleteKeys);

test('two workers on one Redis over the same slots: each slot is one job and its handler runs once in all', async () => {
  const env = { KHAACHO_STORE: 'memory', REDIS_URL: REDIS, KHAACHO_REDIS_PREFIX: prefix, LOG_LEVEL: 'silent' };
  const workers: [Composition, Composition] = [
    await composeContainer(workerConfigFromEnv(env)),
    await composeContainer(workerConfigFromEnv(env)),
  ];
  // One clock the test moves, shared by both schedulers (each worker would read its own wall clock).
  const clock = new ManualClock('2026-12-05T10:00:20.000Z');
  const runs: { jobId: string; worker: number }[] = [];
  // Redis connected first: a slot that cannot be enqueued is replaced by the next one. A
  // failure here still closes both compositions, or their connections keep the run alive.
  try {
    await Promise.all(workers.map((app) => app.ready()));
  } catch (error) {
    await Promise.all(workers.map((app) => app.close()));
    throw error;
  }
  const started = workers.map((app, worker) => {
    const queue = app.get(JOB_QUEUE);
    assert.ok(queue instanceof BeeJobQueue);
    const consumer = queue.process(QueueNames.SCHEDULER, async (job: JobInfo) => {
      runs.push({ jobId: job.jobId, worker });
    });
    const scheduler = startScheduler({ queue, clock, timer: new ManualTimer(), logger: app.get(LOGGER), tasks: TASKS });
    return { queue, consumer, scheduler };
  });
  try {
    await Promise.all(started.map((s) => s.scheduler.caughtUp));
    for (let minute = 1; minute <= 4; minute++) {
      clock.set(new Date(Date.parse('2026-12-05T10:00:00Z') + minute * 60_000 + 500));
      await Promise.all(started.map((s) => s.scheduler.fireDue()));
    }
    const at = (m: number) => new Date(Date.parse('2026-12-05T10:00:00Z') + m * 60_000);
    const expected = [
      ...[0, 1, 2, 3, 4].map((m) => slotJobId('every-minute', at(m))),
      // Nepal's even minutes are odd UTC minutes (UTC+05:45).
      ...[-1, 1, 3].map((m) => slotJobId('every-two', at(m))),
    ];
    const queue = workers[0]?.get(JOB_QUEUE);
    assert.ok(queue);
    const jobs = await settled(queue, QueueNames.SCHEDULER, expected);
    assert.ok(jobs.every((j) => j.state === 'succeeded'));
    assert.equal(
      runs.map((r) => r.jobId).sort(),
      [...expected].sort(),
      'every slot ran once, on one worker or the other',
    );
    assert.is((await queue.stats(QueueNames.SCHEDULER)).succeeded, expected.length, 'and no other job exists');
  } finally {
    for (const s of started) await s.scheduler.stop();
    await Promise.all(workers.map((app) => app.close()));
  }
});

test.run();

import { type JobInfo, NOOP_LOGGER, QueueNames } from '@khaacho/core';
import { InMemoryJobQueue, ManualClock } from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualTimer, settled, until } from '../testing/scheduler-fixtures.js';
import { type ScheduledTask, startScheduler } from './scheduler.js';
import { nepalDate, slotClock, slotJobId } from './slots.js';

const TASKS: readonly ScheduledTask[] = [
  { name: 'every-minute', cron: '* * * * *' },
  { name: 'every-two', cron: '*/2 * * * *' },
  { name: 'nightly', cron: '0 2 * * *' },
];
const MINUTE = 60_000;

function world(start = '2026-12-05T10:00:30.000Z') {
  const clock = new ManualClock(start);
  const queue = new InMemoryJobQueue(clock, new ManualTimer());
  return { clock, queue };
}

test('slots: croner computes them in Asia/Kathmandu; a slot at exactly now is due; Nepali dates', () => {
  const nightly = slotClock({ cron: '0 2 * * *' });
  // 02:00 NPT is 20:15Z the evening before.
  assert.equal(nightly.latest(new Date('2026-12-05T10:00:00Z')), new Date('2026-12-04T20:15:00Z'));
  assert.equal(nightly.next(new Date('2026-12-05T10:00:00Z')), new Date('2026-12-05T20:15:00Z'));
  const minute = slotClock({ cron: '* * * * *' });
  assert.equal(minute.latest(new Date('2026-12-05T10:01:00.000Z')), new Date('2026-12-05T10:01:00Z'));
  assert.equal(minute.latest(new Date('2026-12-05T10:00:59.999Z')), new Date('2026-12-05T10:00:00Z'));
  assert.is(slotJobId('nightly', new Date('2026-12-04T20:15:00Z')), 'nightly:2026-12-04T20:15:00.000Z');
  assert.is(nepalDate(new Date('2026-12-04T20:15:00Z')), '2026-12-05');
  assert.is(nepalDate(new Date('2026-12-04T18:14:59Z')), '2026-12-04');
});

test('two schedulers on one queue over the same slots: each slot is one job, and its handler runs once', async () => {
  const { clock, queue } = world();
  const enqueued: string[] = [];
  const enqueue = queue.enqueue.bind(queue);
  queue.enqueue = async (spec) => {
    const result = await enqueue(spec);
    if (!result.duplicate) enqueued.push(spec.jobId);
    return result;
  };
  const runs = new Map<string, number>();
  const consumer = queue.process(QueueNames.SCHEDULER, async (job: JobInfo) => {
    runs.set(job.jobId, (runs.get(job.jobId) ?? 0) + 1);
  });
  const a = startScheduler({ queue, clock, timer: new ManualTimer(), logger: NOOP_LOGGER, tasks: TASKS });
  const b = startScheduler({ queue, clock, timer: new ManualTimer(), logger: NOOP_LOGGER, tasks: TASKS });
  try {
    for (let minute = 1; minute <= 6; minute++) {
      clock.set(new Date(Date.parse('2026-12-05T10:00:00Z') + minute * MINUTE));
      // Both fire the same slot, one after the other and at once.
      await Promise.all([a.fireDue(), b.fireDue()]);
      await a.fireDue();
    }
    const expected = [
      ...[0, 1, 2, 3, 4, 5, 6].map((m) =>
        slotJobId('every-minute', new Date(Date.parse('2026-12-05T10:00:00Z') + m * MINUTE)),
      ),
      // Nepal is UTC+05:45: its even minutes are odd UTC minutes.
      ...[-1, 1, 3, 5].map((m) => slotJobId('every-two', new Date(Date.parse('2026-12-05T10:00:00Z') + m * MINUTE))),
      slotJobId('nightly', new Date('2026-12-04T20:15:00Z')),
    ];
    assert.equal([...enqueued].sort(), [...expected].sort(), 'one job per slot, no more');
    await settled(queue, QueueNames.SCHEDULER, expected);
    assert.equal([...runs.keys()].sort(), [...expected].sort());
    assert.ok(
      [...runs.values()].every((n) => n === 1),
      'each slot handled once',
    );
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await consumer.stop();
  }
});

test('a gap with no worker: only the last missed slot of each task is caught up, once', async () => {
  const { clock, queue } = world('2026-12-05T10:00:10.000Z');
  const first = startScheduler({ queue, clock, timer: new ManualTimer(), logger: NOOP_LOGGER, tasks: TASKS });
  await first.fireDue();
  await first.stop();
  // Nobody runs for 47 minutes, across nothing nightly.
  clock.set('2026-12-05T10:47:30.000Z');
  const second = startScheduler({ queue, clock, timer: new ManualTimer(), logger: NOOP_LOGGER, tasks: TASKS });
  try {
    const fired = await second.caughtUp;
    assert.equal(
      fired.map((f) => [f.task, f.slot.toISOString(), f.duplicate]),
      [
        ['every-minute', '2026-12-05T10:47:00.000Z', false],
        ['every-two', '2026-12-05T10:47:00.000Z', false],
        // The night's slot was already enqueued by the first worker: a duplicate, not a second run.
        ['nightly', '2026-12-04T20:15:00.000Z', true],
      ],
    );
    assert.is(await queue.get(QueueNames.SCHEDULER, slotJobId('every-minute', new Date('2026-12-05T10:30:00Z'))), null);
    assert.equal(await second.fireDue(), [], 'nothing new within the same minute');
  } finally {
    await second.stop();
  }
});

test('the timer loop: it fires at start, sleeps until the next slot (capped), fires it when woken, and stop cancels', async () => {
  const { clock, queue } = world('2026-12-05T10:00:45.000Z');
  const timer = new ManualTimer();
  const scheduler = startScheduler({
    queue,
    clock,
    timer,
    logger: NOOP_LOGGER,
    tasks: [{ name: 'every-minute', cron: '* * * * *' }],
  });
  await until(() => timer.pending.size === 1, 'the scheduler went to sleep');
  assert.ok(await queue.get(QueueNames.SCHEDULER, 'every-minute:2026-12-05T10:00:00.000Z'), 'caught up at start');
  assert.equal(timer.delays(), [15_000], 'asleep until 10:01:00');
  clock.set('2026-12-05T10:01:00.000Z');
  timer.fireAll();
  await until(
    async () => (await queue.get(QueueNames.SCHEDULER, 'every-minute:2026-12-05T10:01:00.000Z')) !== null,
    'fired',
  );
  await until(() => timer.pending.size === 1, 'asleep again');
  assert.equal(timer.delays(), [30_000], 'a minute away, capped at maxSleepMs');
  await scheduler.stop();
  assert.is(timer.pending.size, 0);
});

test('an enqueue that fails (queue unavailable) is retried at the next wake', async () => {
  const { clock, queue } = world('2026-12-05T10:00:05.000Z');
  const enqueue = queue.enqueue.bind(queue);
  let down = true;
  queue.enqueue = async (spec) => {
    if (down) throw new Error('QUEUE.UNAVAILABLE');
    return enqueue(spec);
  };
  const scheduler = startScheduler({
    queue,
    clock,
    timer: new ManualTimer(),
    logger: NOOP_LOGGER,
    tasks: [{ name: 'every-minute', cron: '* * * * *' }],
  });
  try {
    assert.equal(await scheduler.fireDue(), []);
    down = false;
    const fired = await scheduler.fireDue();
    assert.equal(
      fired.map((f) => f.jobId),
      ['every-minute:2026-12-05T10:00:00.000Z'],
    );
  } finally {
    await scheduler.stop();
  }
});

test.run();

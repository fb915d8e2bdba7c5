// Two worker processes (src/main.ts) on one Redis (a redis-server of this test's own) and one
// database (of its own): each scheduled slot is enqueued once and run once.
import { JOB_QUEUE, QueueNames } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Composition, composeContainer } from '../composition/compose-container.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { WORKER_SCHEDULE } from '../scheduler/scheduled-jobs.js';
import {
  createOwnDatabase,
  type OwnDatabase,
  type OwnRedis,
  spawnWorker,
  startOwnRedis,
  type WorkerProcess,
} from '../testing/fault-harness.js';
import { eventually } from '../testing/flow-world.js';

const ctx: { db?: OwnDatabase; redis?: OwnRedis; monitor?: Composition; workers: WorkerProcess[] } = { workers: [] };

test.before(async () => {
  ctx.db = await createOwnDatabase('fault_two');
  ctx.redis = await startOwnRedis();
  // Migrates the database (the workers do not), and reads the queue counts.
  ctx.monitor = await composeContainer(
    workerConfigFromEnv({
      DATABASE_URL: ctx.db.url,
      KHAACHO_DB_MIGRATE: 'true',
      REDIS_URL: ctx.redis.url,
      LOG_LEVEL: 'silent',
    }),
  );
  await ctx.monitor.ready();
});

test.after(async () => {
  for (const worker of ctx.workers) await worker.kill('SIGKILL');
  await ctx.monitor?.close();
  await ctx.redis?.kill();
  await ctx.db?.drop();
});

test('two worker processes on one Redis: each slot fires once and its job runs once', async () => {
  const env = { DATABASE_URL: (ctx.db as OwnDatabase).url, REDIS_URL: (ctx.redis as OwnRedis).url, LOG_LEVEL: 'info' };
  // Both start together; at start each one fires the latest due slot of every task (the catch-up).
  const workers = [spawnWorker(env), spawnWorker(env)];
  ctx.workers.push(...workers);
  await Promise.all(workers.map((w) => w.firstLine((l) => l.msg === 'worker started')));
  const queue = (ctx.monitor as Composition).get(JOB_QUEUE);
  const lines = () => workers.flatMap((w) => w.lines());
  // Every task's catch-up slot enqueued (by one of them) and every slot job done.
  const fired = await eventually('each task fires its slot and the jobs finish', async () => {
    const slots = lines().filter((l) => l.msg === 'slot fired');
    const tasks = new Set(slots.map((l) => l.task));
    const stats = await queue.stats(QueueNames.SCHEDULER);
    const busy = stats.waiting + stats.active + stats.delayed;
    return WORKER_SCHEDULE.every((t) => tasks.has(t.name)) && busy === 0 && stats.succeeded >= slots.length && slots;
  });
  const perSlot = new Map<string, number>();
  for (const line of fired) perSlot.set(String(line.jobId), (perSlot.get(String(line.jobId)) ?? 0) + 1);
  assert.equal([...new Set(perSlot.values())], [1], `each slot fired once: ${JSON.stringify([...perSlot])}`);
  const stats = await queue.stats(QueueNames.SCHEDULER);
  assert.is(stats.succeeded, perSlot.size, 'one job per slot');
  assert.is(stats.failed, 0);
  // The recovery sweep logs one line per run, inside its job's context: one per sweep slot.
  const sweepSlots = [...perSlot.keys()].filter((id) => id.startsWith('recovery-sweep:'));
  const sweeps = lines().filter((l) => l.msg === 'recovery sweep');
  assert.equal(
    sweeps.map((l) => l.jobId),
    sweepSlots,
    'the sweep ran once per slot',
  );
  const byWorker = workers.map((w) => w.lines().filter((l) => l.msg === 'slot fired').length);
  const ran = workers.map((w) => w.lines().filter((l) => l.queue === QueueNames.SCHEDULER).length > 0);
  console.log(
    `  [two workers] ${perSlot.size} slots (${[...perSlot.keys()].join(', ')}), each fired once ` +
      `(fired by worker 1/2: ${byWorker.join('/')}), ${stats.succeeded} SCHEDULER jobs succeeded, ` +
      `${sweeps.length} sweep run(s); workers that ran slot jobs: ${ran.map((r) => (r ? 'yes' : 'no')).join('/')}`,
  );
  for (const worker of workers) {
    const [code] = await worker.kill('SIGTERM');
    assert.is(code, 0, worker.stderr());
  }
});

test.run();

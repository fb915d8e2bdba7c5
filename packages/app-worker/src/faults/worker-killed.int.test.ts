// Fault: a worker process (src/main.ts) SIGKILLed while it runs jobs; a second one finishes
// the work. PostgreSQL (a database of this test's own) and a redis-server of its own.
import { JOB_QUEUE, type OrderId, OUTBOX, QueueNames } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Composition, composeContainer } from '../composition/compose-container.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import {
  createOwnDatabase,
  offeredOrderOf,
  type OwnDatabase,
  type OwnRedis,
  spawnWorker,
  startOwnRedis,
  type WorkerProcess,
} from '../testing/fault-harness.js';
import { eventually, flowWorld } from '../testing/flow-world.js';

const ORDERS = 30;

const ctx: { db?: OwnDatabase; redis?: OwnRedis; api?: Composition; monitor?: Composition; workers: WorkerProcess[] } =
  { workers: [] };

test.before(async () => {
  ctx.db = await createOwnDatabase('fault_kill');
  ctx.redis = await startOwnRedis();
  // This process plays the API (places orders; its queue is in-process and unused) ...
  ctx.api = await composeContainer(
    workerConfigFromEnv({
      DATABASE_URL: ctx.db.url,
      KHAACHO_DB_MIGRATE: 'true',
      KHAACHO_RISK_POLICY: 'allow-all', // one shop places every order in a burst
      LOG_LEVEL: 'silent',
    }),
  );
  // ... and reads the Redis queues' counts (no consumer: nothing is taken from them here).
  ctx.monitor = await composeContainer(
    workerConfigFromEnv({ KHAACHO_STORE: 'memory', REDIS_URL: ctx.redis.url, LOG_LEVEL: 'silent' }),
  );
  await ctx.monitor.ready();
});

test.after(async () => {
  for (const worker of ctx.workers) await worker.kill('SIGKILL');
  await ctx.monitor?.close();
  await ctx.api?.close();
  await ctx.redis?.kill();
  await ctx.db?.drop();
});

test('a worker SIGKILLed mid-job: a second worker finishes; one offer, one routing decision and one notification per order', async () => {
  const db = ctx.db as OwnDatabase;
  const api = ctx.api as Composition;
  const queue = (ctx.monitor as Composition).get(JOB_QUEUE);
  const world = await flowWorld(api, 2, 'k');
  const orders: OrderId[] = [];
  for (let i = 0; i < ORDERS; i++) orders.push(await world.placeOrder());

  const env = { DATABASE_URL: (ctx.db as OwnDatabase).url, REDIS_URL: (ctx.redis as OwnRedis).url, LOG_LEVEL: 'info' };
  const first = spawnWorker(env);
  ctx.workers.push(first);
  // The kill follows the first routed order at once, while the other routing jobs are queued or running.
  await first.firstLine((line) => {
    if (line.msg === 'order routed') return true;
    if (first.closed()) throw new Error(`the first worker exited: ${first.stderr()}`);
    return false;
  });
  const [, signal] = await first.kill('SIGKILL');
  assert.is(signal, 'SIGKILL');
  // How we know it landed mid-job: jobs the dead process had taken are still in bee-queue's
  // `active` lists (nobody finished them), and more are waiting.
  const routing = await queue.stats(QueueNames.ORDER_ROUTING);
  const notifications = await queue.stats(QueueNames.NOTIFICATIONS);
  const heldByTheDead = routing.active + notifications.active;
  assert.ok(heldByTheDead >= 1, `jobs were running at the kill: ${JSON.stringify({ routing, notifications })}`);
  const routedBeforeKill = first.lines().filter((l) => l.msg === 'order routed').length;
  const sentBeforeKill = first.lines().filter((l) => offeredOrderOf(l) !== null).length;

  const second = spawnWorker(env);
  ctx.workers.push(second);
  const sent = () => {
    const perOrder = new Map<string, number>();
    for (const line of [...first.lines(), ...second.lines()]) {
      const orderId = offeredOrderOf(line);
      if (orderId) perOrder.set(orderId, (perOrder.get(orderId) ?? 0) + 1);
    }
    return perOrder;
  };
  await eventually(
    'every order is notified',
    () => {
      if (second.closed()) throw new Error(`the second worker exited: ${second.stderr()}`);
      return orders.every((id) => (sent().get(id) ?? 0) >= 1);
    },
    25_000,
  );
  await eventually('the outbox and queues settle', async () => {
    const pending = (await api.get(OUTBOX).stats(new Date())).pending;
    const r = await queue.stats(QueueNames.ORDER_ROUTING);
    const n = await queue.stats(QueueNames.NOTIFICATIONS);
    return pending === 0 && r.active + r.waiting + r.delayed + n.active + n.waiting + n.delayed === 0;
  });

  const counts = await db.query<{ order_id: string; attempts: number; decisions: number; pending: number }>(
    `select o.id as order_id,
       (select count(*)::int from routing_attempts a where a.order_id = o.id) as attempts,
       (select count(*)::int from routing_decisions d where d.order_id = o.id) as decisions,
       (select count(*)::int from routing_attempts a where a.order_id = o.id and a.outcome = 'PENDING') as pending
     from orders o where o.id = any($1)`,
    [orders],
  );
  assert.is(counts.length, ORDERS);
  for (const row of counts) {
    assert.equal([row.attempts, row.decisions, row.pending], [1, 1, 1], `order ${row.order_id}`);
  }
  const perOrder = sent();
  assert.equal(
    orders.map((id) => perOrder.get(id) ?? 0),
    orders.map(() => 1),
    'one notification per order across both processes',
  );
  const dead = [
    ...(await queue.deadLetters(QueueNames.ORDER_ROUTING, 100)),
    ...(await queue.deadLetters(QueueNames.NOTIFICATIONS, 100)),
  ];
  assert.equal(
    dead.map((d) => d.jobId),
    [],
    'no dead letters',
  );
  const [code] = await second.kill('SIGTERM');
  assert.is(code, 0, second.stderr());
  console.log(
    `  [kill] at the kill: ${routedBeforeKill} orders routed, ${sentBeforeKill} notified, ${heldByTheDead} jobs held by ` +
      `the dead worker (active: routing ${routing.active}, notifications ${notifications.active}), ${routing.waiting} routing jobs waiting; ` +
      `after: ${ORDERS} orders × 1 attempt, 1 decision, 1 pending offer, 1 notification; ` +
      `second worker routed ${second.lines().filter((l) => l.msg === 'order routed').length}, skipped ` +
      `${second.lines().filter((l) => l.msg === 'routing skipped').length}`,
  );
});

test.run();

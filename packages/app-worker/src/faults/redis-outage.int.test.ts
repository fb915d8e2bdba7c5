// Fault: Redis dies while orders are placed, then comes back (a fresh, empty server on the
// same port). A redis-server of this test's own (SIGKILLed by pid) and a database of its own.
import { JOB_QUEUE, type JobInfo, type OrderId, OUTBOX, QueueNames, USE_CASE_TOKENS, unwrap } from '@khaacho/core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Composition, composeContainer } from '../composition/compose-container.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { createOwnDatabase, type OwnDatabase, type OwnRedis, startOwnRedis } from '../testing/fault-harness.js';
import { eventually, type FlowWorld, flowWorld, recordingSender } from '../testing/flow-world.js';
import { startWorker, type WorkerHandle } from '../worker/start-worker.js';

const ORDERS = 12;

const ctx: {
  db?: OwnDatabase;
  redis?: OwnRedis;
  app?: Composition;
  worker?: WorkerHandle;
  world?: FlowWorld;
  orders: OrderId[];
  /** Runs of the REPORT_GENERATION handler, by job id (the poison-job test). */
  runs: Map<string, number>;
} = { orders: [], runs: new Map() };
const app = () => ctx.app as Composition;
const world = () => ctx.world as FlowWorld;

/** The outbox rows of the placed orders' events of `type` (and, for a status change, to `to`). */
async function outboxRows(type: string, to: string | null = null) {
  return (ctx.db as OwnDatabase).query<{
    aggregate_id: string;
    attempts: number;
    last_error: string | null;
    published_at: Date | null;
  }>(
    `select aggregate_id, attempts, last_error, published_at from outbox
      where event_type = $1 and aggregate_id = any($2) and ($3::text is null or payload->>'to' = $3)`,
    [type, ctx.orders, to],
  );
}

const outage = suite('Redis outage');

outage.before(async () => {
  ctx.db = await createOwnDatabase('fault_outage');
  ctx.redis = await startOwnRedis();
  ctx.app = await composeContainer(
    workerConfigFromEnv({
      DATABASE_URL: ctx.db.url,
      KHAACHO_DB_MIGRATE: 'true',
      REDIS_URL: ctx.redis.url,
      KHAACHO_MESSAGE_SENDER: 'memory',
      // One shop places every order in a burst; the default rules would hold that for review.
      KHAACHO_RISK_POLICY: 'allow-all',
      LOG_LEVEL: 'silent',
    }),
  );
  await app().ready();
  // Short relay retry delays so the drain after the outage does not wait out a 60 s backoff.
  ctx.worker = startWorker(app(), {
    relay: { pollMs: 20, retryBaseMs: 50, retryMaxMs: 400 },
    stopTimeoutMs: 3_000,
    // A queue of this test's own through the worker's wiring: a job named `poison` always throws.
    handlers: {
      [QueueNames.REPORT_GENERATION]: async (job: JobInfo) => {
        ctx.runs.set(job.jobId, (ctx.runs.get(job.jobId) ?? 0) + 1);
        if (job.name === 'poison') throw new Error('this job always fails');
      },
    },
  });
  ctx.world = await flowWorld(app(), 2, 'r');
});

outage.after(async () => {
  await ctx.worker?.stop();
  await ctx.app?.close();
  await ctx.redis?.kill();
  await ctx.db?.drop();
});

outage(
  'Redis down while orders are placed: every order commits, the outbox keeps its events with the error, nothing throws',
  async () => {
    assert.is(ctx.worker?.status().relay?.ack, 'completion', 'published when its job succeeded: Redis may lose it');
    // The setup's own events settle first: a job of theirs still in Redis at the kill is lost
    // with it and enqueued again only when the relay's lease (30 s) lapses, which is the
    // restart case (conversation-killed's), not this test's.
    await eventually('the setup settles before the outage', async () => {
      const pending = (await app().get(OUTBOX).stats(new Date())).pending;
      const busy = Object.values(ctx.worker?.status().queues ?? {}).some((q) => q.running > 0);
      return pending === 0 && !busy;
    });
    await (ctx.redis as OwnRedis).kill();
    for (let i = 0; i < ORDERS; i++) ctx.orders.push(await world().placeOrder()); // unwrap throws on a failed outcome
    for (const orderId of ctx.orders) {
      const order = unwrap(await app().get(USE_CASE_TOKENS.getOrder).execute({ orderId }));
      assert.is(order.status, 'ROUTING', 'committed and waiting for routing');
    }
    // The relay tried each routing event, failed, and left it in the outbox with the reason.
    const failed = await eventually('the relay records the failures', async () => {
      const rows = await outboxRows('order.status_changed', 'ROUTING');
      return rows.length === ORDERS && rows.every((r) => r.last_error !== null) && rows;
    });
    for (const row of failed) {
      assert.is(row.published_at, null, 'not published while Redis is down');
      assert.ok(row.last_error, 'the error is recorded on the message');
    }
    const status = ctx.worker?.status();
    assert.ok((status?.relay?.failed ?? 0) >= ORDERS);
    assert.ok(status?.relay?.lastError);
    assert.is(status?.state, 'running');
    assert.is(recordingSender(app()).sent.length, 0, 'no offer went out while Redis was down');
    console.log(
      `  [outage] ${ORDERS} orders committed; ${failed.length} routing events unpublished with lastError ` +
        `"${failed[0]?.last_error}"; relay failures so far: ${status?.relay?.failed}`,
    );
  },
);

outage('Redis back (fresh server, same port): the events drain, one offer and one notification per order', async () => {
  await (ctx.redis as OwnRedis).restart();
  const [first, second] = world().vendors.map((v) => v.phone);
  const notified = (orderId: string) =>
    recordingSender(app())
      .to(first as string)
      .filter((m) => m.kind === 'buttons' && m.buttons.some((b) => b.id === `offer:accept:${orderId}`));
  await eventually(
    'every order is offered and notified',
    () => ctx.orders.every((id) => notified(id).length >= 1),
    20_000,
  );
  // Settled: nothing pending in the outbox, nothing waiting or running in the queues.
  await eventually('the outbox and queues settle', async () => {
    const pending = (await app().get(OUTBOX).stats(new Date())).pending;
    const running = Object.values(ctx.worker?.status().queues ?? {}).some((q) => q.running > 0);
    return pending === 0 && !running;
  });
  const perOrder: number[] = [];
  for (const orderId of ctx.orders) {
    const order = unwrap(await app().get(USE_CASE_TOKENS.getOrder).execute({ orderId }));
    assert.is(order.routingAttempts.length, 1, 'routed once');
    assert.ok(order.pendingOffer(), 'one offer waiting');
    perOrder.push(notified(orderId).length);
  }
  assert.equal(
    perOrder,
    ctx.orders.map(() => 1),
    'exactly one notification per order',
  );
  assert.is(recordingSender(app()).to(second as string).length, 0, 'nobody else was offered');
  const published = await outboxRows('order.offered');
  assert.is(published.length, ORDERS);
  assert.ok(published.every((r) => r.published_at !== null));
  const dead = await app().get(JOB_QUEUE).deadLetters(QueueNames.ORDER_ROUTING, 100);
  assert.is(dead.length, 0, 'no routing job dead-lettered');
  console.log(
    `  [recovered] ${ORDERS} orders: ${ORDERS} offers, notifications per order ${JSON.stringify([...new Set(perOrder)])}, ` +
      `${recordingSender(app()).sent.length} messages in all, 0 dead letters`,
  );
});

outage('a poison job (its handler always throws) ends in dead letters and does not block its queue', async () => {
  const queue = app().get(JOB_QUEUE);
  const q = QueueNames.REPORT_GENERATION; // concurrency 1: a blocked queue would show at once
  await queue.enqueue({ queue: q, name: 'poison', jobId: 'poison-1', payload: {}, maxAttempts: 3, backoffMs: 20 });
  for (let i = 1; i <= 5; i++) await queue.enqueue({ queue: q, name: 'report', jobId: `good-${i}`, payload: {} });
  const dead = await eventually('the poison job is dead-lettered', async () => {
    const letters = await queue.deadLetters(q, 10);
    return letters.length > 0 && letters;
  });
  assert.equal(
    dead.map((d) => [d.jobId, d.attempts, d.lastError]),
    [['poison-1', 3, 'this job always fails']],
  );
  await eventually('the good jobs after it run', () => [1, 2, 3, 4, 5].every((i) => ctx.runs.get(`good-${i}`) === 1));
  assert.is(ctx.runs.get('poison-1'), 3, 'ran its 3 attempts, no more');
  const stats = await queue.stats(q);
  assert.is(stats.succeeded, 5);
  assert.is(stats.failed, 1);
  console.log(
    `  [poison] dead letters ${JSON.stringify(dead.map((d) => [d.jobId, d.attempts]))}; 5 later jobs succeeded`,
  );
});

outage.run();

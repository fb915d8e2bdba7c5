// The outbox relay's tests, written once and run on each outbox (excluded from the build).
import {
  type DomainEvent,
  ErrorCodes,
  EventTypes,
  IDEMPOTENCY_STORE,
  JOB_QUEUE,
  type JobInfo,
  type JobQueue,
  type JobSpec,
  NOOP_LOGGER,
  OUTBOX,
  QueueNames,
  REPOSITORY_TOKENS,
  TIMER,
  UnavailableError,
  USE_CASE_TOKENS,
  USE_CASES,
  unwrap,
} from '@khaacho/core';
import { InMemoryJobQueue, type ManualClock, oneEventOfEachType } from '@khaacho/core/testing';
import { Container } from 'inversify';
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Composition } from '../composition/compose-container.js';
import { createEventConsumer } from '../consumers/event-consumers.js';
import { routeEvent } from '../consumers/event-routes.js';
import { OutboxAcks } from '../relay/outbox-acks.js';
import { OutboxRelay, type OutboxRelayOptions } from '../relay/outbox-relay.js';
import { startWorker } from '../worker/start-worker.js';
import { eventually, flowWorld, recordingSender } from './flow-world.js';
import type { FlowComposition } from './flow-scenarios.js';

/** A JobQueue that counts enqueues per job id and can be taken down (QUEUE.UNAVAILABLE). */
export class FlakyQueue implements JobQueue {
  down = false;
  readonly enqueued = new Map<string, number>();
  attemptsWhileDown = 0;

  constructor(readonly inner: JobQueue) {}

  async enqueue(job: JobSpec) {
    if (this.down) {
      this.attemptsWhileDown += 1;
      throw new UnavailableError('queue is down', { queue: job.queue }, ErrorCodes.QUEUE_UNAVAILABLE);
    }
    const result = await this.inner.enqueue(job);
    if (!result.duplicate) this.enqueued.set(job.jobId, (this.enqueued.get(job.jobId) ?? 0) + 1);
    return result;
  }
  get(queue: string, jobId: string) {
    return this.inner.get(queue, jobId);
  }
  process(...args: Parameters<JobQueue['process']>) {
    return this.inner.process(...args);
  }
  deadLetters(queue: string, limit: number) {
    return this.inner.deadLetters(queue, limit);
  }
  list(...args: Parameters<JobQueue['list']>) {
    return this.inner.list(...args);
  }
  retryDead(queue: string, jobId: string) {
    return this.inner.retryDead(queue, jobId);
  }
  stats(queue: string) {
    return this.inner.stats(queue);
  }
  close() {
    return this.inner.close();
  }
}

export function relayScenarios(suite: Test, composition: FlowComposition, clock: ManualClock): void {
  const ctx: { app?: Composition } = {};
  const app = () => ctx.app as Composition;
  const outbox = () => app().get(OUTBOX);
  const pending = async () => (await outbox().stats(clock.now())).pending;
  const relay = (queue: JobQueue, options: Partial<OutboxRelayOptions> = {}) =>
    new OutboxRelay(
      { outbox: outbox(), queue, clock, timer: app().get(TIMER), logger: NOOP_LOGGER },
      { ack: 'enqueue', random: () => 0, pollMs: 1, ...options },
    );
  const freshQueue = () => new FlakyQueue(new InMemoryJobQueue(clock, app().get(TIMER)));
  const samples = () => Object.values(oneEventOfEachType(clock.now())) as DomainEvent[];

  suite.before(async () => {
    ctx.app = await composition.make(clock);
  });
  suite.after(async () => {
    await ctx.app?.close();
  });

  suite(`${composition.name}: two relays over one outbox publish every event exactly once`, async () => {
    const events = Array.from({ length: 8 }, samples).flat();
    await outbox().append(events);
    const queue = freshQueue();
    const relays = [relay(queue, { batchSize: 5 }), relay(queue, { batchSize: 5 })];
    for (const r of relays) r.start();
    await eventually('the outbox drains', async () => (await pending()) === 0);
    await Promise.all(relays.map((r) => r.stop()));
    const routed = events.filter((e) => routeEvent(e) !== null).length;
    assert.ok(routed > 0 && routed < events.length, 'some events make jobs, some do not');
    assert.is(queue.enqueued.size, routed, 'one job per routed message');
    assert.ok(
      [...queue.enqueued.values()].every((n) => n === 1),
      'no message enqueued twice',
    );
    const published = relays.reduce((sum, r) => sum + r.status().published, 0);
    assert.is(published, events.length, 'each message marked published by exactly one relay');
  });

  suite(`${composition.name}: queue down: messages stay unpublished with their error and back off, then drain`, async () => {
    const offered = oneEventOfEachType(clock.now())[EventTypes.ORDER_OFFERED];
    await outbox().append([offered, offered, offered]);
    const queue = freshQueue();
    queue.down = true;
    const r = relay(queue, { retryBaseMs: 1_000 });
    assert.is(await r.relayOnce(), 3);
    assert.is(queue.attemptsWhileDown, 1, 'the first failure spares the queue the rest of the batch');
    assert.equal(await outbox().stats(clock.now()), {
      pending: 3,
      failing: 3,
      unreadable: 0,
      oldestPendingAt: (await outbox().stats(clock.now())).oldestPendingAt,
    });
    assert.is(r.status().lastError, 'queue is down');
    // Attempt 1 → 1000 ms, jitter 0 → half of it. Not before.
    clock.advance(499);
    assert.is(await r.relayOnce(), 0);
    clock.advance(1);
    assert.is(await r.relayOnce(), 3, 'claimable again at its retry time');
    // Attempt 2 → 2000 ms → 1000 with jitter 0: the backoff doubled.
    clock.advance(999);
    assert.is(await r.relayOnce(), 0);
    queue.down = false;
    clock.advance(1);
    assert.is(await r.relayOnce(), 3);
    assert.is(await pending(), 0, 'drained');
    assert.is(queue.enqueued.size, 3);
    for (const [jobId] of queue.enqueued) {
      assert.is((await queue.get(QueueNames.NOTIFICATIONS, jobId))?.name, 'notify-vendor-offer');
    }
  });

  suite(`${composition.name}: an event no consumer needs is marked published without a job`, async () => {
    await outbox().append([oneEventOfEachType(clock.now())[EventTypes.VENDOR_REGISTERED]]);
    const queue = freshQueue();
    const r = relay(queue);
    assert.is(await r.relayOnce(), 1);
    assert.is(await pending(), 0);
    assert.is(queue.enqueued.size, 0);
    assert.is(r.status().withoutJob, 1);
  });

  suite(`${composition.name}: ack on completion: published only when the job succeeded`, async () => {
    await outbox().append([oneEventOfEachType(clock.now())[EventTypes.ORDER_OFFERED]]);
    const queue = freshQueue();
    const r = relay(queue, { ack: 'completion', leaseMs: 10_000 });
    assert.is(await r.relayOnce(), 1);
    assert.is(await pending(), 1, 'enqueued, not yet published');
    assert.is(r.status().awaitingAck, 1);
    const [jobId] = [...queue.enqueued.keys()];
    // The lease keeps other relays (and this one) off while the job waits.
    assert.is(await relay(freshQueue(), { ack: 'completion' }).relayOnce(), 0);
    await r.acknowledge(jobId as string);
    assert.is(await pending(), 0);
    assert.is(r.status().awaitingAck, 0);
  });

  suite(`${composition.name}: ack on completion: a job outliving the lease is the same job, renewed; a lost job is enqueued again; a lost ack is found`, async () => {
    await outbox().append([oneEventOfEachType(clock.now())[EventTypes.ORDER_OFFERED]]);
    const leaseMs = 10_000;
    const queue = freshQueue();
    const r = relay(queue, { ack: 'completion', leaseMs });
    assert.is(await r.relayOnce(), 1);
    const [jobId] = [...queue.enqueued.keys()] as [string];
    // A backlog (or the Graph API down): the job still waits when the lease lapses.
    clock.advance(leaseMs + 1);
    assert.is(await r.relayOnce(), 1, 'claimed again');
    assert.equal([...queue.enqueued.entries()], [[jobId, 1]], 'the same job: one enqueue, the second a duplicate');
    assert.is(await pending(), 1, 'not published while its job waits');
    assert.is(await relay(freshQueue(), { ack: 'completion' }).relayOnce(), 0, 'the claim renewed its lease');
    // The queue lost it (a Redis restarted empty): after the lease a relay makes a new job of it.
    clock.advance(leaseMs + 1);
    const restarted = freshQueue();
    const r2 = relay(restarted, { ack: 'completion', leaseMs });
    assert.is(await r2.relayOnce(), 1);
    assert.equal([...restarted.enqueued.keys()], [jobId], 'enqueued again under the message id');
    assert.is((await restarted.get(QueueNames.NOTIFICATIONS, jobId))?.state, 'waiting');
    // It succeeds, but its ack is lost (the process died first): the next claim finds it succeeded.
    const consumer = restarted.process(QueueNames.NOTIFICATIONS, async () => {}, { concurrency: 1 });
    await eventually(
      'the job succeeds',
      async () => (await restarted.get(QueueNames.NOTIFICATIONS, jobId))?.state === 'succeeded',
    );
    await consumer.stop();
    assert.is(await pending(), 1);
    clock.advance(leaseMs + 1);
    assert.is(await r2.relayOnce(), 1);
    assert.is(await pending(), 0, 'published without running it again');
    assert.equal([...restarted.enqueued.entries()], [[jobId, 1]]);
  });

  suite(`${composition.name}: ack on completion by another process than the enqueuing one`, async () => {
    await outbox().append([oneEventOfEachType(clock.now())[EventTypes.ORDER_OFFERED]]);
    const queue = freshQueue();
    const r = relay(queue, { ack: 'completion', leaseMs: 10_000 });
    assert.is(await r.relayOnce(), 1);
    const [jobId] = [...queue.enqueued.keys()] as [string];
    const elsewhere = new OutboxAcks({ outbox: outbox(), clock, logger: NOOP_LOGGER });
    await elsewhere.ack(jobId);
    assert.is(await pending(), 0, 'the ack is by message id');
    assert.equal(elsewhere.status(), { acked: 1, failed: 0, writes: 1 });
  });

  suite(`${composition.name}: embedded crash: a job that never finished is published again after the lease, its effect once`, async () => {
    const world = await flowWorld(app(), 2, `z${composition.name.length}`);
    const orderId = await world.placeOrder();
    const sender = recordingSender(app());
    const leaseMs = 30_000;
    /** A process of its own: the durable store shared, a fresh in-process queue. */
    const process = (queue: JobQueue) => {
      const child = new Container({ parent: app().container });
      child.bind(JOB_QUEUE).toConstantValue(queue);
      return child;
    };
    // Instance 1 routes the order (the effect), then hangs before the job completes: never acked.
    let hungJob: JobInfo | null = null;
    const consume = createEventConsumer({
      useCases: app().get(USE_CASES),
      vendors: app().get(REPOSITORY_TOKENS.vendors),
      sender,
      idempotency: app().get(IDEMPOTENCY_STORE),
      clock,
      logger: NOOP_LOGGER,
    });
    const first = startWorker(process(freshQueue()), {
      relay: { ack: 'completion', leaseMs, pollMs: 1 },
      stopTimeoutMs: 20,
      handlers: {
        ORDER_ROUTING: async (job) => {
          await consume(job);
          hungJob = job;
          await new Promise(() => {});
        },
      },
    });
    await eventually('instance 1 routed the order', () => hungJob !== null);
    await eventually('the vendor was told', () => sender.to(world.vendors[0]?.phone as string).length === 1);
    await first.stop(); // the "crash": the routing job never finishes, its message is never acked
    assert.is(await pending(), 1, 'the routing message is still unpublished');
    // Instance 2, after the lease: publishes it again, and the re-run has no second effect.
    clock.advance(leaseMs + 1);
    const queue2 = freshQueue();
    const second = startWorker(process(queue2), { relay: { ack: 'completion', pollMs: 1 } });
    await eventually('the outbox drains', async () => (await pending()) === 0);
    await second.stop();
    const job = hungJob as JobInfo | null;
    assert.is(
      (await queue2.get(QueueNames.ORDER_ROUTING, job?.jobId ?? ''))?.state,
      'succeeded',
      'republished and run',
    );
    const order = unwrap(await app().get(USE_CASE_TOKENS.getOrder).execute({ orderId }));
    assert.is(order.routingAttempts.length, 1, 'routed once');
    assert.is(sender.to(world.vendors[0]?.phone as string).length, 1, 'told once');
    assert.is(sender.to(world.vendors[1]?.phone as string).length, 0);
  });
}

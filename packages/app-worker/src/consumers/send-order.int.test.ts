// Issue 13, regression: the replies of one answer reached a phone out of order on Redis (a
// list before its draft) because each was its own job, and concurrent consumers ran them in
// any order. Now an answer is one job that sends its messages in turn. Real Redis (keys under
// a prefix of this run's own), two worker queues with several consumers each.
import { BeeJobQueue, RedisConnection } from '@khaacho/adapters-redis';
import {
  type DomainEvent,
  type JobConsumer,
  type MessageSender,
  messagesSendRequested,
  NOOP_LOGGER,
  type OutboundMessage,
  PhoneNumber,
  QueueNames,
  systemClock,
  type UseCases,
} from '@khaacho/core';
import { InMemoryIdempotencyStore, InMemoryStore } from '@khaacho/core/testing';
import { Redis } from 'ioredis';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EVENT_JOB_ATTEMPTS } from '../relay/outbox-relay.js';
import { eventually } from '../testing/flow-world.js';
import { createEventConsumer } from './event-consumers.js';
import { eventToJobPayload, routeEvent } from './event-routes.js';

const REDIS = process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
const prefix = `khaacho-test:send-order:${process.pid}:${Date.now()}`;

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

/** A Graph stand-in: answers after a random pause (so concurrent sends do overlap), and fails on the calls asked for. */
class PhoneLog implements MessageSender {
  readonly received = new Map<string, string[]>();
  calls = 0;
  constructor(private readonly failCall: (n: number, message: OutboundMessage) => boolean) {}
  async send(message: OutboundMessage): Promise<{ providerMessageId: string }> {
    const n = ++this.calls;
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 8)));
    if (this.failCall(n, message)) throw new Error(`graph down on call ${n}`);
    const list = this.received.get(message.to.value) ?? [];
    list.push(message.kind === 'text' ? message.text : message.kind === 'list' ? message.body : message.kind);
    this.received.set(message.to.value, list);
    return { providerMessageId: `wamid.${n}` };
  }
}

/** An answer as the conversation service emits it: a draft, then a list per unclear line. */
function answer(phone: PhoneNumber, a: number, lists: number): OutboundMessage[] {
  return [
    { kind: 'text', to: phone, text: `${phone.value}/${a}: draft` },
    ...Array.from(
      { length: lists },
      (_, i): OutboundMessage => ({
        kind: 'list',
        to: phone,
        body: `${phone.value}/${a}: list ${i + 1}`,
        button: 'Choose',
        sections: [{ rows: [{ id: `pick:${i}`, title: `item ${i}` }] }],
      }),
    ),
  ];
}

function texts(messages: readonly OutboundMessage[]): string[] {
  return messages.map((m) => (m.kind === 'text' ? m.text : m.kind === 'list' ? m.body : m.kind));
}

async function run(
  sender: PhoneLog,
  events: readonly DomainEvent[],
  tag: string,
): Promise<{ queue: BeeJobQueue; stop: () => Promise<void> }> {
  const idempotency = new InMemoryIdempotencyStore(new InMemoryStore());
  const consume = createEventConsumer({
    useCases: {} as Pick<UseCases, 'routeOrder' | 'recalculateCreditScore' | 'getOrder'>,
    vendors: { get: async () => null },
    sender,
    idempotency,
    clock: systemClock,
    logger: NOOP_LOGGER,
  });
  // Two "workers" (a queue and a connection each) sharing one idempotency store, as two
  // processes share the database; four consumers each.
  const connections = [new RedisConnection({ url: REDIS }), new RedisConnection({ url: REDIS })];
  for (const c of connections) {
    for (let i = 0; i < 500 && !c.ready; i++) await new Promise((r) => setTimeout(r, 10));
    if (!c.ready) throw new Error(`no Redis at ${REDIS}`);
  }
  const queues = connections.map(
    (connection) => new BeeJobQueue({ connection, prefix: `${prefix}:${tag}`, stallIntervalMs: 1_000 }),
  );
  const consumers: JobConsumer[] = queues.map((q) => q.process(QueueNames.NOTIFICATIONS, consume, { concurrency: 4 }));
  const producer = queues[0] as BeeJobQueue;
  for (const [i, event] of events.entries()) {
    const route = routeEvent(event);
    assert.equal(route, { queue: QueueNames.NOTIFICATIONS, job: 'send-message' });
    await producer.enqueue({
      queue: QueueNames.NOTIFICATIONS,
      name: 'send-message',
      jobId: `${tag}-${i}`,
      payload: eventToJobPayload(event),
      maxAttempts: EVENT_JOB_ATTEMPTS,
      backoffMs: 20,
    });
  }
  return {
    queue: producer,
    stop: async () => {
      for (const c of consumers) await c.stop();
      for (const q of queues) await q.close();
      for (const c of connections) await c.close();
    },
  };
}

test('many multi-message answers on Redis with concurrent workers: each phone gets each answer whole, in order, once', async () => {
  const phones = Array.from({ length: 24 }, (_, i) => PhoneNumber.parse(`98410${String(i).padStart(5, '0')}`));
  const answers = phones.map((p, i) => answer(p, 1, 1 + (i % 4)));
  const events = answers.flatMap((a) => messagesSendRequested(a, 'draft-reply', new Date()));
  assert.is(events.length, answers.length, 'one event per answer');
  // Every 7th call to the provider fails: retries are in the mix, never a reorder or a repeat.
  const sender = new PhoneLog((n) => n % 7 === 0);
  const { queue, stop } = await run(sender, events, 'many');
  try {
    await eventually(
      'every answer sent',
      async () => {
        const s = await queue.stats(QueueNames.NOTIFICATIONS);
        return s.succeeded + s.failed === events.length && s;
      },
      60_000,
    );
    const stats = await queue.stats(QueueNames.NOTIFICATIONS);
    assert.is(stats.failed, 0, 'no job dead');
    for (const [i, phone] of phones.entries()) {
      assert.equal(sender.received.get(phone.value), texts(answers[i] as OutboundMessage[]), phone.value);
    }
  } finally {
    await stop();
  }
});

test('the provider fails on message 2 of 3, then recovers: the retry resumes there; each message once, in order', async () => {
  const phone = PhoneNumber.parse('9841099999');
  const three = answer(phone, 1, 2);
  const events = messagesSendRequested(three, 'draft-reply', new Date());
  let failedOnce = false;
  const sender = new PhoneLog((_, m) => {
    if (failedOnce || m.kind !== 'list' || !m.body.endsWith('list 1')) return false;
    failedOnce = true;
    return true;
  });
  const { queue, stop } = await run(sender, events, 'mid');
  try {
    const job = await eventually(
      'the answer sent',
      async () => {
        const info = await queue.get(QueueNames.NOTIFICATIONS, 'mid-0');
        return info?.state === 'succeeded' && info;
      },
      60_000,
    );
    assert.ok(failedOnce, 'the second send failed');
    assert.is(job.attempts, 2, 'one failed attempt, then the one that finished');
    assert.is(sender.calls, 4, 'the first message was not sent again: 1, 2 (failed), 2, 3');
    assert.equal(sender.received.get(phone.value), texts(three));
  } finally {
    await stop();
  }
});

test.run();

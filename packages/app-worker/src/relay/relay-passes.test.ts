// Which ack rounds make the relay run a pass: only one that published a send with a later
// send to its phone waiting (phone order held it back); any other pass would claim nothing.
import { domainEvent, EventTypes, NOOP_LOGGER, OUTBOX, type Outbox, QueueNames, TIMER } from '@khaacho/core';
import { InMemoryJobQueue, ManualClock } from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { composeContainer } from '../composition/compose-container.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { eventually } from '../testing/flow-world.js';
import { OutboxRelay } from './outbox-relay.js';

const P = '+9779800000011';
const Q = '+9779800000022';

/** Lets pending wake-ups start their pass (a pass calls `claim` within a few turns). */
const turns = async (n = 5) => {
  for (let i = 0; i < n; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

test('an ack round runs a pass only when it released a held send', async () => {
  const clock = new ManualClock('2026-03-02T04:00:00.000Z');
  const app = await composeContainer(
    workerConfigFromEnv({ KHAACHO_STORE: 'memory', KHAACHO_MESSAGE_SENDER: 'memory', LOG_LEVEL: 'silent' }),
    { clock },
  );
  const outbox = app.get(OUTBOX);
  let claims = 0;
  const counted: Outbox = Object.create(outbox, {
    claim: {
      value: (...args: Parameters<Outbox['claim']>) => {
        claims += 1;
        return outbox.claim(...args);
      },
    },
  });
  const queue = new InMemoryJobQueue(clock, app.get(TIMER));
  const relay = new OutboxRelay(
    { outbox: counted, queue, clock, timer: app.get(TIMER), logger: NOOP_LOGGER },
    // Only wake-ups run passes within the test: the poll never comes.
    { ack: 'completion', pollMs: 3_600_000 },
  );
  const send = (phone: string, reason: string) =>
    domainEvent(EventTypes.MESSAGE_SEND_REQUESTED, phone, clock.now(), {
      message: { kind: 'text', to: phone, text: reason },
      reason,
    });
  const waiting = async () => (await queue.stats(QueueNames.NOTIFICATIONS)).waiting;
  try {
    await outbox.append([send(P, 'p1'), send(P, 'p2'), send(Q, 'q1')]);
    // Their ids: a claim with no lease leaves them free for the relay at once.
    const [p1, p2, q1] = (await outbox.claim({ limit: 10, leaseMs: 0, now: clock.now() })).map((m) => m.id);
    relay.start();
    await eventually('the first pass enqueued p1 and q1 (p2 held behind p1)', async () => (await waiting()) === 2);
    assert.is(claims, 1);

    await relay.acknowledge(q1 as string);
    await turns();
    assert.is(claims, 1, 'q1 had nothing behind it: no pass');

    await relay.acknowledge(p1 as string);
    await eventually('p1 released p2: a pass enqueued it', async () => (await waiting()) === 3);
    assert.is(claims, 2);

    await relay.acknowledge(p2 as string);
    await turns();
    assert.is(claims, 2, 'p2 was the last to P: no pass');
    assert.is(relay.status().woken, 1);
    assert.is((await outbox.stats(clock.now())).pending, 0);
  } finally {
    await relay.stop();
    await queue.close();
    await app.close();
  }
});

test.run();

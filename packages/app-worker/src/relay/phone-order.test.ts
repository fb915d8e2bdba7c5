// A phone's messages leave in order across separate outbox events: the second send to a
// phone is not even claimed while the first is unpublished (its job retrying), and other
// phones are not held meanwhile. In-memory outbox and queue, the real relay and worker.
import { domainEvent, EventTypes, type JobInfo, OUTBOX } from '@khaacho/core';
import { ManualClock } from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { composeContainer } from '../composition/compose-container.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { eventFromJobPayload } from '../consumers/event-routes.js';
import { eventually } from '../testing/flow-world.js';
import { startWorker } from '../worker/start-worker.js';

const P = '+9779800000011';
const Q = '+9779800000022';

test('the first send fails twice, then succeeds: the second send to that phone goes out after it; another phone is not held', async () => {
  const clock = new ManualClock('2026-03-02T04:00:00.000Z');
  const app = await composeContainer(
    workerConfigFromEnv({ KHAACHO_STORE: 'memory', KHAACHO_MESSAGE_SENDER: 'memory', LOG_LEVEL: 'silent' }),
    { clock },
  );
  const send = (phone: string, reason: string) =>
    domainEvent(EventTypes.MESSAGE_SEND_REQUESTED, phone, clock.now(), {
      message: { kind: 'text', to: phone, text: reason },
      reason,
    });
  /** Every run of a NOTIFICATIONS job, in order: `reason#attempt` and how it ended. */
  const runs: string[] = [];
  const sent: string[] = [];
  let otherSent: () => void = () => {};
  const other = new Promise<void>((resolve) => {
    otherSent = resolve;
  });
  const handler = async (job: JobInfo) => {
    const event = eventFromJobPayload(job.payload);
    if (event.type !== EventTypes.MESSAGE_SEND_REQUESTED) throw new Error(`unexpected ${event.type}`);
    const { reason } = event.payload;
    runs.push(`${reason}#${job.attempts}`);
    if (reason === 'first' && job.attempts <= 2) throw new Error('Graph API down');
    // The first's success waits for the other phone's message: were that one held behind
    // it, this would never finish.
    if (reason === 'first') await other;
    sent.push(reason);
    if (reason === 'other') otherSent();
  };
  const worker = startWorker(app, {
    relay: { pollMs: 5 },
    concurrency: { NOTIFICATIONS: 4 },
    handlers: { NOTIFICATIONS: handler },
    snapshotRefresh: false,
    inbox: false,
  });
  try {
    const outbox = app.get(OUTBOX);
    // Two separate changes to one phone (two events, two appends), and one to another phone.
    await outbox.append([send(P, 'first')]);
    await outbox.append([send(P, 'second'), send(Q, 'other')]);
    await eventually('all three are sent', () => sent.length === 3, 20_000).catch((e: unknown) => {
      throw new Error(`${String(e)}; runs: ${runs.join(', ')}; sent: ${sent.join(', ')}`);
    });
    assert.equal(
      sent.filter((r) => r !== 'other'),
      ['first', 'second'],
      'in the order they were requested',
    );
    assert.ok(
      runs.indexOf('second#1') > runs.indexOf('first#3'),
      `the second ran only after the first's last attempt: ${runs.join(', ')}`,
    );
    assert.equal(
      runs.filter((r) => r.startsWith('second')),
      ['second#1'],
      'and once',
    );
    await eventually('the outbox drains', async () => (await outbox.stats(clock.now())).pending === 0);
    assert.is(worker.status().relay?.ack, 'completion');
  } finally {
    await worker.stop();
    await app.close();
  }
});

test.run();

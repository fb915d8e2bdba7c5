import { EventTypes, QueueNames } from '@khaacho/core';
import {
  createInMemoryPersistence,
  deterministicIds,
  InMemoryJobQueue,
  ManualClock,
  oneEventOfEachType,
  RecordingLogger,
} from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startProgressReporter } from '../progress/progress-reporter.js';
import { OutboxRelay } from './outbox-relay.js';

const idleTimer = { setTimeout: () => 0, clearTimeout: () => {} };

interface Row {
  readonly id: string;
  readonly event: { readonly type: string; readonly payloadJson: string };
}

test('worker-ops 3: an unreadable outbox row is parked with an error line (message id, type, reason; no payload) and counted in the relay status, the outbox stats and the progress line', async () => {
  const clock = new ManualClock('2026-03-01T08:00:00.000Z');
  const p = createInMemoryPersistence(deterministicIds(clock, 7));
  const samples = oneEventOfEachType(clock.now());
  await p.uow.run((tx) =>
    tx.outbox.append([samples[EventTypes.ORDER_OFFER_EXPIRED], samples[EventTypes.ORDER_OFFERED]]),
  );
  // What a newer version (or a hand-edited row) leaves behind: a type this code does not know,
  // with a payload that carries a phone number the log must not repeat.
  const [newer] = p.store.committed.values<Row>('outbox');
  assert.ok(newer);
  await p.store.transaction(async (tx) => {
    tx.set('outbox', newer.id, {
      ...newer,
      event: { ...newer.event, type: 'order.teleported', payloadJson: JSON.stringify({ phone: '+9779841234567' }) },
    });
  });

  const logger = new RecordingLogger();
  const queue = new InMemoryJobQueue(clock, idleTimer);
  const relay = new OutboxRelay({ outbox: p.outbox, queue, clock, timer: idleTimer, logger }, { ack: 'enqueue' });
  assert.is(await relay.relayOnce(), 1, 'only the readable message is handed out');

  const errors = logger.records.filter((r) => r.level === 'error');
  assert.equal(errors, [
    {
      level: 'error',
      message: 'outbox message unreadable; parked for a relay that can read it',
      fields: {
        messageId: newer.id,
        type: 'order.teleported',
        attempts: 1,
        error: 'unreadable event: event "order.teleported": type not in the catalog',
      },
    },
  ]);
  assert.not.match(JSON.stringify(logger.records), '9841234567', 'no payload value in the logs');
  assert.is(relay.status().unreadable, 1);
  assert.is((await p.outbox.stats(clock.now())).unreadable, 1);
  assert.is((await p.outbox.stats(clock.now())).failing, 1);

  const reporter = startProgressReporter({
    queue,
    queues: [QueueNames.ORDER_ROUTING],
    outbox: p.outbox,
    logger,
    intervalMs: 30_000,
    clock,
    timer: idleTimer,
  });
  const line = await reporter.report();
  await reporter.stop();
  assert.is(line.outbox?.unreadable, 1);

  // Claimed again after its lease: logged again (with its attempts), still not handed out.
  clock.advance(60_000);
  assert.is(await relay.relayOnce(), 0);
  assert.equal(
    logger.records.filter((r) => r.level === 'error').map((r) => r.fields.attempts),
    [1, 2],
  );
  assert.is(relay.status().unreadable, 2);
});

test.run();

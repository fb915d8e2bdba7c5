import { EventTypes, type Logger, NOOP_LOGGER, OUTBOX, type Outbox } from '@khaacho/core';
import { ManualClock, oneEventOfEachType } from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { composeContainer } from '../composition/compose-container.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { OutboxAcks } from './outbox-acks.js';

const clock = new ManualClock('2026-03-02T04:00:00.000Z');

/** An in-memory outbox holding `n` claimed messages; their ids. */
async function claimed(n: number): Promise<{ outbox: Outbox; ids: string[]; close: () => Promise<void> }> {
  const app = await composeContainer(
    workerConfigFromEnv({ KHAACHO_STORE: 'memory', KHAACHO_MESSAGE_SENDER: 'memory', LOG_LEVEL: 'silent' }),
    { clock },
  );
  const outbox = app.get(OUTBOX);
  const offered = oneEventOfEachType(clock.now())[EventTypes.ORDER_OFFERED];
  await outbox.append(Array.from({ length: n }, () => offered));
  const messages = await outbox.claim({ limit: n, leaseMs: 30_000, now: clock.now() });
  return { outbox, ids: messages.map((m) => m.id), close: () => app.close() };
}

/** Counts `markPublished` calls; `gate` holds each until released. */
function counting(outbox: Outbox) {
  const calls: number[] = [];
  let gate: Promise<void> | null = null;
  let open = () => {};
  const wrapped: Outbox = Object.create(outbox, {
    markPublished: {
      value: async (ids: readonly string[], at: Date) => {
        calls.push(ids.length);
        if (gate) await gate;
        return outbox.markPublished(ids, at);
      },
    },
  });
  return {
    outbox: wrapped,
    calls,
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release() {
      gate = null;
      open();
    },
  };
}

test('acks made together are one UPDATE; past maxBatch, several', async () => {
  const { outbox, ids, close } = await claimed(50);
  try {
    const c = counting(outbox);
    const acks = new OutboxAcks({ outbox: c.outbox, clock, logger: NOOP_LOGGER }, { maxBatch: 20 });
    await Promise.all(ids.map((id) => acks.ack(id)));
    assert.equal(c.calls, [20, 20, 10], 'one round, written in chunks of maxBatch');
    assert.is((await outbox.stats(clock.now())).pending, 0);
    assert.equal(acks.status(), { acked: 50, failed: 0, writes: 3 });
  } finally {
    await close();
  }
});

test('acks arriving while an UPDATE runs go into the next one (group commit)', async () => {
  const { outbox, ids, close } = await claimed(11);
  try {
    const c = counting(outbox);
    const acks = new OutboxAcks({ outbox: c.outbox, clock, logger: NOOP_LOGGER });
    const seen: string[][] = [];
    const releases: boolean[] = [];
    acks.onAcked((written, releasesHeld) => {
      seen.push([...written]);
      releases.push(releasesHeld);
    });
    c.hold();
    const first = acks.ack(ids[0] as string);
    await new Promise((resolve) => setImmediate(resolve)); // the first round starts, and waits
    assert.equal(c.calls, [1]);
    const rest = ids.slice(1).map((id) => acks.ack(id, false)); // not a phone's send
    c.release();
    await Promise.all([first, ...rest]);
    assert.equal(c.calls, [1, 10], 'two UPDATEs for eleven acks');
    assert.equal(seen, [ids.slice(0, 1), ids.slice(1)], 'listeners told of each round');
    assert.equal(releases, [true, false], 'and whether a held message may now go');
    await acks.flush();
    assert.is((await outbox.stats(clock.now())).pending, 0);
  } finally {
    await close();
  }
});

test('a failed UPDATE is logged, never thrown: the messages stay pending for the relay to find', async () => {
  const { outbox, ids, close } = await claimed(2);
  try {
    const warnings: string[] = [];
    const logger: Logger = {
      ...NOOP_LOGGER,
      warn: (msg: string) => {
        warnings.push(msg);
      },
    };
    const broken: Outbox = Object.create(outbox, {
      markPublished: { value: async () => Promise.reject(new Error('connection terminated')) },
    });
    const acks = new OutboxAcks({ outbox: broken, clock, logger });
    await Promise.all(ids.map((id) => acks.ack(id)));
    assert.equal(acks.status(), { acked: 0, failed: 2, writes: 1 });
    assert.equal(warnings, ['outbox ack failed; those messages are marked after their lease']);
    assert.is((await outbox.stats(clock.now())).pending, 2);
  } finally {
    await close();
  }
});

test.run();

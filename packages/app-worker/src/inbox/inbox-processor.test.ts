import { createInMemoryPersistence, deterministicIds, ManualClock } from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CONVERSATION_HANDLER,
  IDEMPOTENCY_STORE,
  type InboxEvent,
  OUTBOUND_MESSAGE_LOG,
  type Timer,
  WEBHOOK_INBOX,
} from '@khaacho/core';
import { composeContainer } from '../composition/compose-container.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { eventually } from '../testing/flow-world.js';
import { INBOX_SCENARIOS } from '../testing/inbox-scenarios.js';
import { inboxWorld, messageEvent, RecordingHandler } from '../testing/inbox-world.js';
import { startWorker } from '../worker/start-worker.js';

const storage = () => createInMemoryPersistence(deterministicIds(new ManualClock('2026-12-06T03:00:00Z'), 7));

for (const [name, run] of INBOX_SCENARIOS) test(`in memory: ${name}`, () => run(storage()));

test('running: a wake-up starts a pass at once (the poll is an hour), stop() drains the event under way', async () => {
  const w = inboxWorld(storage());
  const listeners: Array<() => void> = [];
  const wakeup = {
    subscribe(listener: () => void) {
      listeners.push(listener);
      return () => listeners.splice(listeners.indexOf(listener), 1);
    },
  };
  const p = w.processor({ wakeup, pollMs: 3_600_000 });
  let release: () => void = () => {};
  const slow = new Promise<void>((resolve) => {
    release = resolve;
  });
  const original = w.handler.handleMessage.bind(w.handler);
  let entered: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    entered = resolve;
  });
  w.handler.handleMessage = async (m) => {
    entered();
    await slow;
    return original(m);
  };
  p.start();
  await new Promise((r) => setImmediate(r)); // the first (empty) pass, then the long wait
  await w.record(messageEvent('wamid.wake', 'hi'));
  for (const l of listeners) l();
  await started;
  const stopped = p.stop();
  assert.is(w.handler.handled.length, 0, 'still in the handler');
  release();
  await stopped;
  assert.equal(
    w.handler.handled.map((m) => m.messageId),
    ['wamid.wake'],
    'drained, not abandoned',
  );
  assert.equal([p.status().running, p.status().processed, p.status().woken], [false, 1, 1]);
  assert.is(listeners.length, 0, 'unsubscribed');
});

test('the handler is told which attempt is the last: a transient failure is answered there, not thrown', async () => {
  const w = inboxWorld(storage());
  const p = w.processor({ maxAttempts: 3 });
  w.handler.failing.set('wamid.voice', 2);
  await w.record(messageEvent('wamid.voice', 'hi'));
  for (let pass = 0; pass < 3; pass++) await p.processOnce();
  assert.equal(w.handler.finalAttempts, [false, false, true]);
  assert.equal(
    w.handler.handled.map((m) => m.messageId),
    ['wamid.voice'],
  );
});

test('startWorker runs the inbox processor only when a CONVERSATION_HANDLER is bound', async () => {
  const app = await composeContainer(workerConfigFromEnv({ KHAACHO_STORE: 'memory', LOG_LEVEL: 'silent' }));
  try {
    // The composition binds the conversations; take them away to see the worker do without.
    app.container.unbind(CONVERSATION_HANDLER);
    const without = startWorker(app, { withoutRelay: true });
    assert.is(without.status().inbox, null);
    await without.stop();
    const handler = new RecordingHandler();
    app.container.bind(CONVERSATION_HANDLER).toConstantValue(handler);
    const withHandler = startWorker(app, { withoutRelay: true, inbox: { pollMs: 10 } });
    await inboxWorld({
      inbox: app.get(WEBHOOK_INBOX),
      outboundLog: app.get(OUTBOUND_MESSAGE_LOG),
      idempotency: app.get(IDEMPOTENCY_STORE),
    }).record(messageEvent('wamid.started', 'hi'));
    await eventually('handled', () => withHandler.status().inbox?.processed === 1);
    assert.equal(
      handler.handled.map((m) => m.messageId),
      ['wamid.started'],
    );
    await withHandler.stop();
    assert.is(withHandler.status().inbox?.running, false);
  } finally {
    await app.close();
  }
});

test("concurrency: chats run side by side, and one chat's messages one at a time in the order received", async () => {
  const w = inboxWorld(storage());
  const phones = ['9779800000001', '9779800000002', '9779800000003'];
  const sent: string[] = [];
  // Interleaved as they would arrive: a1 b1 c1 a2 b2 c2 …, five per chat.
  for (let i = 1; i <= 5; i++) {
    for (const [n, phone] of phones.entries()) {
      const id = `wamid.${'abc'[n]}${i}`;
      sent.push(id);
      await w.record({ ...messageEvent(id, `line ${i}`), from: phone });
      w.clock.advance(1);
    }
  }
  const inFlight = new Map<string, number>();
  let most = 0;
  let overlapSameChat = 0;
  const original = w.handler.handleMessage.bind(w.handler);
  w.handler.handleMessage = async (m) => {
    const now = (inFlight.get(m.from) ?? 0) + 1;
    if (now > 1) overlapSameChat += 1;
    inFlight.set(m.from, now);
    most = Math.max(
      most,
      [...inFlight.values()].reduce((a, b) => a + b, 0),
    );
    // A few turns of the event loop, so that other lanes get to start meanwhile.
    for (let t = 0; t < 3; t++) await new Promise((r) => setImmediate(r));
    await original(m);
    inFlight.set(m.from, (inFlight.get(m.from) ?? 1) - 1);
  };
  const p = w.processor({ concurrency: 3, batchSize: 50 });
  assert.is(await p.processOnce(), 15);
  assert.is(overlapSameChat, 0, 'never two messages of one chat at once');
  assert.ok(most > 1, `chats ran side by side (at most ${most} at once)`);
  for (const phone of phones) {
    assert.equal(
      w.handler.handled.filter((m) => m.from === phone).map((m) => m.messageId),
      sent.filter((id) => id[6] === 'abc'[phones.indexOf(phone)]),
      `${phone} in the order received`,
    );
  }
  assert.is(p.status().processed, 15);
});

test("concurrency: a failing message holds its chat's later messages back, unworked and with no attempt spent, until its retry", async () => {
  const w = inboxWorld(storage());
  const stored: InboxEvent[] = [];
  for (const id of ['wamid.x1', 'wamid.x2', 'wamid.x3']) {
    stored.push(await w.record(messageEvent(id, id)));
    w.clock.advance(1);
  }
  const other = await w.record({ ...messageEvent('wamid.y1', 'y1'), from: '9779800000002' });
  w.handler.failing.set('wamid.x2', 1);
  const p = w.processor({ concurrency: 4 });
  assert.is(await p.processOnce(), 4);
  assert.equal(
    w.handler.handled.map((m) => m.messageId).sort(),
    ['wamid.x1', 'wamid.y1'],
    "x3 is not answered before x2; the other chat's message is",
  );
  const x3 = await w.storage.inbox.get(stored[2]?.id ?? '');
  assert.equal([x3?.status, x3?.attempts], ['RECEIVED', 0], 'x3 given back as it was');
  assert.equal([p.status().processed, p.status().failed, p.status().released], [2, 1, 1]);
  assert.is(await p.processOnce(), 2, 'x2 retried with x3 behind it');
  assert.equal(
    w.handler.handled.map((m) => m.messageId).filter((id) => id.startsWith('wamid.x')),
    ['wamid.x1', 'wamid.x2', 'wamid.x3'],
  );
  assert.is((await w.storage.inbox.get(other.id))?.status, 'PROCESSED');
  assert.equal((await w.storage.inbox.get(stored[2]?.id ?? ''))?.attempts, 1);
});

test('one failing event does not slow the chats around it: the pass backs off only when all its events failed', async () => {
  // Seen live: a signed body that was not JSON failed on every pass, so every pass backed off
  // (1 s, 2 s, … 60 s) and 389 good messages waited minutes behind it.
  const w = inboxWorld(storage());
  await w.record(messageEvent('wamid.bad', 'poison'));
  w.clock.advance(1);
  // Another chat's: the bad one's own chat waits for it (chat order) until it is dead.
  await w.record({ ...messageEvent('wamid.good', 'hi'), from: '9779800000002' });
  w.handler.failing.set('wamid.bad', 100);
  const delays: number[] = [];
  const timer: Timer = {
    setTimeout: (callback, ms) => {
      // The lease heartbeat's timeouts (lease / 3) are not waits between passes.
      if (ms !== HEARTBEAT_MS) delays.push(ms);
      return setImmediate(callback);
    },
    clearTimeout: (handle) => clearImmediate(handle as NodeJS.Immediate),
  };
  const HEARTBEAT_MS = 1_000_000;
  const p = w.processor({ timer, pollMs: 5, backoffBaseMs: 1_000, maxAttempts: 3, leaseMs: 3 * HEARTBEAT_MS });
  p.start();
  await eventually('two waits', () => delays.length >= 2);
  await p.stop();
  assert.equal(
    w.handler.handled.map((m) => m.messageId),
    ['wamid.good'],
  );
  assert.is(delays[0], 5, 'after a pass where one of two events failed: the poll, not the backoff');
  assert.is(delays[1], 1_000, 'after a pass where every event failed (a dependency down): the backoff');
});

test.run();

import { createInMemoryPersistence, deterministicIds, ManualClock } from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CONVERSATION_HANDLER, IDEMPOTENCY_STORE, OUTBOUND_MESSAGE_LOG, WEBHOOK_INBOX } from '@khaacho/core';
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

test.run();

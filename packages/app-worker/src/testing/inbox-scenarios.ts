// The inbox processor's behaviour, run against the in-memory persistence and PostgreSQL.
import {
  INBOX_LEASE_EXPIRED_ERROR,
  type InboundMessage,
  PhoneNumber,
  type Timer,
  type WebhookInbox,
} from '@khaacho/core';
import * as assert from 'uvu/assert';
import { eventually } from './flow-world.js';
import {
  type InboxStorage,
  type InboxWorld,
  inboxWorld,
  messageEvent,
  providerError,
  statusEvent,
} from './inbox-world.js';

export type InboxScenario = readonly [name: string, run: (storage: InboxStorage) => Promise<void>];

const OPERATOR = PhoneNumber.parse('+9779800000099');

export const INBOX_SCENARIOS: readonly InboxScenario[] = [
  [
    'a message goes to the conversation handler once and is marked processed; a redelivery stored once is not answered again',
    async (storage) => {
      const w = inboxWorld(storage);
      const stored = await w.record(messageEvent('wamid.m1', 'chamal 2 bora'));
      await w.record(messageEvent('wamid.m1', 'chamal 2 bora'));
      const p = w.processor();
      assert.is(await p.processOnce(), 1);
      assert.is(await p.processOnce(), 0);
      assert.equal(
        w.handler.handled.map((m) => [m.eventId, m.content]),
        [['wa:msg:wamid.m1', { type: 'text', text: 'chamal 2 bora' }]],
      );
      assert.ok(w.handler.handled[0]?.sentAt instanceof Date, 'dates come back as dates');
      assert.is((await storage.inbox.get(stored.id))?.status, 'PROCESSED');
      assert.equal(p.status(), {
        running: false,
        processed: 1,
        failed: 0,
        dead: 0,
        released: 0,
        woken: 0,
        lastError: null,
      });
    },
  ],
  [
    'a handler that throws is retried on the next pass, then dead after maxAttempts (visible in listDead)',
    async (storage) => {
      const w = inboxWorld(storage);
      w.handler.failing.set('wamid.flaky', 1);
      w.handler.failing.set('wamid.down', 99);
      const flaky = await w.record(messageEvent('wamid.flaky', 'a'));
      const down = await w.record(messageEvent('wamid.down', 'b'));
      const p = w.processor({ maxAttempts: 3 });
      for (let pass = 0; pass < 5; pass++) await p.processOnce();
      assert.equal(
        w.handler.handled.map((m) => m.messageId),
        ['wamid.flaky'],
      );
      assert.is((await storage.inbox.get(flaky.id))?.status, 'PROCESSED');
      const dead = await storage.inbox.listDead({ maxAttempts: 3, limit: 10 });
      assert.equal(
        dead.map((e) => [e.id, e.attempts, e.lastError]),
        [[down.id, 3, 'handler down for wamid.down']],
      );
      const status = p.status();
      assert.equal([status.processed, status.failed, status.dead], [1, 4, 1]);
      assert.ok(w.logger.records.some((r) => r.level === 'error' && r.message.includes('dead')));
    },
  ],
  [
    'out-of-order statuses never move a message backwards',
    async (storage) => {
      const w = inboxWorld(storage);
      await storage.outboundLog.record({
        providerMessageId: 'wamid.out',
        recipient: `+${'9779812345678'}`,
        kind: 'buttons',
        sentAt: new Date('2026-12-06T03:00:00Z'),
      });
      await w.record(statusEvent('wamid.out', 'read', '2026-12-06T03:00:30Z'));
      await w.record(statusEvent('wamid.out', 'sent', '2026-12-06T03:00:10Z'));
      await w.record(statusEvent('wamid.out', 'delivered', '2026-12-06T03:00:20Z'));
      await w.processor().processOnce();
      const entry = await storage.outboundLog.get('wamid.out');
      assert.equal([entry?.status, entry?.statusAt.toISOString()], ['read', '2026-12-06T03:00:30.000Z']);
    },
  ],
  [
    'failed with 131026: the message is marked failed with its errors, a warning is logged and the operator is told once, even when the event is run twice',
    async (storage) => {
      const w = inboxWorld(storage);
      const undeliverable = providerError(131026, 'Message undeliverable');
      const stored = await w.record(statusEvent('wamid.gone', 'failed', '2026-12-06T03:01:00Z', [undeliverable]));
      const p = w.processor({ operatorPhone: OPERATOR, leaseMs: 1_000 });
      // The first run's mark is lost (the process died after the effect): the lease runs out and it runs again.
      const markProcessed = storage.inbox.markProcessed.bind(storage.inbox);
      let lose = true;
      storage.inbox.markProcessed = async (id, at) => {
        if (lose) {
          lose = false;
          throw new Error('connection lost');
        }
        return markProcessed(id, at);
      };
      try {
        await p.processOnce();
        w.clock.advance(1_001);
        await p.processOnce();
      } finally {
        storage.inbox.markProcessed = markProcessed;
      }
      assert.is((await storage.inbox.get(stored.id))?.status, 'PROCESSED');
      const entry = await storage.outboundLog.get('wamid.gone');
      assert.equal([entry?.status, entry?.errors], ['failed', [undeliverable]]);
      assert.ok(w.logger.records.some((r) => r.level === 'warn' && r.message.includes('131026')));
      assert.equal(
        w.sender.sent.map((m) => [m.to.value, m.kind]),
        [[OPERATOR.value, 'text']],
        'one alert',
      );
    },
  ],
  [
    'error events: 190 is logged at error and alerted; other codes are logged with their code; nothing is retried',
    async (storage) => {
      const w = inboxWorld(storage);
      await w.record({
        kind: 'error',
        eventId: 'wa:error:a',
        businessNumberId: '1',
        errors: [providerError(190, 'Access token has expired')],
      });
      await w.record({
        kind: 'error',
        eventId: 'wa:error:b',
        businessNumberId: '1',
        errors: [providerError(131000, 'Something went wrong')],
      });
      const p = w.processor({ operatorPhone: OPERATOR });
      assert.is(await p.processOnce(), 2);
      assert.is(await p.processOnce(), 0);
      const token = w.logger.records.find((r) => r.message.includes('(190)'));
      assert.is(token?.level, 'error');
      const other = w.logger.records.find((r) => r.message === 'WhatsApp reported errors');
      assert.equal([other?.level, other?.fields.codes], ['warn', [131000]]);
      assert.is(w.sender.sent.length, 1);
      assert.match(w.sender.sent[0]?.kind === 'text' ? w.sender.sent[0].text : '', 'WHATSAPP_ACCESS_TOKEN');
    },
  ],
  [
    'an alert that cannot be sent (the token is what expired) is logged and does not fail the event',
    async (storage) => {
      const w = inboxWorld(storage);
      w.sender.failNext(1);
      const stored = await w.record({
        kind: 'error',
        eventId: 'wa:error:c',
        businessNumberId: '1',
        errors: [providerError(190, 'expired')],
      });
      await w.processor({ operatorPhone: OPERATOR }).processOnce();
      assert.is((await storage.inbox.get(stored.id))?.status, 'PROCESSED');
      assert.ok(w.logger.records.some((r) => r.message === 'operator alert could not be sent'));
    },
  ],
  [
    'a payload no processor can read fails and ends dead, where an operator sees it',
    async (storage) => {
      const w = inboxWorld(storage);
      const { event } = await storage.inbox.record({
        provider: 'whatsapp',
        externalId: 'wa:unparseable:abc',
        payload: { kind: 'unparseable', bytes: 3, text: 'x{' },
        receivedAt: w.clock.now(),
      });
      const p = w.processor({ maxAttempts: 2 });
      await p.processOnce();
      await p.processOnce();
      assert.equal(
        (await storage.inbox.listDead({ maxAttempts: 2, limit: 10 })).map((e) => e.id),
        [event.id],
      );
    },
  ],
  [
    'a processor that died mid-batch: its lease runs out and a second processor takes the event and answers it once',
    async (storage) => {
      const w = inboxWorld(storage);
      const stored = await w.record(messageEvent('wamid.crash', 'tel 1 peti'));
      // The first worker claims and dies before handling (nothing marks the event).
      const claimed = await storage.inbox.claim({ limit: 10, leaseMs: 5_000, maxAttempts: 8, now: w.clock.now() });
      assert.equal(
        claimed.map((e) => e.id),
        [stored.id],
      );
      const second = w.processor({ leaseMs: 5_000 });
      assert.is(await second.processOnce(), 0, 'leased to the dead worker');
      w.clock.advance(5_001);
      assert.is(await second.processOnce(), 1);
      assert.equal(
        w.handler.handled.map((m) => m.messageId),
        ['wamid.crash'],
      );
      const after = await storage.inbox.get(stored.id);
      assert.equal([after?.status, after?.attempts], ['PROCESSED', 2]);
    },
  ],
  [
    "chat order across processors: while one processor handles a shop's message, another takes the other chats but not that shop's next one",
    async (storage) => {
      const w = inboxWorld(storage);
      const gate = gatedHandler(w, 'wamid.a1');
      await w.record(messageEvent('wamid.a1', 'chamal 2 bora'));
      w.clock.advance(1);
      await w.record(messageEvent('wamid.a2', 'Confirm'));
      w.clock.advance(1);
      await w.record({ ...messageEvent('wamid.b1', 'tel 1 peti'), from: '9779800000002' });
      const first = w.processor({ batchSize: 1 });
      const second = w.processor();
      const running = first.processOnce();
      try {
        await eventually('a1 under way', () => gate.entered);
        assert.is(await second.processOnce(), 1, 'only the other chat');
        assert.equal(
          w.handler.handled.map((m) => m.messageId),
          ['wamid.b1'],
        );
      } finally {
        // a1 failing leaves a2 waiting for its retry too.
        gate.open(new Error('voice note media unavailable'));
      }
      assert.is(await running, 1);
      assert.is(await second.processOnce(), 2, 'a1 retried, a2 behind it in the same batch');
      assert.equal(
        w.handler.handled.map((m) => m.messageId),
        ['wamid.b1', 'wamid.a1', 'wamid.a2'],
      );
    },
  ],
  [
    'a dead event does not hold its chat up: the later messages are answered',
    async (storage) => {
      const w = inboxWorld(storage);
      w.handler.failing.set('wamid.poison', 99);
      await w.record(messageEvent('wamid.poison', 'x'));
      w.clock.advance(1);
      await w.record(messageEvent('wamid.after', 'y'));
      const p = w.processor({ maxAttempts: 2 });
      assert.is(await p.processOnce(), 2, 'claimed with the one after it');
      assert.equal(w.handler.handled, [], 'the one after waits for the retry');
      assert.is(await p.processOnce(), 2, 'the last attempt fails: dead, and the next one runs');
      assert.equal(
        w.handler.handled.map((m) => m.messageId),
        ['wamid.after'],
      );
      assert.is((await storage.inbox.listDead({ maxAttempts: 2, limit: 10 })).length, 1);
    },
  ],
  [
    "a worker dying on a message's last attempt: the message is claimed once more as the final attempt, the shop is answered and the operator told",
    async (storage) => {
      const w = inboxWorld(storage);
      w.handler.failing.set('wamid.last', 1);
      const stored = await w.record(messageEvent('wamid.last', 'baki'));
      const p = w.processor({ maxAttempts: 2, leaseMs: 5_000, operatorPhone: OPERATOR });
      assert.is(await p.processOnce(), 1, 'attempt 1 fails');
      // Attempt 2, the last, is taken by a worker that dies (nothing marks it).
      const [dying] = await storage.inbox.claim({ limit: 10, leaseMs: 5_000, maxAttempts: 2, now: w.clock.now() });
      assert.equal([dying?.id, dying?.attempts], [stored.id, 2]);
      assert.is(await p.processOnce(), 0, 'leased to the dead worker');
      w.clock.advance(5_001);
      assert.is(await p.processOnce(), 1, 'reclaimed after the lapse');
      assert.equal(
        w.handler.handled.map((m) => m.messageId),
        ['wamid.last'],
      );
      assert.equal(w.handler.finalAttempts, [false, true], 'run as the final, answering attempt');
      const after = await storage.inbox.get(stored.id);
      assert.equal([after?.status, after?.attempts], ['PROCESSED', 3]);
      assert.ok(w.logger.records.some((r) => r.level === 'error' && r.message.includes('last attempt')));
      assert.is(w.sender.sent.length, 1, 'the operator is told');
    },
  ],
  [
    'a lapsed last attempt handed back by the recovery sweep is still claimed once more; a poison event that kills that worker too ends dead, not in a loop',
    async (storage) => {
      const w = inboxWorld(storage);
      const stored = await w.record(messageEvent('wamid.poison', 'kills the worker'));
      const lease = { limit: 10, leaseMs: 1_000, maxAttempts: 1 };
      // Attempt 1 (the last) dies; the sweep hands it back before any processor reclaims it.
      await storage.inbox.claim({ ...lease, now: w.clock.now() });
      w.clock.advance(1_001);
      const [released] = await storage.inbox.releaseExpiredLeases({ limit: 10, now: w.clock.now() });
      assert.equal([released?.status, released?.attempts], ['FAILED', 1]);
      assert.is((await storage.inbox.stats({ maxAttempts: 1, now: w.clock.now() })).dead, 0, 'not dead yet');
      assert.equal(await storage.inbox.listDead({ maxAttempts: 1, limit: 10 }), []);
      // The reclaim (attempt 2) dies too.
      const [rescue] = await storage.inbox.claim({ ...lease, now: w.clock.now() });
      assert.equal([rescue?.id, rescue?.attempts], [stored.id, 2]);
      w.clock.advance(1_001);
      assert.equal(await storage.inbox.claim({ ...lease, now: w.clock.now() }), [], 'no third claim');
      await storage.inbox.releaseExpiredLeases({ limit: 10, now: w.clock.now() });
      assert.equal(await storage.inbox.claim({ ...lease, now: w.clock.now() }), [], 'dead');
      assert.equal(
        (await storage.inbox.listDead({ maxAttempts: 1, limit: 10 })).map((e) => [e.id, e.attempts, e.lastError]),
        [[stored.id, 2, INBOX_LEASE_EXPIRED_ERROR]],
      );
      assert.is((await storage.inbox.stats({ maxAttempts: 1, now: w.clock.now() })).dead, 1);
    },
  ],
  [
    'a handler that outlives the lease keeps its event: the lease is renewed while it runs, so a second processor does not take it',
    async (storage) => {
      const renewals: string[][] = [];
      const inbox = spyRenewals(storage.inbox, renewals);
      const w = inboxWorld({ ...storage, inbox });
      const gate = gatedHandler(w, 'wamid.voice');
      const stored = await w.record(messageEvent('wamid.voice', '(voice note)'));
      const timer = new ManualTimer();
      const p = w.processor({ leaseMs: 60_000, timer });
      const running = p.processOnce();
      try {
        await eventually('the voice note under way', () => gate.entered);
        w.clock.advance(40_000);
        timer.fireAll();
        await eventually('the lease renewed', () => renewals.length === 1);
        assert.equal(renewals, [[stored.id]]);
        w.clock.advance(40_000); // 80 s after the claim: past the first lease, within the renewed one
        const second = w.processor({ leaseMs: 60_000 });
        assert.is(await second.processOnce(), 0, 'the renewed lease keeps the event');
      } finally {
        gate.open();
      }
      assert.is(await running, 1);
      assert.equal(
        w.handler.handled.map((m) => m.messageId),
        ['wamid.voice'],
      );
      const after = await storage.inbox.get(stored.id);
      assert.equal([after?.status, after?.attempts], ['PROCESSED', 1]);
      assert.is(timer.pending.size, 0, 'the heartbeat stops with the batch');
    },
  ],
];

/** Holds the handler on message `id` until `open` (with an error: it throws). */
function gatedHandler(w: InboxWorld, id: string): { entered: boolean; open(error?: Error): void } {
  let release: (error?: Error) => void = () => {};
  const wait = new Promise<Error | undefined>((resolve) => {
    release = resolve;
  });
  const gate = { entered: false, open: (error?: Error) => release(error) };
  const original = w.handler.handleMessage.bind(w.handler);
  w.handler.handleMessage = async (m: InboundMessage, delivery) => {
    if (m.messageId === id && !gate.entered) {
      gate.entered = true;
      const error = await wait;
      if (error) throw error;
    }
    await original(m, delivery);
  };
  return gate;
}

/** The inbox with each renewal's answer recorded (the rest as it is). */
function spyRenewals(inbox: WebhookInbox, renewals: string[][]): WebhookInbox {
  const spy: WebhookInbox = Object.create(inbox);
  spy.renewLeases = async (claims, options) => {
    const renewed = await inbox.renewLeases(claims, options);
    renewals.push(renewed);
    return renewed;
  };
  return spy;
}

/** Timeouts the test fires. */
class ManualTimer implements Timer {
  readonly pending = new Map<number, () => void>();
  private next = 0;
  setTimeout(callback: () => void, _ms: number): unknown {
    this.next += 1;
    this.pending.set(this.next, callback);
    return this.next;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  fireAll(): void {
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const callback of due) callback();
  }
}

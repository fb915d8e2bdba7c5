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
        statusBatches: 0,
        statusBatchFallbacks: 0,
        marks: { marked: 1, failed: 0, writes: 1 },
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
    "a pass's status callbacks are applied by one write and marked by one, beside the chats; each one's alert as if alone",
    async (storage) => {
      const w = inboxWorld(storage);
      const undeliverable = providerError(131026, 'Message undeliverable');
      for (const id of ['wamid.s1', 'wamid.s2', 'wamid.s3']) {
        await storage.outboundLog.record({
          providerMessageId: id,
          recipient: '+9779812345678',
          kind: 'text',
          sentAt: new Date('2026-12-06T03:00:00Z'),
        });
      }
      const events = [
        await w.record(statusEvent('wamid.s1', 'sent', '2026-12-06T03:00:01Z')),
        await w.record(messageEvent('wamid.in', 'chamal 2 bora')),
        await w.record(statusEvent('wamid.s2', 'delivered', '2026-12-06T03:00:02Z')),
        await w.record(statusEvent('wamid.s1', 'read', '2026-12-06T03:00:03Z')),
        await w.record(statusEvent('wamid.s3', 'failed', '2026-12-06T03:00:04Z', [undeliverable])),
      ];
      const calls = {
        applyStatuses: [] as number[],
        applyStatus: 0,
        markAllProcessed: [] as number[],
        markProcessed: 0,
      };
      const { outboundLog, inbox } = storage;
      const original = {
        applyStatuses: outboundLog.applyStatuses,
        applyStatus: outboundLog.applyStatus,
        markAllProcessed: inbox.markAllProcessed,
        markProcessed: inbox.markProcessed,
      };
      outboundLog.applyStatuses = (updates) => {
        calls.applyStatuses.push(updates.length);
        return original.applyStatuses.call(outboundLog, updates);
      };
      outboundLog.applyStatus = (update) => {
        calls.applyStatus += 1;
        return original.applyStatus.call(outboundLog, update);
      };
      inbox.markAllProcessed = (ids, at) => {
        calls.markAllProcessed.push(ids.length);
        return original.markAllProcessed.call(inbox, ids, at);
      };
      inbox.markProcessed = (id, at) => {
        calls.markProcessed += 1;
        return original.markProcessed.call(inbox, id, at);
      };
      const p = w.processor({ operatorPhone: OPERATOR });
      try {
        assert.is(await p.processOnce(), 5);
      } finally {
        Object.assign(outboundLog, { applyStatuses: original.applyStatuses, applyStatus: original.applyStatus });
        Object.assign(inbox, { markAllProcessed: original.markAllProcessed, markProcessed: original.markProcessed });
      }
      assert.equal(calls.applyStatuses, [4], 'the four callbacks in one write');
      assert.is(calls.applyStatus, 0, 'none alone');
      assert.is(calls.markProcessed, 0, 'no single marks');
      assert.is(
        calls.markAllProcessed.reduce((a, b) => a + b, 0),
        5,
        'every event marked',
      );
      // The four callbacks' marks in one write; the message's joins it or has its own.
      assert.ok(
        calls.markAllProcessed.length <= 2 && calls.markAllProcessed.some((n) => n >= 4),
        `marked in at most two writes, the callbacks' together: ${calls.markAllProcessed}`,
      );
      for (const e of events) assert.is((await storage.inbox.get(e.id))?.status, 'PROCESSED');
      assert.equal(
        w.handler.handled.map((m) => m.messageId),
        ['wamid.in'],
      );
      const entries = await Promise.all(['wamid.s1', 'wamid.s2', 'wamid.s3'].map((id) => storage.outboundLog.get(id)));
      assert.equal(
        entries.map((e) => [e?.status, e?.errors]),
        [
          ['read', []],
          ['delivered', []],
          ['failed', [undeliverable]],
        ],
      );
      assert.ok(
        w.logger.records.some(
          (r) => r.level === 'warn' && r.message.includes('131026') && r.fields.providerMessageId === 'wamid.s3',
        ),
      );
      assert.equal(
        w.sender.sent.map((m) => [m.to.value, m.kind]),
        [[OPERATOR.value, 'text']],
        'one alert, for the undeliverable one',
      );
      const status = p.status();
      assert.equal([status.processed, status.failed, status.statusBatches, status.statusBatchFallbacks], [5, 0, 1, 0]);
    },
  ],
  [
    'a status batch whose write fails is applied one by one: only the bad callback fails, is retried and ends dead; an unreadable payload fails alone',
    async (storage) => {
      const w = inboxWorld(storage);
      const good = [
        await w.record(statusEvent('wamid.g1', 'delivered', '2026-12-06T03:00:01Z')),
        await w.record(statusEvent('wamid.g2', 'read', '2026-12-06T03:00:02Z')),
      ];
      const bad = await w.record(statusEvent('wamid.bad', 'sent', '2026-12-06T03:00:03Z'));
      const unreadable = (
        await storage.inbox.record({
          provider: 'whatsapp',
          externalId: 'wa:status:garbled',
          payload: { kind: 'status', note: 'not an inbound event' },
          receivedAt: w.clock.now(),
          chatKey: null,
        })
      ).event;
      const { outboundLog } = storage;
      const original = { applyStatuses: outboundLog.applyStatuses, applyStatus: outboundLog.applyStatus };
      // The database refuses the row of one callback: a list holding it fails as a whole.
      const refuses = (update: { messageId: string }) => update.messageId === 'wamid.bad';
      outboundLog.applyStatuses = async (updates) => {
        if (updates.some(refuses)) throw new Error('row refused: wamid.bad');
        return original.applyStatuses.call(outboundLog, updates);
      };
      outboundLog.applyStatus = async (update) => {
        if (refuses(update)) throw new Error('row refused: wamid.bad');
        return original.applyStatus.call(outboundLog, update);
      };
      const p = w.processor({ maxAttempts: 2 });
      try {
        assert.is(await p.processOnce(), 4);
        for (const e of good)
          assert.is((await storage.inbox.get(e.id))?.status, 'PROCESSED', 'the good ones in the first pass');
        assert.equal(
          [(await storage.inbox.get(bad.id))?.status, (await storage.inbox.get(bad.id))?.lastError],
          ['FAILED', 'row refused: wamid.bad'],
        );
        assert.is((await storage.inbox.get(unreadable.id))?.status, 'FAILED');
        assert.is(await p.processOnce(), 2, 'the two failed ones retried');
        assert.is(await p.processOnce(), 0, 'then dead');
      } finally {
        Object.assign(outboundLog, original);
      }
      assert.equal((await storage.outboundLog.get('wamid.g1'))?.status, 'delivered');
      assert.equal((await storage.outboundLog.get('wamid.g2'))?.status, 'read');
      assert.equal((await storage.outboundLog.get('wamid.bad'))?.status, undefined, 'never written');
      const dead = await storage.inbox.listDead({ maxAttempts: 2, limit: 10 });
      assert.equal(dead.map((e) => e.id).sort(), [bad.id, unreadable.id].sort());
      const status = p.status();
      assert.equal([status.processed, status.failed, status.dead], [2, 4, 2]);
      assert.is(status.statusBatchFallbacks, 2, 'both passes with the bad one in their list fell back');
    },
  ],
  [
    'chats side by side finishing together share one mark; stop() leaves nothing unmarked',
    async (storage) => {
      const w = inboxWorld(storage);
      const phones = ['9779800000001', '9779800000002', '9779800000003'];
      const stored = [];
      for (const [i, from] of phones.entries())
        stored.push(await w.record({ ...messageEvent(`wamid.c${i}`, 'hi'), from }));
      const p = w.processor({ concurrency: 3 });
      assert.is(await p.processOnce(), 3);
      for (const e of stored) assert.is((await storage.inbox.get(e.id))?.status, 'PROCESSED');
      assert.equal(p.status().marks, { marked: 3, failed: 0, writes: 1 });
      await p.stop();
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
      const markAllProcessed = storage.inbox.markAllProcessed.bind(storage.inbox);
      let lose = true;
      storage.inbox.markAllProcessed = async (ids, at) => {
        if (lose) {
          lose = false;
          throw new Error('connection lost');
        }
        return markAllProcessed(ids, at);
      };
      try {
        await p.processOnce();
        w.clock.advance(1_001);
        await p.processOnce();
      } finally {
        storage.inbox.markAllProcessed = markAllProcessed;
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
    'a failed 131026 callback for a message already read changes nothing and alerts no one (it was delivered)',
    async (storage) => {
      const w = inboxWorld(storage);
      await storage.outboundLog.record({
        providerMessageId: 'wamid.seen',
        recipient: '+9779812345678',
        kind: 'text',
        sentAt: new Date('2026-12-06T03:00:00Z'),
      });
      await w.record(statusEvent('wamid.seen', 'read', '2026-12-06T03:00:05Z'));
      await w.processor({ operatorPhone: OPERATOR }).processOnce();
      const late = await w.record(
        statusEvent('wamid.seen', 'failed', '2026-12-06T03:00:09Z', [providerError(131026, 'Message undeliverable')]),
      );
      await w.processor({ operatorPhone: OPERATOR }).processOnce();
      assert.is((await storage.inbox.get(late.id))?.status, 'PROCESSED');
      assert.equal((await storage.outboundLog.get('wamid.seen'))?.status, 'read');
      assert.equal(w.sender.sent, [], 'no operator alert');
      assert.ok(
        w.logger.records.some(
          (r) =>
            r.message.includes('131026') && r.fields.providerMessageId === 'wamid.seen' && r.fields.status === 'read',
        ),
        'the late callback is logged with the status the message keeps',
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

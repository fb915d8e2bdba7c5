import { type DomainEvent, domainEvent, EventTypes } from '../../events/event-catalog.js';
import type { OutboxMessage } from '../../ports/outbox.js';
import type { JsonValue } from '../../shared/domain-event.js';
import { DomainError, ErrorCodes } from '../../shared/errors.js';
import type { OrderId, VendorId } from '../../shared/ids.js';
import { INBOX_LEASE_EXPIRED_ERROR } from '../../ports/webhook-inbox.js';
import { type Contract, expectEqual, expectRejects, expectTrue } from '../contract.js';
import { oneEventOfEachType } from '../event-samples.js';
import { caseTools, type PersistenceSubject } from './persistence-subject.js';

/** Event number n: an order event whose aggregate id ends in n. */
function event(n: number, at: Date): DomainEvent {
  return domainEvent(
    EventTypes.ORDER_OFFER_REJECTED,
    `00000000-0000-7000-8000-${String(n).padStart(12, '0')}` as OrderId,
    at,
    { vendorId: '00000000-0000-7000-8000-00000000000a' as VendorId, reason: n % 2 === 0 ? null : `busy ${n}` },
  );
}

/** A one-text `message.send_requested` to `phone`, its reason naming it in assertions. */
function sendRequested(phone: string, reason: string, at: Date): DomainEvent {
  return domainEvent(EventTypes.MESSAGE_SEND_REQUESTED, phone, at, {
    message: { kind: 'text', to: phone, text: reason },
    reason,
  });
}

function numberOf(m: OutboxMessage): number {
  return Number(m.event.aggregateId.slice(-12));
}

export const outboxContract: Contract<PersistenceSubject> = {
  name: 'Outbox',
  cases: [
    {
      name: 'claims oldest first, hides claimed messages for the lease, publishes once',
      async run({ uow, outbox }) {
        const { clock } = caseTools();
        const t0 = clock.now();
        await uow.run((tx) => tx.outbox.append([event(1, t0), event(2, t0), event(3, t0)]));
        const first = await outbox.claim({ limit: 2, leaseMs: 30_000, now: t0 });
        expectEqual(
          first.map((m) => numberOf(m)),
          [1, 2],
          'oldest first',
        );
        expectEqual(first[0]?.event, event(1, t0), 'event round-trips');
        expectEqual(first[1]?.event, event(2, t0), 'a null payload field round-trips');
        expectEqual(first[0]?.attempts, 1, 'claim counts an attempt');
        const second = await outbox.claim({ limit: 10, leaseMs: 30_000, now: t0 });
        expectEqual(
          second.map((m) => numberOf(m)),
          [3],
          'leased ones are skipped',
        );
        await outbox.markPublished(
          first.map((m) => m.id),
          t0,
        );
        const later = new Date(t0.getTime() + 31_000);
        const third = await outbox.claim({ limit: 10, leaseMs: 30_000, now: later });
        expectEqual(
          third.map((m) => numberOf(m)),
          [3],
          'an unfinished lease expires; published ones never return',
        );
        expectEqual(third[0]?.attempts, 2, 'second attempt');
        await outbox.markPublished([third[0]?.id as string], later);
        expectEqual((await outbox.stats(later)).pending, 0, 'drained');
      },
    },
    {
      name: 'a failed message comes back at its retry time with the error kept',
      async run({ uow, outbox }) {
        const { clock } = caseTools();
        const t0 = clock.now();
        await uow.run((tx) => tx.outbox.append([event(1, t0)]));
        const [m] = await outbox.claim({ limit: 1, leaseMs: 30_000, now: t0 });
        await outbox.markFailed(m?.id as string, 'queue down', new Date(t0.getTime() + 5_000));
        expectEqual(
          await outbox.claim({ limit: 1, leaseMs: 30_000, now: new Date(t0.getTime() + 1_000) }),
          [],
          'waits',
        );
        const [again] = await outbox.claim({ limit: 1, leaseMs: 30_000, now: new Date(t0.getTime() + 5_000) });
        expectEqual(again?.lastError, 'queue down', 'error kept');
        expectEqual((await outbox.stats(t0)).failing, 1, 'counted as failing');
      },
    },
    {
      name: 'every catalog event type comes back from the outbox as it went in (stored as JSON)',
      async run({ uow, outbox }) {
        const { now } = caseTools();
        const samples = Object.values(oneEventOfEachType(now));
        await uow.run((tx) => tx.outbox.append(samples));
        const claimed = await outbox.claim({ limit: samples.length + 1, leaseMs: 30_000, now });
        expectEqual(
          claimed.map((m) => m.event),
          samples,
          'each type, its aggregate and its payload (nested objects, arrays, nulls, Devanagari) unchanged',
        );
      },
    },
    {
      name: 'append refuses an event that is not in the catalog, and nothing is written',
      async run({ uow, outbox }) {
        const { now } = caseTools();
        const unknown = { ...event(1, now), type: 'order.teleported' } as unknown as DomainEvent;
        const misfiled = { ...event(2, now), aggregateType: 'vendor' } as unknown as DomainEvent;
        const malformed = { ...event(3, now), payload: { reason: null } } as unknown as DomainEvent;
        for (const [bad, what] of [
          [unknown, 'unknown type'],
          [misfiled, 'aggregate type not the catalog’s'],
          [malformed, 'payload without its vendorId'],
        ] as const) {
          await expectRejects(
            uow.run((tx) => tx.outbox.append([event(9, now), bad])),
            (e) => DomainError.hasCode(e, ErrorCodes.INVARIANT),
            what,
          );
        }
        expectEqual((await outbox.stats(now)).pending, 0, 'the whole batch was refused');
      },
    },
    {
      name: "phoneOrder: a phone's messages are claimed one at a time, in order; other phones and events are not held",
      async run({ uow, outbox }) {
        const { clock } = caseTools();
        const t0 = clock.now();
        const send = (phone: string, reason: string) => sendRequested(phone, reason, t0);
        const reasonOf = (m: OutboxMessage) =>
          m.event.type === EventTypes.MESSAGE_SEND_REQUESTED ? m.event.payload.reason : `#${numberOf(m)}`;
        const A = '+9779800000001';
        const B = '+9779800000002';
        await uow.run((tx) => tx.outbox.append([send(A, 'a1'), send(A, 'a2'), event(1, t0), send(B, 'b1')]));
        await uow.run((tx) => tx.outbox.append([send(A, 'a3'), event(2, t0)]));
        const first = await outbox.claim({ limit: 10, leaseMs: 30_000, now: t0, phoneOrder: true });
        expectEqual(first.map(reasonOf), ['a1', '#1', 'b1', '#2'], "A's later messages wait for its first");
        const lapsed = new Date(t0.getTime() + 31_000);
        const again = await outbox.claim({ limit: 10, leaseMs: 30_000, now: lapsed, phoneOrder: true });
        expectEqual(again.map(reasonOf), ['a1', '#1', 'b1', '#2'], 'still held after the lease: a1 is not sent yet');
        const a1 = again[0] as OutboxMessage;
        // a1's retry is later than a2's creation: a2 still waits for it (order by the outbox's own order).
        await outbox.markFailed(a1.id, 'queue down', new Date(t0.getTime() + 120_000));
        await outbox.markPublished(
          again.slice(1).map((m) => m.id),
          lapsed,
        );
        const later = new Date(t0.getTime() + 62_000);
        expectEqual(
          await outbox.claim({ limit: 10, leaseMs: 30_000, now: later, phoneOrder: true }),
          [],
          'a failed send still holds its phone',
        );
        const retry = new Date(t0.getTime() + 120_000);
        const [retried] = await outbox.claim({ limit: 10, leaseMs: 30_000, now: retry, phoneOrder: true });
        expectEqual(retried && reasonOf(retried), 'a1');
        await outbox.markPublished([a1.id], retry);
        const second = await outbox.claim({ limit: 10, leaseMs: 30_000, now: retry, phoneOrder: true });
        expectEqual(second.map(reasonOf), ['a2'], 'published: the next one is claimable, and only it');
        await outbox.markPublished([second[0]?.id as string], retry);
        const third = await outbox.claim({ limit: 10, leaseMs: 30_000, now: retry, phoneOrder: true });
        expectEqual(third.map(reasonOf), ['a3'], 'across separate appends too');
        // Without phoneOrder (a reader, not a relay) every free message is handed out.
        await uow.run((tx) => tx.outbox.append([send(B, 'b2'), send(B, 'b3')]));
        const unordered = await outbox.claim({ limit: 10, leaseMs: 30_000, now: retry });
        expectEqual(unordered.map(reasonOf), ['b2', 'b3'], 'both sends to B at once');
      },
    },
    {
      name: 'markPublished tells whether a later send to the phone of a published send waits',
      async run({ uow, outbox }) {
        const { clock } = caseTools();
        const t0 = clock.now();
        const send = (phone: string, reason: string) => sendRequested(phone, reason, t0);
        const A = '+9779800000001';
        const B = '+9779800000002';
        await uow.run((tx) => tx.outbox.append([send(A, 'a1'), event(1, t0), send(B, 'b1'), send(A, 'a2')]));
        const all = await outbox.claim({ limit: 10, leaseMs: 30_000, now: t0 });
        const [a1, e1, b1, a2] = all.map((m) => m.id) as [string, string, string, string];
        expectEqual(await outbox.markPublished([], t0), { heldBehind: false }, 'nothing marked');
        expectEqual(await outbox.markPublished([e1], t0), { heldBehind: false }, 'not a send');
        expectEqual(await outbox.markPublished([b1], t0), { heldBehind: false }, "nothing after it to B's phone");
        expectEqual(await outbox.markPublished([a2], t0), { heldBehind: false }, 'a1 is earlier, not behind');
        // a2 is published (out of order, as `claim` without phone order allows): nothing waits.
        expectEqual(await outbox.markPublished([a1], t0), { heldBehind: false }, 'a2 already published');
        await uow.run((tx) => tx.outbox.append([send(A, 'a3'), send(A, 'a4'), send(B, 'b2')]));
        const next = await outbox.claim({ limit: 10, leaseMs: 30_000, now: t0, phoneOrder: true });
        const reasons = next.map((m) =>
          m.event.type === EventTypes.MESSAGE_SEND_REQUESTED ? m.event.payload.reason : '',
        );
        expectEqual(reasons, ['a3', 'b2'], 'a4 is held behind a3');
        const [a3, b2] = next.map((m) => m.id) as [string, string];
        expectEqual(
          await outbox.markPublished([a3], t0),
          { heldBehind: true },
          'a4 waits for a3: a relay should look now',
        );
        expectEqual(await outbox.markPublished([a3], t0), { heldBehind: true }, 'marked again: still');
        expectEqual(await outbox.markPublished([b2, a3], t0), { heldBehind: true }, 'one of several is enough');
        expectEqual(await outbox.markPublished([b2], t0), { heldBehind: false }, 'b2 has nothing behind it');
      },
    },
    {
      name: 'concurrent relays never claim the same message',
      async run({ uow, outbox }) {
        const { clock } = caseTools();
        const t0 = clock.now();
        await uow.run((tx) => tx.outbox.append(Array.from({ length: 60 }, (_, i) => event(i, t0))));
        const seen: string[] = [];
        const relay = async () => {
          for (;;) {
            const batch = await outbox.claim({ limit: 7, leaseMs: 60_000, now: t0 });
            if (batch.length === 0) return;
            seen.push(...batch.map((m) => m.id));
            await outbox.markPublished(
              batch.map((m) => m.id),
              t0,
            );
          }
        };
        await Promise.all([relay(), relay(), relay()]);
        expectEqual(seen.length, 60, 'every message once');
        expectEqual(new Set(seen).size, 60, 'no message twice');
      },
    },
  ],
};

export const webhookInboxContract: Contract<PersistenceSubject> = {
  name: 'WebhookInbox',
  cases: [
    {
      name: 'stores once per provider message id',
      async run({ inbox }) {
        const { now } = caseTools();
        const a = await inbox.record({
          provider: 'whatsapp',
          externalId: 'wamid.1',
          payload: { text: 'hi' },
          receivedAt: now,
        });
        const b = await inbox.record({
          provider: 'whatsapp',
          externalId: 'wamid.1',
          payload: { text: 'hi' },
          receivedAt: now,
        });
        const c = await inbox.record({ provider: 'other', externalId: 'wamid.1', payload: [1, 2], receivedAt: now });
        expectEqual([a.duplicate, b.duplicate, c.duplicate], [false, true, false], 'duplicates');
        expectEqual(b.event.id, a.event.id, 'the stored event is returned');
        expectEqual((await inbox.get(a.event.id))?.payload, { text: 'hi' }, 'payload kept');
        expectEqual((await inbox.get(a.event.id))?.status, 'RECEIVED', 'not processed yet');
      },
    },
    {
      name: 'recordAll stores a delivery’s events in order, each once, and answers every one',
      async run({ inbox }) {
        const { now } = caseTools();
        const seen = await inbox.record({ provider: 'wa', externalId: 'seen', payload: 'old', receivedAt: now });
        const rec = (externalId: string, payload: JsonValue) => ({
          provider: 'wa',
          externalId,
          payload,
          receivedAt: now,
        });
        const answers = await inbox.recordAll([
          rec('a', { n: 1 }),
          rec('seen', 'new'),
          rec('b', { n: 2, text: 'चामल 🙏' }),
          rec('a', { n: 3 }),
        ]);
        expectEqual(
          answers.map((a) => [a.event.externalId, a.duplicate, a.event.payload]),
          [
            ['a', false, { n: 1 }],
            ['seen', true, 'old'],
            ['b', false, { n: 2, text: 'चामल 🙏' }],
            ['a', true, { n: 1 }],
          ],
          'one answer per event; duplicates answer the stored event',
        );
        expectEqual(answers[1]?.event.id, seen.event.id, 'the stored one');
        expectEqual(answers[3]?.event.id, answers[0]?.event.id, 'a repeat within the delivery is the first');
        const claimed = await inbox.claim({ limit: 10, leaseMs: 1_000, maxAttempts: 3, now });
        expectEqual(
          claimed.map((e) => e.externalId),
          ['seen', 'a', 'b'],
          'claimed in the order stored',
        );
        expectEqual(await inbox.recordAll([]), [], 'nothing to store');
      },
    },
    {
      name: 'claims, retries failures up to a limit, and re-claims a crashed worker’s events',
      async run({ inbox }) {
        const { now } = caseTools();
        const t = (ms: number) => new Date(now.getTime() + ms);
        const { event: e1 } = await inbox.record({ provider: 'wa', externalId: '1', payload: null, receivedAt: now });
        const { event: e2 } = await inbox.record({ provider: 'wa', externalId: '2', payload: null, receivedAt: t(1) });
        const claimed = await inbox.claim({ limit: 10, leaseMs: 10_000, maxAttempts: 2, now: t(2) });
        expectEqual(
          claimed.map((e) => [e.id, e.status, e.attempts]),
          [
            [e1.id, 'PROCESSING', 1],
            [e2.id, 'PROCESSING', 1],
          ],
          'claimed in order',
        );
        expectEqual(await inbox.claim({ limit: 10, leaseMs: 10_000, maxAttempts: 2, now: t(3) }), [], 'leased');
        await inbox.markProcessed(e1.id, t(4));
        await inbox.markFailed(e2.id, 'parse error', t(4));
        const retry = await inbox.claim({ limit: 10, leaseMs: 10_000, maxAttempts: 2, now: t(5) });
        expectEqual(
          retry.map((e) => [e.id, e.attempts, e.lastError]),
          [[e2.id, 2, 'parse error']],
          'failed one retried',
        );
        await inbox.markFailed(e2.id, 'again', t(6));
        expectEqual(
          await inbox.claim({ limit: 10, leaseMs: 10_000, maxAttempts: 2, now: t(7) }),
          [],
          'attempts used up',
        );
        const { event: e3 } = await inbox.record({ provider: 'wa', externalId: '3', payload: null, receivedAt: t(8) });
        await inbox.claim({ limit: 10, leaseMs: 10_000, maxAttempts: 5, now: t(9) });
        const reclaimed = await inbox.claim({ limit: 10, leaseMs: 10_000, maxAttempts: 5, now: t(20_000) });
        expectTrue(
          reclaimed.some((e) => e.id === e3.id && e.attempts === 2),
          'a lease that ran out makes the event claimable again',
        );
        expectEqual((await inbox.get(e1.id))?.status, 'PROCESSED', 'processed stays processed');
        expectTrue((await inbox.get(e1.id))?.processedAt !== null, 'processedAt set');
      },
    },
    {
      name: 'marks many events processed at once; an unknown id is skipped',
      async run({ inbox }) {
        const { now } = caseTools();
        const t = (ms: number) => new Date(now.getTime() + ms);
        const record = async (externalId: string, at: number) =>
          (await inbox.record({ provider: 'wa', externalId, payload: null, receivedAt: t(at) })).event;
        const a = await record('a', 0);
        const b = await record('b', 1);
        const c = await record('c', 2);
        await inbox.claim({ limit: 10, leaseMs: 10_000, maxAttempts: 3, now: t(3) });
        await inbox.markAllProcessed([], t(4));
        expectEqual((await inbox.get(a.id))?.status, 'PROCESSING', 'an empty list changes nothing');
        await inbox.markAllProcessed([c.id, a.id, '00000000-0000-7000-8000-000000000000'], t(5));
        expectEqual(
          [(await inbox.get(a.id))?.status, (await inbox.get(b.id))?.status, (await inbox.get(c.id))?.status],
          ['PROCESSED', 'PROCESSING', 'PROCESSED'],
          'the listed ones',
        );
        expectEqual((await inbox.get(c.id))?.processedAt, t(5), 'processedAt set');
        expectEqual(
          await inbox
            .claim({ limit: 10, leaseMs: 10_000, maxAttempts: 3, now: t(20_000) })
            .then((r) => r.map((e) => e.id)),
          [b.id],
          'only the unmarked one comes back after its lease',
        );
      },
    },
    {
      name: 'lists the dead events; a retry gives a failed event fresh attempts, once, and leaves others alone',
      async run({ inbox }) {
        const { now } = caseTools();
        const t = (ms: number) => new Date(now.getTime() + ms);
        const dead = (await inbox.record({ provider: 'wa', externalId: 'dead', payload: null, receivedAt: t(0) }))
          .event;
        const done = (await inbox.record({ provider: 'wa', externalId: 'done', payload: null, receivedAt: t(1) }))
          .event;
        await inbox.claim({ limit: 2, leaseMs: 1_000, maxAttempts: 1, now: t(2) });
        await inbox.markFailed(dead.id, 'bad payload', t(3));
        await inbox.markProcessed(done.id, t(3));
        expectEqual(
          (await inbox.listDead({ maxAttempts: 1, limit: 10 })).map((e) => [e.id, e.attempts, e.lastError]),
          [[dead.id, 1, 'bad payload']],
          'the failed event without attempts left',
        );
        expectEqual(
          (await inbox.listDead({ maxAttempts: 2, limit: 10 })).length,
          0,
          'with attempts left it is not dead',
        );
        const retried = await inbox.retry(dead.id);
        expectEqual([retried?.status, retried?.attempts], ['RECEIVED', 0], 'fresh attempts');
        expectEqual((await inbox.retry(dead.id))?.status, 'RECEIVED', 'a repeat changes nothing');
        expectEqual((await inbox.retry(done.id))?.status, 'PROCESSED', 'a processed event is left alone');
        expectEqual(await inbox.retry('00000000-0000-7000-8000-000000000000'), null, 'unknown');
        const again = await inbox.claim({ limit: 10, leaseMs: 1_000, maxAttempts: 1, now: t(4) });
        expectEqual(
          again.map((e) => [e.id, e.attempts]),
          [[dead.id, 1]],
          'claimed again',
        );
      },
    },
    {
      name: 'hands back events whose lease ran out, once, and counts what waits',
      async run({ inbox }) {
        const { now } = caseTools();
        const t = (ms: number) => new Date(now.getTime() + ms);
        const record = async (externalId: string, at: number) =>
          (await inbox.record({ provider: 'wa', externalId, payload: null, receivedAt: t(at) })).event;
        const stuck = await record('stuck', 0);
        const lastTry = await record('last-try', 1);
        await inbox.claim({ limit: 2, leaseMs: 10_000, maxAttempts: 2, now: t(2) });
        await inbox.markFailed(lastTry.id, 'parse error', t(3));
        await inbox.claim({ limit: 2, leaseMs: 10_000, maxAttempts: 2, now: t(4) }); // lastTry's 2nd attempt
        const running = await record('running', 5);
        await inbox.claim({ limit: 1, leaseMs: 60_000, maxAttempts: 2, now: t(6) });
        const failedOnce = await record('failed-once', 7);
        const [claimedOnce] = await inbox.claim({ limit: 1, leaseMs: 60_000, maxAttempts: 2, now: t(8) });
        expectEqual(claimedOnce?.id, failedOnce.id, 'the only claimable one');
        await inbox.markFailed(failedOnce.id, 'timeout', t(8));
        const fresh = await record('fresh', 9);
        expectEqual(
          await inbox.stats({ maxAttempts: 2, now: t(10_003) }),
          { waiting: 2, oldestWaitingAt: failedOnce.receivedAt, processing: 2, leaseExpired: 1, dead: 0 },
          'before: stuck’s lease (to 10002) ran out, lastTry’s (to 10004) and running’s have not',
        );
        const released = await inbox.releaseExpiredLeases({ limit: 10, now: t(10_004) });
        expectEqual(
          released.map((e) => [e.id, e.status, e.attempts, e.lastError]),
          [
            [stuck.id, 'FAILED', 1, INBOX_LEASE_EXPIRED_ERROR],
            [lastTry.id, 'FAILED', 2, INBOX_LEASE_EXPIRED_ERROR],
          ],
          'both leases ran out by 10004: handed back as failures, attempts unchanged',
        );
        expectEqual(await inbox.releaseExpiredLeases({ limit: 10, now: t(10_005) }), [], 'a second call finds nothing');
        expectEqual(
          await inbox.stats({ maxAttempts: 2, now: t(10_005) }),
          { waiting: 4, oldestWaitingAt: stuck.receivedAt, processing: 1, leaseExpired: 0, dead: 0 },
          'after: stuck waits again, lastTry (its last attempt lapsed) waits for its one reclaim, running still runs',
        );
        expectEqual((await inbox.get(running.id))?.status, 'PROCESSING', 'a live lease is left alone');
        const next = await inbox.claim({ limit: 10, leaseMs: 10_000, maxAttempts: 2, now: t(10_006) });
        expectEqual(
          next.map((e) => [e.id, e.attempts]),
          [
            [stuck.id, 2],
            [lastTry.id, 3],
            [failedOnce.id, 2],
            [fresh.id, 1],
          ],
          'the handed-back events are claimed again with the other waiting ones (lastTry as its one reclaim)',
        );
      },
    },
    {
      name: "chat order: an event waits while an earlier one of its chat is unfinished; a chat's events may go in one claim",
      async run({ inbox }) {
        const { now } = caseTools();
        const t = (ms: number) => new Date(now.getTime() + ms);
        const record = async (externalId: string, at: number, chatKey: string | null) =>
          (await inbox.record({ provider: 'wa', externalId, payload: null, receivedAt: t(at), chatKey })).event;
        const a1 = await record('a1', 0, 'shop-a');
        const a2 = await record('a2', 1, 'shop-a');
        const b1 = await record('b1', 2, 'shop-b');
        const s1 = await record('s1', 3, null);
        const a3 = await record('a3', 4, 'shop-a');
        expectEqual([a1.chatKey, s1.chatKey], ['shop-a', null], 'chat key stored');
        const lease = { leaseMs: 10_000, maxAttempts: 2 };
        const ids = (events: readonly { id: string }[]) => events.map((e) => e.id);
        expectEqual(ids(await inbox.claim({ ...lease, limit: 1, now: t(10) })), [a1.id], 'oldest first');
        expectEqual(
          ids(await inbox.claim({ ...lease, limit: 10, now: t(11) })),
          [b1.id, s1.id],
          'a2 and a3 wait while a1 is under way; other chats and unordered events go on',
        );
        await inbox.markFailed(a1.id, 'transient', t(12));
        await inbox.markProcessed(b1.id, t(12));
        expectEqual(
          ids(await inbox.claim({ ...lease, limit: 2, now: t(13) })),
          [a1.id, a2.id],
          'with its retry, in order',
        );
        expectEqual(await inbox.claim({ ...lease, limit: 10, now: t(14) }), [], 'a3 waits for a1 and a2 (leased)');
        await inbox.release([{ id: a2.id, attempts: 1 }], { maxAttempts: 2 });
        expectEqual(
          [(await inbox.get(a2.id))?.status, (await inbox.get(a2.id))?.attempts],
          ['RECEIVED', 0],
          'released: as it was, no attempt spent',
        );
        await inbox.markFailed(a1.id, 'again', t(15));
        expectEqual(
          ids(await inbox.claim({ ...lease, limit: 10, now: t(16) })),
          [a2.id, a3.id],
          'a1 is dead: it holds nothing up',
        );
        expectEqual(ids(await inbox.listDead({ maxAttempts: 2, limit: 10 })), [a1.id], 'a1 listed dead');
        // A lapsed lease counts as unfinished until it is reclaimed (attempts left).
        const c1 = await record('c1', 20, 'shop-c');
        const c2 = await record('c2', 21, 'shop-c');
        expectEqual(ids(await inbox.claim({ ...lease, limit: 1, now: t(22) })), [c1.id], 'c1 alone');
        expectEqual(
          ids(await inbox.claim({ ...lease, limit: 10, now: t(20_000) })),
          [a2.id, s1.id, a3.id, c1.id, c2.id],
          'the leases lapsed: reclaimed, each chat in order, c2 behind c1',
        );
      },
    },
    {
      name: 'release and renewLeases act only on the claim they name',
      async run({ inbox }) {
        const { now } = caseTools();
        const t = (ms: number) => new Date(now.getTime() + ms);
        const { event } = await inbox.record({ provider: 'wa', externalId: 'e', payload: null, receivedAt: t(0) });
        const lease = { limit: 10, leaseMs: 1_000, maxAttempts: 5 };
        await inbox.claim({ ...lease, now: t(1) });
        await inbox.markFailed(event.id, 'first error', t(2));
        const [second] = await inbox.claim({ ...lease, now: t(3) });
        expectEqual(second?.attempts, 2, 'second attempt');
        expectEqual(
          await inbox.renewLeases([{ id: event.id, attempts: 2 }], { leaseMs: 1_000, now: t(900) }),
          [event.id],
          'renewed',
        );
        expectEqual(await inbox.claim({ ...lease, now: t(1_500) }), [], 'the renewed lease (to 1900) holds');
        expectEqual(
          await inbox.renewLeases([{ id: event.id, attempts: 1 }], { leaseMs: 60_000, now: t(1_600) }),
          [],
          'a stale claim renews nothing',
        );
        await inbox.release([{ id: event.id, attempts: 1 }], { maxAttempts: 5 });
        expectEqual((await inbox.get(event.id))?.status, 'PROCESSING', 'a stale claim releases nothing');
        const [third] = await inbox.claim({ ...lease, now: t(1_901) });
        expectEqual(third?.attempts, 3, 'the lease ran out: claimed again');
        expectEqual(
          await inbox.renewLeases([{ id: event.id, attempts: 2 }], { leaseMs: 60_000, now: t(1_902) }),
          [],
          'the lost claim renews nothing',
        );
        await inbox.release([{ id: event.id, attempts: 3 }], { maxAttempts: 5 });
        const back = await inbox.get(event.id);
        expectEqual(
          [back?.status, back?.attempts, back?.lastError],
          ['FAILED', 2, 'first error'],
          'released: failed as before, its error kept',
        );
        await inbox.markProcessed(event.id, t(2_000));
        expectEqual(
          await inbox.renewLeases([{ id: event.id, attempts: 2 }], { leaseMs: 1, now: t(2_001) }),
          [],
          'done',
        );
        expectEqual(await inbox.renewLeases([], { leaseMs: 1, now: t(2_001) }), [], 'nothing to renew');
      },
    },
    {
      name: 'a final attempt whose lease lapsed is claimed once more; that one lapsing too is dead',
      async run({ inbox }) {
        const { now } = caseTools();
        const t = (ms: number) => new Date(now.getTime() + ms);
        const { event } = await inbox.record({
          provider: 'wa',
          externalId: 'p',
          payload: null,
          receivedAt: t(0),
          chatKey: 'x',
        });
        const { event: next } = await inbox.record({
          provider: 'wa',
          externalId: 'q',
          payload: null,
          receivedAt: t(1),
          chatKey: 'x',
        });
        const lease = { limit: 1, leaseMs: 1_000, maxAttempts: 2 };
        await inbox.claim({ ...lease, now: t(2) });
        await inbox.markFailed(event.id, 'transient', t(3));
        expectEqual((await inbox.claim({ ...lease, now: t(4) }))[0]?.attempts, 2, 'the last attempt');
        const [rescue] = await inbox.claim({ ...lease, now: t(1_005) });
        expectEqual([rescue?.id, rescue?.attempts], [event.id, 3], 'lapsed: reclaimed once, beyond the limit');
        // Released behind a failure within its batch, the reclaim stays a reclaim.
        await inbox.release([{ id: event.id, attempts: 3 }], { maxAttempts: 2 });
        const released = await inbox.get(event.id);
        expectEqual(
          [released?.status, released?.attempts, released?.lastError],
          ['FAILED', 2, INBOX_LEASE_EXPIRED_ERROR],
          'back to a lapsed last attempt',
        );
        expectEqual((await inbox.stats({ maxAttempts: 2, now: t(1_006) })).dead, 0, 'not dead');
        expectEqual((await inbox.claim({ ...lease, now: t(1_007) }))[0]?.attempts, 3, 'reclaimed again');
        expectEqual(await inbox.claim({ ...lease, limit: 10, now: t(1_008) }), [], 'its chat waits for it');
        expectEqual(
          (await inbox.claim({ ...lease, limit: 10, now: t(3_000) })).map((e) => e.id),
          [next.id],
          'the reclaim lapsed too: dead, no further claim, and its chat goes on',
        );
        expectEqual(
          (await inbox.releaseExpiredLeases({ limit: 10, now: t(3_000) })).map((e) => [e.id, e.attempts]),
          [[event.id, 3]],
          'handed back dead by the sweep',
        );
        expectEqual(
          (await inbox.listDead({ maxAttempts: 2, limit: 10 })).map((e) => e.id),
          [event.id],
          'listed dead',
        );
      },
    },
  ],
};

export const idempotencyStoreContract: Contract<PersistenceSubject> = {
  name: 'IdempotencyStore',
  cases: [
    {
      name: 'start, in progress, replay and mismatch',
      async run({ idempotency }) {
        const { now } = caseTools();
        const base = { scope: 'user-1', key: 'k-1', fingerprint: 'f-1', now, leaseMs: 30_000 };
        expectEqual(await idempotency.begin(base), { outcome: 'started' }, 'first');
        expectEqual(await idempotency.begin(base), { outcome: 'in_progress' }, 'while running');
        expectEqual(await idempotency.begin({ ...base, fingerprint: 'f-2' }), { outcome: 'mismatch' }, 'other body');
        expectEqual(await idempotency.begin({ ...base, scope: 'user-2' }), { outcome: 'started' }, 'scopes apart');
        const response = { status: 201, body: { id: 'o-1', lines: [1, 2] } };
        await idempotency.complete({ scope: 'user-1', key: 'k-1', response, now });
        expectEqual(await idempotency.begin(base), { outcome: 'replay', response }, 'replayed');
      },
    },
    {
      name: 'a crashed holder’s lease runs out; abandon frees the key',
      async run({ idempotency }) {
        const { now } = caseTools();
        const base = { scope: 's', key: 'k', fingerprint: 'f', now, leaseMs: 1_000 };
        expectEqual((await idempotency.begin(base)).outcome, 'started', 'first');
        expectEqual(
          (await idempotency.begin({ ...base, now: new Date(now.getTime() + 1_001) })).outcome,
          'started',
          'taken over after the lease',
        );
        await idempotency.abandon({ scope: 's', key: 'k' });
        expectEqual((await idempotency.begin({ ...base, fingerprint: 'other' })).outcome, 'started', 'free again');
      },
    },
  ],
};

import { AsyncLocalStorage } from 'node:async_hooks';
import type { InboxEvent, InboxRecord, WebhookInbox } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CoalescingInboxWriter, type InboxAnswer } from './coalescing-inbox-writer.js';

/** An inbox whose recordAll calls wait until the test settles them; records what each call carried. */
function heldInbox() {
  const calls: { ids: string[]; settle: (fail?: (id: string) => boolean) => void }[] = [];
  const stored = new Set<string>();
  const inbox = {
    recordAll(events: readonly InboxRecord[]): Promise<readonly InboxAnswer[]> {
      return new Promise((resolve, reject) => {
        calls.push({
          ids: events.map((e) => e.externalId),
          settle: (fail) => {
            if (fail && events.some((e) => fail(e.externalId))) return reject(new Error('poison'));
            // recordAll's rule: an id seen before, or earlier in the list, is a duplicate.
            resolve(
              events.map((e) => {
                const duplicate = stored.has(e.externalId);
                stored.add(e.externalId);
                return { event: { id: e.externalId } as unknown as InboxEvent, duplicate };
              }),
            );
          },
        });
      });
    },
  } as unknown as WebhookInbox;
  return { inbox, calls, stored };
}

const record = (externalId: string): InboxRecord => ({
  provider: 'whatsapp',
  externalId,
  payload: {},
  receivedAt: new Date(0),
});
const tick = () => new Promise((resolve) => setImmediate(resolve));

test('idle: a delivery is written at once (no timer, no wait for company)', async () => {
  const { inbox, calls } = heldInbox();
  const writer = new CoalescingInboxWriter(inbox, { maxInFlight: 1 });
  const answer = writer.recordAll([record('a')]);
  // Synchronously, before any tick: nothing is held back.
  assert.equal(
    calls.map((c) => c.ids),
    [['a']],
  );
  calls[0]?.settle();
  assert.equal(
    (await answer).map((a) => a.duplicate),
    [false],
  );
});

test('while a write is in flight, the deliveries that arrive go together as one write, each answered with its own rows', async () => {
  const { inbox, calls } = heldInbox();
  const writer = new CoalescingInboxWriter(inbox, { maxInFlight: 1 });
  const first = writer.recordAll([record('a')]);
  const b = writer.recordAll([record('b1'), record('b2')]);
  const c = writer.recordAll([record('c')]);
  const d = writer.recordAll([record('b2'), record('d')]);
  let bDone = false;
  void b.then(() => {
    bDone = true;
  });
  assert.is(calls.length, 1, 'the others wait for the write in flight');
  calls[0]?.settle();
  await first;
  await tick();
  assert.equal(
    calls.map((call) => call.ids),
    [['a'], ['b1', 'b2', 'c', 'b2', 'd']],
  );
  assert.not.ok(bDone, 'not answered before its rows are committed');
  calls[1]?.settle();
  assert.equal(
    (await b).map((x) => [x.event.id, x.duplicate]),
    [
      ['b1', false],
      ['b2', false],
    ],
  );
  assert.equal(
    (await c).map((x) => x.duplicate),
    [false],
  );
  // b2 came first in b: d's copy is the duplicate, as if d had come after b.
  assert.equal(
    (await d).map((x) => [x.event.id, x.duplicate]),
    [
      ['b2', true],
      ['d', false],
    ],
  );
});

test('a failed batch is written again one write per delivery: the poison one fails alone', async () => {
  const { inbox, calls, stored } = heldInbox();
  const writer = new CoalescingInboxWriter(inbox, { maxInFlight: 1 });
  const first = writer.recordAll([record('a')]);
  const good1 = writer.recordAll([record('g1')]);
  const poison = writer.recordAll([record('p1'), record('poison')]);
  const good2 = writer.recordAll([record('g2')]);
  const poisonOutcome = poison.then(
    () => 'stored',
    (error: Error) => error.message,
  );
  calls[0]?.settle();
  await first;
  await tick();
  const isPoison = (id: string) => id === 'poison';
  calls[1]?.settle(isPoison);
  await tick();
  // Side by side, none waiting for another's outcome (a database down would fail each in turn).
  assert.is(calls.length, 5);
  for (let i = 2; i < 5; i++) calls[i]?.settle(isPoison);
  assert.equal(
    calls.map((call) => call.ids),
    [['a'], ['g1', 'p1', 'poison', 'g2'], ['g1'], ['p1', 'poison'], ['g2']],
  );
  assert.equal(
    (await good1).map((x) => x.duplicate),
    [false],
  );
  assert.equal(
    (await good2).map((x) => x.duplicate),
    [false],
  );
  assert.is(await poisonOutcome, 'poison');
  assert.equal([...stored].sort(), ['a', 'g1', 'g2']);
});

test('bounds: a batch stops at maxBatchEvents, and a delivery larger than it still goes, alone', async () => {
  const { inbox, calls } = heldInbox();
  const writer = new CoalescingInboxWriter(inbox, { maxInFlight: 1, maxBatchEvents: 3 });
  const all = [
    writer.recordAll([record('a')]),
    writer.recordAll([record('b'), record('c')]),
    writer.recordAll([record('d')]),
    writer.recordAll([record('e'), record('f'), record('g'), record('h')]),
    writer.recordAll([record('i')]),
  ];
  for (let i = 0; i < 4; i++) {
    await tick();
    calls[i]?.settle();
  }
  await Promise.all(all);
  assert.equal(
    calls.map((call) => call.ids),
    [['a'], ['b', 'c', 'd'], ['e', 'f', 'g', 'h'], ['i']],
  );
});

test('maxInFlight writes go at once before any waits', async () => {
  const { inbox, calls } = heldInbox();
  const writer = new CoalescingInboxWriter(inbox, { maxInFlight: 2 });
  const all = ['a', 'b', 'c', 'd'].map((id) => writer.recordAll([record(id)]));
  assert.equal(
    calls.map((call) => call.ids),
    [['a'], ['b']],
  );
  calls[1]?.settle();
  await tick();
  assert.equal(calls[2]?.ids, ['c', 'd']);
  calls[0]?.settle();
  calls[2]?.settle();
  await Promise.all(all);
  assert.is(calls.length, 3);
});

test("a write runs in the writer's own async context, not in the request's that started it", async () => {
  const requestContext = new AsyncLocalStorage<string>();
  const seen: (string | undefined)[] = [];
  let release: () => void = () => {};
  const inbox = {
    async recordAll(events: readonly InboxRecord[]) {
      seen.push(requestContext.getStore());
      if (seen.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return events.map((e) => ({ event: { id: e.externalId } as unknown as InboxEvent, duplicate: false }));
    },
  } as unknown as WebhookInbox;
  const writer = new CoalescingInboxWriter(inbox, { maxInFlight: 1 });
  const a = requestContext.run('request a', () => writer.recordAll([record('a')]));
  const b = requestContext.run('request b', () => writer.recordAll([record('b')]));
  const c = requestContext.run('request c', () => writer.recordAll([record('c')]));
  release();
  await Promise.all([a, b, c]);
  // Without its own scope the batch of b and c would run as request a (whose write finished it).
  assert.equal(seen, [undefined, undefined]);
});

test.run();

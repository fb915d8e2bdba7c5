import pg from 'pg';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPostgresPersistence, type PostgresPersistence } from '../create-postgres-persistence.js';
import { truncateAll } from '../testing/contract-subject.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { INBOX_CHANNEL, PgOutboxListener } from './pg-outbox-listener.js';
import { InboxNotifier } from './pg-webhook-inbox.js';

// A webhook delivery is stored all or none: an event the server refuses takes the others with it.
const test = suite('PgWebhookInbox.recordAll (real server)');
let db: TestDatabase;
let p: PostgresPersistence;

test.before(async () => {
  db = await createTestDatabase();
  p = await createPostgresPersistence({ databaseUrl: db.url, migrate: true, poolMax: 8 });
});
test.after(async () => {
  await p?.close();
  await db?.drop();
});
test.before.each(async () => {
  await truncateAll(p);
});

const at = new Date('2026-12-06T03:00:00Z');

test('one event jsonb refuses (a NUL character) and none of the delivery is stored', async () => {
  let refused: unknown = null;
  try {
    await p.inbox.recordAll([
      { provider: 'whatsapp', externalId: 'wamid.1', payload: { text: 'chamal 2 bora' }, receivedAt: at },
      { provider: 'whatsapp', externalId: 'wamid.2', payload: { text: 'tel \u0000 1 peti' }, receivedAt: at },
      { provider: 'whatsapp', externalId: 'wamid.3', payload: { text: 'cheeni' }, receivedAt: at },
    ]);
  } catch (error) {
    refused = error;
  }
  assert.ok(refused, 'the delivery is refused');
  const stats = await p.inbox.stats({ maxAttempts: 8, now: at });
  assert.is(stats.waiting, 0, 'nothing stored, not even the events before the bad one');
  // The same delivery without the bad event is stored whole, in order.
  const answers = await p.inbox.recordAll([
    { provider: 'whatsapp', externalId: 'wamid.1', payload: { text: 'chamal 2 bora' }, receivedAt: at },
    { provider: 'whatsapp', externalId: 'wamid.3', payload: { text: 'cheeni' }, receivedAt: at },
  ]);
  assert.equal(
    answers.map((a) => [a.event.externalId, a.duplicate]),
    [
      ['wamid.1', false],
      ['wamid.3', false],
    ],
  );
  assert.is((await p.inbox.stats({ maxAttempts: 8, now: at })).waiting, 2);
});

test('the same delivery 8 times at once (Meta redelivering while the first is stored): each event stored once, answered new once', async () => {
  const delivery = ['wamid.a', 'wamid.b', 'wamid.c'].map((externalId) => ({
    provider: 'whatsapp',
    externalId,
    payload: { text: externalId },
    receivedAt: at,
  }));
  const answers = await Promise.all(Array.from({ length: 8 }, () => p.inbox.recordAll(delivery)));
  for (const id of ['wamid.a', 'wamid.b', 'wamid.c']) {
    const mine = answers.map((a) => a.find((x) => x.event.externalId === id));
    assert.is(mine.filter((x) => x && !x.duplicate).length, 1, `${id} new once`);
    assert.is(new Set(mine.map((x) => x?.event.id)).size, 1, `${id}: one stored event`);
  }
  assert.is((await p.inbox.stats({ maxAttempts: 8, now: at })).waiting, 3);
});

test('overlapping deliveries at once in opposite orders (x,y,… and …,y,x): no deadlock, each event stored once', async () => {
  const ids = Array.from({ length: 1000 }, (_, i) => `wamid.o${String(i).padStart(4, '0')}`);
  const delivery = (order: readonly string[]) =>
    order.map((externalId) => ({ provider: 'whatsapp', externalId, payload: { text: externalId }, receivedAt: at }));
  const forward = delivery(ids);
  const backward = delivery([...ids].reverse());
  // Each pair races the same rows' unique-index entries from both ends; inserting in delivery
  // order would make PostgreSQL break a lock cycle (40P01) and the webhook answer 5xx.
  const results = await Promise.allSettled(
    Array.from({ length: 8 }, (_, i) => p.inbox.recordAll(i % 2 === 0 ? forward : backward)),
  );
  const refused = results.filter((r) => r.status === 'rejected');
  assert.is(refused.length, 0, JSON.stringify(refused.map((r) => String((r as PromiseRejectedResult).reason))));
  assert.is((await p.inbox.stats({ maxAttempts: 8, now: at })).waiting, ids.length);
  // Still answered in the delivery's own order, with its own events.
  const answered = (results[1] as PromiseFulfilledResult<Awaited<ReturnType<typeof p.inbox.recordAll>>>).value;
  assert.equal(
    answered.map((a) => a.event.externalId),
    [...ids].reverse(),
  );
});

test('the notifier coalesces a burst of recorded events into one pg_notify that a listener hears', async () => {
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const listener = new PgOutboxListener({ databaseUrl: db.url, channel: INBOX_CHANNEL });
  try {
    let woken = 0;
    listener.subscribe(() => {
      woken += 1;
    });
    for (let i = 0; i < 500 && !listener.status().listening; i += 1) await new Promise((r) => setTimeout(r, 20));
    assert.ok(listener.status().listening, 'the inbox listener connected');
    const sent: string[] = [];
    const notifier = new InboxNotifier(
      {
        async rows<R>(sql: string, params: readonly unknown[] = []) {
          sent.push(sql);
          return (await pool.query(sql, [...params])).rows as R[];
        },
      },
      20,
    );
    for (let i = 0; i < 10; i += 1) notifier.poke();
    for (let i = 0; i < 500 && woken === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    assert.ok(woken > 0, 'the listener was notified');
    assert.is(sent.length, 1, 'ten pokes within the delay: one notify');
  } finally {
    await listener.close();
    await pool.end();
  }
});

test.run();

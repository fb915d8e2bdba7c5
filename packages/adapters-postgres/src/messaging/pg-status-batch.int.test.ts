import { deterministicIds, ManualClock } from '@khaacho/core/testing';
import pg from 'pg';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPostgresPersistence, type PostgresPersistence } from '../create-postgres-persistence.js';
import type { SqlSession } from '../sql/sql-session.js';
import { truncateAll } from '../testing/contract-subject.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { PgOutboundMessageLog } from './pg-outbound-message-log.js';
import { PgWebhookInbox } from './pg-webhook-inbox.js';

// The inbox processor's batch writes on a real server: one statement each, and two workers'
// overlapping lists wait for each other instead of deadlocking.
const test = suite('status callbacks and marks in batches (real server)');
let db: TestDatabase;
let p: PostgresPersistence;
let pool: pg.Pool;
const statements: string[] = [];

/** A session straight on a pool that notes every statement it sends. */
function countingSession(): SqlSession {
  const session: SqlSession = {
    inTransaction: false,
    async rows<R>(sql: string, params: readonly unknown[] = []) {
      statements.push(sql);
      return (await pool.query(sql, [...params])).rows as R[];
    },
    async run(sql: string, params: readonly unknown[] = []) {
      statements.push(sql);
      return (await pool.query(sql, [...params])).rowCount ?? 0;
    },
    atomic: (work) => work(session),
  };
  return session;
}

test.before(async () => {
  db = await createTestDatabase();
  p = await createPostgresPersistence({ databaseUrl: db.url, migrate: true, poolMax: 8 });
  pool = new pg.Pool({ connectionString: db.url, max: 8 });
});
test.after(async () => {
  await pool?.end();
  await p?.close();
  await db?.drop();
});
test.before.each(async () => {
  await truncateAll(p);
  statements.length = 0;
});

const at = (s: number) => new Date(Date.UTC(2026, 11, 6, 3, 0, s));
const update = (messageId: string, status: 'sent' | 'delivered' | 'failed' | 'read', s: number) => ({
  messageId,
  recipient: '9779812345678',
  status,
  at: at(s),
  errors: [],
});

test('applyStatuses: a list of callbacks of several messages is one statement', async () => {
  const log = new PgOutboundMessageLog(countingSession());
  await p.outboundLog.record({
    providerMessageId: 'wamid.1',
    recipient: '+9779812345678',
    kind: 'text',
    sentAt: at(0),
  });
  const applied = await log.applyStatuses([
    update('wamid.1', 'sent', 1),
    update('wamid.2', 'delivered', 2),
    update('wamid.1', 'read', 3),
    update('wamid.3', 'sent', 4),
    update('wamid.1', 'delivered', 5),
    update('wamid.2', 'sent', 6),
  ]);
  assert.is(statements.length, 1, statements.join('\n---\n'));
  assert.equal(
    applied.map((a) => [a.advanced, a.entry.providerMessageId, a.entry.status]),
    [
      [true, 'wamid.1', 'read'],
      [true, 'wamid.2', 'delivered'],
      [true, 'wamid.1', 'read'],
      [true, 'wamid.3', 'sent'],
      [false, 'wamid.1', 'read'],
      [false, 'wamid.2', 'delivered'],
    ],
  );
  assert.is((await p.outboundLog.get('wamid.1'))?.kind, 'text', 'the record kept');
});

test('markAllProcessed: many events, one statement', async () => {
  const ids = deterministicIds(new ManualClock('2026-12-06T03:00:00Z'), 3);
  const inbox = new PgWebhookInbox(countingSession(), ids);
  const stored = await p.inbox.recordAll(
    ['a', 'b', 'c'].map((x) => ({ provider: 'wa', externalId: x, payload: null, receivedAt: at(0) })),
  );
  await p.inbox.claim({ limit: 10, leaseMs: 60_000, maxAttempts: 3, now: at(1) });
  await inbox.markAllProcessed(
    stored.map((s) => s.event.id),
    at(2),
  );
  assert.is(statements.length, 1);
  for (const s of stored) assert.is((await p.inbox.get(s.event.id))?.status, 'PROCESSED');
});

test('two workers applying overlapping lists in opposite orders at once: no deadlock, the highest status wins', async () => {
  const messages = Array.from({ length: 20 }, (_, i) => `wamid.m${String(i).padStart(2, '0')}`);
  for (const m of messages) {
    await p.outboundLog.record({ providerMessageId: m, recipient: '+9779812345678', kind: 'text', sentAt: at(0) });
  }
  const statuses = ['sent', 'delivered', 'read'] as const;
  for (let round = 0; round < 10; round++) {
    const forward = messages.map((m, i) => update(m, statuses[(i + round) % 3] as 'sent', round));
    const backward = [...messages].reverse().map((m, i) => update(m, statuses[(i + round + 1) % 3] as 'sent', round));
    await Promise.all([
      new PgOutboundMessageLog(countingSession()).applyStatuses(forward),
      new PgOutboundMessageLog(countingSession()).applyStatuses(backward),
      p.outboundLog.applyStatuses(forward.slice(5, 15)),
    ]);
  }
  for (const m of messages) assert.is((await p.outboundLog.get(m))?.status, 'read', m);
});

test('record: sends finishing together are one INSERT; a round with a row the server refuses is written one by one, only that one failing', async () => {
  const log = new PgOutboundMessageLog(countingSession());
  const sent = (id: string, recipient = '+9779812345678') =>
    log.record({ providerMessageId: id, recipient, kind: 'text', sentAt: at(1) });
  await Promise.all(['wamid.r1', 'wamid.r2', 'wamid.r3', 'wamid.r1'].map((id) => sent(id)));
  assert.is(statements.length, 1, 'one round');
  for (const id of ['wamid.r1', 'wamid.r2', 'wamid.r3']) assert.is((await p.outboundLog.get(id))?.kind, 'text', id);
  statements.length = 0;
  const outcomes = await Promise.allSettled([sent('wamid.r4'), sent('wamid.bad', '+977\u0000'), sent('wamid.r5')]);
  assert.equal(
    outcomes.map((o) => o.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  assert.is(statements.length, 4, 'the round, then each alone');
  assert.is((await p.outboundLog.get('wamid.r4'))?.status, 'accepted');
  assert.is((await p.outboundLog.get('wamid.r5'))?.status, 'accepted');
  assert.is(await p.outboundLog.get('wamid.bad'), null);
});

test.run();

import { oneEventOfEachType } from '@khaacho/core/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPostgresPersistence, type PostgresPersistence } from '../create-postgres-persistence.js';
import { ormOf } from '../orm/persistence-orm.js';
import { truncateAll } from '../testing/contract-subject.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';

const test = suite('pg outbox: the event catalog at the storage boundary');
let db: TestDatabase;
let p: PostgresPersistence;

test.before(async () => {
  db = await createTestDatabase();
  p = await createPostgresPersistence({ databaseUrl: db.url, migrate: true, poolMax: 4 });
});
test.after(async () => {
  await p?.close();
  await db?.drop();
});
test.before.each(async () => {
  await truncateAll(p);
});

const sql = (text: string, params: unknown[] = []) => ormOf(p).em.fork().getConnection().execute(text, params);

test('events are stored as jsonb, one text column for the type', async () => {
  const now = new Date('2026-03-01T08:00:00.000Z');
  const placed = oneEventOfEachType(now)['order.placed'];
  await p.uow.run((tx) => tx.outbox.append([placed]));
  const [row] = await sql(`select event_type, jsonb_typeof(payload) as kind, payload from outbox`);
  assert.equal([row?.event_type, row?.kind, row?.payload], ['order.placed', 'object', placed.payload]);
});

test('issue 8 #12: rows of an unknown type or a payload not their type’s are not handed out as catalog events', async () => {
  const now = new Date('2026-03-01T08:00:00.000Z');
  const samples = oneEventOfEachType(now);
  await p.uow.run((tx) => tx.outbox.append([samples['order.offer_expired'], samples['credit.hold_placed']]));
  // What a newer version, or a hand-written fix, leaves behind.
  const [first, second] = await sql(`select id from outbox order by seq`);
  await sql(`update outbox set event_type = 'order.teleported' where id = ?`, [first?.id]);
  await sql(`update outbox set payload = payload - 'orderId' where id = ?`, [second?.id]);
  await p.uow.run((tx) => tx.outbox.append([samples['order.placed']]));

  const parked: Array<{ id: string; type: string; attempts: number; error: string }> = [];
  const claimed = await p.outbox.claim({ limit: 10, leaseMs: 30_000, now, onUnreadable: (m) => parked.push(m) });
  assert.equal(
    claimed.map((m) => m.event),
    [samples['order.placed']],
    'only the readable event',
  );
  const stats = await p.outbox.stats(now);
  assert.equal([stats.pending, stats.failing], [3, 2], 'the others stay pending, and failing');
  assert.is(stats.unreadable, 2, 'worker-ops 3: counted as unreadable');
  assert.equal(
    parked.map((m) => [m.id, m.type, m.attempts, m.error]),
    [
      [first?.id, 'order.teleported', 1, 'unreadable event: event "order.teleported": type not in the catalog'],
      [
        second?.id,
        'credit.hold_placed',
        1,
        'unreadable event: event "credit.hold_placed": payload field orderId is missing or mistyped',
      ],
    ],
    'worker-ops 3: each parked row is reported to the claimer',
  );
  const errors = await sql(`select last_error from outbox where last_error is not null order by seq`);
  assert.equal(
    errors.map((r) => r.last_error),
    [
      'unreadable event: event "order.teleported": type not in the catalog',
      'unreadable event: event "credit.hold_placed": payload field orderId is missing or mistyped',
    ],
  );
});

test.run();

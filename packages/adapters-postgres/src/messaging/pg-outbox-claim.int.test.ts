import { EventTypes } from '@khaacho/core';
import pg from 'pg';
import * as assert from 'uvu/assert';
import { suite } from 'uvu';
import { createPostgresPersistence } from '../create-postgres-persistence.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { CLAIM_SQL } from './pg-outbox.js';

/*
 * Differential: the claim as one pass over the phones' heads (CLAIM_SQL) against the form it
 * replaced, a probe of the phone-order index per candidate row, on random outbox states
 * (phones with several unpublished sends, leased, expired, waiting out a retry, published,
 * unreadable before and after a phone's head, other event types), every limit from 1 up and
 * with and without phone order. Both run on the same state and are rolled back.
 */
const PER_ROW_CLAIM = `with picked as (
    select c.id from outbox c
    where c.published_at is null and c.available_at <= $1 and (c.lease_until is null or c.lease_until <= $1)
      and ($4::text is null or c.event_type <> $4 or not exists (
        select 1 from outbox e
        where e.event_type = $4 and e.aggregate_id = c.aggregate_id and e.published_at is null
          and e.seq < c.seq and (e.last_error is null or not starts_with(e.last_error, $5))))
    order by c.available_at, c.seq
    limit $2
    for update skip locked)
  update outbox o set attempts = o.attempts + 1, lease_until = $3
  from picked where o.id = picked.id
  returning o.*`;

const UNREADABLE = 'unreadable event: ';
const SEND = EventTypes.MESSAGE_SEND_REQUESTED;

const test = suite('outbox claim: heads join = per-row probe (real server)');
let db: TestDatabase;
let client: pg.Client;

test.before(async () => {
  db = await createTestDatabase('khaacho_claim_diff');
  const p = await createPostgresPersistence({ databaseUrl: db.url, migrate: true, poolMax: 1 });
  await p.close();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
test.after(async () => {
  await client.end();
  await db.drop();
});

/** A small deterministic generator, so a failing state can be replayed from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function seedState(seed: number, now: Date): Promise<number> {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
  await client.query('truncate outbox');
  const count = 5 + Math.floor(r() * 40);
  for (let i = 0; i < count; i++) {
    const send = r() < 0.7;
    const published = r() < 0.25;
    await client.query(
      `insert into outbox (id, event_type, aggregate_type, aggregate_id, payload, occurred_at, created_at,
         available_at, lease_until, attempts, last_error, published_at)
       values (gen_random_uuid(), $1, $2, $3, '{}'::jsonb, $4, $4, $5, $6, $7, $8, $9)`,
      [
        send ? SEND : pick(['order.placed', 'order.confirmed']),
        send ? 'phone' : 'order',
        send ? pick(['+9779800000001', '+9779800000002', '+9779800000003']) : pick(['o-1', 'o-2']),
        at(-60_000),
        // Mostly available in creation order; some wait out a retry, some became available late.
        at(pick([-50_000 + i, -50_000 + i, -10_000, 5_000])),
        pick([null, null, at(-1_000), at(20_000)]),
        Math.floor(r() * 3),
        pick([null, null, null, 'queue down', `${UNREADABLE}no such type`]),
        published ? at(-5_000) : null,
      ],
    );
  }
  return count;
}

async function claimWith(sql: string, now: Date, limit: number, phoneOrder: boolean): Promise<string[]> {
  await client.query('begin');
  try {
    const { rows } = await client.query<{ id: string; seq: string }>(sql, [
      now,
      limit,
      new Date(now.getTime() + 30_000),
      phoneOrder ? SEND : null,
      UNREADABLE,
    ]);
    return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map((row) => row.id);
  } finally {
    await client.query('rollback');
  }
}

test('the same messages, for every state, limit and ordering mode', async () => {
  const now = new Date('2026-12-06T10:00:00Z');
  let compared = 0;
  let heldSomewhere = 0;
  for (let seed = 1; seed <= 60; seed++) {
    const count = await seedState(seed, now);
    for (const phoneOrder of [true, false]) {
      for (const limit of [1, 2, 3, 5, count + 1]) {
        const expected = await claimWith(PER_ROW_CLAIM, now, limit, phoneOrder);
        const actual = await claimWith(CLAIM_SQL, now, limit, phoneOrder);
        assert.equal(actual, expected, `seed ${seed}, limit ${limit}, phoneOrder ${phoneOrder}`);
        compared += 1;
      }
      if (phoneOrder) {
        const unordered = await claimWith(PER_ROW_CLAIM, now, count + 1, false);
        const ordered = await claimWith(PER_ROW_CLAIM, now, count + 1, true);
        if (ordered.length < unordered.length) heldSomewhere += 1;
      }
    }
  }
  assert.is(compared, 600);
  // The states exercise the rule: in many of them phone order holds some send back.
  assert.ok(heldSomewhere >= 20, `phone order held a send in ${heldSomewhere} of 60 states`);
});

test.run();

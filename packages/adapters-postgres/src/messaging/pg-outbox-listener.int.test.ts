import { oneEventOfEachType } from '@khaacho/core/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPostgresPersistence, type PostgresPersistence } from '../create-postgres-persistence.js';
import { ormOf } from '../orm/persistence-orm.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { PgOutboxListener } from './pg-outbox-listener.js';

const test = suite('pg outbox listener: LISTEN/NOTIFY wakes relays, and survives a lost connection');
let db: TestDatabase;
let p: PostgresPersistence;
let listener: PgOutboxListener | null = null;

test.before(async () => {
  db = await createTestDatabase('khaacho_listen');
  p = await createPostgresPersistence({ databaseUrl: db.url, migrate: true, poolMax: 4 });
});
test.after.each(async () => {
  await listener?.close();
  listener = null;
});
test.after(async () => {
  await p?.close();
  await db?.drop();
});

const sql = (text: string, params: unknown[] = []) => ormOf(p).em.fork().getConnection().execute(text, params);
const placed = () => oneEventOfEachType(new Date('2026-03-01T08:00:00.000Z'))['order.placed'];

/** Resolves at the next wake-up (no timer: the test ends when the wake-up comes). */
function nextWake(l: PgOutboxListener): Promise<void> {
  return new Promise((resolve) => {
    const off = l.subscribe(() => {
      off();
      resolve();
    });
  });
}

/** Waits for `check`, failing after 5 s (rather than hanging) when it never comes. */
async function until(what: string, check: () => boolean): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > 5_000) throw new Error(`never: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function listening(l: PgOutboxListener, reconnects = 0): Promise<void> {
  while (!(l.status().listening && l.status().reconnects >= reconnects)) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('worker-ops 1: a committed append notifies once per statement; a rolled-back one notifies nobody', async () => {
  listener = new PgOutboxListener({ databaseUrl: db.url }).start();
  await listening(listener);
  const rolledBack = await p.uow
    .run(async (tx) => {
      await tx.outbox.append([placed()]);
      throw new Error('roll back');
    })
    .then(
      () => false,
      () => true,
    );
  assert.ok(rolledBack);
  const woken = nextWake(listener);
  await p.uow.run((tx) => tx.outbox.append([placed(), placed(), placed()]));
  await woken;
  // Notifications arrive in commit order: had the rollback notified, it would be counted first.
  assert.is(listener.status().notifications, 1, 'one statement of three rows, and nothing from the rollback');
});

test('worker-ops 1: the listener reconnects after its backend is terminated and wakes its subscribers', async () => {
  listener = new PgOutboxListener({ databaseUrl: db.url, reconnectBaseMs: 20 }).start();
  await listening(listener);
  const afterReconnect = nextWake(listener);
  const [row] = await sql(
    `select count(*)::int as n from (select pg_terminate_backend(pid) from pg_stat_activity
       where application_name = 'khaacho-outbox-listener' and datname = current_database()) t`,
  );
  assert.is(row?.n, 1, 'the listener had its own connection');
  await afterReconnect; // the catch-up wake after reconnecting: notifications meanwhile are lost
  await listening(listener, 1);
  const woken = nextWake(listener);
  await p.uow.run((tx) => tx.outbox.append([placed()]));
  await woken;
  assert.is(listener.status().reconnects, 1);
  assert.ok(listener.status().notifications >= 1);
});

test('worker-ops 1: close() ends the connection and stops reconnecting', async () => {
  const l = new PgOutboxListener({ databaseUrl: db.url }).start();
  await listening(l);
  await l.close();
  const [row] = await sql(
    `select count(*)::int as n from pg_stat_activity where application_name = 'khaacho-outbox-listener' and datname = current_database()`,
  );
  assert.is(row?.n, 0);
  assert.is(l.status().listening, false);
});

test('one relay claims per commit: of two outbox listeners with subscribers only the leader passes a NOTIFY on; when it goes, the other leads and wakes its relay', async () => {
  const first = new PgOutboxListener({ databaseUrl: db.url, leaderRetryMs: 20 }).start();
  const second = new PgOutboxListener({ databaseUrl: db.url, leaderRetryMs: 20 }).start();
  listener = second;
  try {
    const wakes = { first: 0, second: 0 };
    first.subscribe(() => {
      wakes.first += 1;
    });
    await listening(first);
    await until('the first leads', () => first.status().leading);
    second.subscribe(() => {
      wakes.second += 1;
    });
    await listening(second);
    // The second tried for the lock and found it taken: it retries, and ignores notifications.
    while (wakes.second === 0 && second.status().ignored === 0) {
      await p.uow.run((tx) => tx.outbox.append([placed()]));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.is(wakes.second, 0, 'the follower wakes no one');
    assert.is(second.status().leading, false);
    assert.ok(wakes.first >= 1, 'the leader woke its subscriber');
    const [row] = await sql(
      `select count(*)::int as n from pg_locks where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())`,
    );
    assert.is(row?.n, 1, 'one leader lock, held');

    // The leader's process dies (its connection closes): the other takes the lock and, having
    // ignored notifications meanwhile, wakes its subscriber once.
    await first.close();
    await until('the second leads once the first is gone', () => second.status().leading);
    assert.is(wakes.second, 1, 'woken once on taking the lead');
    const woken = nextWake(second);
    await p.uow.run((tx) => tx.outbox.append([placed()]));
    await woken;
  } finally {
    await first.close();
  }
});

test('a listener without subscribers does not lead, and the inbox channel has no leader', async () => {
  const idle = new PgOutboxListener({ databaseUrl: db.url }).start();
  const inbox = new PgOutboxListener({ databaseUrl: db.url, channel: 'khaacho_inbox' }).start();
  try {
    inbox.subscribe(() => {});
    await listening(idle);
    await listening(inbox);
    listener = new PgOutboxListener({ databaseUrl: db.url }).start();
    const woken = nextWake(listener);
    await listening(listener);
    const subscribed = listener;
    await until('the subscribed one leads', () => subscribed.status().leading);
    assert.is(idle.status().leading, false);
    assert.is(inbox.status().leading, false);
    await p.uow.run((tx) => tx.outbox.append([placed()]));
    await woken;
    await until('the idle one hears it too, and passes it to no one', () => idle.status().ignored === 1);
  } finally {
    await idle.close();
    await inbox.close();
  }
});

test.run();

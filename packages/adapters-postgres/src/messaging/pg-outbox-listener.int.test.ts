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

test.run();

import { createServer, type Server } from 'node:net';
import { type CreditAccount, ErrorCodes } from '@khaacho/core';
import * as assert from 'uvu/assert';
import { suite } from 'uvu';
import { createPostgresPersistence, type PostgresPersistence } from './create-postgres-persistence.js';
import type { PostgresPersistenceConfig } from './postgres-config.js';
import { eventually, holdLock, outcomes, waitingOnLock, within } from './testing/fault-tools.js';
import { truncateAll } from './testing/contract-subject.js';
import { openShop, type Shop } from './testing/shop-fixture.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';

/*
 * Issue 8 item 2: there were no timeouts. A stuck lock holder made PlaceOrder wait forever,
 * and with the pool used up reads and ping() hung too. Each case makes the fault for real
 * (a second session holding the row lock, a transaction holding the only connection) and
 * asserts the typed error. `within` turns a hang into a failure; its bound is generous on
 * purpose: how fast the error comes is for benchmarks, wall-clock upper bounds flake under load.
 */
const HANG_GUARD_MS = 30_000;
const test = suite('timeouts (real server)');
let db: TestDatabase;
/** Default timeouts: empties the tables and writes each case's data. */
let base: PostgresPersistence;
const opened: PostgresPersistence[] = [];

test.before(async () => {
  db = await createTestDatabase('khaacho_timeouts');
  base = await createPostgresPersistence({ databaseUrl: db.url, migrate: true, poolMax: 2 });
});
test.after.each(async () => {
  // A failing close is reported by the next case's hook at the latest; it must not hide this case's failure.
  for (const p of opened.splice(0)) await within(5_000, 'close()', p.close()).catch((e) => console.error(e));
});
test.after(async () => {
  await base.close();
  await db.drop();
});

async function open(config: PostgresPersistenceConfig = {}): Promise<{ p: PostgresPersistence; shop: Shop }> {
  const p = await createPostgresPersistence({ databaseUrl: db.url, poolMax: 4, ...config });
  opened.push(p);
  await truncateAll(base);
  const shop = await openShop(p, 2, base);
  return { p, shop };
}

/** Settle `work` and report its outcome (value or error code) with the time it took. */
async function timed<T>(work: Promise<T>): Promise<{ outcome: T | string; ms: number }> {
  const started = Date.now();
  const [outcome] = await within(HANG_GUARD_MS, 'the call', outcomes([work]));
  return { outcome: outcome as T | string, ms: Date.now() - started };
}

function lockAccount(retailer: { id: string }) {
  return holdLock(db.url, 'select 1 from credit_accounts where retailer_id = $1 for update', [retailer.id]);
}

test('a stuck lock holder gives PlaceOrder LOCK_TIMEOUT within the default 2 s', async () => {
  const { shop } = await open();
  const holder = await lockAccount(shop.retailers[0] as { id: string });
  try {
    const { outcome, ms } = await timed(shop.placeOrder(0));
    assert.is(outcome, ErrorCodes.LOCK_TIMEOUT);
    // A lower bound only: it shows the call waited for the lock as configured instead of failing at once.
    assert.ok(ms >= 1_900, `failed after ${ms} ms`);
  } finally {
    await holder.release();
  }
  assert.is(await shop.placeOrder(0), 'ROUTING', 'the order goes through once the lock is gone');
});

test('a statement running past statement_timeout is cancelled: QUERY_CANCELLED', async () => {
  // Lock timeout off, so the statement timeout is what ends the wait.
  const { shop } = await open({ timeouts: { lockMs: 0, statementMs: 300 } });
  const holder = await lockAccount(shop.retailers[0] as { id: string });
  try {
    const { outcome } = await timed(shop.placeOrder(0));
    assert.is(outcome, ErrorCodes.QUERY_CANCELLED);
  } finally {
    await holder.release();
  }
});

test("an operator's pg_cancel_backend reaches the caller as QUERY_CANCELLED, not a raw pg error", async () => {
  const { shop } = await open({ timeouts: { lockMs: 0, statementMs: 0 } });
  const holder = await lockAccount(shop.retailers[0] as { id: string });
  try {
    const placing = outcomes([shop.placeOrder(0)]);
    const [pid] = await eventually('the order waiting on the lock', async () => {
      const waiting = await waitingOnLock(db.name);
      return waiting.length === 1 && waiting;
    });
    await cancel(pid as number);
    assert.equal(await within(HANG_GUARD_MS, 'the cancelled order', placing), [ErrorCodes.QUERY_CANCELLED]);
  } finally {
    await holder.release();
  }
});

test('a transaction left idle past idle_in_transaction_session_timeout is ended: CONNECTION_LOST, pool recovers', async () => {
  const { p, shop } = await open({ poolMax: 1, timeouts: { idleInTransactionMs: 300 } });
  const retailerId = (shop.retailers[0] as { id: CreditAccount['retailerId'] }).id;
  const { outcome } = await timed(
    p.uow.run(async (tx) => {
      const account = (await tx.lockCreditAccount(retailerId)) as CreditAccount;
      await new Promise((r) => setTimeout(r, 900));
      await tx.credit.save(account);
      return 'committed';
    }),
  );
  assert.is(outcome, ErrorCodes.CONNECTION_LOST);
  assert.is(await within(HANG_GUARD_MS, 'an order afterwards', shop.placeOrder(0)), 'ROUTING');
});

test('a used-up pool gives reads and ping() POOL_EXHAUSTED within the acquire timeout', async () => {
  const { p, shop } = await open({ poolMax: 1, timeouts: { acquireMs: 300 } });
  let release = (): void => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held = (): void => {};
  const holdsTheConnection = new Promise<void>((resolve) => {
    held = resolve;
  });
  const holding = p.uow.run(async (tx) => {
    await tx.retailers.get((shop.retailers[0] as { id: CreditAccount['retailerId'] }).id);
    held();
    await gate;
  });
  await holdsTheConnection;
  try {
    const read = await timed(p.repos.retailers.get((shop.retailers[1] as { id: CreditAccount['retailerId'] }).id));
    assert.is(read.outcome, ErrorCodes.POOL_EXHAUSTED);
    const ping = await timed(p.ping());
    assert.is(ping.outcome, ErrorCodes.POOL_EXHAUSTED);
  } finally {
    release();
    await holding;
  }
  await within(HANG_GUARD_MS, 'ping() once the pool is free', p.ping());
});

test('a server that accepts but never answers: CONNECTION_LOST within the connect timeout', async () => {
  const silent = await silentServer();
  try {
    const port = (silent.address() as { port: number }).port;
    const [outcome] = await within(
      HANG_GUARD_MS,
      'connecting to a silent server',
      outcomes([
        createPostgresPersistence({
          databaseUrl: `postgres://postgres@127.0.0.1:${port}/none`,
          timeouts: { connectMs: 300 },
        }).then(async (p) => {
          opened.push(p);
          await p.ping();
          return 'answered';
        }),
      ]),
    );
    assert.is(outcome, ErrorCodes.CONNECTION_LOST);
  } finally {
    await new Promise((r) => silent.close(r));
  }
});

async function cancel(pid: number): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query('select pg_cancel_backend($1)', [pid]);
  } finally {
    await client.end();
  }
}

/** A loopback listener that takes connections and never says a word (like a dropped network). */
async function silentServer(): Promise<Server> {
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  server.on('close', () => {
    for (const s of sockets) s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = server.close.bind(server);
  server.close = ((cb?: (err?: Error) => void) => {
    for (const s of sockets) s.destroy();
    return close(cb);
  }) as Server['close'];
  return server;
}

test.run();

import { type CreditAccount, ErrorCodes } from '@khaacho/core';
import * as assert from 'uvu/assert';
import { suite } from 'uvu';
import { createPostgresPersistence, type PostgresPersistence } from './create-postgres-persistence.js';
import {
  backends,
  eventually,
  holdLock,
  outcomes,
  terminate,
  terminateAll,
  waitingOnLock,
  within,
} from './testing/fault-tools.js';
import { openShop, type Shop } from './testing/shop-fixture.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';

/*
 * Issue 8 item 1: a connection whose backend dies inside a transaction must be destroyed
 * and replaced. Before the fix kysely never released a client whose ROLLBACK failed, so
 * two such deaths with a pool of 2 left PlaceOrder, ping() and close() hanging forever.
 */
const test = suite('connection faults (real server, pool of 2)');
let db: TestDatabase;
let p: PostgresPersistence;
let shop: Shop;

test.before.each(async () => {
  db = await createTestDatabase('khaacho_faults');
  p = await createPostgresPersistence({ databaseUrl: db.url, migrate: true, poolMax: 2 });
  shop = await openShop(p, 4);
});
test.after.each(async () => {
  await db.drop();
});

/** The pool still works: 30 orders, a ping and a close, each bounded so a leak fails instead of hanging. */
async function assertPoolRecovered(): Promise<void> {
  const placed = await within(
    20_000,
    '30 orders after the fault',
    Promise.all(Array.from({ length: 30 }, (_, i) => shop.placeOrder(i))),
  );
  assert.equal(new Set(placed), new Set(['ROUTING']), 'every order placed');
  await within(5_000, 'ping() after the fault', p.ping());
  await within(5_000, 'close() after the fault', p.close());
}

test('backends killed while their transactions wait on a lock are replaced (pool of 2, killed twice)', async () => {
  const [r0, r1] = shop.retailers.map((r) => r.id);
  for (let round = 0; round < 2; round++) {
    const holder = await holdLock(db.url, 'select 1 from credit_accounts where retailer_id = any($1) for update', [
      [r0, r1],
    ]);
    const inFlight = outcomes([shop.placeOrder(0), shop.placeOrder(1)]);
    const pids = await eventually('both orders waiting on the lock', async () => {
      const waiting = await waitingOnLock(db.name);
      return waiting.length === 2 && waiting;
    });
    await terminate(pids);
    assert.equal(await inFlight, [ErrorCodes.CONNECTION_LOST, ErrorCodes.CONNECTION_LOST]);
    await holder.release();
  }
  await assertPoolRecovered();
});

test('backends killed while idle in transaction are replaced', async () => {
  let open = (): void => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const inFlight = outcomes(
    shop.retailers.slice(0, 2).map((r) =>
      p.uow.run(async (tx) => {
        const account = (await tx.lockCreditAccount(r.id)) as CreditAccount;
        await gate;
        await tx.credit.save(account);
        return 'committed';
      }),
    ),
  );
  const pids = await eventually('two sessions idle in transaction', async () => {
    const idle = await backends(db.name, 'idle in transaction');
    return idle.length === 2 && idle;
  });
  await terminate(pids);
  open();
  assert.equal(await inFlight, [ErrorCodes.CONNECTION_LOST, ErrorCodes.CONNECTION_LOST]);
  await assertPoolRecovered();
});

test('a PostgreSQL restart (every backend of the database terminated) is survived', async () => {
  await Promise.all([shop.placeOrder(0), shop.placeOrder(1)]); // both pooled connections exist
  let open = (): void => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const retailerId = (shop.retailers[2] as { id: CreditAccount['retailerId'] }).id;
  const inFlight = outcomes([
    p.uow.run(async (tx) => {
      const account = (await tx.lockCreditAccount(retailerId)) as CreditAccount;
      await gate;
      await tx.credit.save(account);
      return 'committed';
    }),
  ]);
  await eventually(
    'one session idle in transaction',
    async () => (await backends(db.name, 'idle in transaction')).length === 1,
  );
  assert.ok((await terminateAll(db.name)) >= 1, 'backends terminated');
  await eventually('no backend left', async () => (await backends(db.name)).length === 0);
  open();
  assert.equal(await inFlight, [ErrorCodes.CONNECTION_LOST]);
  await assertPoolRecovered();
});

test.run();

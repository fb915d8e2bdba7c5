import { createPostgresPersistence, type PostgresPersistence } from '@khaacho/adapters-postgres';
import { INBOX_LEASE_EXPIRED_ERROR, SYSTEM_ACTOR, unwrap } from '@khaacho/core';
import { createWorldOn, deterministicIds, ManualClock, oneEventOfEachType } from '@khaacho/core/testing';
import pg from 'pg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { marketWithShop, placeRoutingOrder, sweepDeps, warnings } from '../testing/recovery-scenario.js';
import { runRecoverySweep } from './recovery-sweep.js';
import { scratchDatabase } from '../testing/scratch-database.js';

const MINUTE = 60_000;
const database = scratchDatabase('khaacho_sweep');
const { url } = database;

let persistence: PostgresPersistence | null = null;

async function freshWorld(seed: number) {
  const clock = new ManualClock('2026-02-01T06:00:00.000Z');
  const ids = deterministicIds(clock, seed);
  persistence = await createPostgresPersistence({ databaseUrl: url.toString(), migrate: true, ids, clock });
  return { world: createWorldOn(persistence, {}, clock, ids), storage: persistence };
}

test.before(async () => {
  await database.create();
});
test.after.each(async () => {
  await persistence?.close();
  persistence = null;
});
test.after(async () => {
  await database.drop();
});

test('on PostgreSQL: expires an overdue offer, re-routes an idle order once, hands a stuck inbox event back once; a second sweep changes nothing', async () => {
  const { world, storage } = await freshWorld(1);
  const market = await marketWithShop(world);
  const offered = await placeRoutingOrder(world, market);
  unwrap(await world.useCases.routeOrder.execute({ orderId: offered, actor: SYSTEM_ACTOR }));
  const idle = await placeRoutingOrder(world, market);
  const { event } = await storage.inbox.record({
    provider: 'whatsapp',
    externalId: 'wamid.pg.1',
    payload: { text: 'hi' },
    receivedAt: world.clock.now(),
  });
  await storage.inbox.claim({ limit: 10, leaseMs: 30_000, maxAttempts: 5, now: world.clock.now() });
  world.clock.advance(16 * MINUTE);

  const deps = sweepDeps(world, storage);
  const first = await runRecoverySweep(deps);
  assert.is(first.offersExpired, 1);
  assert.equal(first.idleOrders, { found: 1, offered: 1, flagged: 0, skipped: 0, failed: 0 });
  assert.is(first.inbox?.handedBack, 1);
  assert.is(first.outbox?.oldestPendingAgeMs, 16 * MINUTE);
  assert.equal(first.errors, []);
  assert.equal(
    unwrap(await world.useCases.getOrder.execute({ orderId: offered })).routingAttempts.map((a) => a.outcome),
    ['EXPIRED'],
  );
  assert.equal(
    unwrap(await world.useCases.getOrder.execute({ orderId: idle })).routingAttempts.map((a) => a.outcome),
    ['PENDING'],
  );
  const handedBack = await storage.inbox.get(event.id);
  assert.equal([handedBack?.status, handedBack?.lastError], ['FAILED', INBOX_LEASE_EXPIRED_ERROR]);

  const mark = world.logger.records.length;
  const second = await runRecoverySweep(deps);
  assert.equal(
    [second.offersExpired, second.idleOrders.found, second.inbox?.handedBack, second.outbox?.pending],
    [0, 0, 0, first.outbox?.pending],
  );
  assert.equal(
    warnings(world.logger.records, mark).filter((w) => !w.includes('too long')),
    [],
    'nothing re-driven',
  );
  assert.is(unwrap(await world.useCases.getOrder.execute({ orderId: idle })).routingAttempts.length, 1);
});

test('on PostgreSQL: an event with an old occurredAt in a row written now is not outbox lag (a fresh start on demo data); the row left unpublished is', async () => {
  const { world, storage } = await freshWorld(3);
  // Earlier tests' rows share this database: publish them, so this test's row is the only one.
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await client.query('update outbox set published_at = now() where published_at is null').finally(() => client.end());
  const historic = new Date(world.clock.now().getTime() - 30 * 24 * 60 * MINUTE);
  await storage.uow.run((tx) => tx.outbox.append([oneEventOfEachType(historic)['order.placed']]));
  const deps = sweepDeps(world, storage);
  const fresh = await runRecoverySweep(deps);
  assert.equal(fresh.outbox, { pending: 1, failing: 0, oldestPendingAgeMs: 0, lagging: false });
  assert.equal(warnings(world.logger.records), []);
  world.clock.advance(2 * MINUTE);
  const later = await runRecoverySweep(deps);
  assert.equal(later.outbox, { pending: 1, failing: 0, oldestPendingAgeMs: 2 * MINUTE, lagging: true });
});

test('on PostgreSQL: two sweeps at once route an idle order once', async () => {
  const { world, storage } = await freshWorld(2);
  const market = await marketWithShop(world);
  const idle = await placeRoutingOrder(world, market);
  world.clock.advance(10 * MINUTE);
  const deps = sweepDeps(world, storage);
  const [a, b] = await Promise.all([runRecoverySweep(deps), runRecoverySweep(deps)]);
  assert.is(a.idleOrders.offered + b.idleOrders.offered, 1, 'one of them offered it');
  const order = unwrap(await world.useCases.getOrder.execute({ orderId: idle }));
  assert.equal(
    order.routingAttempts.map((x) => x.outcome),
    ['PENDING'],
  );
});

test.run();

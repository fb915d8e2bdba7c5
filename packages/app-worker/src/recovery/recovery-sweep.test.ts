import { INBOX_LEASE_EXPIRED_ERROR, SYSTEM_ACTOR, USE_CASE_TOKENS, unwrap, WEBHOOK_INBOX } from '@khaacho/core';
import { createTestWorld, oneEventOfEachType } from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { captureLines } from '../testing/order-journey.js';
import { marketWithShop, placeRoutingOrder, sweepDeps, warnings } from '../testing/recovery-scenario.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { composeContainer } from '../composition/compose-container.js';
import { DEFAULT_SWEEP_THRESHOLDS, runRecoverySweep } from './recovery-sweep.js';
import { recoverySweepDeps } from './sweep-deps.js';

const MINUTE = 60_000;

test('in memory: expires an overdue offer, re-routes an idle order once, hands a stuck inbox event back once; a second sweep changes nothing', async () => {
  const world = createTestWorld();
  const { persistence } = world;
  const market = await marketWithShop(world);
  const offered = await placeRoutingOrder(world, market);
  unwrap(await world.useCases.routeOrder.execute({ orderId: offered, actor: SYSTEM_ACTOR }));
  const idle = await placeRoutingOrder(world, market);
  const { event } = await persistence.inbox.record({
    provider: 'whatsapp',
    externalId: 'wamid.1',
    payload: { text: 'hi' },
    receivedAt: world.clock.now(),
  });
  await persistence.inbox.claim({ limit: 10, leaseMs: 30_000, maxAttempts: 5, now: world.clock.now() }); // then the worker died
  world.clock.advance(16 * MINUTE); // the 15-minute offer is overdue, the order idle, the lease over

  const deps = sweepDeps(world, persistence);
  const before = world.logger.records.length;
  const first = await runRecoverySweep(deps);
  assert.is(first.offersExpired, 1);
  assert.equal(first.idleOrders, { found: 1, offered: 1, flagged: 0, skipped: 0, failed: 0 });
  assert.is(first.inbox?.handedBack, 1);
  assert.is(first.inbox?.waiting, 1, 'the handed-back event waits for the inbox processor again');
  assert.ok((first.outbox?.pending ?? 0) > 0, 'no relay runs here: events are pending');
  assert.is(first.outbox?.oldestPendingAgeMs, 16 * MINUTE);
  assert.is(first.outbox?.lagging, true);
  assert.equal(first.errors, []);

  const offeredOrder = unwrap(await world.useCases.getOrder.execute({ orderId: offered }));
  assert.equal(
    offeredOrder.routingAttempts.map((a) => a.outcome),
    ['EXPIRED'],
    'the overdue offer expired (the consumer of offer.expired routes it on)',
  );
  const idleOrder = unwrap(await world.useCases.getOrder.execute({ orderId: idle }));
  assert.equal(
    idleOrder.routingAttempts.map((a) => a.outcome),
    ['PENDING'],
    'the idle order was offered to a vendor',
  );
  const handedBack = await persistence.inbox.get(event.id);
  assert.equal([handedBack?.status, handedBack?.lastError], ['FAILED', INBOX_LEASE_EXPIRED_ERROR]);

  const firstWarnings = warnings(world.logger.records, before);
  assert.equal(
    firstWarnings.filter((w) => !w.includes('too long')).sort(),
    [
      'recovery sweep: expired an overdue offer',
      'recovery sweep: handed back an inbox event whose worker stopped',
      'recovery sweep: routed an idle order again',
    ],
    'one warn per thing re-driven',
  );
  const summary = world.logger.records.filter((r) => r.message === 'recovery sweep');
  assert.is(summary.length, 1, 'one info line per sweep');
  assert.equal(
    [summary[0]?.level, summary[0]?.fields.offersExpired, summary[0]?.fields.idleOrdersOffered],
    ['info', 1, 1],
  );

  const pendingAfterFirst = first.outbox?.pending;
  const mark = world.logger.records.length;
  const second = await runRecoverySweep(deps);
  assert.is(second.offersExpired, 0);
  assert.equal(second.idleOrders, { found: 0, offered: 0, flagged: 0, skipped: 0, failed: 0 });
  assert.is(second.inbox?.handedBack, 0);
  assert.is(second.outbox?.pending, pendingAfterFirst, 'the sweep publishes nothing: the relay does');
  assert.equal(
    warnings(world.logger.records, mark).filter((w) => !w.includes('too long')),
    [],
    'nothing re-driven the second time',
  );
  const again = unwrap(await world.useCases.getOrder.execute({ orderId: idle }));
  assert.is(again.routingAttempts.length, 1, 'routed once');
});

test('an order that changed within the idle threshold, or is flagged for an operator, is left alone', async () => {
  const world = createTestWorld();
  const market = await marketWithShop(world);
  const recent = await placeRoutingOrder(world, market);
  world.clock.advance(DEFAULT_SWEEP_THRESHOLDS.orderIdleMs - 1);
  const report = await runRecoverySweep(sweepDeps(world, world.persistence));
  assert.is(report.idleOrders.found, 0, 'not idle yet');
  world.clock.advance(1);
  const later = await runRecoverySweep({
    ...sweepDeps(world, world.persistence),
    thresholds: { orderIdleMs: 10 * MINUTE },
  });
  assert.is(later.idleOrders.found, 0, 'the threshold comes from the deps');
  const order = unwrap(await world.useCases.getOrder.execute({ orderId: recent }));
  assert.is(order.routingAttempts.length, 0);
});

test('a step that throws is logged and reported; the other steps still run', async () => {
  const world = createTestWorld();
  const market = await marketWithShop(world);
  const idle = await placeRoutingOrder(world, market);
  world.clock.advance(10 * MINUTE);
  const report = await runRecoverySweep({
    ...sweepDeps(world, world.persistence),
    outbox: {
      stats: () => Promise.reject(new Error('connection lost')),
    },
  });
  assert.equal(report.errors, [{ step: 'outbox', error: 'connection lost' }]);
  assert.is(report.outbox, null);
  assert.is(report.idleOrders.offered, 1, 'idle orders were still re-routed');
  assert.ok(
    world.logger.records.some(
      (r) => r.level === 'error' && r.message === 'recovery sweep step failed' && r.fields.step === 'outbox',
    ),
  );
  const order = unwrap(await world.useCases.getOrder.execute({ orderId: idle }));
  assert.is(order.routingAttempts.length, 1);
});

test('an event with an old occurredAt in a row written now is not outbox lag (a fresh start on demo data); the row left unpublished is', async () => {
  const world = createTestWorld();
  const historic = new Date(world.clock.now().getTime() - 30 * 24 * 60 * MINUTE);
  await world.persistence.uow.run((tx) => tx.outbox.append([oneEventOfEachType(historic)['order.placed']]));
  const deps = sweepDeps(world, world.persistence);
  const fresh = await runRecoverySweep(deps);
  assert.equal(fresh.outbox, { pending: 1, failing: 0, oldestPendingAgeMs: 0, lagging: false });
  assert.equal(warnings(world.logger.records), []);
  world.clock.advance(2 * MINUTE);
  const later = await runRecoverySweep(deps);
  assert.equal(later.outbox, { pending: 1, failing: 0, oldestPendingAgeMs: 2 * MINUTE, lagging: true });
});

test('an outbox within its lag threshold raises no warn', async () => {
  const world = createTestWorld();
  await marketWithShop(world);
  world.clock.advance(DEFAULT_SWEEP_THRESHOLDS.outboxLagWarnMs);
  const report = await runRecoverySweep(sweepDeps(world, world.persistence));
  assert.ok((report.outbox?.pending ?? 0) > 0);
  assert.is(report.outbox?.lagging, false, 'exactly at the threshold is not over it');
  assert.equal(warnings(world.logger.records), []);
});

test('recoverySweepDeps: the composition’s use cases and ports; a sweep on a fresh in-memory app finds nothing', async () => {
  const { destination } = captureLines();
  const app = await composeContainer(workerConfigFromEnv({ KHAACHO_STORE: 'memory', LOG_LEVEL: 'silent' }), {
    logDestination: destination,
  });
  try {
    const deps = recoverySweepDeps(app, { orderIdleMs: 2 * MINUTE });
    assert.is(deps.routeOrder, app.get(USE_CASE_TOKENS.routeOrder));
    assert.is(deps.inbox, app.get(WEBHOOK_INBOX));
    assert.equal(deps.thresholds, { orderIdleMs: 2 * MINUTE });
    const report = await runRecoverySweep(deps);
    assert.equal(
      [report.offersExpired, report.idleOrders.found, report.inbox?.handedBack, report.outbox?.pending, report.errors],
      [0, 0, 0, 0, []],
    );
  } finally {
    await app.close();
  }
});

test.run();

import {
  domainEvent,
  EventTypes,
  type OrderId,
  type ProductId,
  QueueNames,
  type Timer,
  type VendorId,
} from '@khaacho/core';
import { InMemoryJobQueue, ManualClock, oneEventOfEachType } from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  REFRESH_PRICE_INTELLIGENCE_JOB,
  REFRESH_VENDOR_PERFORMANCE_JOB,
  snapshotRefreshEnqueuer,
  snapshotTargets,
} from './snapshot-refresh.js';

const at = new Date('2026-03-02T04:00:03.000Z');
const samples = oneEventOfEachType(at);
// Timers that never fire: the test looks at what was enqueued, not at the jobs running.
const idleTimer: Timer = { setTimeout: () => 0, clearTimeout: () => {} };
const vendorA = '01970000-0000-7000-8000-00000000000a' as VendorId;
const vendorB = '01970000-0000-7000-8000-00000000000b' as VendorId;

const rejected = (vendorId: VendorId) =>
  domainEvent(EventTypes.ORDER_OFFER_REJECTED, samples['order.offer_rejected'].aggregateId as OrderId, at, {
    vendorId,
    reason: null,
  });

test('which snapshot each event makes stale', () => {
  const status = samples['order.status_changed'];
  const withStatus = (to: 'CONFIRMED' | 'ON_HOLD' | 'DELIVERED', vendorId: VendorId | null) =>
    snapshotTargets(
      domainEvent(EventTypes.ORDER_STATUS_CHANGED, status.aggregateId as OrderId, at, {
        ...status.payload,
        to,
        vendorId,
      }),
    );
  assert.equal(withStatus('CONFIRMED', vendorA), { vendorIds: [vendorA], productIds: [] });
  assert.equal(withStatus('DELIVERED', vendorA), { vendorIds: [vendorA], productIds: [] });
  assert.equal(withStatus('ON_HOLD', vendorA), { vendorIds: [], productIds: [] });
  assert.equal(withStatus('CONFIRMED', null), { vendorIds: [], productIds: [] });
  assert.equal(snapshotTargets(rejected(vendorB)), { vendorIds: [vendorB], productIds: [] });
  const expired = samples['order.offer_expired'];
  assert.equal(snapshotTargets(expired).vendorIds, [expired.payload.vendorId]);
  const price = samples['offer.price_changed'];
  assert.equal(snapshotTargets(price), { vendorIds: [], productIds: [price.payload.productId] });
  const product = samples['product.updated'];
  assert.equal(snapshotTargets(product), { vendorIds: [], productIds: [product.aggregateId as ProductId] });
  assert.equal(snapshotTargets(samples['order.placed']), { vendorIds: [], productIds: [] });
  assert.equal(snapshotTargets(samples['credit.payment_recorded']), { vendorIds: [], productIds: [] });
});

test('a burst for one vendor within a window makes one job, delayed to the window end; the next window another', async () => {
  const clock = new ManualClock(at.toISOString());
  const queue = new InMemoryJobQueue(clock, idleTimer);
  const enqueue = snapshotRefreshEnqueuer({ queue, clock, coalesceMs: 10_000 });
  assert.is(await enqueue(rejected(vendorA), 'job-1'), 1);
  clock.advance(2_000);
  assert.is(await enqueue(rejected(vendorA), 'job-2'), 0, 'same window: coalesced');
  assert.is(await enqueue(rejected(vendorB), 'job-3'), 1, 'another vendor: its own job');
  assert.is(await enqueue(samples['order.placed'], 'job-4'), 0, 'nothing stale');
  let stats = await queue.stats(QueueNames.REPORT_GENERATION);
  assert.is(stats.delayed, 2, 'waiting for the window to close');
  const windowStart = Date.parse('2026-03-02T04:00:00.000Z');
  const job = await queue.get(
    QueueNames.REPORT_GENERATION,
    `${REFRESH_VENDOR_PERFORMANCE_JOB}:vendor:${vendorA}:${windowStart}`,
  );
  assert.ok(job, 'the window start names the job');
  assert.equal(job?.payload, { vendorId: vendorA });
  clock.advance(5_000); // 04:00:10: the next window
  assert.is(await enqueue(rejected(vendorA), 'job-5'), 1);
  stats = await queue.stats(QueueNames.REPORT_GENERATION);
  assert.is(stats.delayed, 3);
  await queue.close();
});

test('without a window, one undelayed refresh per triggering job: a redelivered job enqueues nothing new', async () => {
  const clock = new ManualClock(at.toISOString());
  const queue = new InMemoryJobQueue(clock, idleTimer);
  const enqueue = snapshotRefreshEnqueuer({ queue, clock, coalesceMs: 0 });
  const price = samples['offer.price_changed'];
  assert.is(await enqueue(price, 'msg-1'), 1);
  assert.is(await enqueue(price, 'msg-1'), 0, 'the same job again');
  assert.is(await enqueue(price, 'msg-2'), 1);
  const stats = await queue.stats(QueueNames.REPORT_GENERATION);
  assert.is(stats.waiting, 2);
  assert.ok(
    await queue.get(
      QueueNames.REPORT_GENERATION,
      `${REFRESH_PRICE_INTELLIGENCE_JOB}:product:${price.payload.productId}:msg-1`,
    ),
  );
  await queue.close();
});

test.run();

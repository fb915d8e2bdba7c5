import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { OrderSnapshot } from '../../order/order.js';
import { SYSTEM_ACTOR } from '../../shared/domain-event.js';
import type { OrderId, RetailerId, VendorId } from '../../shared/ids.js';
import type { FulfilmentRecord, OfferRecord } from './performance-events.js';
import { performanceEventsFromOrders } from './performance-events.js';
import { computeVendorPerformance, rankVendorPerformance } from './vendor-performance.js';
import { createVendorRating } from './vendor-rating.js';
import { platformReliabilityPrior, smoothReliability } from './vendor-reliability.js';

const AS_OF = new Date('2025-06-30T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (days: number, plusMinutes = 0): Date => new Date(AS_OF.getTime() - days * DAY + plusMinutes * 60_000);
const V1 = 'v-1' as VendorId;
const V2 = 'v-2' as VendorId;

let seq = 0;
function offer(vendorId: VendorId, daysAgo: number, outcome: OfferRecord['outcome'], minutes = 5): OfferRecord {
  const offeredAt = ago(daysAgo);
  return {
    orderId: `o-${++seq}` as OrderId,
    vendorId,
    offeredAt,
    outcome,
    respondedAt: outcome === 'ACCEPTED' || outcome === 'REJECTED' ? ago(daysAgo, minutes) : null,
    manual: false,
  };
}

function fulfilment(
  vendorId: VendorId,
  daysAgo: number,
  result: 'on-time' | 'late' | 'cancelled' | 'open',
): FulfilmentRecord {
  const confirmedAt = ago(daysAgo);
  const promisedBy = new Date(confirmedAt.getTime() + 24 * HOUR);
  return {
    orderId: `o-${++seq}` as OrderId,
    vendorId,
    confirmedAt,
    promisedBy,
    deliveredAt:
      result === 'on-time'
        ? new Date(confirmedAt.getTime() + 20 * HOUR)
        : result === 'late'
          ? new Date(confirmedAt.getTime() + 30 * HOUR)
          : null,
    cancelledAt: result === 'cancelled' ? new Date(confirmedAt.getTime() + 2 * HOUR) : null,
  };
}

const rating = (vendorId: VendorId, daysAgo: number, stars: number) =>
  createVendorRating(
    { vendorId, retailerId: 'r-1' as RetailerId, orderId: `o-${++seq}` as OrderId, rating: stars },
    `rt-${seq}`,
    ago(daysAgo),
  );

test('rolling windows count offers, acceptance, response time, fulfilment and ratings', () => {
  const [report] = computeVendorPerformance({
    asOf: AS_OF,
    offers: [
      offer(V1, 1, 'ACCEPTED', 4),
      offer(V1, 2, 'REJECTED', 10),
      offer(V1, 20, 'ACCEPTED', 6),
      offer(V1, 60, 'EXPIRED'),
      offer(V1, 3, 'PENDING'),
      offer(V1, 3, 'WITHDRAWN'),
    ],
    fulfilments: [
      fulfilment(V1, 2, 'on-time'),
      fulfilment(V1, 10, 'late'),
      fulfilment(V1, 40, 'cancelled'),
      fulfilment(V1, 1, 'open'),
    ],
    ratings: [rating(V1, 1, 5), rating(V1, 15, 3)],
  });
  const [w7, w30, w90] = report?.windows ?? [];
  assert.is(w7?.offers, 4);
  assert.is(w7?.acceptanceRate, 0.5);
  assert.is(w7?.medianResponseMinutes, 7);
  assert.is(w30?.acceptanceRate, 2 / 3);
  assert.is(w90?.acceptanceRate, 0.5);
  assert.is(w30?.delivered, 2);
  assert.is(w30?.onTimeDeliveryRate, 0.5);
  assert.is(w30?.fulfilmentRate, 1);
  assert.is(w90?.cancellationRate, 1 / 3);
  assert.is(w30?.averageRating, 4);
  assert.is(w7?.ratingCount, 1);
  assert.ok(
    report && report.reliability.score !== null && report.reliability.score > 0 && report.reliability.score < 1,
  );
  assert.is(report?.reliability.sampleSize, 3);
});

test('a vendor with no activity has null rates, null reliability and the prior when smoothed', () => {
  const [report] = computeVendorPerformance({ asOf: AS_OF, vendorIds: [V2], offers: [], fulfilments: [], ratings: [] });
  assert.is(report?.windows[0]?.acceptanceRate, null);
  assert.is(report?.reliability.score, null);
  assert.is(report?.smoothedReliability, 0.7);
});

test('smoothing: few samples stay near the prior, many follow the data', () => {
  assert.ok(Math.abs(smoothReliability({ score: 1, sampleSize: 2 }) - 0.75) < 1e-9);
  assert.ok(smoothReliability({ score: 1, sampleSize: 1000 }) > 0.99);
  assert.ok(smoothReliability({ score: 0, sampleSize: 2 }) > 0.55);
  const prior = platformReliabilityPrior([
    { score: 0.9, sampleSize: 30 },
    { score: 0.5, sampleSize: 10 },
    { score: null, sampleSize: 0 },
  ]);
  assert.is(prior.mean, 0.8);
});

test('rankings: best first, no data last, ties by vendor id', () => {
  const reports = computeVendorPerformance({
    asOf: AS_OF,
    vendorIds: ['v-9' as VendorId],
    offers: [offer(V2, 1, 'ACCEPTED'), offer(V1, 1, 'ACCEPTED'), offer('v-3' as VendorId, 1, 'REJECTED')],
    fulfilments: [],
    ratings: [],
  });
  const byAcceptance = rankVendorPerformance(reports, 'acceptanceRate', 7);
  assert.equal(
    byAcceptance.map((r) => [r.rank, r.vendorId, r.value]),
    [
      [1, 'v-1', 1],
      [2, 'v-2', 1],
      [3, 'v-3', 0],
      [4, 'v-9', null],
    ],
  );
  const byReliability = rankVendorPerformance(reports);
  assert.equal(byReliability[0]?.vendorId, 'v-1');
  assert.equal(byReliability.at(-1)?.vendorId, 'v-3');
});

test('events from order snapshots: attempts become offers, status log becomes fulfilment', () => {
  const confirmedAt = ago(5);
  const order = {
    id: 'o-x' as OrderId,
    vendorId: V1,
    routingAttempts: [
      {
        attempt: 1,
        vendorId: V2,
        offeredAt: ago(5, -30),
        deadline: ago(5, -15),
        outcome: 'EXPIRED',
        respondedAt: ago(5, -15),
        reason: null,
        manual: false,
      },
      {
        attempt: 2,
        vendorId: V1,
        offeredAt: ago(5, -10),
        deadline: ago(5, 5),
        outcome: 'ACCEPTED',
        respondedAt: confirmedAt,
        reason: null,
        manual: false,
      },
    ],
    statusLog: [
      { from: 'ROUTING', to: 'CONFIRMED', actor: SYSTEM_ACTOR, reason: null, at: confirmedAt },
      { from: 'DISPATCHED', to: 'DELIVERED', actor: SYSTEM_ACTOR, reason: null, at: ago(4) },
    ],
  } as unknown as OrderSnapshot;
  const events = performanceEventsFromOrders([order], () => 48);
  assert.is(events.offers.length, 2);
  assert.is(events.fulfilments.length, 1);
  assert.is(events.fulfilments[0]?.promisedBy.getTime(), confirmedAt.getTime() + 48 * HOUR);
  assert.ok(events.fulfilments[0]?.deliveredAt);
});

test('ratings must be integers 1-5', () => {
  assert.throws(() => rating(V1, 1, 0));
  assert.throws(() => rating(V1, 1, 4.5));
  assert.throws(() => rating(V1, 1, 6));
});

test.run();

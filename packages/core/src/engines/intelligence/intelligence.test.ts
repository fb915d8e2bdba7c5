import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createProduct } from '../../catalog/product.js';
import type { OrderSnapshot } from '../../order/order.js';
import { orderLine } from '../../order/order-line.js';
import type { OrderId, ProductId, RetailerId } from '../../shared/ids.js';
import { Money } from '../../shared/money.js';
import { Quantity, type Unit } from '../../shared/quantity.js';
import { churnRisk } from './churn-risk.js';
import { customerLifetimeValue } from './customer-lifetime-value.js';
import { type DemandEvent, demandEventsFromOrders } from './demand-events.js';
import { forecastDemand } from './demand-forecast.js';
import { suggestReorders } from './reorder-suggestions.js';

const AS_OF = new Date('2025-06-30T12:00:00Z');
const DAY = 86_400_000;
const ago = (days: number): Date => new Date(AS_OF.getTime() - days * DAY);
const R = 'r-1' as RetailerId;
const noodles = createProduct(
  {
    sku: 'WAIWAI',
    name: 'Wai Wai',
    category: 'noodles',
    baseUnit: 'packet',
    conversions: [{ unit: 'carton', toBase: 30 }],
  },
  'p-1' as ProductId,
  ago(400),
);

let seq = 0;
function anOrder(
  daysAgo: number,
  qty: number,
  unit: Unit,
  status: OrderSnapshot['status'] = 'COMPLETED',
): OrderSnapshot {
  const line = orderLine({
    productId: noodles.id,
    sku: noodles.sku,
    name: noodles.name,
    quantity: Quantity.of(qty, unit),
    unitPrice: Money.of(unit === 'carton' ? 60_000 : 2_000),
  });
  return {
    id: `o-${++seq}` as OrderId,
    number: `KH-${seq}`,
    retailerId: R,
    vendorId: null,
    status,
    lines: [line],
    total: line.lineTotal,
    source: 'whatsapp',
    note: null,
    placedAt: ago(daysAgo),
    updatedAt: ago(daysAgo),
    needsManualAssignment: false,
    paidInFull: status === 'COMPLETED',
    holdReason: null,
    routingAttempts: [],
    statusLog: [],
    version: 1,
  };
}

const weekly = (weeks: number, qty = 2): OrderSnapshot[] =>
  Array.from({ length: weeks }, (_, i) => anOrder(3 + i * 7, qty, 'carton'));

test('demand events convert to the base unit and skip cancelled/rejected orders', () => {
  const events = demandEventsFromOrders(
    [
      anOrder(1, 2, 'carton'),
      anOrder(2, 5, 'packet'),
      anOrder(3, 9, 'carton', 'CANCELLED'),
      anOrder(4, 9, 'carton', 'REJECTED'),
    ],
    [noodles],
  );
  assert.equal(
    events.map((e) => e.baseQuantity),
    [5, 60],
  );
});

test('forecast: no history → zero with LOW confidence', () => {
  const f = forecastDemand(R, noodles.id, [], AS_OF);
  assert.is(f.forecastPerPeriod, 0);
  assert.is(f.confidenceLevel, 'LOW');
  assert.equal(f.periods, []);
});

test('forecast: steady weekly demand is forecast exactly with high confidence', () => {
  const events = demandEventsFromOrders(weekly(12), [noodles]);
  const f = forecastDemand(R, noodles.id, events, AS_OF);
  assert.is(f.periodDays, 7);
  assert.is(f.forecastPerPeriod, 60);
  assert.is(f.confidenceLevel, 'HIGH');
  assert.is(f.periods.at(-1)?.end.getTime(), AS_OF.getTime());
});

test('forecast: erratic demand has lower confidence than steady demand', () => {
  const erratic = demandEventsFromOrders(
    Array.from({ length: 12 }, (_, i) => anOrder(3 + i * 7, i % 3 === 0 ? 10 : 1, 'carton')),
    [noodles],
  );
  const steady = forecastDemand(R, noodles.id, demandEventsFromOrders(weekly(12), [noodles]), AS_OF);
  assert.ok(forecastDemand(R, noodles.id, erratic, AS_OF).confidence < steady.confidence);
});

test('reorder: a weekly buyer due now gets a suggestion in its usual unit', () => {
  const orders = Array.from({ length: 8 }, (_, i) => anOrder(7 + i * 7, 2, 'carton'));
  const events = demandEventsFromOrders(orders, [noodles]);
  const [s] = suggestReorders(R, events, [noodles], AS_OF);
  assert.ok(s);
  assert.is(s?.unit, 'carton');
  assert.is(s?.typicalIntervalDays, 7);
  assert.ok((s?.quantity ?? 0) >= 1 && (s?.quantity ?? 0) <= 3);
  assert.is(s?.dueAt.getTime(), AS_OF.getTime());
});

test('reorder: nothing for a product just bought or bought once', () => {
  const justBought = demandEventsFromOrders([anOrder(0.5, 2, 'carton'), anOrder(7.5, 2, 'carton')], [noodles]);
  assert.equal(suggestReorders(R, justBought, [noodles], AS_OF), []);
  const once: DemandEvent[] = demandEventsFromOrders([anOrder(30, 2, 'carton')], [noodles]);
  assert.equal(suggestReorders(R, once, [noodles], AS_OF), []);
});

test('churn: regular recent buyer is LOW, a silent one HIGH, never-ordered HIGH', () => {
  const dates = weekly(12).map((o) => o.placedAt);
  assert.is(churnRisk(R, dates, AS_OF).level, 'LOW');
  const silent = dates.map((d) => new Date(d.getTime() - 60 * DAY));
  assert.is(churnRisk(R, silent, AS_OF).level, 'HIGH');
  const never = churnRisk(R, [], AS_OF);
  assert.is(never.level, 'HIGH');
  assert.is(never.recencyDays, null);
});

test('churn: more recent activity never raises the risk', () => {
  const dates = weekly(6).map((o) => new Date(o.placedAt.getTime() - 20 * DAY));
  const before = churnRisk(R, dates, AS_OF).score;
  const after = churnRisk(R, [...dates, ago(1)], AS_OF).score;
  assert.ok(after <= before);
});

test('CLV follows the documented formula', () => {
  const orders = Array.from({ length: 26 }, (_, i) => anOrder(3 + i * 7, 1, 'carton')); // NPR 600 a week
  const clv = customerLifetimeValue(R, orders, 0, AS_OF);
  // 6 months × 30 days: orders within the last 180 days = 26 → NPR 15,600 / 6 = NPR 2,600 a month.
  assert.is(clv.monthlyRevenue.amount, 260_000);
  assert.is(clv.monthlyMargin.amount, 7_800);
  assert.is(clv.monthlyRetention, 0.98);
  assert.ok(Math.abs(clv.marginMultiple - 0.98 / 0.03) < 1e-3);
  assert.is(clv.value.amount, Math.round(7_800 * (0.98 / 0.03)));
  const risky = customerLifetimeValue(R, orders, 1, AS_OF);
  assert.ok(risky.value.lessThan(clv.value));
  assert.is(customerLifetimeValue(R, [], 1, AS_OF).value.amount, 0);
});

test.run();

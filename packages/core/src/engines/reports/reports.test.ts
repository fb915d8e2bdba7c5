import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CreditAccount } from '../../credit/credit-account.js';
import type { OrderSnapshot } from '../../order/order.js';
import { orderLine } from '../../order/order-line.js';
import { SYSTEM_ACTOR } from '../../shared/domain-event.js';
import type { IdGenerator, OrderId, ProductId, RetailerId, VendorId } from '../../shared/ids.js';
import { Money } from '../../shared/money.js';
import { Quantity } from '../../shared/quantity.js';
import { creditSummaryReport } from './credit-summary-report.js';
import { dashboardReport } from './dashboard-report.js';
import { outstandingLiabilityReport } from './outstanding-liability-report.js';
import { paymentDisciplineReport } from './payment-discipline-report.js';
import { purchaseVolumeReport } from './purchase-volume-report.js';
import { reportPeriod } from './report-period.js';
import { NEPAL_UTC_OFFSET_MINUTES } from '../../shared/clock.js';
import { salesTrendReport } from './sales-trend-report.js';

const DAY = 86_400_000;
const T0 = new Date('2025-05-01T00:00:00Z');
const at = (days: number): Date => new Date(T0.getTime() + days * DAY);
const AS_OF = at(52);
const npr = (rupees: number): Money => Money.of(rupees * 100);
let idSeq = 0;
const ids: IdGenerator = { next: () => `00000000-0000-7000-8000-${String(++idSeq).padStart(12, '0')}` };

function account(retailer: string, limit: number, build: (a: CreditAccount) => void): CreditAccount {
  const a = CreditAccount.open({
    retailerId: retailer as RetailerId,
    currency: 'NPR',
    creditLimit: npr(limit),
    netTermsDays: 15,
    createdAt: at(0),
  });
  build(a);
  return a;
}

// r-1: invoice day 0 (due 15) paid day 10; invoice day 10 (due 25) paid day 40 (15 late); invoice day 40 (due 55) open (current at day 52).
const r1 = account('r-1', 50_000, (a) => {
  a.invoiceOrder('o-1' as OrderId, npr(10_000), SYSTEM_ACTOR, at(0), ids);
  a.recordPayment(npr(10_000), 'p1', SYSTEM_ACTOR, at(10), ids);
  a.invoiceOrder('o-2' as OrderId, npr(20_000), SYSTEM_ACTOR, at(10), ids);
  a.recordPayment(npr(20_000), 'p2', SYSTEM_ACTOR, at(40), ids);
  a.invoiceOrder('o-3' as OrderId, npr(5_000), SYSTEM_ACTOR, at(40), ids);
});
// r-2: invoice day 5 (due 20) unpaid → 32 days past due at day 52.
const r2 = account('r-2', 10_000, (a) => {
  a.invoiceOrder('o-4' as OrderId, npr(8_000), SYSTEM_ACTOR, at(5), ids);
});
const r3 = account('r-3', 0, () => {});

test('credit summary: limit, outstanding, available, score and aging per retailer', () => {
  const rows = creditSummaryReport(
    [r2.snapshot(), r1.snapshot(), r3.snapshot()],
    new Map([['r-1' as RetailerId, { score: 720, band: 'B' as const }]]),
    AS_OF,
  );
  assert.equal(
    rows.map((r) => r.retailerId),
    ['r-1', 'r-2', 'r-3'],
  );
  const [one, two, three] = rows;
  assert.ok(one?.outstanding.equals(npr(5_000)) && one.available.equals(npr(45_000)));
  assert.is(one?.band, 'B');
  assert.ok(one?.aging.current.equals(npr(5_000)));
  assert.ok(two?.aging.d31_60.equals(npr(8_000)));
  assert.is(two?.maxDaysPastDue, 32);
  assert.is(two?.utilisation, 0.8);
  assert.is(three?.utilisation, null);
  assert.is(three?.score, null);
});

test('outstanding liability: totals by bucket equal the sum of rows, largest first', () => {
  const report = outstandingLiabilityReport([r1.snapshot(), r2.snapshot(), r3.snapshot()], AS_OF);
  assert.equal(
    report.rows.map((r) => r.retailerId),
    ['r-2', 'r-1'],
  );
  assert.ok(report.totals.total.equals(npr(13_000)));
  assert.ok(report.totals.current.equals(npr(5_000)));
  assert.ok(report.totals.d31_60.equals(npr(8_000)));
});

test('payment discipline: on-time ratio, days to pay and days past due from the ledger', () => {
  const entries = [...r1.pullNewEntries(), ...r2.pullNewEntries()];
  const rows = paymentDisciplineReport(entries, reportPeriod(at(0), at(61)), AS_OF);
  const [one, two] = rows;
  assert.is(one?.invoiceCount, 3);
  assert.is(one?.settledCount, 2);
  assert.is(one?.onTimeRatio, 0.6667);
  assert.is(one?.averageDaysToPay, 20);
  assert.is(one?.maxDaysPastDue, 15);
  assert.is(one?.openMaxDaysPastDue, 0);
  assert.is(two?.onTimeRatio, 0);
  assert.is(two?.openMaxDaysPastDue, 32);
  assert.is(two?.averageDaysToPay, null);
});

let orderSeq = 0;
function anOrder(
  retailer: string,
  vendor: string | null,
  day: number,
  status: OrderSnapshot['status'],
  lines: [string, number, number][],
): OrderSnapshot {
  const ls = lines.map(([sku, qty, rupees]) =>
    orderLine({
      productId: `p-${sku}` as ProductId,
      sku,
      name: sku,
      quantity: Quantity.of(qty, 'packet'),
      unitPrice: npr(rupees),
    }),
  );
  return {
    id: `o-${++orderSeq}` as OrderId,
    number: `KH-${orderSeq}`,
    retailerId: retailer as RetailerId,
    vendorId: vendor as VendorId | null,
    status,
    lines: ls,
    total: Money.sum(ls.map((l) => l.lineTotal)),
    source: 'whatsapp',
    note: null,
    placedAt: at(day),
    updatedAt: at(day),
    needsManualAssignment: false,
    paidInFull: false,
    holdReason: null,
    routingAttempts: [],
    statusLog: [],
    version: 1,
  };
}

const orders = [
  anOrder('r-1', 'v-1', 1, 'COMPLETED', [
    ['NOODLE', 10, 20],
    ['RICE', 5, 100],
  ]), // 700
  anOrder('r-1', 'v-2', 2, 'DELIVERED', [['NOODLE', 30, 20]]), // 600
  anOrder('r-2', 'v-1', 2, 'CONFIRMED', [['SUGAR', 10, 90]]), // 900
  anOrder('r-2', null, 3, 'REJECTED', [['SUGAR', 100, 90]]),
  anOrder('r-3', null, 3, 'ROUTING', [['RICE', 1, 100]]),
  anOrder('r-3', 'v-2', 8, 'CANCELLED', [['RICE', 1, 100]]),
  anOrder('r-1', 'v-1', 20, 'COMPLETED', [['RICE', 1, 100]]), // outside the 7-day period below
];

test('purchase volume by retailer, vendor and product (GMV orders only)', () => {
  const period = reportPeriod(at(0), at(10));
  const byRetailer = purchaseVolumeReport(orders, period, 'retailer');
  assert.equal(
    byRetailer.map((r) => [r.key, r.orderCount, r.value.amount]),
    [
      ['r-1', 2, npr(1_300).amount],
      ['r-2', 1, npr(900).amount],
    ],
  );
  const byVendor = purchaseVolumeReport(orders, period, 'vendor');
  assert.equal(
    byVendor.map((r) => [r.key, r.value.amount]),
    [
      ['v-1', npr(1_600).amount],
      ['v-2', npr(600).amount],
    ],
  );
  const byProduct = purchaseVolumeReport(orders, period, 'product');
  assert.equal(
    byProduct.map((r) => [r.label, r.value.amount, r.quantities[0]?.value]),
    [
      ['NOODLE', npr(800).amount, 40],
      ['SUGAR', npr(900).amount, 10],
      ['RICE', npr(500).amount, 5],
    ].sort((a, b) => (b[1] as number) - (a[1] as number)),
  );
});

test('dashboard: status counts, GMV, average order value, active retailers, tops', () => {
  const d = dashboardReport(orders, reportPeriod(at(0), at(10)), { top: 2 });
  assert.is(d.orderCount, 6);
  assert.is(d.ordersByStatus.COMPLETED, 1);
  assert.is(d.ordersByStatus.PENDING, 0);
  assert.is(d.gmvOrderCount, 3);
  assert.ok(d.gmv.equals(npr(2_200)));
  assert.is(d.averageOrderValue.amount, Math.round(npr(2_200).amount / 3));
  assert.is(d.activeRetailers, 3);
  assert.equal(
    d.topProducts.map((p) => p.sku),
    ['SUGAR', 'NOODLE'],
  );
  assert.equal(
    d.topVendors.map((v) => v.vendorId),
    ['v-1', 'v-2'],
  );
});

test('dashboard: empty period is all zeros', () => {
  const d = dashboardReport([], reportPeriod(at(0), at(1)));
  assert.is(d.orderCount, 0);
  assert.ok(d.averageOrderValue.isZero());
  assert.equal(d.topProducts, []);
});

test('sales trend: zero-filled days and Monday weeks; Nepal offset moves late-evening orders', () => {
  const daily = salesTrendReport(orders, reportPeriod(at(0), at(5)), 'day');
  assert.equal(
    daily.map((r) => r.orderCount),
    [0, 1, 2, 0, 0],
  );
  assert.is(daily[1]?.bucket, '2025-05-02');
  const weekly = salesTrendReport(orders, reportPeriod(at(0), at(21)), 'week');
  // 2025-05-01 is a Thursday: weeks start Mon 28 Apr, 5 May, 12 May, 19 May.
  assert.equal(
    weekly.map((r) => r.bucket),
    ['2025-04-28', '2025-05-05', '2025-05-12', '2025-05-19'],
  );
  assert.is(weekly[0]?.orderCount, 3);
  const late = [
    { ...anOrder('r-9', 'v-1', 0, 'COMPLETED', [['X', 1, 10]]), placedAt: new Date('2025-05-01T20:00:00Z') },
  ];
  const npt = salesTrendReport(late, reportPeriod(at(0), at(3)), 'day', { utcOffsetMinutes: NEPAL_UTC_OFFSET_MINUTES });
  assert.equal(
    npt.filter((r) => r.orderCount > 0).map((r) => r.bucket),
    ['2025-05-02'],
  );
  assert.throws(() => reportPeriod(at(1), at(1)));
});

test.run();

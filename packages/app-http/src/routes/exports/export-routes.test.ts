import { CLOCK, Money, OUTBOX, type RetailerId, SYSTEM_ACTOR, USE_CASE_TOKENS, unwrap } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { asCells, csvRecords, deliveredOrder, moreRetailers } from '../../testing/report-fixture.js';
import { type Shop, seedShop, startTestApp, type TestApp } from '../../testing/test-app.js';

let app: TestApp;
let shop: Shop;
let mine: { orderId: string; total: number };
let theirs: { orderId: string; total: number };
let extra: RetailerId[];

test.before(async () => {
  app = await startTestApp({ risk: 'allow-all' });
  shop = await seedShop(app);
  mine = await deliveredOrder(app, shop, shop.tokens.retailer, 10);
  theirs = await deliveredOrder(app, shop, shop.tokens.otherRetailer, 25);
  // The other retailer pays part of its invoice.
  unwrap(
    await app.composition.get(USE_CASE_TOKENS.recordPayment).execute({
      retailerId: shop.otherRetailerId,
      amount: Money.of(100_00),
      reference: 'RCPT-1',
      actor: SYSTEM_ACTOR,
    }),
  );
  // More accounts than one CSV page (100): the CSV must walk every page.
  extra = await moreRetailers(app, 105);
});
test.after(async () => app?.close());

const staff = () => shop.tokens.operator;

test('credit summary: JSON pages walk every account once; a retailer sees only its own; the CSV streams every row with a header and a file name', async () => {
  const seen: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const q: string = cursor ? `?limit=40&cursor=${encodeURIComponent(cursor)}` : '?limit=40';
    const page = await app.request('GET', `/api/v1/exports/credit-summary${q}`, { token: staff() });
    assert.is(page.status, 200, JSON.stringify(page.body));
    seen.push(...page.body.items);
    cursor = page.body.nextCursor;
    pages += 1;
  } while (cursor);
  assert.ok(pages >= 3, `paged: ${pages}`);
  assert.is(seen.length, 2 + extra.length);
  assert.is(new Set(seen.map((r) => r.retailerId)).size, seen.length, 'each account once');
  const row = seen.find((r) => r.retailerId === shop.retailerId);
  assert.equal([row?.outstanding, row?.held, row?.creditLimit], [mine.total, 0, 500_000_00]);
  const other = seen.find((r) => r.retailerId === shop.otherRetailerId);
  assert.is(other?.outstanding, theirs.total - 100_00);

  const own = await app.request('GET', '/api/v1/exports/credit-summary', { token: shop.tokens.retailer });
  assert.equal(
    own.body.items.map((r: { retailerId: string }) => r.retailerId),
    [shop.retailerId],
  );
  const peek = await app.request('GET', `/api/v1/exports/credit-summary?retailerId=${shop.otherRetailerId}`, {
    token: shop.tokens.retailer,
  });
  assert.is(peek.status, 404);
  assert.is((await app.request('GET', '/api/v1/exports/credit-summary', { token: shop.tokens.vendor })).status, 403);

  const csv = await app.request('GET', '/api/v1/exports/credit-summary.csv', { token: staff() });
  assert.is(csv.status, 200);
  assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
  assert.match(
    csv.headers.get('content-disposition') ?? '',
    /^attachment; filename="khaacho-credit-summary-\d{4}-\d{2}-\d{2}\.csv"$/,
  );
  const records = csvRecords(csv.body as string);
  assert.is(records.length, seen.length, 'every account, over more than one page');
  const byId = new Map(records.map((r) => [r.retailerId, r]));
  for (const r of seen) assert.equal(byId.get(r.retailerId as string), asCells(r));

  const ownCsv = await app.request('GET', '/api/v1/exports/credit-summary.csv', { token: shop.tokens.retailer });
  assert.equal(
    csvRecords(ownCsv.body as string).map((r) => r.retailerId),
    [shop.retailerId],
  );
});

test('outstanding liability: only accounts with receivables, aging buckets add up to the total; CSV = JSON', async () => {
  const json = await app.request('GET', '/api/v1/exports/outstanding-liability?limit=200', { token: staff() });
  assert.is(json.status, 200);
  const rows = json.body.items as Record<string, number | string>[];
  assert.equal(
    rows.map((r) => [r.retailerId, r.total]).sort(),
    [
      [shop.retailerId, mine.total],
      [shop.otherRetailerId, theirs.total - 100_00],
    ].sort(),
  );
  for (const r of rows) {
    const sum = ['current', 'd1_30', 'd31_60', 'd61_90', 'd90_plus'].reduce((a, b) => a + Number(r[b]), 0);
    assert.is(sum, r.total);
    assert.is(r.current, r.total, 'invoiced today: nothing past due');
  }
  const csv = await app.request('GET', '/api/v1/exports/outstanding-liability.csv', { token: staff() });
  assert.equal(
    csvRecords(csv.body as string).sort((a, b) => String(a.retailerId).localeCompare(String(b.retailerId))),
    rows.map(asCells).sort((a, b) => String(a.retailerId).localeCompare(String(b.retailerId))),
  );
});

test('purchase volume: by retailer, vendor and product over the period; a retailer only its own orders', async () => {
  const byRetailer = await app.request('GET', '/api/v1/exports/purchase-volume?groupBy=retailer', { token: staff() });
  assert.equal(
    byRetailer.body.items.map((r: Record<string, unknown>) => [r.key, r.orderCount, r.value]),
    [
      [shop.otherRetailerId, 1, theirs.total],
      [shop.retailerId, 1, mine.total],
    ],
  );
  const byProduct = await app.request('GET', '/api/v1/exports/purchase-volume?groupBy=product', { token: staff() });
  assert.equal(
    byProduct.body.items.map((r: Record<string, unknown>) => [r.label, r.orderCount, r.value, r.quantities]),
    [['WAIWAI-75', 2, mine.total + theirs.total, '35 packet']],
  );
  const byVendor = await app.request('GET', '/api/v1/exports/purchase-volume.csv?groupBy=vendor', {
    token: shop.tokens.retailer,
  });
  assert.equal(csvRecords(byVendor.body as string), [
    { key: shop.vendorId, label: '', orderCount: '1', lineCount: '1', value: String(mine.total), quantities: '' },
  ]);
  const past = await app.request(
    'GET',
    '/api/v1/exports/purchase-volume?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z',
    { token: staff() },
  );
  assert.equal([past.status, past.body.items], [200, []]);
});

test('payment discipline: one invoice each, the paid-in-part one still open; period bounds refused with nothing read', async () => {
  const json = await app.request('GET', '/api/v1/exports/payment-discipline?limit=200', { token: staff() });
  assert.is(json.status, 200);
  const mineRow = json.body.items.find((r: { retailerId: string }) => r.retailerId === shop.retailerId);
  assert.equal([mineRow.invoiceCount, mineRow.openCount, mineRow.onTimeRatio], [1, 1, 1]);
  const csv = await app.request('GET', `/api/v1/exports/payment-discipline.csv?retailerId=${shop.otherRetailerId}`, {
    token: staff(),
  });
  const [row] = csvRecords(csv.body as string);
  assert.equal([row?.retailerId, row?.invoiceCount, row?.settledCount], [shop.otherRetailerId, '1', '0']);
  for (const q of [
    'from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
    'from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z',
    'from=yesterday',
  ]) {
    const bad = await app.request('GET', `/api/v1/exports/payment-discipline.csv?${q}`, { token: staff() });
    assert.is(bad.status, 422, q);
    assert.is(bad.body.error.code.length > 0, true);
  }
  assert.is((await app.request('GET', '/api/v1/exports/credit-summary?limit=0', { token: staff() })).status, 422);
});

test('financial metrics: summary, trends and snapshot agree with the orders and the ledger; a retailer sees its own', async () => {
  const summary = await app.request('GET', '/api/v1/metrics/financial/summary', { token: staff() });
  assert.is(summary.status, 200, JSON.stringify(summary.body));
  const s = summary.body;
  assert.equal(
    [s.orderCount, s.gmvOrderCount, s.gmv.amount, s.activeRetailers, s.ordersByStatus.DELIVERED],
    [2, 2, mine.total + theirs.total, 2, 2],
  );
  assert.is(s.averageOrderValue.amount, Math.round((mine.total + theirs.total) / 2));
  assert.equal(
    [s.credit.accounts, s.credit.receivables.total.amount, s.credit.held.amount],
    [2 + extra.length, mine.total + theirs.total - 100_00, 0],
  );
  const own = await app.request('GET', '/api/v1/metrics/financial/summary', { token: shop.tokens.retailer });
  assert.equal([own.body.orderCount, own.body.gmv.amount, own.body.credit.accounts], [1, mine.total, 1]);

  const snapshot = await app.request('GET', '/api/v1/metrics/financial/snapshot', { token: staff() });
  assert.equal(snapshot.body.receivables, s.credit.receivables);
  assert.is(
    snapshot.body.creditLimit.amount,
    2 * 500_000_00 + extra.length * 1000_00,
    'every account, over more than one page of retailers',
  );

  const now = app.composition.get(CLOCK).now();
  const from = new Date(now.getTime() - 6 * 86_400_000).toISOString();
  const to = new Date(now.getTime() + 86_400_000).toISOString();
  const trends = await app.request('GET', `/api/v1/metrics/financial/trends?from=${from}&to=${to}`, {
    token: staff(),
  });
  assert.is(trends.status, 200);
  assert.ok(trends.body.items.length >= 7, 'zero-filled days');
  const total = trends.body.items.reduce((a: number, r: { gmv: { amount: number } }) => a + r.gmv.amount, 0);
  assert.is(total, mine.total + theirs.total);
  const weekly = await app.request('GET', `/api/v1/metrics/financial/trends?granularity=week&from=${from}&to=${to}`, {
    token: shop.tokens.otherRetailer,
  });
  assert.is(
    weekly.body.items.reduce((a: number, r: { gmv: { amount: number } }) => a + r.gmv.amount, 0),
    theirs.total,
  );
  assert.is(
    (await app.request('GET', '/api/v1/metrics/financial/snapshot', { token: shop.tokens.vendor })).status,
    403,
  );
});

test('analytics: dashboard (staff), sales and the credit book agree with the orders and the accounts', async () => {
  const dash = await app.request('GET', '/api/v1/analytics/dashboard', { token: staff() });
  assert.is(dash.status, 200, JSON.stringify(dash.body));
  assert.equal(
    [dash.body.gmv.amount, dash.body.topProducts[0].sku, dash.body.topVendors[0].vendorId],
    [mine.total + theirs.total, 'WAIWAI-75', shop.vendorId],
  );
  assert.is((await app.request('GET', '/api/v1/analytics/dashboard', { token: shop.tokens.retailer })).status, 403);

  const sales = await app.request('GET', '/api/v1/analytics/sales', { token: shop.tokens.retailer });
  assert.is(sales.status, 200, JSON.stringify(sales.body));
  assert.equal(
    sales.body.products.map((p: { sku: string; value: { amount: number }; quantities: unknown }) => [
      p.sku,
      p.value.amount,
      p.quantities,
    ]),
    [['WAIWAI-75', mine.total, [{ unit: 'packet', value: 10 }]]],
  );
  assert.is(
    sales.body.trend.reduce((a: number, r: { gmv: { amount: number } }) => a + r.gmv.amount, 0),
    mine.total,
  );

  const before = await app.request('GET', '/api/v1/analytics/credit', { token: staff() });
  assert.equal(
    [
      before.body.accounts,
      before.body.bands.unscored,
      before.body.overdueAccounts,
      before.body.receivables.total.amount,
    ],
    [2 + extra.length, 2 + extra.length, 0, mine.total + theirs.total - 100_00],
  );
  const scored = unwrap(
    await app.composition
      .get(USE_CASE_TOKENS.recalculateCreditScore)
      .execute({ retailerId: shop.retailerId, trigger: 'MANUAL', actor: SYSTEM_ACTOR }),
  );
  const own = await app.request('GET', '/api/v1/analytics/credit', { token: shop.tokens.retailer });
  assert.is(own.body.accounts, 1);
  assert.is(own.body.bands[scored.band], 1, `band ${scored.band}`);
  assert.is(own.body.bands.unscored, 0);
});

test('reports write nothing', async () => {
  const outbox = app.composition.get(OUTBOX);
  const before = await outbox.stats(app.composition.get(CLOCK).now());
  for (const path of [
    '/api/v1/exports/credit-summary.csv',
    '/api/v1/exports/purchase-volume.csv',
    '/api/v1/metrics/financial/summary',
  ]) {
    assert.is((await app.request('GET', path, { token: staff() })).status, 200);
  }
  assert.equal(await outbox.stats(app.composition.get(CLOCK).now()), before);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { asCells, csvRecords, deliveredOrder, moreRetailers } from '../../testing/report-fixture.js';
import { scratchDatabase } from '../../testing/scratch-database.js';
import { seedShop, startTestApp, type TestApp } from '../../testing/test-app.js';

const database = scratchDatabase('khaacho_http_exports');
let app: TestApp;

test.before(async () => {
  await database.create();
  app = await startTestApp({ databaseUrl: database.url.toString(), risk: 'allow-all' });
});
test.after(async () => {
  await app?.close();
  await database.drop();
});

test('on PostgreSQL: the credit-summary and liability CSVs stream every account over more than one page and match the JSON pages', async () => {
  const shop = await seedShop(app);
  const delivered = await deliveredOrder(app, shop, shop.tokens.retailer, 12);
  // The CSV reads 100 retailers a page.
  const extra = await moreRetailers(app, 130);
  const token = shop.tokens.admin;

  const json: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const q: string = cursor ? `?limit=50&cursor=${encodeURIComponent(cursor)}` : '?limit=50';
    const page = await app.request('GET', `/api/v1/exports/credit-summary${q}`, { token });
    assert.is(page.status, 200, JSON.stringify(page.body));
    json.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  assert.is(json.length, 2 + extra.length);

  const csv = await app.request('GET', '/api/v1/exports/credit-summary.csv', { token });
  assert.is(csv.status, 200);
  assert.match(csv.headers.get('content-disposition') ?? '', /attachment; filename="khaacho-credit-summary-/);
  const rows = csvRecords(csv.body as string);
  assert.is(rows.length, json.length);
  assert.equal(
    new Map(rows.map((r) => [r.retailerId, r])),
    new Map(json.map((r) => [r.retailerId as string, asCells(r)])),
  );
  assert.is(rows.find((r) => r.retailerId === shop.retailerId)?.outstanding, String(delivered.total));

  const liability = csvRecords(
    (await app.request('GET', '/api/v1/exports/outstanding-liability.csv', { token })).body as string,
  );
  assert.equal(
    liability.map((r) => [r.retailerId, r.total]),
    [[shop.retailerId, String(delivered.total)]],
  );
  const discipline = csvRecords(
    (await app.request('GET', '/api/v1/exports/payment-discipline.csv', { token })).body as string,
  );
  // A row per retailer with ledger entries, read across every page of retailers.
  assert.equal(
    discipline.map((r) => [r.retailerId, r.invoiceCount, r.openCount]),
    [[shop.retailerId, '1', '1']],
  );
  const snapshot = await app.request('GET', '/api/v1/metrics/financial/snapshot', { token });
  assert.equal([snapshot.body.accounts, snapshot.body.receivables.total.amount], [2 + extra.length, delivered.total]);
});

test.run();

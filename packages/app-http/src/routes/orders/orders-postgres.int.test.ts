import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scratchDatabase } from '../../testing/scratch-database.js';
import { seedShop, startTestApp, type TestApp } from '../../testing/test-app.js';

const database = scratchDatabase('khaacho_http');
let app: TestApp;

test.before(async () => {
  await database.create();
  app = await startTestApp({ databaseUrl: database.url.toString(), risk: 'allow-all' });
});
test.after(async () => {
  await app?.close();
  await database.drop();
});

const body = (quantity: number) => ({ lines: [{ sku: 'WAIWAI-75', quantity, unit: 'carton' }] });

test('on PostgreSQL: /ready checks storage and that the migrations are current', async () => {
  const ready = await app.request('GET', '/ready');
  assert.is(ready.status, 200, JSON.stringify(ready.body));
  assert.equal(ready.body.checks, { storage: { ok: true }, migrations: { ok: true } });
});

test('on PostgreSQL: ten identical POSTs at once under one Idempotency-Key place one order; another body is a 422', async () => {
  const shop = await seedShop(app);
  const send = (quantity: number) =>
    app.request('POST', '/api/v1/orders', {
      token: shop.tokens.retailer,
      headers: { 'Idempotency-Key': 'pg-burst-1' },
      body: body(quantity),
    });
  const responses = await Promise.all(Array.from({ length: 10 }, () => send(2)));
  const placed = responses.filter((r) => r.status === 201);
  assert.ok(placed.length >= 1);
  assert.equal(new Set(placed.map((r) => r.body.order.id)).size, 1);
  for (const r of responses) {
    assert.ok(r.status === 201 || r.body.error.code === 'IDEMPOTENCY.IN_PROGRESS', JSON.stringify(r.body));
  }
  const mine = await app.request('GET', '/api/v1/orders', { token: shop.tokens.retailer });
  assert.is(mine.body.items.length, 1);
  const replay = await send(2);
  assert.is(replay.status, 201);
  assert.is(replay.headers.get('idempotent-replayed'), 'true');
  assert.equal(replay.body, placed[0]?.body);
  const reused = await send(3);
  assert.is(reused.status, 422);
  assert.is(reused.body.error.code, 'IDEMPOTENCY.KEY_REUSED');

  // The rest of the group on the same database: a page, one order, its cancel and timeline.
  const id = mine.body.items[0].id;
  assert.is((await app.request('GET', `/api/v1/orders/${id}`, { token: shop.tokens.otherRetailer })).status, 404);
  const cancelled = await app.request('POST', `/api/v1/orders/${id}/cancel`, {
    token: shop.tokens.retailer,
    body: { reason: 'ordered by mistake' },
  });
  assert.is(cancelled.status, 200, JSON.stringify(cancelled.body));
  const timeline = await app.request('GET', `/api/v1/orders/${id}/timeline`, { token: shop.tokens.retailer });
  assert.equal(
    timeline.body.entries.map((e: { to?: string }) => e.to),
    ['PENDING', 'ROUTING', 'CANCELLED'],
  );
});

test.run();

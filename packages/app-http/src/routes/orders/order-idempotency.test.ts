import { REPOSITORY_TOKENS } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seedShop, startTestApp, type TestApp } from '../../testing/test-app.js';

const body = (quantity: number) => ({ lines: [{ sku: 'WAIWAI-75', quantity, unit: 'carton' }] });

async function orderCount(app: TestApp): Promise<number> {
  return (await app.composition.get(REPOSITORY_TOKENS.orders).list({}, { limit: 200 })).items.length;
}

test('same Idempotency-Key and body: the stored response again, marked replayed, and one order', async () => {
  const app = await startTestApp();
  try {
    const shop = await seedShop(app);
    const send = () =>
      app.request('POST', '/api/v1/orders', {
        token: shop.tokens.retailer,
        headers: { 'Idempotency-Key': 'order-2026-12-06-001' },
        body: body(2),
      });
    const first = await send();
    const second = await send();
    assert.is(first.status, 201);
    assert.is(second.status, 201);
    assert.equal(second.body, first.body);
    assert.is(first.headers.get('idempotent-replayed'), null);
    assert.is(second.headers.get('idempotent-replayed'), 'true');
    assert.is(await orderCount(app), 1);
    // Key order in the JSON does not make it another request.
    const reordered = await app.request('POST', '/api/v1/orders', {
      token: shop.tokens.retailer,
      headers: { 'Idempotency-Key': 'order-2026-12-06-001' },
      rawBody: '{"lines":[{"unit":"carton","quantity":2,"sku":"WAIWAI-75"}]}',
    });
    assert.is(reordered.status, 201);
    assert.equal(reordered.body.order.id, first.body.order.id);
  } finally {
    await app.close();
  }
});

test('same key, another body: 422 IDEMPOTENCY.KEY_REUSED and nothing placed', async () => {
  const app = await startTestApp();
  try {
    const shop = await seedShop(app);
    const headers = { 'Idempotency-Key': 'k-1' };
    assert.is(
      (await app.request('POST', '/api/v1/orders', { token: shop.tokens.retailer, headers, body: body(1) })).status,
      201,
    );
    const reused = await app.request('POST', '/api/v1/orders', { token: shop.tokens.retailer, headers, body: body(3) });
    assert.is(reused.status, 422);
    assert.is(reused.body.error.code, 'IDEMPOTENCY.KEY_REUSED');
    assert.is(await orderCount(app), 1);
  } finally {
    await app.close();
  }
});

test('the same POST ten times at once places one order; every answer is that order or "still running"', async () => {
  const app = await startTestApp();
  try {
    const shop = await seedShop(app);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        app.request('POST', '/api/v1/orders', {
          token: shop.tokens.retailer,
          headers: { 'Idempotency-Key': 'burst-1' },
          body: body(1),
        }),
      ),
    );
    assert.is(await orderCount(app), 1);
    const ids = new Set(responses.filter((r) => r.status === 201).map((r) => r.body.order.id));
    assert.is(ids.size, 1);
    for (const r of responses) {
      assert.ok(
        r.status === 201 || (r.status === 409 && r.body.error.code === 'IDEMPOTENCY.IN_PROGRESS'),
        JSON.stringify(r.body),
      );
    }
  } finally {
    await app.close();
  }
});

test("keys are per user: another retailer's identical key places its own order; a failed request gives the key back", async () => {
  const app = await startTestApp();
  try {
    const shop = await seedShop(app);
    const headers = { 'Idempotency-Key': 'shared-key' };
    const a = await app.request('POST', '/api/v1/orders', { token: shop.tokens.retailer, headers, body: body(1) });
    const b = await app.request('POST', '/api/v1/orders', { token: shop.tokens.otherRetailer, headers, body: body(1) });
    assert.is(a.status, 201);
    assert.is(b.status, 201);
    assert.is.not(a.body.order.id, b.body.order.id);

    const failHeaders = { 'Idempotency-Key': 'retry-me' };
    const failed = await app.request('POST', '/api/v1/orders', {
      token: shop.tokens.retailer,
      headers: failHeaders,
      body: { lines: [{ sku: 'NO-SUCH-SKU', quantity: 1 }] },
    });
    assert.is(failed.status, 422);
    // The key was given back: the corrected request under it is another body, so it must
    // not be a stored replay of the failure, and the same failing body runs again.
    const again = await app.request('POST', '/api/v1/orders', {
      token: shop.tokens.retailer,
      headers: failHeaders,
      body: { lines: [{ sku: 'NO-SUCH-SKU', quantity: 1 }] },
    });
    assert.is(again.status, 422);
    assert.is(again.headers.get('idempotent-replayed'), null);
    assert.is.not(again.body.error.errorId, failed.body.error.errorId);
    const bad = await app.request('POST', '/api/v1/orders', {
      token: shop.tokens.retailer,
      headers: { 'Idempotency-Key': 'with space' },
      body: body(1),
    });
    assert.is(bad.status, 422);
    assert.is(await orderCount(app), 2);
  } finally {
    await app.close();
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seedShop, startTestApp } from '../testing/test-app.js';

/** The value of one sample line of the exposition, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.indexOf('}'));
    const has = Object.entries(labels).every(([k, v]) => inside.split(',').includes(`${k}="${v}"`));
    if (has) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

test('a request shows in the duration histogram under its route template, never its raw path', async () => {
  const app = await startTestApp();
  try {
    const shop = await seedShop(app);
    const placed = await app.request('POST', '/api/v1/orders', {
      token: shop.tokens.retailer,
      body: { lines: [{ sku: 'WAIWAI-75', quantity: 1, unit: 'carton' }] },
    });
    assert.is(placed.status, 201);
    const id = placed.body.order.id as string;
    assert.is((await app.request('GET', `/api/v1/orders/${id}`, { token: shop.tokens.retailer })).status, 200);
    assert.is((await app.request('GET', '/api/v1/no-such-thing/123')).status, 404);
    const scrape = await app.request('GET', '/metrics');
    assert.is(scrape.status, 200);
    assert.match(scrape.headers.get('content-type') ?? '', /^text\/plain/);
    const text = scrape.body as string;
    const count = 'khaacho_http_request_duration_seconds_count';
    assert.is(sample(text, count, { method: 'POST', route: '/api/v1/orders', status: '201' }), 1);
    assert.is(sample(text, count, { method: 'GET', route: '/api/v1/orders/:orderId', status: '200' }), 1);
    assert.is(sample(text, count, { route: 'unmatched', status: '404' }), 1);
    assert.not.ok(text.includes(id), 'no order id in any label');
    assert.ok(text.includes('nodejs_eventloop_lag_seconds'), 'event-loop lag is exported');
    for (const state of ['waiting', 'active', 'delayed', 'succeeded', 'failed'])
      assert.ok(
        text.split('\n').some((l) => l.startsWith('khaacho_queue_jobs{') && l.includes(`state="${state}"`)),
        `queue depth for ${state}`,
      );
    assert.is(sample(text, 'khaacho_metrics_collect_failed', { source: 'queues' }), 0);
  } finally {
    await app.close();
  }
});

test('the order gauge counts placed orders by status', async () => {
  const app = await startTestApp({ risk: 'allow-all' });
  try {
    const shop = await seedShop(app);
    const before = (await app.request('GET', '/metrics')).body as string;
    assert.is(sample(before, 'khaacho_orders', { status: 'ROUTING' }), 0);
    const ids: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const placed = await app.request('POST', '/api/v1/orders', {
        token: shop.tokens.retailer,
        body: { lines: [{ sku: 'WAIWAI-75', quantity: i, unit: 'carton' }] },
      });
      assert.is(placed.status, 201);
      assert.is(placed.body.order.status, 'ROUTING');
      ids.push(placed.body.order.id);
    }
    const cancelled = await app.request('POST', `/api/v1/orders/${ids[0]}/cancel`, {
      token: shop.tokens.retailer,
      body: { reason: 'ordered twice' },
    });
    assert.is(cancelled.status, 200);
    const after = (await app.request('GET', '/metrics')).body as string;
    assert.is(sample(after, 'khaacho_orders', { status: 'ROUTING' }), 2);
    assert.is(sample(after, 'khaacho_orders', { status: 'CANCELLED' }), 1);
    assert.is(sample(after, 'khaacho_orders', { status: 'DELIVERED' }), 0);
    assert.is(sample(after, 'khaacho_metrics_collect_failed', { source: 'orders' }), 0);
  } finally {
    await app.close();
  }
});

test('with a token, /metrics refuses a missing or wrong bearer and answers the right one', async () => {
  const token = 'metrics-token-0123456789';
  const app = await startTestApp({ metrics: { token } });
  try {
    const none = await app.request('GET', '/metrics');
    assert.is(none.status, 401);
    assert.is(none.body.error.code, 'AUTH.UNAUTHENTICATED');
    assert.not.ok(JSON.stringify(none.body).includes('khaacho_'), 'no metric in the refusal');
    assert.is((await app.request('GET', '/metrics', { token: `${token}x` })).status, 401);
    assert.is((await app.request('GET', '/metrics', { token })).status, 200);
  } finally {
    await app.close();
  }
});

test('without a token, /metrics refuses a forwarded (non-loopback) caller', async () => {
  const app = await startTestApp();
  try {
    const forwarded = await app.request('GET', '/metrics', { headers: { 'X-Forwarded-For': '203.0.113.7' } });
    assert.is(forwarded.status, 403);
    assert.is((await app.request('GET', '/metrics')).status, 200);
  } finally {
    await app.close();
  }
});

test('a store slower than the bound leaves the order gauge empty and flags it; the scrape still answers', async () => {
  const app = await startTestApp({ metrics: { token: null, collectTimeoutMs: 50 } });
  try {
    const { REPOSITORY_TOKENS } = await import('@khaacho/core');
    const orders = app.composition.get(REPOSITORY_TOKENS.orders);
    // Never settles: a hung database.
    orders.countByStatus = () => new Promise(() => {});
    const scrape = await app.request('GET', '/metrics');
    assert.is(scrape.status, 200);
    assert.is(sample(scrape.body, 'khaacho_metrics_collect_failed', { source: 'orders' }), 1);
    assert.is(sample(scrape.body, 'khaacho_orders', { status: 'ROUTING' }), undefined);
  } finally {
    await app.close();
  }
});

test.run();

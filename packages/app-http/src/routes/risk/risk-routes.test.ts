import { CLOCK, OUTBOX } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Shop, seedShop, startTestApp, type TestApp } from '../../testing/test-app.js';

let app: TestApp;
let shop: Shop;

test.before(async () => {
  // The stored rules decide, as in production.
  app = await startTestApp({ risk: 'rules' });
  shop = await seedShop(app);
});
test.after(async () => app?.close());

const pending = async () => (await app.composition.get(OUTBOX).stats(app.composition.get(CLOCK).now())).pending;

test('rules: the defaults until one is saved; a saved rule holds the next order; its events and a dry-run assessment', async () => {
  const staff = shop.tokens.operator;
  const listed = await app.request('GET', '/api/v1/risk/rules', { token: staff });
  assert.equal([listed.status, listed.body.source], [200, 'defaults']);
  const defaults = listed.body.rules.length;
  const first = await app.request('POST', '/api/v1/orders', {
    token: shop.tokens.retailer,
    body: { lines: [{ sku: 'WAIWAI-75', quantity: 10 }] },
  });
  assert.is(first.body.order.status, 'ROUTING');
  const saved = await app.request('PUT', '/api/v1/risk/rules/big-order-review', {
    token: staff,
    body: {
      type: 'MAX_ORDER_VALUE',
      params: { max: { amount: 150_00, currency: 'NPR' } },
      action: 'REVIEW',
      reasonTemplate: 'order of {orderValue} is above {max}',
    },
  });
  assert.is(saved.status, 200, JSON.stringify(saved.body));
  assert.equal([saved.body.id, saved.body.enabled], ['big-order-review', true]);
  const now = await app.request('GET', '/api/v1/risk/rules', { token: staff });
  assert.equal([now.body.source, now.body.rules.length], ['stored', defaults + 1]);

  const review = await app.request('POST', '/api/v1/risk/assess', {
    token: staff,
    body: { orderId: first.body.order.id },
  });
  assert.equal(
    [review.status, review.body.verdict, review.body.decidingRuleIds],
    [200, 'REVIEW', ['big-order-review']],
  );
  assert.match(review.body.reasons[0], /above/);
  const order = await app.request('GET', `/api/v1/orders/${first.body.order.id}`, { token: staff });
  assert.is(order.body.status, 'ROUTING', 'a dry run moves nothing');

  const held = await app.request('POST', '/api/v1/orders', {
    token: shop.tokens.retailer,
    body: { lines: [{ sku: 'WAIWAI-75', quantity: 10 }] },
  });
  assert.is(held.body.order.status, 'ON_HOLD');
  const events = await app.request('GET', `/api/v1/risk/events?orderId=${held.body.order.id}`, { token: staff });
  const fired = events.body.items.filter((e: { triggered: boolean }) => e.triggered);
  assert.equal(
    fired.map((e: { ruleId: string; assessmentVerdict: string }) => [e.ruleId, e.assessmentVerdict]),
    [['big-order-review', 'REVIEW']],
  );
  const byShop = await app.request('GET', `/api/v1/risk/events?retailerId=${shop.retailerId}&limit=3`, {
    token: staff,
  });
  assert.is(byShop.body.items.length, 3);

  // Retired, not deleted: the next order passes again, the events still name the rule.
  const off = await app.request('PUT', '/api/v1/risk/rules/big-order-review', {
    token: staff,
    body: {
      type: 'MAX_ORDER_VALUE',
      params: { max: { amount: 150_00, currency: 'NPR' } },
      action: 'REVIEW',
      enabled: false,
    },
  });
  assert.is(off.body.enabled, false);
  const passes = await app.request('POST', '/api/v1/orders', {
    token: shop.tokens.otherRetailer,
    body: { lines: [{ sku: 'WAIWAI-75', quantity: 10 }] },
  });
  assert.is(passes.body.order.status, 'ROUTING');
});

test('bad rules and queries are 422 and write nothing; other roles 403; unknown ids 404', async () => {
  const before = await pending();
  const put = (id: string, body: unknown, token = shop.tokens.admin) =>
    app.request('PUT', `/api/v1/risk/rules/${id}`, { token, body });
  for (const [id, body] of [
    ['Bad Id', { type: 'VELOCITY', params: { maxOrders: 3, windowMinutes: 60 }, action: 'REVIEW' }],
    ['v1', { type: 'VELOCITY', params: { maxOrders: 3 }, action: 'REVIEW' }],
    ['v1', { type: 'VELOCITY', params: { maxOrders: 3, windowMinutes: 60 }, action: 'MAYBE' }],
    [
      'v1',
      { type: 'VELOCITY', params: { maxOrders: 3, windowMinutes: 60 }, action: 'REVIEW', reasonTemplate: '{nope}' },
    ],
    ['v1', { type: 'MAX_ORDER_VALUE', params: { max: { amount: -1, currency: 'NPR' } }, action: 'BLOCK' }],
    ['v1', { type: 'SCORE_BELOW', params: { minScore: 300, extra: 1 }, action: 'BLOCK' }],
  ] as const) {
    const r = await put(id, body);
    assert.is(r.status, 422, `${id} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
  }
  assert.is(await pending(), before);
  for (const token of [shop.tokens.retailer, shop.tokens.vendor]) {
    assert.is((await app.request('GET', '/api/v1/risk/rules', { token })).status, 403);
    assert.is(
      (await put('v1', { type: 'SCORE_BELOW', params: { minScore: 300 }, action: 'ALLOW' }, token)).status,
      403,
    );
  }
  const missing = '0190a0a0-0000-7000-8000-00000000f00d';
  assert.is(
    (await app.request('POST', '/api/v1/risk/assess', { token: shop.tokens.admin, body: { orderId: missing } })).status,
    404,
  );
  assert.is(
    (await app.request('GET', `/api/v1/risk/events?orderId=${missing}`, { token: shop.tokens.admin })).status,
    404,
  );
  assert.is((await app.request('GET', '/api/v1/risk/events', { token: shop.tokens.admin })).status, 422);
  const both = `/api/v1/risk/events?orderId=${missing}&retailerId=${shop.retailerId}`;
  assert.is((await app.request('GET', both, { token: shop.tokens.admin })).status, 422);
});

test.run();

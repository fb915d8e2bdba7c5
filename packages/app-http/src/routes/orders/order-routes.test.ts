import { type OrderId, REPOSITORY_TOKENS, SYSTEM_ACTOR, USE_CASE_TOKENS, unwrap } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seedShop, startTestApp, type TestApp } from '../../testing/test-app.js';

const WAIWAI = (quantity = 2) => ({ lines: [{ sku: 'WAIWAI-75', quantity, unit: 'carton' }] });

async function orderCount(app: TestApp): Promise<number> {
  const page = await app.composition.get(REPOSITORY_TOKENS.orders).list({}, { limit: 200 });
  return page.items.length;
}

async function route(app: TestApp, orderId: string) {
  unwrap(
    await app.composition.get(USE_CASE_TOKENS.routeOrder).execute({ orderId: orderId as OrderId, actor: SYSTEM_ACTOR }),
  );
}

test('a retailer places an order: 201, priced from the cheapest offer, committed and ROUTING, with its Location', async () => {
  const app = await startTestApp();
  try {
    const shop = await seedShop(app);
    const placed = await app.request('POST', '/api/v1/orders', { token: shop.tokens.retailer, body: WAIWAI(2) });
    assert.is(placed.status, 201, JSON.stringify(placed.body));
    const { order, reasons } = placed.body;
    assert.is(order.status, 'ROUTING');
    assert.is(order.retailerId, shop.retailerId);
    assert.is(order.source, 'api');
    assert.equal(order.total, { amount: 120_000, currency: 'NPR' }, '2 cartons × 30 packets × NPR 20');
    assert.equal(reasons, []);
    assert.is(placed.headers.get('location'), `/api/v1/orders/${order.id}`);
    const stored = unwrap(await app.composition.get(USE_CASE_TOKENS.getOrder).execute({ orderId: order.id }));
    assert.is(stored.status, 'ROUTING');
  } finally {
    await app.close();
  }
});

test('staff place for a named retailer; a retailer naming another retailer is told it does not exist', async () => {
  const app = await startTestApp();
  try {
    const shop = await seedShop(app);
    const unnamed = await app.request('POST', '/api/v1/orders', { token: shop.tokens.operator, body: WAIWAI() });
    assert.is(unnamed.status, 422);
    const forShop = await app.request('POST', '/api/v1/orders', {
      token: shop.tokens.operator,
      body: { ...WAIWAI(), retailerId: shop.otherRetailerId },
    });
    assert.is(forShop.status, 201);
    assert.is(forShop.body.order.retailerId, shop.otherRetailerId);
    assert.is(forShop.body.order.source, 'admin');
    const spoof = await app.request('POST', '/api/v1/orders', {
      token: shop.tokens.retailer,
      body: { ...WAIWAI(), retailerId: shop.otherRetailerId },
    });
    assert.is(spoof.status, 404);
    assert.is(spoof.body.error.code, 'ENTITY.NOT_FOUND');
    assert.is(await orderCount(app), 1);
  } finally {
    await app.close();
  }
});

test('bad order bodies are 422 naming the problem, and nothing is written', async () => {
  const app = await startTestApp();
  try {
    const shop = await seedShop(app);
    const bad: [string, unknown][] = [
      ['unknown top-level field', { ...WAIWAI(), discount: 10 }],
      ['unknown line field', { lines: [{ sku: 'WAIWAI-75', quantity: 1, price: 1 }] }],
      ['no lines', { lines: [] }],
      ['lines not a list', { lines: 'two cartons' }],
      ['quantity as text', { lines: [{ sku: 'WAIWAI-75', quantity: '2' }] }],
      ['negative quantity', { lines: [{ sku: 'WAIWAI-75', quantity: -1 }] }],
      ['huge quantity', { lines: [{ sku: 'WAIWAI-75', quantity: 1e12 }] }],
      ['unknown unit', { lines: [{ sku: 'WAIWAI-75', quantity: 1, unit: 'crate' }] }],
      ['invalid product id', { lines: [{ productId: 'not-a-uuid', quantity: 1 }] }],
      ['neither product nor sku', { lines: [{ quantity: 1 }] }],
      ['too many lines', { lines: Array.from({ length: 201 }, () => ({ sku: 'WAIWAI-75', quantity: 1 })) }],
      ['note too long', { ...WAIWAI(), note: 'न'.repeat(1_001) }],
      ['unknown sku', { lines: [{ sku: 'NO-SUCH-SKU', quantity: 1 }] }],
    ];
    for (const [name, body] of bad) {
      const response = await app.request('POST', '/api/v1/orders', { token: shop.tokens.retailer, body });
      assert.is(response.status, 422, `${name}: ${JSON.stringify(response.body)}`);
      assert.ok(response.body.error.code.length > 0, name);
    }
    const unknownSku = await app.request('POST', '/api/v1/orders', {
      token: shop.tokens.retailer,
      body: { lines: [{ sku: 'NO-SUCH-SKU', quantity: 1 }] },
    });
    assert.is(unknownSku.body.error.code, 'ORDER.INVALID_LINES');
    assert.is(unknownSku.body.error.details.problems[0].code, 'UNKNOWN_PRODUCT');
    const extra = await app.request('POST', '/api/v1/orders', {
      token: shop.tokens.retailer,
      body: { ...WAIWAI(), discount: 10 },
    });
    assert.equal(extra.body.error.details.problems, [{ in: 'body', path: '/', message: 'unknown field "discount"' }]);
    assert.is(await orderCount(app), 0, 'no rejected request wrote an order');
  } finally {
    await app.close();
  }
});

test('listing: a retailer sees only its own, a vendor what it was offered or holds, staff everything; filters apply', async () => {
  const app = await startTestApp();
  try {
    const shop = await seedShop(app);
    const mine = await app.request('POST', '/api/v1/orders', { token: shop.tokens.retailer, body: WAIWAI(1) });
    await app.request('POST', '/api/v1/orders', { token: shop.tokens.otherRetailer, body: WAIWAI(1) });
    const own = await app.request('GET', '/api/v1/orders', { token: shop.tokens.retailer });
    assert.is(own.status, 200);
    assert.equal(
      own.body.items.map((o: { id: string }) => o.id),
      [mine.body.order.id],
    );
    const peek = await app.request('GET', `/api/v1/orders?retailerId=${shop.otherRetailerId}`, {
      token: shop.tokens.retailer,
    });
    assert.is(peek.status, 404);
    const all = await app.request('GET', '/api/v1/orders', { token: shop.tokens.admin });
    assert.is(all.body.items.length, 2);
    const theirs = await app.request('GET', `/api/v1/orders?retailerId=${shop.otherRetailerId}`, {
      token: shop.tokens.operator,
    });
    assert.is(theirs.body.items.length, 1);
    const vendorBefore = await app.request('GET', '/api/v1/orders', { token: shop.tokens.vendor });
    assert.is(vendorBefore.body.items.length, 0, 'nothing accepted by the vendor yet');
    const routed = await app.request('GET', '/api/v1/orders?status=ROUTING,ON_HOLD', { token: shop.tokens.admin });
    assert.is(routed.body.items.length, 2);
    const cancelled = await app.request('GET', '/api/v1/orders?status=CANCELLED', { token: shop.tokens.admin });
    assert.is(cancelled.body.items.length, 0);
    const badStatus = await app.request('GET', '/api/v1/orders?status=LOST', { token: shop.tokens.admin });
    assert.is(badStatus.status, 422);
    const unknownParam = await app.request('GET', '/api/v1/orders?sort=asc', { token: shop.tokens.admin });
    assert.is(unknownParam.status, 422);
    const bigPage = await app.request('GET', '/api/v1/orders?limit=1000', { token: shop.tokens.admin });
    assert.is(bigPage.status, 422);
  } finally {
    await app.close();
  }
});

test('cursor pagination walks every order once, newest first, and ends with a null cursor', async () => {
  const app = await startTestApp();
  try {
    const shop = await seedShop(app);
    const placed: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const r = await app.request('POST', '/api/v1/orders', { token: shop.tokens.retailer, body: WAIWAI(i) });
      placed.push(r.body.order.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const page = await app.request('GET', `/api/v1/orders${query}`, { token: shop.tokens.retailer });
      assert.is(page.status, 200, JSON.stringify(page.body));
      seen.push(...page.body.items.map((o: { id: string }) => o.id));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    assert.is(pages, 3);
    assert.equal(seen, [...placed].reverse());
    const forged = await app.request('GET', '/api/v1/orders?cursor=zzz', { token: shop.tokens.retailer });
    assert.is(forged.status, 422);
  } finally {
    await app.close();
  }
});

test('one order: its owner sees it; another retailer, or a vendor it was never offered to, gets 404', async () => {
  const app = await startTestApp();
  try {
    const shop = await seedShop(app);
    const placed = await app.request('POST', '/api/v1/orders', { token: shop.tokens.retailer, body: WAIWAI() });
    const id = placed.body.order.id;
    assert.is((await app.request('GET', `/api/v1/orders/${id}`, { token: shop.tokens.retailer })).status, 200);
    assert.is((await app.request('GET', `/api/v1/orders/${id}`, { token: shop.tokens.otherRetailer })).status, 404);
    assert.is((await app.request('GET', `/api/v1/orders/${id}`, { token: shop.tokens.vendor })).status, 404);
    await route(app, id);
    // Routed to the cheapest vendor: it now sees the offer; the other vendor still does not.
    const offered = await app.request('GET', `/api/v1/orders/${id}`, { token: shop.tokens.vendor });
    assert.is(offered.status, 200);
    assert.is((await app.request('GET', `/api/v1/orders/${id}`, { token: shop.tokens.otherVendor })).status, 404);
    const absent = await app.request('GET', '/api/v1/orders/00000000-0000-7000-8000-000000000000', {
      token: shop.tokens.admin,
    });
    assert.is(absent.status, 404);
    const malformed = await app.request('GET', '/api/v1/orders/42', { token: shop.tokens.admin });
    assert.is(malformed.status, 422);
  } finally {
    await app.close();
  }
});

test('cancel: the owner cancels once (then 409); another retailer gets 404; a vendor may not (403); a reason is required', async () => {
  const app = await startTestApp();
  try {
    const shop = await seedShop(app);
    const placed = await app.request('POST', '/api/v1/orders', { token: shop.tokens.retailer, body: WAIWAI() });
    const id = placed.body.order.id;
    const path = `/api/v1/orders/${id}/cancel`;
    assert.is((await app.request('POST', path, { token: shop.tokens.retailer, body: {} })).status, 422);
    const other = await app.request('POST', path, { token: shop.tokens.otherRetailer, body: { reason: 'mine now' } });
    assert.is(other.status, 404);
    const vendor = await app.request('POST', path, { token: shop.tokens.vendor, body: { reason: 'no stock' } });
    assert.is(vendor.status, 403);
    const cancelled = await app.request('POST', path, {
      token: shop.tokens.retailer,
      body: { reason: 'ordered twice' },
    });
    assert.is(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.is(cancelled.body.status, 'CANCELLED');
    const again = await app.request('POST', path, { token: shop.tokens.retailer, body: { reason: 'again' } });
    assert.is(again.status, 409);
    assert.is(again.body.error.code, 'ORDER.ILLEGAL_TRANSITION');
  } finally {
    await app.close();
  }
});

test('timeline: status changes with who and why, the offer to the vendor, oldest first', async () => {
  const app = await startTestApp();
  try {
    const shop = await seedShop(app);
    const placed = await app.request('POST', '/api/v1/orders', { token: shop.tokens.retailer, body: WAIWAI() });
    const id = placed.body.order.id;
    await route(app, id);
    await app.request('POST', `/api/v1/orders/${id}/cancel`, {
      token: shop.tokens.retailer,
      body: { reason: 'too late' },
    });
    const timeline = await app.request('GET', `/api/v1/orders/${id}/timeline`, { token: shop.tokens.retailer });
    assert.is(timeline.status, 200, JSON.stringify(timeline.body));
    const kinds = timeline.body.entries.map((e: { kind: string; to?: string }) =>
      e.to ? `${e.kind}:${e.to}` : e.kind,
    );
    assert.equal(kinds.slice(0, 3), ['status_changed:PENDING', 'status_changed:ROUTING', 'offered']);
    assert.ok(kinds.includes('status_changed:CANCELLED'), kinds.join(' '));
    const cancel = timeline.body.entries.find((e: { to?: string }) => e.to === 'CANCELLED');
    assert.equal(cancel.actor, { type: 'retailer', id: shop.retailerId });
    assert.is(cancel.reason, 'too late');
    const offered = timeline.body.entries.find((e: { kind: string }) => e.kind === 'offered');
    assert.is(offered.vendorId, shop.vendorId);
    const at = timeline.body.entries.map((e: { at: string }) => Date.parse(e.at));
    assert.equal(
      at,
      [...at].sort((a: number, b: number) => a - b),
    );
    assert.is(
      (await app.request('GET', `/api/v1/orders/${id}/timeline`, { token: shop.tokens.otherRetailer })).status,
      404,
    );
  } finally {
    await app.close();
  }
});

test.run();

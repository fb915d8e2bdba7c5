import { type OrderId, REPOSITORIES } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Shop, seedShop, startTestApp, type TestApp } from '../../testing/test-app.js';

let app: TestApp;
let shop: Shop;

test.before(async () => {
  app = await startTestApp({ risk: 'allow-all' });
  shop = await seedShop(app);
});
test.after(async () => app?.close());

const code = (r: { body: { error?: { code: string } } }) => r.body.error?.code;

/** A fresh order of the shop, accepted and dispatched by the vendor routing chose; the shop's code. */
async function dispatched() {
  const placed = await app.request('POST', '/api/v1/orders', {
    token: shop.tokens.retailer,
    body: { lines: [{ sku: 'WAIWAI-75', quantity: 2 }] },
  });
  const orderId = placed.body.order.id as string;
  const routed = await app.request('POST', `/api/v1/orders/${orderId}/route`, { token: shop.tokens.operator });
  const vendor = routed.body.vendorId === shop.vendorId ? shop.tokens.vendor : shop.tokens.otherVendor;
  assert.is((await app.request('POST', `/api/v1/orders/${orderId}/accept`, { token: vendor })).status, 200);
  assert.is((await app.request('POST', `/api/v1/orders/${orderId}/dispatch`, { token: vendor })).status, 200);
  const deliveryCode = (await app.composition.get(REPOSITORIES).deliveries.get(orderId as OrderId))?.code as string;
  return { orderId, vendor, deliveryCode };
}

async function invoices(orderId: string): Promise<number> {
  const statement = await app.request('GET', '/api/v1/credit/statement', { token: shop.tokens.retailer });
  return statement.body.entries.filter(
    (e: { type: string; orderId: string }) => e.type === 'INVOICE' && e.orderId === orderId,
  ).length;
}

test('three wrong codes put the delivery in dispute: no invoice; the operator lists it and resolves it delivered', async () => {
  const o = await dispatched();
  const wrong = o.deliveryCode === '1111' ? '2222' : '1111';
  for (const left of [2, 1]) {
    const r = await app.request('POST', `/api/v1/orders/${o.orderId}/deliver`, {
      token: o.vendor,
      body: { code: wrong },
    });
    assert.equal([r.status, code(r), r.body.error?.details?.attemptsLeft], [422, 'DELIVERY.WRONG_CODE', left]);
  }
  const third = await app.request('POST', `/api/v1/orders/${o.orderId}/deliver`, {
    token: o.vendor,
    body: { code: wrong },
  });
  assert.equal([third.status, code(third)], [409, 'DELIVERY.DISPUTED']);
  const late = await app.request('POST', `/api/v1/orders/${o.orderId}/deliver`, {
    token: o.vendor,
    body: { code: o.deliveryCode },
  });
  assert.equal([late.status, code(late)], [409, 'DELIVERY.DISPUTED'], 'the right code no longer settles a dispute');
  const order = await app.request('GET', `/api/v1/orders/${o.orderId}`, { token: shop.tokens.retailer });
  assert.is(order.body.status, 'DISPATCHED');
  assert.is(await invoices(o.orderId), 0, 'no invoice in dispute');

  const list = await app.request('GET', '/api/v1/deliveries/disputes?limit=200', { token: shop.tokens.operator });
  assert.is(list.status, 200);
  const mine = list.body.items.find((d: { orderId: string }) => d.orderId === o.orderId);
  assert.equal([mine.status, mine.failedAttempts, mine.dispute.reason], ['DISPUTED', 3, 'WRONG_CODE_LIMIT']);
  assert.not.ok('code' in mine, 'the code is never shown');

  const resolved = await app.request('POST', `/api/v1/orders/${o.orderId}/delivery/resolve`, {
    token: shop.tokens.operator,
    body: { delivered: true, reason: 'the shop confirmed by phone' },
  });
  assert.equal([resolved.status, resolved.body.status], [200, 'DELIVERED']);
  const again = await app.request('POST', `/api/v1/orders/${o.orderId}/delivery/resolve`, {
    token: shop.tokens.operator,
    body: { delivered: true, reason: 'the shop confirmed by phone' },
  });
  assert.equal([again.status, again.body.version], [200, resolved.body.version], 'the same decision again: no change');
  const other = await app.request('POST', `/api/v1/orders/${o.orderId}/delivery/resolve`, {
    token: shop.tokens.operator,
    body: { delivered: false, reason: 'changed my mind' },
  });
  assert.equal([other.status, code(other)], [409, 'DELIVERY.SETTLED']);
  assert.is(await invoices(o.orderId), 1, 'one invoice');
});

test("the shop's not-received: its own order only (another shop: 404); resolved not delivered → CANCELLED, hold released", async () => {
  const o = await dispatched();
  const foreign = await app.request('POST', `/api/v1/orders/${o.orderId}/delivery/not-received`, {
    token: shop.tokens.otherRetailer,
    body: {},
  });
  assert.equal([foreign.status, code(foreign)], [404, 'ENTITY.NOT_FOUND']);
  const report = await app.request('POST', `/api/v1/orders/${o.orderId}/delivery/not-received`, {
    token: shop.tokens.retailer,
    body: { note: 'nothing came today' },
  });
  assert.equal([report.status, report.body.status, report.body.dispute.reason], [200, 'DISPUTED', 'NOT_RECEIVED']);
  const twice = await app.request('POST', `/api/v1/orders/${o.orderId}/delivery/not-received`, {
    token: shop.tokens.retailer,
    body: {},
  });
  assert.equal([twice.status, twice.body.dispute.at], [200, report.body.dispute.at], 'the same dispute');
  const vendorCode = await app.request('POST', `/api/v1/orders/${o.orderId}/deliver`, {
    token: o.vendor,
    body: { code: o.deliveryCode },
  });
  assert.equal([vendorCode.status, code(vendorCode)], [409, 'DELIVERY.DISPUTED']);

  const before = (await app.request('GET', '/api/v1/credit/balance', { token: shop.tokens.retailer })).body;
  const resolved = await app.request('POST', `/api/v1/orders/${o.orderId}/delivery/resolve`, {
    token: shop.tokens.operator,
    body: { delivered: false, reason: 'vendor admits it went elsewhere' },
  });
  assert.equal([resolved.status, resolved.body.status], [200, 'CANCELLED']);
  const after = (await app.request('GET', '/api/v1/credit/balance', { token: shop.tokens.retailer })).body;
  assert.ok(after.held.amount < before.held.amount, 'the hold is released');
  assert.is(await invoices(o.orderId), 0);
});

test('[Delivered] without a code: the vendor opens a dispute (409); staff deliver without it only with a reason', async () => {
  const o = await dispatched();
  const bare = await app.request('POST', `/api/v1/orders/${o.orderId}/deliver`, { token: o.vendor, body: {} });
  assert.equal([bare.status, code(bare)], [409, 'DELIVERY.DISPUTED']);
  const noReason = await app.request('POST', `/api/v1/orders/${o.orderId}/deliver`, {
    token: shop.tokens.operator,
    body: {},
  });
  assert.equal([noReason.status, code(noReason)], [422, 'VALIDATION.TEXT_REQUIRED']);
  const override = await app.request('POST', `/api/v1/orders/${o.orderId}/deliver`, {
    token: shop.tokens.operator,
    body: { reason: 'signed paper delivery note' },
  });
  assert.equal([override.status, override.body.status], [200, 'DELIVERED']);
  const malformed = await app.request('POST', `/api/v1/orders/${o.orderId}/deliver`, {
    token: o.vendor,
    body: { code: '12a4' },
  });
  assert.is(malformed.status, 422, 'a code is 4 digits');
});

test.run();

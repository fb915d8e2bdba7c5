// Hostile use of the delivery code on PostgreSQL: races, other parties, reuse after a dispute.
import { type OrderId, REPOSITORIES } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scratchDatabase } from '../../testing/scratch-database.js';
import { type Shop, seedShop, startTestApp, type TestApp } from '../../testing/test-app.js';

const database = scratchDatabase('khaacho_delivery_probe');
let app: TestApp;
let shop: Shop;

test.before(async () => {
  await database.create();
  app = await startTestApp({ databaseUrl: database.url.toString(), risk: 'allow-all' });
  shop = await seedShop(app);
});
test.after(async () => {
  await app?.close();
  await database.drop();
});

const code = (r: { body: { error?: { code: string } } }) => r.body.error?.code;

async function dispatched() {
  const placed = await app.request('POST', '/api/v1/orders', {
    token: shop.tokens.retailer,
    body: { lines: [{ sku: 'WAIWAI-75', quantity: 2 }] },
  });
  assert.is(placed.status, 201, JSON.stringify(placed.body));
  const orderId = placed.body.order.id as string;
  const routed = await app.request('POST', `/api/v1/orders/${orderId}/route`, { token: shop.tokens.operator });
  const mine = routed.body.vendorId === shop.vendorId;
  const vendor = mine ? shop.tokens.vendor : shop.tokens.otherVendor;
  const stranger = mine ? shop.tokens.otherVendor : shop.tokens.vendor;
  assert.is((await app.request('POST', `/api/v1/orders/${orderId}/accept`, { token: vendor })).status, 200);
  assert.is((await app.request('POST', `/api/v1/orders/${orderId}/dispatch`, { token: vendor })).status, 200);
  const proof = await app.composition.get(REPOSITORIES).deliveries.get(orderId as OrderId);
  return { orderId, vendor, stranger, deliveryCode: proof?.code as string };
}

const proofOf = async (orderId: string) =>
  (await app.composition.get(REPOSITORIES).deliveries.get(orderId as OrderId))?.snapshot();

test('50 wrong codes at once: exactly 3 attempts counted, 2 WRONG then DISPUTED, no 5xx, no invoice', async () => {
  const o = await dispatched();
  const wrong = o.deliveryCode === '1111' ? '2222' : '1111';
  const responses = await Promise.all(
    Array.from({ length: 50 }, () =>
      app.request('POST', `/api/v1/orders/${o.orderId}/deliver`, { token: o.vendor, body: { code: wrong } }),
    ),
  );
  const statuses = responses.map((r) => r.status);
  assert.ok(
    statuses.every((s) => s < 500),
    JSON.stringify(responses.filter((r) => r.status >= 500).map((r) => r.body)),
  );
  assert.is(responses.filter((r) => code(r) === 'DELIVERY.WRONG_CODE').length, 2);
  assert.is(responses.filter((r) => code(r) === 'DELIVERY.DISPUTED').length, 48);
  const proof = await proofOf(o.orderId);
  assert.equal([proof?.status, proof?.failedAttempts], ['DISPUTED', 3]);
});

test('the right code racing 49 wrong ones: at most 2 wrong counted, delivered once, one invoice', async () => {
  const o = await dispatched();
  const wrong = o.deliveryCode === '1111' ? '2222' : '1111';
  const bodies = Array.from({ length: 50 }, (_, i) => (i === 25 ? o.deliveryCode : wrong));
  const responses = await Promise.all(
    bodies.map((c) =>
      app.request('POST', `/api/v1/orders/${o.orderId}/deliver`, { token: o.vendor, body: { code: c } }),
    ),
  );
  assert.ok(responses.every((r) => r.status < 500));
  const proof = await proofOf(o.orderId);
  assert.ok((proof?.failedAttempts ?? 99) <= 3);
  const order = await app.request('GET', `/api/v1/orders/${o.orderId}`, { token: shop.tokens.retailer });
  if (proof?.status === 'CONFIRMED') assert.is(order.body.status, 'DELIVERED');
  else assert.equal([proof?.status, order.body.status], ['DISPUTED', 'DISPATCHED']);
});

test("another vendor's code attempts and the shop's own [Delivered] count nothing and deliver nothing", async () => {
  const o = await dispatched();
  const other = await app.request('POST', `/api/v1/orders/${o.orderId}/deliver`, {
    token: o.stranger,
    body: { code: o.deliveryCode },
  });
  const selfConfirm = await app.request('POST', `/api/v1/orders/${o.orderId}/deliver`, {
    token: shop.tokens.retailer,
    body: { code: o.deliveryCode },
  });
  assert.ok([403, 404].includes(other.status), `${other.status}`);
  assert.ok([403, 404].includes(selfConfirm.status), `${selfConfirm.status}`);
  const proof = await proofOf(o.orderId);
  assert.equal([proof?.status, proof?.failedAttempts, proof?.code], ['AWAITING_CODE', 0, o.deliveryCode]);
});

test('after a dispute is resolved the old code settles nothing and no second invoice appears', async () => {
  const o = await dispatched();
  const bare = await app.request('POST', `/api/v1/orders/${o.orderId}/deliver`, { token: o.vendor, body: {} });
  assert.is(bare.status, 409);
  const resolved = await app.request('POST', `/api/v1/orders/${o.orderId}/delivery/resolve`, {
    token: shop.tokens.operator,
    body: { delivered: false, reason: 'never arrived' },
  });
  assert.equal([resolved.status, resolved.body.status], [200, 'CANCELLED']);
  const reuse = await app.request('POST', `/api/v1/orders/${o.orderId}/deliver`, {
    token: o.vendor,
    body: { code: o.deliveryCode },
  });
  assert.ok(reuse.status >= 400 && reuse.status < 500, `${reuse.status}`);
  const order = await app.request('GET', `/api/v1/orders/${o.orderId}`, { token: shop.tokens.retailer });
  assert.is(order.body.status, 'CANCELLED');
});

test.run();

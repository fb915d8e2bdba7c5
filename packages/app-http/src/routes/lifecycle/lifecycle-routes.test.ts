import { PhoneNumber, SYSTEM_ACTOR, USE_CASE_TOKENS, type UserId, unwrap } from '@khaacho/core';
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

/** A fresh order of the shop, routed: the vendor offered it and the other one, with their tokens. */
async function offered() {
  const placed = await app.request('POST', '/api/v1/orders', {
    token: shop.tokens.retailer,
    body: { lines: [{ sku: 'WAIWAI-75', quantity: 2 }] },
  });
  assert.is(placed.status, 201);
  const orderId = placed.body.order.id as string;
  const routed = await app.request('POST', `/api/v1/orders/${orderId}/route`, { token: shop.tokens.operator });
  assert.is(routed.body.outcome, 'OFFERED');
  const first = routed.body.vendorId === shop.vendorId;
  return {
    orderId,
    vendorId: routed.body.vendorId as string,
    otherVendorId: first ? shop.otherVendorId : shop.vendorId,
    offeredTo: first ? shop.tokens.vendor : shop.tokens.otherVendor,
    notOffered: first ? shop.tokens.otherVendor : shop.tokens.vendor,
  };
}

test('reject → routed to the next vendor; the first may no longer answer (409) nor fulfil (404)', async () => {
  const o = await offered();
  assert.is((await app.request('POST', `/api/v1/orders/${o.orderId}/accept`, { token: o.notOffered })).status, 404);
  const rejected = await app.request('POST', `/api/v1/orders/${o.orderId}/reject`, {
    token: o.offeredTo,
    body: { reason: 'मौज्दात छैन — out of stock' },
  });
  assert.is(rejected.status, 200, JSON.stringify(rejected.body));
  assert.is(rejected.body.status, 'ROUTING');
  const again = await app.request('POST', `/api/v1/orders/${o.orderId}/route`, { token: shop.tokens.admin });
  assert.equal([again.body.outcome, again.body.vendorId], ['OFFERED', o.otherVendorId]);
  const late = await app.request('POST', `/api/v1/orders/${o.orderId}/accept`, { token: o.offeredTo });
  assert.is(late.status, 409, 'the first vendor saw the offer, so it is told it is too late, not that it is missing');
  const accepted = await app.request('POST', `/api/v1/orders/${o.orderId}/accept`, { token: o.notOffered });
  assert.equal([accepted.status, accepted.body.status, accepted.body.vendorId], [200, 'CONFIRMED', o.otherVendorId]);
  const repeat = await app.request('POST', `/api/v1/orders/${o.orderId}/accept`, { token: o.notOffered });
  assert.equal([repeat.status, repeat.body.version], [200, accepted.body.version], 'accepting twice changes nothing');
  assert.is((await app.request('POST', `/api/v1/orders/${o.orderId}/dispatch`, { token: o.offeredTo })).status, 404);
  const decisions = await app.request('GET', `/api/v1/orders/${o.orderId}/routing-decisions`, {
    token: shop.tokens.operator,
  });
  assert.equal(
    decisions.body.items.map((d: { attempt: number; selectedVendorId: string }) => [d.attempt, d.selectedVendorId]),
    [
      [1, o.vendorId],
      [2, o.otherVendorId],
    ],
  );
  assert.ok(
    decisions.body.items[1].excluded.some(
      (e: { vendorId: string; reason: string }) => e.vendorId === o.vendorId && e.reason === 'ALREADY_TRIED',
    ),
  );
});

test('illegal transitions are 409 ORDER.ILLEGAL_TRANSITION and change nothing; a repeated dispatch or delivery is a no-op', async () => {
  const o = await offered();
  const early = await app.request('POST', `/api/v1/orders/${o.orderId}/dispatch`, { token: o.offeredTo });
  assert.equal([early.status, code(early)], [409, 'ORDER.ILLEGAL_TRANSITION'], 'not accepted yet');
  const staffEarly = await app.request('POST', `/api/v1/orders/${o.orderId}/deliver`, {
    token: shop.tokens.operator,
    body: { reason: 'confirmed by phone' },
  });
  assert.equal([staffEarly.status, code(staffEarly)], [409, 'ORDER.ILLEGAL_TRANSITION']);
  await app.request('POST', `/api/v1/orders/${o.orderId}/accept`, { token: o.offeredTo });
  const notDispatched = await app.request('POST', `/api/v1/orders/${o.orderId}/deliver`, {
    token: o.offeredTo,
    body: {},
  });
  assert.equal([notDispatched.status, code(notDispatched)], [409, 'ORDER.ILLEGAL_TRANSITION']);
  const dispatched = await app.request('POST', `/api/v1/orders/${o.orderId}/dispatch`, { token: o.offeredTo });
  assert.is(dispatched.body.status, 'DISPATCHED');
  const twice = await app.request('POST', `/api/v1/orders/${o.orderId}/dispatch`, { token: o.offeredTo });
  assert.equal([twice.status, twice.body.version], [200, dispatched.body.version]);
  const cancel = await app.request('POST', `/api/v1/orders/${o.orderId}/cancel`, {
    token: shop.tokens.retailer,
    body: { reason: 'too late' },
  });
  assert.equal([cancel.status, code(cancel)], [409, 'ORDER.ILLEGAL_TRANSITION']);
  // Staff without the shop's code: an override, with its reason.
  const delivered = await app.request('POST', `/api/v1/orders/${o.orderId}/deliver`, {
    token: shop.tokens.operator,
    body: { reason: 'confirmed by phone' },
  });
  assert.is(delivered.body.status, 'DELIVERED');
  const again = await app.request('POST', `/api/v1/orders/${o.orderId}/deliver`, { token: o.offeredTo, body: {} });
  assert.equal([again.status, again.body.version], [200, delivered.body.version], 'one invoice, not two');
  const statement = await app.request('GET', '/api/v1/credit/statement', { token: shop.tokens.retailer });
  const invoices = statement.body.entries.filter((e: { type: string; orderId: string }) => e.type === 'INVOICE');
  assert.is(invoices.filter((e: { orderId: string }) => e.orderId === o.orderId).length, 1);
  const rejectNow = await app.request('POST', `/api/v1/orders/${o.orderId}/reject`, { token: o.offeredTo, body: {} });
  assert.is(rejectNow.status, 409);
});

test('manual assignment: after every vendor declined, an operator re-offers or assigns a new one, who accepts', async () => {
  const o = await offered();
  await app.request('POST', `/api/v1/orders/${o.orderId}/reject`, { token: o.offeredTo, body: {} });
  await app.request('POST', `/api/v1/orders/${o.orderId}/route`, { token: shop.tokens.operator });
  await app.request('POST', `/api/v1/orders/${o.orderId}/reject`, { token: o.notOffered, body: {} });
  const routed = await app.request('POST', `/api/v1/orders/${o.orderId}/route`, { token: shop.tokens.operator });
  assert.is(routed.body.outcome, 'NEEDS_MANUAL_ASSIGNMENT');
  assert.is(routed.body.order.needsManualAssignment, true);
  const staffAnswer = await app.request('POST', `/api/v1/orders/${o.orderId}/accept`, { token: shop.tokens.operator });
  assert.equal([staffAnswer.status, code(staffAnswer)], [409, 'ORDER.NO_PENDING_OFFER']);
  const assign = (vendorId: string, token = shop.tokens.operator) =>
    app.request('POST', `/api/v1/orders/${o.orderId}/assign`, { token, body: { vendorId } });
  assert.is((await assign(o.vendorId, shop.tokens.vendor)).status, 403);
  assert.is((await assign('0190a0a0-0000-7000-8000-000000000000')).status, 404);
  // An operator may offer it again to a vendor that declined (automatic routing never does).
  const retried = await assign(o.vendorId);
  assert.is(retried.status, 200, JSON.stringify(retried.body));
  const busy = await assign(o.vendorId);
  assert.equal([busy.status, code(busy)], [409, 'ORDER.OFFER_ALREADY_PENDING']);
  await app.request('POST', `/api/v1/orders/${o.orderId}/reject`, { token: o.offeredTo, body: { reason: 'still no' } });
  const third = unwrap(
    await app.composition.get(USE_CASE_TOKENS.registerVendor).execute({
      name: 'Annapurna Suppliers',
      phone: PhoneNumber.parse('9851000003'),
      serviceAreas: ['kathmandu-10'],
      dailyCapacity: 10,
      actor: SYSTEM_ACTOR,
    }),
  );
  const assigned = await assign(third.id);
  assert.is(assigned.status, 200, JSON.stringify(assigned.body));
  const token = app.auth.issue({
    userId: '00000000-0000-7000-8000-0000000a0003' as UserId,
    role: 'VENDOR',
    retailerId: null,
    vendorId: third.id,
  });
  const accepted = await app.request('POST', `/api/v1/orders/${o.orderId}/accept`, { token });
  assert.equal([accepted.status, accepted.body.vendorId], [200, third.id]);
  const timeline = await app.request('GET', `/api/v1/orders/${o.orderId}/timeline`, { token });
  assert.is(timeline.status, 200);
});

test('routing decisions and routing are staff-only; an unknown order is 404; a wrong id is 422', async () => {
  const o = await offered();
  for (const token of [shop.tokens.retailer, shop.tokens.vendor]) {
    assert.is((await app.request('GET', `/api/v1/orders/${o.orderId}/routing-decisions`, { token })).status, 403);
    assert.is((await app.request('POST', `/api/v1/orders/${o.orderId}/route`, { token })).status, 403);
  }
  const missing = '0190a0a0-0000-7000-8000-00000000dead';
  for (const path of [`/orders/${missing}/routing-decisions`, `/orders/${missing}/route`]) {
    const method = path.endsWith('route') ? 'POST' : 'GET';
    assert.is((await app.request(method, `/api/v1${path}`, { token: shop.tokens.admin })).status, 404, path);
  }
  const bad = await app.request('POST', '/api/v1/orders/KH-000001/accept', { token: shop.tokens.vendor });
  assert.is(bad.status, 422);
  const skipped = await app.request('POST', `/api/v1/orders/${o.orderId}/route`, { token: shop.tokens.admin });
  assert.equal([skipped.body.outcome, skipped.body.reason], ['SKIPPED', 'an offer is waiting for an answer']);
});

test.run();

// The main journey over HTTP, shared by the in-memory and the PostgreSQL test (excluded from the build).
import {
  Money,
  type OrderId,
  PhoneNumber,
  REPOSITORIES,
  type Role,
  SYSTEM_ACTOR,
  USE_CASE_TOKENS,
  type UserId,
  unwrap,
} from '@khaacho/core';
import * as assert from 'uvu/assert';
import type { TestApp, TestResponse } from './test-app.js';

let users = 0;
const userId = () => `00000000-0000-7000-8000-${String(900_000 + ++users).padStart(12, '0')}` as UserId;

function ok(response: TestResponse, status: number, what: string): TestResponse {
  assert.is(response.status, status, `${what}: ${JSON.stringify(response.body)}`);
  return response;
}

/**
 * Staff add a product and the vendor its offer, a retailer orders, routing offers it to the
 * vendor, who accepts, dispatches and delivers (the invoice); staff record the payment, and
 * the recalculated score differs from the one before. Registration and approval are auth's.
 */
export async function runJourney(app: TestApp): Promise<void> {
  const get = app.composition.get.bind(app.composition);
  const vendor = unwrap(
    await get(USE_CASE_TOKENS.registerVendor).execute({
      name: 'Himalayan Traders',
      phone: PhoneNumber.parse('9851999001'),
      serviceAreas: ['lalitpur-3'],
      dailyCapacity: 50,
      actor: SYSTEM_ACTOR,
    }),
  );
  const retailer = unwrap(
    await get(USE_CASE_TOKENS.registerRetailer).execute({
      name: 'Gita Kirana',
      phone: PhoneNumber.parse('9841999001'),
      area: 'lalitpur-3',
      district: 'lalitpur',
      creditLimit: Money.parse('100000'),
      status: 'ACTIVE',
      actor: SYSTEM_ACTOR,
    }),
  );
  const as = (role: Role, party: { retailerId?: string; vendorId?: string } = {}) =>
    app.auth.issue({
      userId: userId(),
      role,
      retailerId: (party.retailerId ?? null) as never,
      vendorId: (party.vendorId ?? null) as never,
    });
  const operator = as('OPERATOR');
  const shop = as('RETAILER', { retailerId: retailer.id });
  const seller = as('VENDOR', { vendorId: vendor.id });

  const product = ok(
    await app.request('POST', '/api/v1/products', {
      token: operator,
      headers: { 'Idempotency-Key': 'journey-product' },
      body: {
        sku: 'JOURNEY-OIL-1L',
        name: 'Dhara Mustard Oil 1L',
        category: 'oil',
        baseUnit: 'bottle',
        conversions: [{ unit: 'carton', toBase: 12 }],
        aliases: [{ text: 'तोरीको तेल', language: 'ne' }],
      },
    }),
    201,
    'product created',
  ).body;
  ok(
    await app.request('POST', `/api/v1/vendors/${vendor.id}/offers`, {
      token: seller,
      body: { productId: product.id, unit: 'bottle', unitPrice: 30_000, stockOnHand: 500 },
    }),
    201,
    'offer created',
  );

  const baseline = ok(
    await app.request('POST', '/api/v1/credit/score/recalculate', {
      token: operator,
      body: { retailerId: retailer.id },
    }),
    200,
    'first score',
  ).body;

  const placed = ok(
    await app.request('POST', '/api/v1/orders', {
      token: shop,
      body: { lines: [{ sku: 'JOURNEY-OIL-1L', quantity: 2, unit: 'carton' }] },
    }),
    201,
    'order placed',
  ).body.order;
  assert.is(placed.status, 'ROUTING');
  assert.equal(placed.total, { amount: 24 * 30_000, currency: 'NPR' });
  const orderId = placed.id as string;

  const routed = ok(
    await app.request('POST', `/api/v1/orders/${orderId}/route`, { token: operator }),
    200,
    'routed',
  ).body;
  assert.equal([routed.outcome, routed.vendorId], ['OFFERED', vendor.id]);
  const decisions = ok(
    await app.request('GET', `/api/v1/orders/${orderId}/routing-decisions`, { token: operator }),
    200,
    'decisions',
  ).body.items;
  assert.is(decisions.length, 1);
  assert.is(decisions[0].selectedVendorId, vendor.id);
  assert.is(decisions[0].candidates[0].vendorId, vendor.id);

  // Dispatching before accepting is an illegal transition, and changes nothing.
  const early = await app.request('POST', `/api/v1/orders/${orderId}/dispatch`, { token: operator });
  assert.is(early.status, 409, JSON.stringify(early.body));

  const accepted = ok(
    await app.request('POST', `/api/v1/orders/${orderId}/accept`, { token: seller }),
    200,
    'accepted',
  ).body;
  assert.equal([accepted.status, accepted.vendorId], ['CONFIRMED', vendor.id]);
  let balance = ok(await app.request('GET', '/api/v1/credit/balance', { token: shop }), 200, 'balance').body;
  assert.is(balance.held.amount, 720_000, 'the accepted order is held on credit');

  const dispatched = ok(
    await app.request('POST', `/api/v1/orders/${orderId}/dispatch`, { token: seller }),
    200,
    'dispatched',
  ).body;
  assert.is(dispatched.status, 'DISPATCHED');
  // Proof of delivery: the shop was sent a code on dispatch; a wrong one costs an attempt, the right one delivers.
  const code = (await get(REPOSITORIES).deliveries.get(orderId as OrderId))?.code;
  assert.ok(code && /^[0-9]{4}$/.test(code), 'a 4-digit code was issued on dispatch');
  const wrong = await app.request('POST', `/api/v1/orders/${orderId}/deliver`, {
    token: seller,
    body: { code: code === '0000' ? '0001' : '0000' },
  });
  assert.equal(
    [wrong.status, wrong.body.error?.code, wrong.body.error?.details?.attemptsLeft],
    [422, 'DELIVERY.WRONG_CODE', 2],
    'a wrong code',
  );
  const delivered = ok(
    await app.request('POST', `/api/v1/orders/${orderId}/deliver`, { token: seller, body: { code } }),
    200,
    'delivered',
  ).body;
  assert.is(delivered.status, 'DELIVERED');
  balance = ok(await app.request('GET', '/api/v1/credit/balance', { token: shop }), 200, 'balance').body;
  assert.equal([balance.held.amount, balance.outstanding.amount], [0, 720_000], 'the hold became an invoice');

  const paymentBody = { retailerId: retailer.id, amount: 720_000, reference: 'ESEWA-JOURNEY-1' };
  const paid = ok(
    await app.request('POST', '/api/v1/credit/payments', {
      token: operator,
      headers: { 'Idempotency-Key': 'journey-payment' },
      body: paymentBody,
    }),
    201,
    'payment',
  ).body;
  assert.is(paid.duplicate, false);
  assert.equal(
    paid.completedOrders.map((o: { id: string; status: string }) => [o.id, o.status]),
    [[orderId, 'COMPLETED']],
  );
  const replay = ok(
    await app.request('POST', '/api/v1/credit/payments', {
      token: operator,
      headers: { 'Idempotency-Key': 'journey-payment' },
      body: paymentBody,
    }),
    201,
    'payment replayed',
  );
  assert.is(replay.headers.get('Idempotent-Replayed'), 'true');
  assert.is(replay.body.entry.id, paid.entry.id);

  const statement = ok(await app.request('GET', '/api/v1/credit/statement', { token: shop }), 200, 'statement').body;
  const types = statement.entries.map((e: { type: string }) => e.type);
  assert.ok(types.includes('HOLD') && types.includes('INVOICE') && types.at(-1) === 'PAYMENT', types.join());
  assert.is(statement.closingBalance.amount, 0, 'paid in full');

  const rescored = ok(
    await app.request('POST', '/api/v1/credit/score/recalculate', {
      token: operator,
      body: { retailerId: retailer.id },
    }),
    200,
    'rescored',
  ).body;
  // One invoice paid on time is the first evidence of paying: the thin file's prior gives way upwards.
  assert.ok(rescored.score > baseline.score, `paying on time raised the score (${baseline.score} → ${rescored.score})`);
  assert.ok(rescored.explanation.evidence.invoices > baseline.explanation.evidence.invoices);
  const history = ok(await app.request('GET', '/api/v1/credit/score/history', { token: shop }), 200, 'history').body;
  assert.equal(
    history.items.map((s: { id: string }) => s.id),
    [rescored.id, baseline.id],
  );
  const latest = ok(await app.request('GET', '/api/v1/credit/score', { token: shop }), 200, 'score').body;
  assert.is(latest.id, rescored.id);
}

import { AUTH_USE_CASES, CONVERSATION_HANDLER, type InboundMessage, JOB_QUEUE, unwrap } from '@khaacho/core';
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

type Counts = Record<string, number>;
const minus = (after: Counts, before: Counts) =>
  Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)]));

test('admin stats: every figure moves with what happened, and nothing else moves', async () => {
  const stats = async () => {
    const r = await app.request('GET', '/api/v1/admin/stats', { token: shop.tokens.admin });
    assert.is(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const before = await stats();
  assert.equal(before.retailers.ACTIVE, 2, 'the two seeded shops');
  assert.equal(before.vendors.ACTIVE, 2, 'the two seeded vendors');

  const auth = app.composition.get(AUTH_USE_CASES);
  unwrap(
    await auth.registerAccount.execute({
      role: 'RETAILER',
      phone: '9841555001',
      password: 'a long enough password',
      retailer: { name: 'Stats Kirana', area: 'kathmandu-10', district: 'Kathmandu' },
    }),
  );
  unwrap(
    await auth.registerAccount.execute({
      role: 'VENDOR',
      phone: '9851555002',
      password: 'a long enough password',
      vendor: { name: 'Stats Traders', serviceAreas: ['kathmandu-10'], dailyCapacity: 10 },
    }),
  );
  const placed = await app.request('POST', '/api/v1/orders', {
    token: shop.tokens.retailer,
    body: { lines: [{ sku: 'WAIWAI-75', quantity: 2 }] },
  });
  assert.is(placed.status, 201, JSON.stringify(placed.body));
  await app.composition
    .get(JOB_QUEUE)
    .enqueue({ queue: 'REPORT_GENERATION', name: 'report', payload: {}, jobId: 'stats-1', delayMs: 3_600_000 });

  const after = await stats();
  assert.equal(minus(after.users, before.users), { PENDING_APPROVAL: 2, ACTIVE: 0, REJECTED: 0, DISABLED: 0 });
  const orders = minus(after.orders, before.orders);
  assert.is(orders[placed.body.order.status], 1, 'one order more, in its status');
  assert.is(
    Object.values(orders).reduce((a, b) => a + b, 0),
    1,
    'no other status moved',
  );
  // A self-registered party waits for approval in its own way: a shop PENDING_KYC, a vendor INACTIVE.
  assert.equal(
    [minus(after.retailers, before.retailers), minus(after.vendors, before.vendors)].map((d) =>
      Object.values(d).reduce((a, b) => a + b, 0),
    ),
    [1, 1],
  );
  const reports = (s: { queues: ({ queue: string } & Counts)[] }) => {
    const { queue: _name, ...counts } = s.queues.find((q) => q.queue === 'REPORT_GENERATION') ?? { queue: '' };
    return counts as Counts;
  };
  assert.equal(minus(reports(after), reports(before)), { waiting: 0, active: 0, delayed: 1, succeeded: 0, failed: 0 });
  assert.is(after.queues.length, 7, 'every named queue');
  assert.ok(after.outbox.pending >= before.outbox.pending, 'the order’s events wait for a relay (none runs here)');
  assert.equal(after.inbox, { waiting: 0, oldestWaitingAt: null, processing: 0, leaseExpired: 0, dead: 0 });
  assert.match(after.process.version, /^\d+\.\d+\.\d+/);
  assert.ok(Number.isInteger(after.process.uptimeSeconds));
  assert.is(
    (await app.request('GET', '/api/v1/admin/stats', { token: shop.tokens.retailer })).status,
    403,
    'a retailer may not',
  );
});

test('admin stats count the approvals queues: a held order per its reason, an onboarding request until decided', async () => {
  const stats = async () => {
    const r = await app.request('GET', '/api/v1/admin/stats', { token: shop.tokens.operator });
    assert.is(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const before = await stats();
  const held = await app.request('POST', '/api/v1/orders', {
    token: shop.tokens.retailer,
    body: { lines: [{ sku: 'WAIWAI-75', quantity: 30_000 }] }, // NPR 600,000 > the shop's 500,000
  });
  assert.equal([held.status, held.body.order.status], [201, 'ON_HOLD']);
  await app.composition.get(CONVERSATION_HANDLER).handleMessage({
    kind: 'message',
    eventId: 'wamid.stats.onboard.1',
    businessNumberId: 'phone-number-id',
    messageId: 'wamid.stats.onboard.1',
    from: '9779803333333',
    profileName: null,
    sentAt: new Date(),
    context: null,
    content: { type: 'text', text: 'Shop: Stats Store, Area: Kathmandu-10' },
    errors: [],
  } satisfies InboundMessage);
  const waiting = await stats();
  assert.equal(minus(waiting.approvals.heldOrders, before.approvals.heldOrders), { RISK_REVIEW: 0, CREDIT_LIMIT: 1 });
  assert.is(waiting.orders.ON_HOLD - before.orders.ON_HOLD, 1, 'the held order is among ON_HOLD');
  assert.equal(minus(waiting.approvals.onboardingRequests, before.approvals.onboardingRequests), {
    PENDING: 1,
    APPROVED: 0,
    REJECTED: 0,
  });

  const queue = await app.request('GET', '/api/v1/admin/approvals/onboarding?status=PENDING', {
    token: shop.tokens.operator,
  });
  const request = queue.body.items.find((r: { phone: string }) => r.phone.endsWith('9803333333'));
  assert.ok(request, JSON.stringify(queue.body));
  const rejected = await app.request('POST', `/api/v1/admin/approvals/onboarding/${request.id}/reject`, {
    token: shop.tokens.operator,
    body: { reason: 'not a shop' },
  });
  assert.is(rejected.status, 200, JSON.stringify(rejected.body));
  const cancel = await app.request('POST', `/api/v1/orders/${held.body.order.id}/cancel`, {
    token: shop.tokens.operator,
    body: { reason: 'too large' },
  });
  assert.is(cancel.status, 200, JSON.stringify(cancel.body));
  const decided = await stats();
  assert.equal(minus(decided.approvals.heldOrders, before.approvals.heldOrders), { RISK_REVIEW: 0, CREDIT_LIMIT: 0 });
  assert.equal(minus(decided.approvals.onboardingRequests, before.approvals.onboardingRequests), {
    PENDING: 0,
    APPROVED: 0,
    REJECTED: 1,
  });
});

test.run();

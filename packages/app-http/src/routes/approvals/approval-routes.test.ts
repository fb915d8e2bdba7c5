import {
  AUTH_USE_CASES,
  CONVERSATION_HANDLER,
  type InboundMessage,
  PhoneNumber,
  REPOSITORIES,
  SYSTEM_ACTOR,
  USE_CASE_TOKENS,
  unwrap,
} from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seedShop, startTestApp } from '../../testing/test-app.js';

const OVER_LIMIT = { lines: [{ sku: 'WAIWAI-75', quantity: 30_000 }] }; // NPR 600,000 > the shop's 500,000

test('approvals queue over HTTP: an over-limit order is listed with how far over it is; approving needs a reason (an audited override); decided once', async () => {
  const app = await startTestApp({ risk: 'allow-all' });
  try {
    const shop = await seedShop(app);
    const placed = await app.request('POST', '/api/v1/orders', { token: shop.tokens.retailer, body: OVER_LIMIT });
    assert.is(placed.status, 201);
    assert.is(placed.body.order.status, 'ON_HOLD');
    const orderId = placed.body.order.id as string;
    const fits = await app.request('POST', '/api/v1/orders', {
      token: shop.tokens.retailer,
      body: { lines: [{ sku: 'WAIWAI-75', quantity: 5 }] },
    });
    assert.is(fits.body.order.status, 'ROUTING');

    const queue = await app.request('GET', '/api/v1/admin/approvals/orders?holdReason=CREDIT_LIMIT', {
      token: shop.tokens.operator,
    });
    assert.is(queue.status, 200);
    assert.equal(
      queue.body.items.map((i: { order: { id: string } }) => i.order.id),
      [orderId],
    );
    const [item] = queue.body.items;
    assert.equal(
      [item.holdReason, item.creditLimit.amount, item.available.amount, item.overBy.amount],
      [
        'CREDIT_LIMIT',
        50_000_000,
        50_000_000 - 10_000, // the routing order of 5 packets counts
        60_000_000 - (50_000_000 - 10_000),
      ],
    );
    const review = await app.request('GET', '/api/v1/admin/approvals/orders?holdReason=RISK_REVIEW', {
      token: shop.tokens.admin,
    });
    assert.equal(review.body.items, []);

    const bare = await app.request('POST', `/api/v1/admin/approvals/orders/${orderId}/approve`, {
      token: shop.tokens.operator,
      body: {},
    });
    assert.is(bare.status, 422, JSON.stringify(bare.body));
    assert.is(bare.body.error.code, 'CREDIT.LIMIT_EXCEEDED');
    const approved = await app.request('POST', `/api/v1/admin/approvals/orders/${orderId}/approve`, {
      token: shop.tokens.operator,
      body: { reason: 'pays on Friday, agreed by phone' },
    });
    assert.is(approved.status, 200);
    assert.is(approved.body.status, 'ROUTING');
    const again = await app.request('POST', `/api/v1/admin/approvals/orders/${orderId}/approve`, {
      token: shop.tokens.operator,
      body: { reason: 'pays on Friday, agreed by phone' },
    });
    assert.is(again.status, 200, 'the same decision again: the same answer');
    const rejectNow = await app.request('POST', `/api/v1/admin/approvals/orders/${orderId}/reject`, {
      token: shop.tokens.operator,
      body: { reason: 'too late' },
    });
    assert.is(rejectNow.status, 409, JSON.stringify(rejectNow.body));
    const after = await app.request('GET', '/api/v1/admin/approvals/orders', { token: shop.tokens.operator });
    assert.equal(after.body.items, [], 'the queue is empty');

    const audit = unwrap(
      await app.composition
        .get(AUTH_USE_CASES)
        .listAuditLog.execute({ page: { limit: 50 }, actor: { type: 'admin', id: null } }),
    ).items;
    assert.ok(
      audit.some((e) => e.action === 'api.approve_held_order' && e.target?.id === orderId),
      `audited: ${JSON.stringify(audit.map((e) => e.action))}`,
    );
  } finally {
    await app.close();
  }
});

test('onboarding queue over HTTP: an unknown number that wrote is listed; approve creates the retailer (KYC verified: ACTIVE), reject of another is told; non-staff 403', async () => {
  const app = await startTestApp({ risk: 'allow-all' });
  try {
    const shop = await seedShop(app);
    const handler = app.composition.get(CONVERSATION_HANDLER);
    let n = 0;
    const write = (from: string, text: string) =>
      handler.handleMessage({
        kind: 'message',
        eventId: `wamid.onboard.${++n}`,
        businessNumberId: 'phone-number-id',
        messageId: `wamid.onboard.${n}`,
        from,
        profileName: null,
        sentAt: new Date(),
        context: null,
        content: { type: 'text', text },
        errors: [],
      } satisfies InboundMessage);
    await write('9779801111111', 'Shop: Hari Store, Area: Kathmandu-10');
    await write('9779802222222', 'hello');
    const forbidden = await app.request('GET', '/api/v1/admin/approvals/onboarding', { token: shop.tokens.retailer });
    assert.is(forbidden.status, 403);
    const queue = await app.request('GET', '/api/v1/admin/approvals/onboarding?status=PENDING', {
      token: shop.tokens.operator,
    });
    assert.is(queue.status, 200);
    const byPhone = new Map(queue.body.items.map((r: { phone: string }) => [r.phone, r]));
    const hari = byPhone.get('+9779801111111') as { id: string; shopName: string; area: string; status: string };
    const other = byPhone.get('+9779802222222') as { id: string; shopName: string | null };
    assert.equal([hari.shopName, hari.area, hari.status], ['Hari Store', 'Kathmandu-10', 'PENDING']);
    assert.is(other.shopName, null);

    const approved = await app.request('POST', `/api/v1/admin/approvals/onboarding/${hari.id}/approve`, {
      token: shop.tokens.operator,
      body: { district: 'kathmandu', kycVerified: true, creditLimit: 1_000_000 },
    });
    assert.is(approved.status, 200, JSON.stringify(approved.body));
    assert.equal([approved.body.request.status, approved.body.retailerStatus], ['APPROVED', 'ACTIVE']);
    const repos = app.composition.get(REPOSITORIES);
    const retailer = await repos.retailers.getByPhone(PhoneNumber.parse('+9779801111111'));
    assert.equal([retailer?.id, retailer?.name, retailer?.status], [approved.body.retailerId, 'Hari Store', 'ACTIVE']);
    assert.is((await repos.credit.get(retailer?.id as never))?.creditLimit.amount, 1_000_000);

    const missingName = await app.request('POST', `/api/v1/admin/approvals/onboarding/${other.id}/approve`, {
      token: shop.tokens.operator,
      body: { district: 'kathmandu' },
    });
    assert.is(missingName.status, 422, 'no shop name given by anyone');
    const rejected = await app.request('POST', `/api/v1/admin/approvals/onboarding/${other.id}/reject`, {
      token: shop.tokens.admin,
      body: { reason: 'not a shop' },
    });
    assert.is(rejected.status, 200);
    assert.is(rejected.body.request.status, 'REJECTED');
    const approveRejected = await app.request('POST', `/api/v1/admin/approvals/onboarding/${other.id}/approve`, {
      token: shop.tokens.admin,
      body: { district: 'kathmandu', shopName: 'x', area: 'y' },
    });
    assert.is(approveRejected.status, 409);
    assert.is(approveRejected.body.error.code, 'ONBOARDING.DECIDED');
    const pending = await app.request('GET', '/api/v1/admin/approvals/onboarding?status=PENDING', {
      token: shop.tokens.operator,
    });
    assert.equal(pending.body.items, []);
  } finally {
    await app.close();
  }
});

test('onboarding a supplier over HTTP: [Supplier] tapped, listed as VENDOR; approve needs dailyCapacity (422 naming it), then creates an ACTIVE vendor; a number that is a vendor already cannot become a retailer (409 PARTY.PHONE_TAKEN)', async () => {
  const app = await startTestApp({ risk: 'allow-all' });
  try {
    const shop = await seedShop(app);
    const handler = app.composition.get(CONVERSATION_HANDLER);
    let n = 0;
    const send = (from: string, content: InboundMessage['content']) =>
      handler.handleMessage({
        kind: 'message',
        eventId: `wamid.supplier.${++n}`,
        businessNumberId: 'phone-number-id',
        messageId: `wamid.supplier.${n}`,
        from,
        profileName: null,
        sentAt: new Date(),
        context: null,
        content,
        errors: [],
      } satisfies InboundMessage);
    await send('9779803333333', { type: 'text', text: 'Name: Everest Traders, Area: Lalitpur-3' });
    await send('9779803333333', { type: 'button_reply', id: 'onboarding:role:VENDOR', title: 'Supplier' });
    await send('9779804444444', { type: 'text', text: 'Shop: Gita Store, Area: Patan' });
    const queue = await app.request('GET', '/api/v1/admin/approvals/onboarding?status=PENDING', {
      token: shop.tokens.operator,
    });
    assert.is(queue.status, 200);
    const byPhone = new Map(queue.body.items.map((r: { phone: string }) => [r.phone, r]));
    const everest = byPhone.get('+9779803333333') as { id: string; requestedRole: string; shopName: string };
    const gita = byPhone.get('+9779804444444') as { id: string; requestedRole: string };
    assert.equal([everest.requestedRole, everest.shopName], ['VENDOR', 'Everest Traders']);
    assert.is(gita.requestedRole, 'RETAILER');

    const url = (id: string) => `/api/v1/admin/approvals/onboarding/${id}/approve`;
    const noCapacity = await app.request('POST', url(everest.id), { token: shop.tokens.operator, body: {} });
    assert.is(noCapacity.status, 422, JSON.stringify(noCapacity.body));
    assert.equal(noCapacity.body.error.details, { field: 'dailyCapacity', role: 'VENDOR' });
    const approved = await app.request('POST', url(everest.id), {
      token: shop.tokens.operator,
      body: { dailyCapacity: 25, serviceAreas: ['Lalitpur-3', 'Kathmandu-10'] },
    });
    assert.is(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(
      [approved.body.request.status, approved.body.vendorStatus, approved.body.retailerId],
      ['APPROVED', 'ACTIVE', null],
    );
    assert.is(approved.body.request.vendorId, approved.body.vendorId);
    const repos = app.composition.get(REPOSITORIES);
    const vendor = await repos.vendors.getByPhone(PhoneNumber.parse('+9779803333333'));
    assert.equal(
      [vendor?.id, vendor?.name, vendor?.serviceAreas, vendor?.dailyCapacity],
      [approved.body.vendorId, 'Everest Traders', ['lalitpur-3', 'kathmandu-10'], 25],
    );

    // Gita's number is registered as a vendor by the field team meanwhile: it cannot be a retailer too.
    await app.composition.get(USE_CASE_TOKENS.registerVendor).execute({
      name: 'Gita Wholesale',
      phone: PhoneNumber.parse('+9779804444444'),
      serviceAreas: ['patan'],
      dailyCapacity: 5,
      actor: SYSTEM_ACTOR,
    });
    const taken = await app.request('POST', url(gita.id), {
      token: shop.tokens.operator,
      body: { district: 'lalitpur' },
    });
    assert.is([taken.status, taken.body.error.code].join(' '), '409 PARTY.PHONE_TAKEN');
    assert.is(await repos.retailers.getByPhone(PhoneNumber.parse('+9779804444444')), null);
    const stillPending = await app.request('GET', '/api/v1/admin/approvals/onboarding?status=PENDING', {
      token: shop.tokens.operator,
    });
    assert.equal(
      stillPending.body.items.map((r: { id: string }) => r.id),
      [gita.id],
      'left for a rejection',
    );
  } finally {
    await app.close();
  }
});

test.run();

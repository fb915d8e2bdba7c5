// Staff actions whose use case keeps no audit entry are recorded by the router.
import { AUTH_USE_CASES, unwrap } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seedShop, startTestApp } from '../testing/test-app.js';

test('a staff write is in the audit log (action, target, request id, IP) once; reads, replays, refusals and non-staff are not', async () => {
  const app = await startTestApp({ risk: 'allow-all' });
  try {
    const shop = await seedShop(app);
    const entries = async () =>
      unwrap(
        await app.composition
          .get(AUTH_USE_CASES)
          .listAuditLog.execute({ page: { limit: 200 }, actor: { type: 'admin', id: null } }),
      ).items;
    const order = { lines: [{ sku: 'WAIWAI-75', quantity: 1 }] };
    const mine = await app.request('POST', '/api/v1/orders', { token: shop.tokens.retailer, body: order });
    assert.is(mine.status, 201);
    const headers = { 'Idempotency-Key': 'staff-order-1', 'X-Request-Id': 'staff-request-01' };
    const body = { ...order, retailerId: shop.retailerId };
    const placed = await app.request('POST', '/api/v1/orders', { token: shop.tokens.operator, body, headers });
    assert.is(placed.status, 201);
    const replay = await app.request('POST', '/api/v1/orders', { token: shop.tokens.operator, body, headers });
    assert.is(replay.headers.get('Idempotent-Replayed'), 'true');
    await app.request('GET', `/api/v1/orders/${mine.body.order.id}`, { token: shop.tokens.admin });
    const cancel = await app.request('POST', `/api/v1/orders/${mine.body.order.id}/cancel`, {
      token: shop.tokens.admin,
      body: { reason: 'duplicate order' },
    });
    assert.is(cancel.status, 200);
    const again = await app.request('POST', `/api/v1/orders/${mine.body.order.id}/cancel`, {
      token: shop.tokens.admin,
      body: { reason: 'duplicate order' },
    });
    assert.is(again.status, 409);
    const log = await entries();
    assert.equal(
      log.map((e) => [e.action, e.actor.role]),
      [
        ['api.cancel_order', 'ADMIN'],
        ['api.place_order', 'OPERATOR'],
      ],
    );
    assert.equal(log[0]?.target, { type: 'order', id: mine.body.order.id });
    assert.equal(log[1]?.target, { type: 'order', id: placed.body.order.id });
    assert.is(log[1]?.requestId, 'staff-request-01');
    assert.is(log[1]?.ip, '127.0.0.1');
  } finally {
    await app.close();
  }
});

test.run();

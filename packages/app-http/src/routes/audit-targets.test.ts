// Every staff write's audit entry names what it changed (or says why it cannot): the route
// table is walked, so a new staff route without a target fails here, not in an audit review.
import { AUTH_USE_CASES, unwrap } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seedShop, startTestApp } from '../testing/test-app.js';
import { API_ROUTES } from './api-routes.js';
import { auditTargetOf } from './mount-routes.js';
import type { AnyRoute } from './route.js';

/** The routes whose successful call by staff the router records (mount-routes). */
const recorded = API_ROUTES.filter(
  (r): r is AnyRoute & { access: readonly string[] } =>
    r.access !== 'public' &&
    r.method !== 'get' &&
    r.audit !== 'use-case' &&
    r.access.some((role) => role === 'ADMIN' || role === 'OPERATOR'),
);

test('every mutating staff route names its audit target: a path id, a body field it requires, an id in its answer, or a reason', () => {
  assert.ok(recorded.length >= 20, `${recorded.length} staff writes`);
  for (const route of recorded) {
    const where = `${route.method.toUpperCase()} ${route.path}`;
    const spec = route.auditTarget;
    if (spec === undefined) {
      assert.match(route.path, /\/:\w+Id\b/, `${where}: no path id and no auditTarget`);
      continue;
    }
    if ('none' in spec) {
      assert.ok(spec.none.trim().length > 10, `${where}: a reason, not a blank`);
      continue;
    }
    assert.ok(spec.type.length > 0, where);
    if ('body' in spec) {
      const body = route.body as { properties?: Record<string, unknown>; required?: string[] } | undefined;
      assert.ok(body?.properties?.[spec.body], `${where}: its body has ${spec.body}`);
      if (!body?.required?.includes(spec.body)) {
        assert.ok(spec.otherwise, `${where}: ${spec.body} is optional, so a reason when it is absent`);
      }
    } else {
      const created = Object.entries(route.responses).filter(([status]) => Number(status) < 300);
      assert.ok(created.length > 0 && spec.result.length > 0, `${where}: an id in its answer`);
    }
    // What the recorder makes of a call that carries the id where the spec says.
    const id = 'id-of-the-target';
    const body = 'body' in spec ? { [spec.body]: id } : {};
    const answer = 'result' in spec ? spec.result.reduceRight<unknown>((inner, key) => ({ [key]: inner }), id) : {};
    const { target } = auditTargetOf(route, { params: {}, body, result: { status: 200, body: answer } });
    assert.equal(target, { type: spec.type, id }, where);
  }
});

test('a payment, a score recalculation, a credit limit and a staff order are audited with their target', async () => {
  const app = await startTestApp({ risk: 'allow-all' });
  try {
    const shop = await seedShop(app);
    const staff = { token: shop.tokens.operator };
    const calls: [string, string, unknown][] = [
      ['POST', '/api/v1/credit/score/recalculate', { retailerId: shop.retailerId }],
      ['PUT', '/api/v1/credit/limit', { retailerId: shop.retailerId, limit: 5_000_00, reason: 'audit test' }],
      ['POST', '/api/v1/orders', { retailerId: shop.retailerId, lines: [{ sku: 'WAIWAI-75', quantity: 1 }] }],
      ['POST', '/api/v1/credit/payments', { retailerId: shop.retailerId, amount: 100_00, reference: 'AUDIT-1' }],
    ];
    const answers = [];
    for (const [method, path, body] of calls) {
      const r = await app.request(method, path, { ...staff, body });
      assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      answers.push(r.body);
    }
    const log = unwrap(
      await app.composition
        .get(AUTH_USE_CASES)
        .listAuditLog.execute({ page: { limit: 200 }, actor: { type: 'admin', id: null } }),
    ).items;
    const byAction = new Map(log.map((e) => [e.action, e.target]));
    const retailer = { type: 'retailer', id: shop.retailerId };
    assert.equal(byAction.get('api.recalculate_credit_score'), retailer);
    assert.equal(byAction.get('api.set_credit_limit'), retailer);
    assert.equal(byAction.get('api.record_payment'), retailer);
    assert.equal(byAction.get('api.place_order'), {
      type: 'order',
      id: (answers[2] as { order: { id: string } }).order.id,
    });
  } finally {
    await app.close();
  }
});

test.run();

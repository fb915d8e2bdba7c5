import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defineRoute } from './routes/route.js';
import { seedShop, startTestApp } from './testing/test-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test('/health is 200 whatever the dependencies; /ready reports the composition checks', async () => {
  const app = await startTestApp();
  try {
    const live = await app.request('GET', '/health');
    assert.is(live.status, 200);
    assert.equal(live.body, { status: 'ok' });
    const ready = await app.request('GET', '/ready');
    assert.is(ready.status, 200);
    assert.equal(ready.body, { ready: true, checks: { storage: { ok: true } } });
  } finally {
    await app.close();
  }
});

test('a request id is generated, or the client one kept when plausible, and every log line of the request carries it', async () => {
  const app = await startTestApp();
  try {
    const shop = await seedShop(app);
    const generated = await app.request('GET', '/health');
    assert.match(generated.headers.get('x-request-id') ?? '', UUID);
    const odd = await app.request('GET', '/health', { headers: { 'X-Request-Id': 'has spaces in it' } });
    assert.match(odd.headers.get('x-request-id') ?? '', UUID);

    const placed = await app.request('POST', '/api/v1/orders', {
      token: shop.tokens.retailer,
      headers: { 'X-Request-Id': 'client-req-0001' },
      body: { lines: [{ sku: 'WAIWAI-75', quantity: 2, unit: 'carton' }] },
    });
    assert.is(placed.status, 201, JSON.stringify(placed.body));
    assert.is(placed.headers.get('x-request-id'), 'client-req-0001');
    const mine = app.lines.filter((l) => l.requestId === 'client-req-0001');
    // core's own use-case line, logged deep inside PlaceOrder, and the access line.
    assert.ok(
      mine.some((l) => l.msg === 'order placed'),
      JSON.stringify(mine),
    );
    assert.ok(mine.some((l) => l.msg === 'request' && l.status === 201 && l.route === '/api/v1/orders'));
  } finally {
    await app.close();
  }
});

test('errors have one shape with an errorId that is logged with the request id', async () => {
  const app = await startTestApp();
  try {
    const missing = await app.request('GET', '/nowhere', { headers: { 'X-Request-Id': 'req-missing-1' } });
    assert.is(missing.status, 404);
    assert.equal(Object.keys(missing.body), ['error']);
    assert.is(missing.body.error.code, 'HTTP.ROUTE_NOT_FOUND');
    assert.match(missing.body.error.errorId, UUID);
    const logged = app.lines.find((l) => l.errorId === missing.body.error.errorId);
    assert.ok(logged, 'the error is logged with its errorId');
    assert.is(logged?.requestId, 'req-missing-1');
    assert.is(logged?.status, 404);

    const anonymous = await app.request('GET', '/api/v1/orders');
    assert.is(anonymous.status, 401);
    assert.is(anonymous.body.error.code, 'AUTH.UNAUTHENTICATED');

    const wrongMethod = await app.request('DELETE', '/api/v1/orders');
    assert.is(wrongMethod.status, 405);
    assert.is(wrongMethod.body.error.code, 'HTTP.METHOD_NOT_ALLOWED');
    assert.match(wrongMethod.headers.get('allow') ?? '', 'POST');
  } finally {
    await app.close();
  }
});

test('bodies: malformed JSON is 400, another media type 415, past the limit 413 — before any handler runs', async () => {
  const app = await startTestApp({ bodyLimitBytes: 2_048 });
  try {
    const shop = await seedShop(app);
    const token = shop.tokens.retailer;
    const malformed = await app.request('POST', '/api/v1/orders', { token, rawBody: '{"lines": [' });
    assert.is(malformed.status, 400);
    assert.is(malformed.body.error.code, 'HTTP.MALFORMED_BODY');
    const text = await app.request('POST', '/api/v1/orders', {
      token,
      rawBody: 'lines=1',
      headers: { 'Content-Type': 'text/plain' },
    });
    assert.is(text.status, 415);
    const huge = await app.request('POST', '/api/v1/orders', {
      token,
      body: { lines: [{ sku: 'WAIWAI-75', quantity: 1 }], note: 'x'.repeat(4_000) },
    });
    assert.is(huge.status, 413);
    assert.is(huge.body.error.code, 'HTTP.BODY_TOO_LARGE');
    const orders = await app.request('GET', '/api/v1/orders', { token: shop.tokens.admin });
    assert.is(orders.body.items.length, 0, 'nothing was written');
  } finally {
    await app.close();
  }
});

test('a retailer or vendor principal without its party is refused before any route runs', async () => {
  const app = await startTestApp();
  try {
    await seedShop(app);
    for (const role of ['RETAILER', 'VENDOR'] as const) {
      const token = app.auth.issue({
        userId: '00000000-0000-7000-8000-000000000998' as never,
        role,
        retailerId: null,
        vendorId: null,
      });
      const response = await app.request('GET', '/api/v1/orders', { token });
      assert.is(response.status, 403, role);
      assert.is(response.body.error.code, 'AUTH.FORBIDDEN_ROLE');
    }
  } finally {
    await app.close();
  }
});

test('a 500 shows nothing of its cause; the log has it, under the errorId', async () => {
  const failing = defineRoute({
    method: 'get',
    path: '/boom',
    operationId: 'boom',
    summary: 'fails',
    tag: 'test',
    access: ['ADMIN'],
    responses: { 200: { description: 'never' } },
    async handle() {
      throw new Error('connect ECONNREFUSED postgres://admin:hunter2@db');
    },
  });
  const app = await startTestApp({ routes: [failing] });
  try {
    const token = app.auth.issue({
      userId: '00000000-0000-7000-8000-000000000999' as never,
      role: 'ADMIN',
      retailerId: null,
      vendorId: null,
    });
    const response = await app.request('GET', '/api/v1/boom', { token });
    assert.is(response.status, 500);
    assert.equal(Object.keys(response.body.error).sort(), ['code', 'errorId', 'message']);
    assert.is(response.body.error.code, 'INTERNAL.ERROR');
    assert.not.match(JSON.stringify(response.body), 'hunter2');
    const logged = app.lines.find((l) => l.errorId === response.body.error.errorId);
    assert.is(logged?.level, 'error');
    assert.match(JSON.stringify(logged), 'ECONNREFUSED');
  } finally {
    await app.close();
  }
});

test('security headers (helmet) and a CORS allow-list: a listed origin is allowed, any other is not', async () => {
  const app = await startTestApp({ corsOrigins: ['https://shop.example.com'] });
  try {
    const plain = await app.request('GET', '/health');
    assert.is(plain.headers.get('x-content-type-options'), 'nosniff');
    const csp = plain.headers.get('content-security-policy') ?? '';
    assert.match(csp, "default-src 'self'");
    assert.match(csp, "script-src 'self'");
    assert.not.match(csp, 'upgrade-insecure-requests', '/docs over plain http must keep loading its scripts');
    const listed = await app.request('GET', '/health', { headers: { Origin: 'https://shop.example.com' } });
    assert.is(listed.headers.get('access-control-allow-origin'), 'https://shop.example.com');
    const other = await app.request('GET', '/health', { headers: { Origin: 'https://evil.example.com' } });
    assert.is(other.headers.get('access-control-allow-origin'), null);
    const preflight = await app.request('OPTIONS', '/api/v1/orders', {
      headers: {
        Origin: 'https://shop.example.com',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type,idempotency-key',
      },
    });
    assert.is(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', 'Idempotency-Key');
  } finally {
    await app.close();
  }
});

test.run();

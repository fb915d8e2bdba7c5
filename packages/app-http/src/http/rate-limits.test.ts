// Rate limits per route class, through the app (in-process limiters on a manual clock).
import { AUTH_USE_CASES } from '@khaacho/core';
import { ManualClock, uniquePhone } from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seedShop, startTestApp } from '../testing/test-app.js';
import { DEFAULT_RATE_LIMITS, ProcessRateLimiter } from './rate-limits.js';

const perMinute = (points: number) => ({ points, durationMs: 60_000 });

test('auth routes: per client address; over it → 429 HTTP.RATE_LIMITED with Retry-After, and nothing done', async () => {
  const clock = new ManualClock(new Date());
  const app = await startTestApp({
    clock,
    trustProxy: true,
    rateLimits: { ...DEFAULT_RATE_LIMITS, auth: perMinute(3) },
  });
  try {
    const register = (ip: string) =>
      app.request('POST', '/api/v1/auth/register', {
        headers: { 'X-Forwarded-For': ip },
        body: {
          role: 'RETAILER',
          phone: uniquePhone().value,
          password: 'a long enough password',
          retailer: { name: 'Hari Pasal', area: 'kathmandu-10', district: 'kathmandu' },
        },
      });
    for (let i = 0; i < 3; i++) assert.is((await register('198.51.100.1')).status, 201);
    clock.advance(20_000);
    const refused = await register('198.51.100.1');
    assert.is(refused.status, 429);
    assert.is(refused.body.error.code, 'HTTP.RATE_LIMITED');
    assert.is(refused.body.error.details.limit, 'auth');
    assert.is(refused.headers.get('Retry-After'), '40');
    const accounts = await app.composition.get(AUTH_USE_CASES).listAccounts.execute({
      page: { limit: 100 },
      actor: { type: 'admin', id: null },
    });
    assert.ok(accounts.ok);
    assert.is(accounts.value.items.length, 3, 'the refused registration wrote nothing');
    assert.is((await register('198.51.100.2')).status, 201, 'another address has its own budget');
    clock.advance(40_000);
    assert.is((await register('198.51.100.1')).status, 201, 'a new window');
  } finally {
    await app.close();
  }
});

test('api and admin routes: per signed-in user, each class its own budget', async () => {
  const clock = new ManualClock(new Date());
  const app = await startTestApp({
    clock,
    rateLimits: { ...DEFAULT_RATE_LIMITS, api: perMinute(2), admin: perMinute(1) },
  });
  try {
    const shop = await seedShop(app);
    const list = (token: string) => app.request('GET', '/api/v1/orders', { token });
    assert.is((await list(shop.tokens.retailer)).status, 200);
    assert.is((await list(shop.tokens.retailer)).status, 200);
    const over = await list(shop.tokens.retailer);
    assert.is(over.status, 429);
    assert.ok(Number(over.headers.get('Retry-After')) >= 1);
    assert.is((await list(shop.tokens.otherRetailer)).status, 200, 'another user, another budget');
    assert.is((await app.request('GET', '/api/v1/accounts', { token: shop.tokens.admin })).status, 200);
    assert.is((await app.request('GET', '/api/v1/accounts', { token: shop.tokens.admin })).status, 429, 'admin: 1');
    assert.is((await list(shop.tokens.admin)).status, 200, 'the api budget is separate from the admin one');
    // Not authenticated: 401 before any budget is spent.
    assert.is((await app.request('GET', '/api/v1/orders')).status, 401);
  } finally {
    await app.close();
  }
});

test('ProcessRateLimiter: fixed windows per key on the clock; a refused call counts; reset gives a full budget', async () => {
  const clock = new ManualClock('2026-01-01T00:00:00.000Z');
  const limiter = new ProcessRateLimiter(clock, { points: 2, durationMs: 10_000 });
  assert.equal(await limiter.consume('a'), { allowed: true, remainingPoints: 1, retryAfterMs: 0 });
  assert.equal(await limiter.consume('a'), { allowed: true, remainingPoints: 0, retryAfterMs: 0 });
  clock.advance(4_000);
  assert.equal(await limiter.consume('a'), { allowed: false, remainingPoints: 0, retryAfterMs: 6_000 });
  assert.is((await limiter.consume('b')).allowed, true);
  await limiter.reset('a');
  assert.is((await limiter.consume('a')).allowed, true);
  clock.advance(10_000);
  assert.equal(await limiter.consume('a'), { allowed: true, remainingPoints: 1, retryAfterMs: 0 });
  assert.throws(() => new ProcessRateLimiter(clock, { points: 0, durationMs: 1_000 }), RangeError);
});

test.run();

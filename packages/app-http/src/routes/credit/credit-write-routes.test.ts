import { AGING_BUCKETS, CLOCK, OUTBOX } from '@khaacho/core';
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
const pending = async () => (await app.composition.get(OUTBOX).stats(app.composition.get(CLOCK).now())).pending;

/** A delivered order of the shop: an invoice of 20 × quantity rupees. */
async function delivered(quantity: number): Promise<string> {
  const placed = await app.request('POST', '/api/v1/orders', {
    token: shop.tokens.retailer,
    body: { lines: [{ sku: 'WAIWAI-75', quantity }] },
  });
  const id = placed.body.order.id as string;
  const routed = await app.request('POST', `/api/v1/orders/${id}/route`, { token: shop.tokens.operator });
  assert.is(routed.body.outcome, 'OFFERED');
  for (const step of ['accept', 'dispatch', 'deliver']) {
    const r = await app.request('POST', `/api/v1/orders/${id}/${step}`, {
      token: shop.tokens.operator,
      // Staff deliver without the shop's code: an override, with its reason.
      ...(step === 'deliver' ? { body: { reason: 'confirmed by phone' } } : {}),
    });
    assert.is(r.status, 200, `${step}: ${JSON.stringify(r.body)}`);
  }
  return id;
}

test('payments: applied to the invoice, idempotent by reference; another amount under it is refused and writes nothing', async () => {
  const orderId = await delivered(10);
  const pay = (amount: number, reference: string) =>
    app.request('POST', '/api/v1/credit/payments', {
      token: shop.tokens.operator,
      body: { retailerId: shop.retailerId, amount, reference },
    });
  const first = await pay(2_000_00, 'FONEPAY-1');
  assert.is(first.status, 201, JSON.stringify(first.body));
  assert.equal(
    [first.body.duplicate, first.body.entry.type, first.body.entry.amount.amount],
    [false, 'PAYMENT', 200_00 * 10],
  );
  assert.equal(
    first.body.completedOrders.map((o: { id: string }) => o.id),
    [orderId],
  );
  const again = await pay(2_000_00, 'FONEPAY-1');
  assert.equal([again.status, again.body.duplicate, again.body.entry.id], [201, true, first.body.entry.id]);
  const before = await pending();
  const other = await pay(5_00, 'FONEPAY-1');
  assert.equal([other.status, code(other)], [422, 'IDEMPOTENCY.KEY_REUSED']);
  assert.is(await pending(), before);
  for (const body of [
    { retailerId: shop.retailerId, amount: 0, reference: 'X' },
    { retailerId: shop.retailerId, amount: -5, reference: 'X' },
    { retailerId: shop.retailerId, amount: 1.5, reference: 'X' },
    { retailerId: shop.retailerId, amount: 10, reference: '' },
    { retailerId: shop.retailerId, amount: 10, reference: 'X', currency: 'USD' },
    { retailerId: shop.retailerId, amount: 10 },
  ]) {
    const r = await app.request('POST', '/api/v1/credit/payments', { token: shop.tokens.admin, body });
    assert.is(r.status, 422, JSON.stringify(body));
  }
  assert.is(await pending(), before, 'no refused payment wrote');
  const unknown = await app.request('POST', '/api/v1/credit/payments', {
    token: shop.tokens.admin,
    body: { retailerId: '0190a0a0-0000-7000-8000-00000000beef', amount: 10, reference: 'Y' },
  });
  assert.is(unknown.status, 404);
});

test('credit and debit notes move the balance; the statement lists them in order with aging', async () => {
  await delivered(5);
  const balance = async () =>
    (await app.request('GET', '/api/v1/credit/balance', { token: shop.tokens.retailer })).body.outstanding.amount;
  const start = await balance();
  const note = (kind: string, amount: number, reference: string) =>
    app.request('POST', '/api/v1/credit/notes', {
      token: shop.tokens.operator,
      body: { retailerId: shop.retailerId, kind, amount, reference, note: 'फुटेको कार्टुन — damaged' },
    });
  assert.is((await note('DEBIT_NOTE', 300, 'DN-1')).status, 201);
  assert.is(await balance(), start + 300);
  assert.is((await note('CREDIT_NOTE', 500, 'CN-1')).status, 201);
  assert.is(await balance(), start - 200);
  assert.is((await note('CREDIT_NOTE', 500, 'CN-1')).body.duplicate, true);
  assert.is(await balance(), start - 200, 'the same note number counts once');
  const statement = await app.request('GET', '/api/v1/credit/statement', { token: shop.tokens.retailer });
  assert.is(statement.status, 200);
  const seq = statement.body.entries.map((e: { sequence: number }) => e.sequence);
  assert.equal(
    seq,
    [...seq].sort((a: number, b: number) => a - b),
  );
  assert.ok(statement.body.entries.filter((e: { type: string }) => e.type === 'ADJUSTMENT').length >= 2);
  assert.equal(Object.keys(statement.body.aging).sort(), [...AGING_BUCKETS, 'total'].sort());
});

test('statement periods are bounded; staff must name the retailer, a retailer only its own', async () => {
  const get = (query: string, token = shop.tokens.retailer) =>
    app.request('GET', `/api/v1/credit/statement${query}`, { token });
  assert.is((await get('?from=2026-03-01T00:00:00Z&to=2026-02-01T00:00:00Z')).status, 422);
  assert.is((await get('?from=2024-01-01T00:00:00Z&to=2026-02-01T00:00:00Z')).status, 422);
  assert.is((await get('?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z')).body.entries.length, 0);
  assert.is((await get('', shop.tokens.operator)).status, 422);
  assert.is((await get(`?retailerId=${shop.otherRetailerId}`)).status, 404);
});

test('credit limit by hand (with a reason) and back to scoring; net terms bounded', async () => {
  const put = (path: string, body: unknown, token = shop.tokens.admin) =>
    app.request('PUT', `/api/v1/credit/${path}`, { token, body });
  const noReason = await put('limit', { retailerId: shop.otherRetailerId, limit: 1_000_00 });
  assert.is(noReason.status, 422);
  const set = await put('limit', { retailerId: shop.otherRetailerId, limit: 1_000_00, reason: 'new shop, go slow' });
  assert.equal(set.body, {
    retailerId: shop.otherRetailerId,
    creditLimit: { amount: 1_000_00, currency: 'NPR' },
    limitSetManually: true,
  });
  const balance = await app.request('GET', '/api/v1/credit/balance', { token: shop.tokens.otherRetailer });
  assert.is(balance.body.creditLimit.amount, 1_000_00);
  const back = await put('limit', { retailerId: shop.otherRetailerId, limit: null });
  assert.is(back.body.limitSetManually, false);
  assert.is((await put('limit', { retailerId: shop.otherRetailerId, limit: -1, reason: 'x' })).status, 422);
  assert.is(
    (await put('limit', { retailerId: shop.otherRetailerId, limit: 5, reason: 'x' }, shop.tokens.retailer)).status,
    403,
  );
  const terms = await put('terms', { retailerId: shop.otherRetailerId, netTermsDays: 15 });
  assert.equal([terms.status, terms.body.netTermsDays], [200, 15]);
  assert.is(
    (await app.request('GET', '/api/v1/credit/balance', { token: shop.tokens.otherRetailer })).body.netTermsDays,
    15,
  );
  assert.is((await put('terms', { retailerId: shop.otherRetailerId, netTermsDays: 181 })).status, 422);
  assert.is((await put('terms', { retailerId: shop.otherRetailerId, netTermsDays: '30' })).status, 422);
});

test('scores: 404 before the first, then the explanation; history newest first, bounded; retailers see their own', async () => {
  const score = (token: string, q = '') => app.request('GET', `/api/v1/credit/score${q}`, { token });
  const none = await score(shop.tokens.otherRetailer);
  assert.is(none.status, 404);
  const recalc = () =>
    app.request('POST', '/api/v1/credit/score/recalculate', {
      token: shop.tokens.operator,
      body: { retailerId: shop.otherRetailerId },
    });
  const first = await recalc();
  assert.is(first.status, 200, JSON.stringify(first.body));
  assert.ok(first.body.score >= 300 && first.body.score <= 900);
  assert.ok(first.body.explanation.factors.length > 0);
  assert.is(first.body.trigger, 'MANUAL');
  const second = await recalc();
  assert.is((await score(shop.tokens.otherRetailer)).body.id, second.body.id);
  const history = await app.request('GET', '/api/v1/credit/score/history', { token: shop.tokens.otherRetailer });
  assert.equal(
    history.body.items.map((s: { id: string }) => s.id),
    [second.body.id, first.body.id],
  );
  const one = await app.request('GET', '/api/v1/credit/score/history?limit=1', { token: shop.tokens.otherRetailer });
  assert.is(one.body.items.length, 1);
  assert.is(
    (await app.request('GET', '/api/v1/credit/score/history?limit=201', { token: shop.tokens.otherRetailer })).status,
    422,
  );
  assert.is((await score(shop.tokens.retailer, `?retailerId=${shop.otherRetailerId}`)).status, 404);
});

test.run();

import { CLOCK, JOB_QUEUE, OUTBOX, UNITS, WEBHOOK_INBOX } from '@khaacho/core';
import fc from 'fast-check';
import * as assert from 'uvu/assert';
import { API_ROUTES } from '../routes/api-routes.js';
import type { AnyRoute } from '../routes/route.js';
import { type Shop, seedShop, type TestApp } from './test-app.js';

// The fuzz run over HTTP, shared by the in-memory and the PostgreSQL + Redis test (excluded from the build).

const odd = fc.constantFrom(
  'न',
  'चामल २ बोरा',
  '😀',
  '👨‍👩‍👧',
  'WAIWAI-75',
  '',
  ' ',
  '../',
  '%00',
  'null',
  '-1',
  '1e400',
  'KH-000001',
);
const text = fc.oneof(
  odd,
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ maxLength: 300 }),
);
const number = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, 0.0001, 1.2345, 2 ** 53, 1e308, -1e308, 1_000_000, 1_000_001),
);
const json = fc.jsonValue({ maxDepth: 3, stringUnit: 'grapheme' });
const uuid = fc.uuid();

interface Ids {
  readonly orderId: string;
  readonly productId: string;
  readonly vendorId: string;
  readonly retailerId: string;
  /** The queue routes' path parameters: a real queue, and a job in it (dead at the start). */
  readonly queue: string;
  readonly jobId: string;
  /** A webhook event in the inbox, for the webhook retry route. */
  readonly eventId: string;
}

const idLike = (pick: keyof Ids) =>
  fc.oneof(
    fc.constant({ known: pick }),
    uuid.map((v) => ({ value: v })),
    text.map((v) => ({ value: v })),
  );

const line = fc.record(
  {
    productId: fc.oneof(idLike('productId'), json),
    sku: fc.oneof(fc.constant('WAIWAI-75'), text, number),
    quantity: fc.oneof(number, text, json),
    unit: fc.oneof(fc.constantFrom(...UNITS), text),
    price: number,
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  fc.record(
    {
      lines: fc.oneof(fc.array(line, { maxLength: 4 }), json),
      note: fc.oneof(text, fc.constant(null), number),
      retailerId: fc.oneof(idLike('retailerId'), text),
      reason: fc.oneof(text, number),
      discount: json,
      vendorId: fc.oneof(idLike('vendorId'), text, number),
      amount: fc.oneof(number, text, fc.constant(null)),
      kind: fc.oneof(fc.constantFrom('CREDIT_NOTE', 'DEBIT_NOTE'), text),
      reference: fc.oneof(text, number),
      netTermsDays: fc.oneof(number, text),
      limit: fc.oneof(number, fc.constant(null), text),
      csv: fc.oneof(
        text,
        fc.constantFrom('sku,unit,unit_price,stock_on_hand\nWAIWAI-75,packet,20,5\n', '"', 'a,b\n"x', '\ufeffsku\r\n'),
      ),
    },
    { requiredKeys: [] },
  ),
  json,
);

/** Valid, or one field away from it: so that the use cases, not only the schemas, are reached. */
const validOrder = fc.record(
  {
    lines: fc.array(
      fc.record(
        {
          sku: fc.constant('WAIWAI-75'),
          quantity: fc.oneof(fc.integer({ min: 1, max: 50 }), number),
          unit: fc.constantFrom('packet', 'carton', 'packet', 'carton', 'kg'),
        },
        { requiredKeys: ['sku', 'quantity'] },
      ),
      { minLength: 1, maxLength: 2 },
    ),
    note: fc.oneof(text, fc.constant(null)),
    retailerId: fc.oneof(fc.constant({ known: 'retailerId' as const }), uuid),
  },
  { requiredKeys: ['lines'] },
);

const request = fc.record({
  route: fc.constantFrom(...API_ROUTES.map((r) => r.operationId)),
  // A method the route does not have, now and then.
  method: fc.oneof(
    { weight: 9, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH') },
  ),
  who: fc.constantFrom<keyof Shop['tokens'] | null>(
    'admin',
    'operator',
    'retailer',
    'otherRetailer',
    'vendor',
    'otherVendor',
    null,
  ),
  param: fc.oneof(idLike('orderId'), idLike('productId'), idLike('vendorId')),
  query: fc.oneof(
    { weight: 2, arbitrary: fc.constant({}) },
    {
      weight: 3,
      arbitrary: fc.dictionary(
        fc.oneof(
          fc.constantFrom('status', 'limit', 'cursor', 'retailerId', 'vendorId', 'search', 'placedFrom'),
          // The report routes' own: periods (reversed, too long, malformed), groupings, buckets.
          fc.constantFrom('from', 'to', 'groupBy', 'granularity'),
          text,
        ),
        fc.oneof(
          text,
          number.map(String),
          fc.constantFrom('ROUTING', 'ROUTING,CANCELLED', 'true', '2026-12-06T00:00:00Z'),
          fc.constantFrom('2020-01-01T00:00:00Z', '2026-11-01T00:00:00+05:45', 'product', 'vendor', 'week', 'day'),
        ),
        { minKeys: 1, maxKeys: 3 },
      ),
    },
  ),
  body: fc.oneof(
    { weight: 3, arbitrary: validOrder.map((b) => ({ json: b })) },
    { weight: 1, arbitrary: fc.record({ reason: text }).map((b) => ({ json: b })) },
    { weight: 4, arbitrary: body.map((b) => ({ json: b })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('{"lines": [', '{', '[]', 'null', '"x"', '{"lines":[{"sku":"WAIWAI-75","quantity":1}]}}')
        .map((raw) => ({ raw })),
    },
    { weight: 1, arbitrary: fc.constant({ oversize: true }) },
    { weight: 1, arbitrary: fc.constant({ none: true }) },
  ),
  idempotencyKey: fc.oneof(
    { weight: 3, arbitrary: fc.constant(null) },
    // A few keys, so that replays and reuses with another body happen.
    { weight: 2, arbitrary: fc.constantFrom('k-1', 'k-2', 'k-3') },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'abcXYZ019-_ :'.split('')), maxLength: 300 }) },
  ),
});

/**
 * A request as a client that read the document would send it (the right method and ids,
 * a valid body for the caller's role): so that about half the run reaches the use cases
 * and writes, and the other half checks that nothing a refused request does is kept.
 */
const tame = fc.record({
  route: fc.constantFrom(...API_ROUTES.map((r) => r.operationId)),
  method: fc.constant(null),
  who: fc.constantFrom<keyof Shop['tokens'] | null>('admin', 'operator', 'retailer', 'retailer', 'vendor'),
  param: fc.constant(null),
  query: fc.constant({}),
  body: fc.record({
    json: fc.record({
      lines: fc.array(
        fc.record({
          sku: fc.constant('WAIWAI-75'),
          quantity: fc.integer({ min: 1, max: 20 }),
          unit: fc.constantFrom('packet', 'carton'),
        }),
        { minLength: 1, maxLength: 1 },
      ),
      note: fc.oneof(fc.constant(null), text),
      reason: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 100 }),
      amount: fc.integer({ min: 1, max: 100_000 }),
      kind: fc.constantFrom('CREDIT_NOTE', 'DEBIT_NOTE'),
      reference: fc.constantFrom('R-1', 'R-2', 'R-3'),
      netTermsDays: fc.integer({ min: 0, max: 180 }),
    }),
  }),
  idempotencyKey: fc.oneof(fc.constant(null), fc.constantFrom('k-1', 'k-2', 'k-3')),
});

type Req = typeof request extends fc.Arbitrary<infer R> ? R : never;

/** Requests name their route by operationId, so a counterexample prints short. */
const ROUTE_BY_ID = new Map(API_ROUTES.map((r) => [r.operationId, r]));

function resolveId(id: { known: keyof Ids } | { value: string } | unknown, ids: Ids): unknown {
  if (typeof id === 'object' && id !== null && 'known' in id) return ids[(id as { known: keyof Ids }).known];
  if (typeof id === 'object' && id !== null && 'value' in id) return (id as { value: string }).value;
  return id;
}

/** Known ids stand for real resources, so valid-looking requests reach the use cases. */
function materialise(value: unknown, ids: Ids): unknown {
  if (Array.isArray(value)) return value.map((v) => materialise(v, ids));
  if (typeof value === 'object' && value !== null) {
    if ('known' in value || ('value' in value && Object.keys(value).length === 1)) return resolveId(value, ids);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialise(v, ids)]));
  }
  return value;
}

function pathOf(route: AnyRoute, param: unknown, ids: Ids): string {
  return `/api/v1${route.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) =>
    encodeURIComponent(String(param === null ? ids[name as keyof Ids] : resolveId(param, ids))),
  )}`;
}

/** A tame body fits its route and caller: the fields another route or role would refuse are dropped. */
function tameBody(route: AnyRoute, who: keyof Shop['tokens'] | null, body: Record<string, unknown>, ids: Ids) {
  const { retailerId } = ids;
  const { reason, amount, kind, reference, netTermsDays } = body;
  switch (route.operationId) {
    case 'cancelOrder':
    case 'rejectOffer':
      return { reason };
    case 'assignOrder':
      return { vendorId: ids.vendorId };
    case 'recordPayment':
      return { retailerId, amount, reference };
    case 'issueCreditNote':
      return { retailerId, kind, amount, reference, note: reason };
    case 'setCreditLimit':
      return { retailerId, limit: amount, reason };
    case 'setNetTerms':
      return { retailerId, netTermsDays };
    case 'recalculateCreditScore':
      return { retailerId };
    case 'createProduct':
      return { sku: reference, name: reason, category: 'noodles', baseUnit: 'packet' };
    case 'updateProduct':
      return { name: reason, category: 'noodles', baseUnit: 'packet' };
    case 'createVendorOffer':
      return { productId: ids.productId, unit: 'packet', unitPrice: amount, stockOnHand: netTermsDays };
    case 'updateVendorOffer':
      return { unit: 'packet', unitPrice: amount, stockOnHand: netTermsDays };
    case 'assessOrderRisk':
      return { orderId: ids.orderId };
    case 'rateVendor':
      return { rating: netTermsDays, comment: reason };
    case 'saveRiskRule':
      return {
        type: 'MAX_ORDER_VALUE',
        params: { max: { amount: amount, currency: 'NPR' } },
        action: kind === 'CREDIT_NOTE' ? 'REVIEW' : 'ALLOW',
      };
    case 'importCatalog':
      return who === 'vendor' || who === 'admin'
        ? {
            kind: 'offers',
            vendorId: ids.vendorId,
            csv: `sku,unit,unit_price,stock_on_hand\n${reference},packet,${reason},${netTermsDays}\nWAIWAI-75,packet,${amount},9\n`,
          }
        : {
            kind: 'products',
            csv: `sku,name,category,base_unit,aliases\n${reference},"${String(reason).replaceAll('"', '""')}",noodles,packet,${reason}@ne\n`,
          };
  }
  const { reason: _, amount: _a, kind: _k, reference: _r, netTermsDays: _n, ...order } = body;
  return who === 'admin' || who === 'operator' ? { ...order, retailerId: ids.retailerId } : order;
}

async function pendingEvents(app: TestApp): Promise<number> {
  return (await app.composition.get(OUTBOX).stats(app.composition.get(CLOCK).now())).pending;
}

/**
 * `count` generated requests over every route: malformed JSON, wrong types, missing and
 * unknown fields, oversize bodies, invalid ids, negative and huge numbers, Devanagari and
 * emoji, any caller. Passes when no request gets a 5xx and no rejected request (4xx) wrote
 * anything (every write of core appends outbox events, and no worker publishes them here).
 * The app must run with `bodyLimitBytes: 4_096` and no worker; returns the count per status.
 */
export async function runFuzz(app: TestApp, count: number): Promise<Map<number, number>> {
  const shop = await seedShop(app);
  const placed = await app.request('POST', '/api/v1/orders', {
    token: shop.tokens.retailer,
    body: { lines: [{ sku: 'WAIWAI-75', quantity: 1 }] },
  });
  const ids: Ids = {
    orderId: placed.body.order.id,
    productId: placed.body.order.lines[0].productId,
    vendorId: shop.vendorId,
    retailerId: shop.retailerId,
    queue: 'NOTIFICATIONS',
    jobId: 'fuzz-dead-1',
    eventId: (
      await app.composition
        .get(WEBHOOK_INBOX)
        .record({ provider: 'whatsapp', externalId: 'fuzz-1', payload: null, receivedAt: new Date() })
    ).event.id,
  };
  // A dead letter for the retry route to find (retrying it writes no domain event).
  const jobs = app.composition.get(JOB_QUEUE);
  await jobs.enqueue({ queue: 'NOTIFICATIONS', name: 'send', payload: {}, jobId: ids.jobId, maxAttempts: 1 });
  const failing = jobs.process('NOTIFICATIONS', async () => {
    throw new Error('provider down');
  });
  while ((await jobs.get('NOTIFICATIONS', ids.jobId))?.state !== 'dead') await new Promise((r) => setTimeout(r, 5));
  await failing.stop();
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(fc.oneof(request, tame as unknown as typeof request), async (r: Req) => {
      const route = ROUTE_BY_ID.get(r.route) as AnyRoute;
      const before = await pendingEvents(app);
      const method = r.method ?? route.method.toUpperCase();
      const query = new URLSearchParams(
        Object.entries(r.query).map(([k, v]): [string, string] => [k, String(materialise(v, ids))]),
      ).toString();
      const path = pathOf(route, r.param, ids) + (query ? `?${query}` : '');
      const headers: Record<string, string> = r.idempotencyKey === null ? {} : { 'Idempotency-Key': r.idempotencyKey };
      const b = r.body;
      const options =
        'json' in b
          ? {
              body:
                r.param === null
                  ? tameBody(route, r.who, b.json as Record<string, unknown>, ids)
                  : materialise(b.json, ids),
            }
          : 'raw' in b
            ? { rawBody: b.raw }
            : 'oversize' in b
              ? { body: { lines: [{ sku: 'WAIWAI-75', quantity: 1 }], note: 'न'.repeat(3_000) } }
              : {};
      const canHaveBody = method !== 'GET';
      const response = await app.request(method, path, {
        ...(r.who ? { token: shop.tokens[r.who] } : {}),
        headers,
        ...(canHaveBody ? options : {}),
      });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      assert.ok(response.status < 500, `${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`);
      if (response.status >= 400) {
        assert.is(await pendingEvents(app), before, `${method} ${path} was refused (${response.status}) but wrote`);
        assert.ok(typeof response.body?.error?.errorId === 'string', `${method} ${path}: not the error shape`);
      }
    }),
    { numRuns: count },
  );
  const total = [...statuses.values()].reduce((a, b) => a + b, 0);
  assert.is(total, count);
  console.log(
    `fuzz: ${total} requests; by status ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`,
  );
  assert.ok((statuses.get(201) ?? 0) + (statuses.get(200) ?? 0) > 0, 'some requests were valid');
  assert.ok((statuses.get(422) ?? 0) > 0 && (statuses.get(401) ?? 0) > 0);
  return statuses;
}

import {
  ConcurrencyError,
  DispatchOrder,
  type ErrorCode,
  ErrorCodes,
  NOOP_LOGGER,
  OfferOrderToVendor,
  type Order,
  type OrderId,
  type Outcome,
  RejectVendorOffer,
  type RetailerId,
  ReviewHeldOrder,
  ApproveOnboardingRequest,
  RejectOnboardingRequest,
  recordOnboardingMessage,
  PhoneNumber,
  type OnboardingRequestId,
  SYSTEM_ACTOR,
  type UseCaseContext,
  type Vendor,
  type VendorId,
} from '@khaacho/core';
import * as assert from 'uvu/assert';
import { suite } from 'uvu';
import { createPostgresPersistence, type PostgresPersistence } from './create-postgres-persistence.js';
import { aCreditAccount, anOrder, aRetailer, aVendor, caseTools } from './testing/concurrency-fixtures.js';
import { truncateAll } from './testing/contract-subject.js';
import { outcomes } from './testing/fault-tools.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';

/*
 * Issue 8 item 4: under 32 concurrent callers on one order, dispatch, offer, reject and
 * review each returned "changed by someone else" (ENTITY.CONCURRENT_MODIFICATION) to
 * about 10 callers per run. A caller may see an error only when the state really moved:
 * the repeated dispatch is the same fact, a second offer finds one pending, a second
 * reject finds none waiting, a second approve finds the order already approved.
 */
const test = suite('optimistic conflicts under 32 callers (real server)');
const CALLERS = 32;
let db: TestDatabase;
let p: PostgresPersistence;

test.before(async () => {
  db = await createTestDatabase('khaacho_conflicts');
  p = await createPostgresPersistence({ databaseUrl: db.url, migrate: true, poolMax: CALLERS });
  // Warm pool: the callers really overlap instead of queueing behind connection set-up.
  await Promise.all(Array.from({ length: CALLERS }, () => p.ping()));
});
test.after(async () => {
  await p?.close();
  await db?.drop();
});

interface World {
  readonly ctx: UseCaseContext;
  readonly vendors: readonly Vendor[];
  readonly retailerId: RetailerId;
  save(order: Order): Promise<OrderId>;
}

async function world(vendorCount = 1): Promise<World> {
  await truncateAll(p);
  const { ids, now } = caseTools();
  const retailer = aRetailer(ids, now);
  const vendors = Array.from({ length: vendorCount }, () => aVendor(ids, now));
  await p.uow.run(async (tx) => {
    await tx.retailers.save(retailer);
    for (const v of vendors) await tx.vendors.save(v);
    await tx.credit.save(aCreditAccount(retailer.id, now));
  });
  const ctx: UseCaseContext = { uow: p.uow, repos: p.repos, clock: { now: () => now }, ids, logger: NOOP_LOGGER };
  return {
    ctx,
    vendors,
    retailerId: retailer.id,
    async save(order) {
      await p.uow.run((tx) => tx.orders.save(order));
      return order.id;
    },
  };
}

function orderFor(w: World, status: Parameters<ReturnType<typeof anOrder>['inStatus']>[0]): Order {
  const { ids, now } = caseTools(11);
  const vendor = w.vendors[0] as Vendor;
  return anOrder(ids, now)
    .forRetailer(w.retailerId)
    .withVendor(vendor.id as VendorId)
    .inStatus(status)
    .build();
}

/** How many callers got each outcome, e.g. `{ DISPATCHED: 32 }`. */
function tally(results: readonly unknown[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = typeof r === 'string' ? r : String((r as Order).status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Each caller's order, or the code it got: a declared failure (a result) or a thrown error alike. */
function all<T>(run: (caller: number) => Promise<Outcome<T, ErrorCode>>): Promise<(T | string)[]> {
  return outcomes(
    Array.from({ length: CALLERS }, (_, caller) => run(caller).then((r) => (r.ok ? r.value : r.error.code))),
  );
}

test('32 dispatches of one order: every caller sees it DISPATCHED, the log has it once', async () => {
  const w = await world();
  const orderId = await w.save(orderFor(w, 'CONFIRMED'));
  const vendor = { type: 'vendor' as const, id: (w.vendors[0] as Vendor).id };
  const results = await all(() => new DispatchOrder(w.ctx).execute({ orderId, actor: vendor }));
  assert.equal(tally(results), { DISPATCHED: CALLERS });
  const stored = (await p.repos.orders.get(orderId)) as Order;
  assert.is(stored.statusLog.filter((l) => l.to === 'DISPATCHED').length, 1);
});

test('32 offers of one order to 32 vendors: one offer, 31 see the pending offer', async () => {
  const w = await world(CALLERS);
  const orderId = await w.save(orderFor(w, 'ROUTING'));
  const results = await all((caller) =>
    new OfferOrderToVendor(w.ctx).execute({
      orderId,
      vendorId: (w.vendors[caller] as Vendor).id,
      actor: SYSTEM_ACTOR,
    }),
  );
  assert.equal(tally(results), { ROUTING: 1, [ErrorCodes.ORDER_OFFER_PENDING]: CALLERS - 1 });
});

test('32 rejects of one offer: one reject, 31 find no offer waiting', async () => {
  const w = await world();
  const order = orderFor(w, 'ROUTING');
  const vendorId = (w.vendors[0] as Vendor).id;
  order.offerTo(vendorId, caseTools().now, new Date(caseTools().now.getTime() + 60_000));
  const orderId = await w.save(order);
  const results = await all(() =>
    new RejectVendorOffer(w.ctx).execute({
      orderId,
      vendorId,
      reason: 'out of stock',
      actor: { type: 'vendor', id: vendorId },
    }),
  );
  assert.equal(tally(results), { ROUTING: 1, [ErrorCodes.ORDER_NO_PENDING_OFFER]: CALLERS - 1 });
});

test('32 approvals of one held order: one approval written, 31 find it approved already and answer the same', async () => {
  const w = await world();
  const orderId = await w.save(orderFor(w, 'ON_HOLD'));
  const results = await all(() =>
    new ReviewHeldOrder(w.ctx).execute({ orderId, decision: 'APPROVE', actor: { type: 'operator', id: 'op-1' } }),
  );
  assert.equal(tally(results), { ROUTING: CALLERS });
  const log = (await p.repos.orders.get(orderId))?.statusLog ?? [];
  assert.is(log.filter((e) => e.from === 'ON_HOLD' && e.to === 'ROUTING').length, 1, 'approved once');
  // The other decision after it: refused.
  const late = await new ReviewHeldOrder(w.ctx).execute({
    orderId,
    decision: 'REJECT',
    reason: 'too late',
    actor: { type: 'operator', id: 'op-2' },
  });
  assert.is(late.ok ? late.value.status : late.error.code, ErrorCodes.ORDER_ILLEGAL_TRANSITION);
});

test('32 approvals of one order held over the credit limit (each with a reason): one approval written, all answer ROUTING', async () => {
  const w = await world();
  const held = orderFor(w, 'PENDING');
  held.hold(SYSTEM_ACTOR, held.snapshot().placedAt, 'credit limit exceeded', 'CREDIT_LIMIT');
  const orderId = await w.save(held);
  const results = await all((caller) =>
    new ReviewHeldOrder(w.ctx).execute({
      orderId,
      decision: 'APPROVE',
      reason: `agreed by phone (${caller})`,
      actor: { type: 'operator', id: 'op-1' },
    }),
  );
  assert.equal(tally(results), { ROUTING: CALLERS });
  const log = (await p.repos.orders.get(orderId))?.statusLog ?? [];
  assert.is(log.filter((e) => e.from === 'ON_HOLD' && e.to === 'ROUTING').length, 1, 'approved once');
});

test('approvals and rejections of one order held over the credit limit at once: one decision, the losers told it is decided', async () => {
  const w = await world();
  const held = orderFor(w, 'PENDING');
  held.hold(SYSTEM_ACTOR, held.snapshot().placedAt, 'credit limit exceeded', 'CREDIT_LIMIT');
  const orderId = await w.save(held);
  const results = await all((caller) =>
    new ReviewHeldOrder(w.ctx).execute({
      orderId,
      decision: caller % 2 === 0 ? 'APPROVE' : 'REJECT',
      reason: `caller ${caller}`,
      actor: { type: 'operator', id: 'op-1' },
    }),
  );
  const stored = (await p.repos.orders.get(orderId)) as Order;
  const counts = tally(results);
  assert.equal(counts, { [stored.status]: CALLERS / 2, [ErrorCodes.ORDER_ILLEGAL_TRANSITION]: CALLERS / 2 });
  assert.is(stored.statusLog.filter((e) => e.from === 'ON_HOLD').length, 1, 'decided once');
});

async function onboardingRequest(w: World): Promise<OnboardingRequestId> {
  const { ids, now } = caseTools(12);
  const request = await p.uow.run((tx) =>
    recordOnboardingMessage(tx, ids, {
      phone: PhoneNumber.parse('+9779812345670'),
      details: { shopName: 'Naya Pasal', area: 'Baneshwor', role: null },
      language: 'en',
      at: now,
    }),
  );
  assert.ok(request, 'a request recorded');
  void w;
  return (request as { id: OnboardingRequestId }).id;
}

test('32 approvals of one onboarding request: one retailer created, every caller answers with it', async () => {
  const w = await world();
  const requestId = await onboardingRequest(w);
  const results = await outcomes(
    Array.from({ length: CALLERS }, () =>
      new ApproveOnboardingRequest(w.ctx)
        .execute({ requestId, district: 'Kathmandu', actor: { type: 'operator', id: 'op-1' } })
        .then((r) => (r.ok ? `retailer ${r.value.retailer?.id}` : r.error.code)),
    ),
  );
  const stored = await p.repos.onboardingRequests.get(requestId);
  assert.is(stored?.status, 'APPROVED');
  assert.equal(tally(results), { [`retailer ${stored?.retailerId}`]: CALLERS });
});

test('approve and reject of one onboarding request at once: one decision, the other caller told it is decided', async () => {
  const w = await world();
  const requestId = await onboardingRequest(w);
  const op = { type: 'operator' as const, id: 'op-1' };
  const results = await outcomes(
    Array.from({ length: CALLERS }, (_, caller) =>
      (caller % 2 === 0
        ? new ApproveOnboardingRequest(w.ctx).execute({ requestId, district: 'Kathmandu', actor: op })
        : new RejectOnboardingRequest(w.ctx).execute({ requestId, reason: 'no shop there', actor: op })
      ).then((r) => (r.ok ? r.value.request.status : r.error.code)),
    ),
  );
  const stored = await p.repos.onboardingRequests.get(requestId);
  const counts = tally(results);
  assert.equal(
    Object.keys(counts).sort(),
    [stored?.status as string, ErrorCodes.ONBOARDING_DECIDED].sort(),
    JSON.stringify(counts),
  );
  assert.is(counts[stored?.status as string], CALLERS / 2);
});

test('a version conflict lost on every attempt still reaches the caller, after the policy’s attempts', async () => {
  let runs = 0;
  const [outcome] = await outcomes([
    p.uow.run(async () => {
      runs += 1;
      throw new ConcurrencyError('order was changed by someone else', {});
    }),
  ]);
  assert.is(outcome, ErrorCodes.CONCURRENT_MODIFICATION);
  assert.is(runs, 5, 'bounded like 40001');
});

test.run();

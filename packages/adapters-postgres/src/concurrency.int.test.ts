import {
  CreditAccount,
  createUseCases,
  domainEvent,
  EventTypes,
  Money,
  NOOP_LOGGER,
  type OrderId,
  SYSTEM_ACTOR,
  type VendorId,
} from '@khaacho/core';
import {
  aCreditAccount,
  anOrder,
  aProduct,
  aRetailer,
  aVendor,
  caseTools,
  type DomainEventLike,
} from './testing/concurrency-fixtures.js';
import * as assert from 'uvu/assert';
import { suite } from 'uvu';
import { createPostgresPersistence, type PostgresPersistence } from './create-postgres-persistence.js';
import { truncateAll } from './testing/contract-subject.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';

const test = suite('concurrency (real server)');
const numberOf = (event: { aggregateId: string }) => Number(event.aggregateId.slice('agg-'.length));
let db: TestDatabase;
let p: PostgresPersistence;

test.before(async () => {
  db = await createTestDatabase();
  p = await createPostgresPersistence({ databaseUrl: db.url, migrate: true, poolMax: 20 });
});
test.after(async () => {
  await p?.close();
  await db?.drop();
});
test.before.each(async () => {
  await truncateAll(p);
});

test('50 concurrent place-order transactions never exceed the limit; the ledger replays to the projection', async () => {
  const tools = caseTools();
  const { ids, now } = tools;
  const retailer = aRetailer(ids, now);
  const vendor = aVendor(ids, now);
  // Each order is NPR 40.00 (2 packets × NPR 20.00); NPR 1,000.00 fits exactly 25.
  const limit = Money.of(100_000);
  await p.uow.run(async (tx) => {
    await tx.retailers.save(retailer);
    await tx.vendors.save(vendor);
    await tx.credit.save(aCreditAccount(retailer.id, now, { limit }));
  });

  const outcomes = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      p.uow.run(async (tx) => {
        const account = (await tx.lockCreditAccount(retailer.id)) as CreditAccount;
        // Half stay pre-confirmation (counted as pending exposure), half are confirmed with a ledger hold.
        const confirm = i % 2 === 1;
        const order = anOrder(ids, now)
          .forRetailer(retailer.id)
          .withVendor(vendor.id as VendorId)
          .withLines(1)
          .inStatus(confirm ? 'CONFIRMED' : 'ROUTING')
          .build();
        const exposure = await tx.orders.pendingExposure(retailer.id, account.currency);
        if (!account.checkAvailable(order.total, exposure).ok) return 'refused';
        if (confirm) {
          account.placeHold(order.id, order.total, SYSTEM_ACTOR, now, ids);
          await tx.credit.save(account);
        }
        await tx.orders.save(order);
        await tx.outbox.append([...order.pullEvents(), ...account.pullEvents()] as DomainEventLike[]);
        return 'accepted';
      }),
    ),
  );

  assert.is(outcomes.filter((o) => o === 'accepted').length, 25, 'exactly what the limit allows');
  const account = (await p.repos.credit.get(retailer.id)) as CreditAccount;
  const exposure = await p.repos.orders.pendingExposure(retailer.id, 'NPR');
  const committed = account.outstanding().add(account.held()).add(exposure);
  assert.ok(!committed.greaterThan(limit), `committed ${committed.format()} within ${limit.format()}`);
  assert.ok(account.checkAvailable(Money.zero(), exposure).ok, 'available never negative');

  const entries = await p.repos.credit.listEntries(retailer.id, {});
  const replayed = CreditAccount.replay(account.header(), entries);
  assert.ok(replayed.outstanding().equals(account.outstanding()), 'outstanding = sum of the ledger');
  assert.ok(replayed.held().equals(account.held()), 'held = sum of HOLD entries');
  assert.is(entries.length, account.holds().length, 'one HOLD entry per confirmed order');
  assert.is(entries.map((e) => e.sequence).join(), entries.map((_, i) => i + 1).join(), 'no sequence gaps');
});

test('2 relays draining one outbox concurrently publish every event exactly once', async () => {
  const { now } = caseTools();
  const total = 400;
  await p.uow.run((tx) =>
    tx.outbox.append(
      Array.from({ length: total }, (_, n) =>
        domainEvent(EventTypes.ORDER_OFFER_EXPIRED, `agg-${n}` as OrderId, now, { vendorId: 'v' as VendorId }),
      ),
    ),
  );
  const published = new Map<number, number>();
  const relay = async (name: string) => {
    for (;;) {
      const batch = await p.outbox.claim({ limit: 16, leaseMs: 60_000, now });
      if (batch.length === 0) return;
      for (const m of batch) {
        const n = numberOf(m.event);
        published.set(n, (published.get(n) ?? 0) + 1);
      }
      // A simulated publish failure: the relay gives the message back for later.
      const [first, ...rest] = batch;
      if (name === 'b' && first && first.attempts === 1) {
        await p.outbox.markFailed(first.id, 'queue hiccup', now);
        published.set(numberOf(first.event), (published.get(numberOf(first.event)) ?? 0) - 1);
        await p.outbox.markPublished(
          rest.map((m) => m.id),
          now,
        );
      } else {
        await p.outbox.markPublished(
          batch.map((m) => m.id),
          now,
        );
      }
    }
  };
  await Promise.all([relay('a'), relay('b')]);
  assert.is(published.size, total, 'every event published');
  assert.ok(
    [...published.values()].every((c) => c === 1),
    'none twice',
  );
  assert.is((await p.outbox.stats(now)).pending, 0, 'drained');
});

// Found by the differential soak (seed -481887549): two upserts of one offer both read the
// old price, both recorded the change and its event. The upsert now reads under a lock.
test('8 concurrent upserts of one vendor offer: one offer, each price change recorded once', async () => {
  const { clock, ids, now } = caseTools();
  const vendor = aVendor(ids, now);
  const product = aProduct(ids, now);
  await p.uow.run(async (tx) => {
    await tx.vendors.save(vendor);
    await tx.products.save(product);
  });
  const uc = createUseCases({ uow: p.uow, repos: p.repos, clock, ids, logger: NOOP_LOGGER });
  const upsertAll = (unitPrice: number) =>
    Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        uc.upsertVendorOffer.execute({
          vendorId: vendor.id,
          productId: product.id,
          unit: 'packet',
          unitPrice: Money.of(unitPrice),
          stockOnHand: i,
          actor: SYSTEM_ACTOR,
        }),
      ),
    );
  const changes = (outcomes: Awaited<ReturnType<typeof upsertAll>>) =>
    outcomes.map((o) => (o.ok ? o.value.priceChanged : o.error.code)).filter((c) => c !== false);
  // None yet: one creates it (a price change from nothing), the others wait and update it.
  assert.equal(changes(await upsertAll(1_500)), [true], 'created once, no duplicate key');
  assert.equal(changes(await upsertAll(1_600)), [true], 'one of them changed the price');
  assert.is((await p.repos.offers.listByVendor(vendor.id)).length, 1);
  const history = await p.repos.priceHistory.listForProduct(product.id, new Date(0));
  assert.equal(
    history.map((c) => [c.previousPrice?.amount ?? null, c.price.amount]),
    [
      [null, 1_500],
      [1_500, 1_600],
    ],
  );
});

test('a serialization failure re-runs the work, bounded', async () => {
  let runs = 0;
  const result = await p.uow.run(async () => {
    runs += 1;
    if (runs < 3) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
    return 'ok';
  });
  assert.is(result, 'ok');
  assert.is(runs, 3);
  runs = 0;
  try {
    await p.uow.run(async () => {
      runs += 1;
      throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
    });
    assert.unreachable('should give up');
  } catch (error) {
    assert.is((error as { code?: string }).code, 'STORAGE.DEADLOCK');
  }
  assert.is(runs, 5, 'gives up after the policy’s attempts');
});

test.run();

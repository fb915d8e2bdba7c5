import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ProductRepository } from '../ports/repositories.js';
import type { TransactionScope, UnitOfWork } from '../ports/unit-of-work.js';
import { type Actor, SYSTEM_ACTOR } from '../shared/domain-event.js';
import { DomainError, type ErrorCode, ErrorCodes } from '../shared/errors.js';
import type { OrderId, RetailerId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { createTestWorld, createWorldOn, type TestWorld } from '../testing/test-world.js';
import type { PlaceOrderCommand } from './place-order.js';

async function codeOf(work: () => Promise<unknown>): Promise<ErrorCode | string> {
  try {
    await work();
    return 'none';
  } catch (e) {
    return DomainError.is(e) ? e.code : `raw ${String(e)}`;
  }
}

async function market(world: Pick<TestWorld, 'given'>) {
  const retailer = await world.given.retailer();
  const vendor = await world.given.vendor();
  const product = await world.given.product({ sku: 'RICE-1', baseUnit: 'kg', conversions: [] });
  await world.given.offer({ vendorId: vendor.id, productId: product.id, unit: 'kg' });
  return { retailer, vendor, product };
}

function order(retailerId: RetailerId, overrides: Partial<Record<keyof PlaceOrderCommand, unknown>> = {}) {
  return {
    retailerId,
    lines: [{ sku: 'RICE-1', quantity: 2 }],
    source: 'api',
    actor: { type: 'retailer', id: retailerId },
    ...overrides,
  } as PlaceOrderCommand;
}

test('issue 8 #9: lines: null is VALIDATION.INVALID_COMMAND, not a TypeError', async () => {
  const world = createTestWorld();
  const { retailer } = await market(world);
  const place = (o: Partial<Record<keyof PlaceOrderCommand, unknown>>) => () =>
    world.useCases.placeOrder.execute(order(retailer.id, o));
  assert.is(await codeOf(place({ lines: null })), ErrorCodes.INVALID_COMMAND);
  assert.is(await codeOf(place({ lines: 'RICE-1 x2' })), ErrorCodes.INVALID_COMMAND);
  assert.is(await codeOf(place({ lines: [null] })), ErrorCodes.INVALID_COMMAND);
  assert.is(await codeOf(place({ lines: [] })), ErrorCodes.NO_LINES);
  assert.is(await codeOf(place({ lines: [{ quantity: 1 }] })), ErrorCodes.INVALID_COMMAND, 'neither id nor sku');
  assert.is(await codeOf(place({ lines: [{ sku: 'RICE-1', quantity: '2' }] })), ErrorCodes.INVALID_QUANTITY);
  assert.is(await codeOf(place({ lines: [{ sku: 'RICE-1', quantity: 2.0004 }] })), ErrorCodes.TOO_MANY_DECIMALS);
  assert.is(await codeOf(place({ lines: [{ sku: 'rice 1 !!', quantity: 2 }] })), ErrorCodes.INVALID_SKU);
});

test('issue 8 #9: unit "tonne" is VALIDATION.UNKNOWN_UNIT, not "invalid quantity"', async () => {
  const world = createTestWorld();
  const { retailer } = await market(world);
  const cmd = order(retailer.id, { lines: [{ sku: 'RICE-1', quantity: 1, unit: 'tonne' }] });
  assert.is(await codeOf(() => world.useCases.placeOrder.execute(cmd)), ErrorCodes.UNKNOWN_UNIT);
});

test('issue 8 #9: a non-UUID id is VALIDATION.INVALID_ID at every use case, without echoing it', async () => {
  const world = createTestWorld();
  const { retailer } = await market(world);
  const bad = "x'; drop table orders; --";
  const staff: Actor = { type: 'operator', id: 'op-1' };
  const calls: Array<[string, () => Promise<unknown>]> = [
    ['place', () => world.useCases.placeOrder.execute(order(bad as RetailerId))],
    [
      'place productId',
      () => world.useCases.placeOrder.execute(order(retailer.id, { lines: [{ productId: bad, quantity: 1 }] })),
    ],
    [
      'pay',
      () =>
        world.useCases.recordPayment.execute({
          retailerId: bad as RetailerId,
          amount: Money.of(100),
          reference: 'R-1',
          actor: staff,
        }),
    ],
    [
      'adjust',
      () =>
        world.useCases.adjustCredit.execute({
          retailerId: bad as RetailerId,
          amount: Money.of(100),
          reference: 'N-1',
          note: 'n',
          actor: staff,
        }),
    ],
    ['dispatch', () => world.useCases.dispatchOrder.execute({ orderId: bad as OrderId, actor: staff })],
    ['deliver', () => world.useCases.deliverOrder.execute({ orderId: bad as OrderId, actor: staff })],
    ['cancel', () => world.useCases.cancelOrder.execute({ orderId: bad as OrderId, reason: 'why', actor: staff })],
    [
      'offer',
      () =>
        world.useCases.offerOrderToVendor.execute({ orderId: bad as OrderId, vendorId: bad as never, actor: staff }),
    ],
    [
      'accept',
      () =>
        world.useCases.acceptVendorOffer.execute({
          orderId: bad as OrderId,
          vendorId: bad as never,
          actor: { type: 'vendor', id: bad as never },
        }),
    ],
    [
      'reject offer',
      () =>
        world.useCases.rejectVendorOffer.execute({
          orderId: bad as OrderId,
          vendorId: bad as never,
          reason: null,
          actor: { type: 'vendor', id: bad as never },
        }),
    ],
    [
      'review',
      () => world.useCases.reviewHeldOrder.execute({ orderId: bad as OrderId, decision: 'APPROVE', actor: staff }),
    ],
    [
      'limit',
      () =>
        world.useCases.setCreditLimit.execute({
          retailerId: bad as RetailerId,
          limit: Money.of(1),
          reason: 'r',
          actor: staff,
        }),
    ],
    ['get order', () => world.useCases.getOrder.execute({ orderId: bad as OrderId })],
    ['route', () => world.useCases.routeOrder.execute({ orderId: bad as OrderId, actor: SYSTEM_ACTOR })],
  ];
  for (const [name, call] of calls) {
    try {
      await call();
      assert.unreachable(`${name} accepted a non-UUID id`);
    } catch (e) {
      assert.ok(DomainError.hasCode(e, ErrorCodes.INVALID_ID), `${name}: ${String(e)}`);
      assert.not.ok(JSON.stringify((e as DomainError).toJSON()).includes('drop table'), `${name} echoes the id`);
    }
  }
});

test('issue 8 #9: registering a party checks its actor and phone before the transaction', async () => {
  const world = createTestWorld();
  const base = { name: 'Sita Pasal', area: 'a', district: 'd', actor: SYSTEM_ACTOR };
  const phone = { value: '+9779800000009' };
  assert.is(
    await codeOf(() => world.useCases.registerRetailer.execute({ ...base, phone: null } as never)),
    ErrorCodes.INVALID_COMMAND,
  );
  assert.is(
    await codeOf(() =>
      world.useCases.registerVendor.execute({
        ...base,
        phone,
        serviceAreas: ['a'],
        dailyCapacity: 1,
        actor: { type: 'robot', id: null },
      } as never),
    ),
    ErrorCodes.UNKNOWN_ACTOR_TYPE,
  );
  assert.is(
    await codeOf(() =>
      world.useCases.registerVendor.execute({ ...base, phone, serviceAreas: 'a', dailyCapacity: 1 } as never),
    ),
    ErrorCodes.INVALID_COMMAND,
  );
});

test('issue 8 #9: a bad source or actor type is refused before an order number is taken', async () => {
  const world = createTestWorld();
  const { retailer } = await market(world);
  const place = (o: Partial<Record<keyof PlaceOrderCommand, unknown>>) => () =>
    world.useCases.placeOrder.execute(order(retailer.id, o));
  assert.is(await codeOf(place({ source: 'fax' })), ErrorCodes.UNKNOWN_ORDER_SOURCE);
  assert.is(await codeOf(place({ actor: { type: 'robot', id: null } })), ErrorCodes.UNKNOWN_ACTOR_TYPE);
  assert.is(await codeOf(place({ actor: null })), ErrorCodes.INVALID_COMMAND);
  assert.is(await codeOf(place({ note: 'x'.repeat(1001) })), ErrorCodes.TEXT_TOO_LONG);
  const placed = await world.useCases.placeOrder.execute(order(retailer.id));
  assert.ok(placed.ok);
  if (placed.ok) assert.is(placed.value.order.number, 'KH-000001', 'no number was used by the refused commands');
});

/** The in-memory world, counting transactions and product lookups made inside them. */
function countingWorld() {
  const inner = createTestWorld();
  const counts = { transactions: 0, getBySku: 0, getManyBySku: 0 };
  const uow: UnitOfWork = {
    run(work, options) {
      counts.transactions++;
      return inner.persistence.uow.run((tx) => {
        const products: ProductRepository = {
          ...tx.products,
          get: (id) => tx.products.get(id),
          getMany: (ids) => tx.products.getMany(ids),
          list: (f, p) => tx.products.list(f, p),
          listActive: () => tx.products.listActive(),
          save: (p) => tx.products.save(p),
          getBySku: (sku) => {
            counts.getBySku++;
            return tx.products.getBySku(sku);
          },
          getManyBySku: (skus) => {
            counts.getManyBySku++;
            return tx.products.getManyBySku(skus);
          },
        };
        return work(Object.assign(Object.create(tx) as TransactionScope, { products }));
      }, options);
    },
  };
  const world = createWorldOn({ uow, repos: inner.persistence.repos }, {}, inner.clock, inner.ids);
  return { world, counts };
}

test('issue 8 #10: more than 200 lines is VALIDATION.TOO_MANY_LINES before any transaction opens', async () => {
  const { world, counts } = countingWorld();
  const { retailer } = await market(world);
  const before = counts.transactions;
  counts.getBySku = 0;
  const lines = Array.from({ length: 10_000 }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1 }));
  assert.is(
    await codeOf(() => world.useCases.placeOrder.execute(order(retailer.id, { lines }))),
    ErrorCodes.TOO_MANY_LINES,
  );
  assert.is(counts.transactions, before, 'no transaction was opened');
  assert.is(counts.getBySku + counts.getManyBySku, 0, 'no SKU was looked up');
});

test('issue 8 #10: the SKUs of an order are looked up in one query', async () => {
  const { world, counts } = countingWorld();
  const retailer = await world.given.retailer();
  const vendor = await world.given.vendor();
  const lines = [];
  for (let i = 0; i < 20; i++) {
    const p = await world.given.product({ sku: `RICE-${i}`, baseUnit: 'kg', conversions: [] });
    await world.given.offer({ vendorId: vendor.id, productId: p.id, unit: 'kg' });
    lines.push({ sku: `rice-${i}`, quantity: 1 });
  }
  counts.getBySku = 0;
  counts.getManyBySku = 0;
  const placed = await world.useCases.placeOrder.execute(order(retailer.id, { lines }));
  assert.ok(placed.ok, JSON.stringify(placed));
  if (placed.ok) assert.is(placed.value.order.lines.length, 20);
  assert.equal({ getBySku: counts.getBySku, getManyBySku: counts.getManyBySku }, { getBySku: 0, getManyBySku: 1 });
});

test('issue 8 #7: 1 MB order, payment and credit-note notes are refused; nothing reaches the ledger', async () => {
  const world = createTestWorld();
  const { retailer } = await market(world);
  const mb = 'x'.repeat(1024 * 1024);
  const staff: Actor = { type: 'operator', id: 'op-1' };
  assert.is(
    await codeOf(() => world.useCases.placeOrder.execute(order(retailer.id, { note: mb }))),
    ErrorCodes.TEXT_TOO_LONG,
  );
  const pay = { retailerId: retailer.id, amount: Money.of(100), reference: 'R-1', actor: staff };
  assert.is(await codeOf(() => world.useCases.recordPayment.execute({ ...pay, note: mb })), ErrorCodes.TEXT_TOO_LONG);
  assert.is(
    await codeOf(() => world.useCases.adjustCredit.execute({ ...pay, amount: Money.of(-100), note: mb })),
    ErrorCodes.TEXT_TOO_LONG,
  );
  assert.is(
    await codeOf(() => world.useCases.recordPayment.execute({ ...pay, note: 'paid \ud83c' })),
    ErrorCodes.INVALID_CHARACTERS,
  );
  assert.is(
    await codeOf(() =>
      world.useCases.cancelOrder.execute({
        orderId: '00000000-0000-7000-8000-00000000ffff' as OrderId,
        reason: mb,
        actor: SYSTEM_ACTOR,
      }),
    ),
    ErrorCodes.TEXT_TOO_LONG,
  );
  assert.equal(await world.repos.credit.listEntries(retailer.id, {}), [], 'no ledger entry');
  assert.is((await world.repos.orders.list({}, { limit: 10 })).items.length, 0, 'no order');
});

test.run();

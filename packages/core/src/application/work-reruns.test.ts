import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TransactionScope, UnitOfWork, UnitOfWorkOptions } from '../ports/unit-of-work.js';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { Money } from '../shared/money.js';
import { createInMemoryPersistence } from '../testing/in-memory-persistence.js';
import { expectOk } from '../testing/outcomes.js';
import { createWorldOn } from '../testing/test-world.js';
import { deterministicIds } from '../testing/deterministic-ids.js';
import { ManualClock } from '../testing/manual-clock.js';

/**
 * What the port allows a real adapter to do: run the work, roll it back (a version check
 * or a serialization failure at commit), and run it again. Only the second run commits.
 */
class ReRunningUnitOfWork implements UnitOfWork {
  private readonly rolledBack = new Error('rolled back, as a lost race would be');

  constructor(private readonly inner: UnitOfWork) {}

  async run<T>(work: (tx: TransactionScope) => Promise<T>, options?: UnitOfWorkOptions): Promise<T> {
    await this.inner
      .run(async (tx) => {
        await work(tx);
        throw this.rolledBack;
      }, options)
      .catch((e: unknown) => {
        if (e !== this.rolledBack) throw e;
      });
    return this.inner.run(work, options);
  }
}

test('review8 #6: work run twice by the unit of work logs each change once and reports each expiry once', async () => {
  const clock = new ManualClock('2026-03-01T08:00:00Z');
  const ids = deterministicIds(clock, 5);
  const storage = createInMemoryPersistence(ids);
  const world = createWorldOn({ repos: storage.repos, uow: new ReRunningUnitOfWork(storage.uow) }, {}, clock, ids);
  const retailer = await world.given.retailer({ creditLimit: Money.of(5_000_000) });
  const vendor = await world.given.vendor();
  const other = await world.given.vendor();
  const product = await world.given.product();
  await world.given.offer({ vendorId: vendor.id, productId: product.id, unitPrice: Money.of(2_000) });
  await world.given.offer({ vendorId: other.id, productId: product.id, unitPrice: Money.of(2_100) });
  const place = async () =>
    expectOk(
      await world.useCases.placeOrder.execute({
        retailerId: retailer.id,
        lines: [{ productId: product.id, quantity: 1 }],
        source: 'api',
        actor: { type: 'retailer', id: retailer.id },
      }),
    ).order.id;
  const asVendor = { type: 'vendor', id: vendor.id } as const;

  const delivered = await place();
  expectOk(
    await world.useCases.offerOrderToVendor.execute({ orderId: delivered, vendorId: vendor.id, actor: SYSTEM_ACTOR }),
  );
  expectOk(
    await world.useCases.acceptVendorOffer.execute({ orderId: delivered, vendorId: vendor.id, actor: asVendor }),
  );
  expectOk(await world.useCases.dispatchOrder.execute({ orderId: delivered, actor: asVendor }));
  expectOk(
    await world.useCases.deliverOrder.execute({
      orderId: delivered,
      actor: asVendor,
      code: await world.deliveryCode(delivered),
    }),
  );

  const cancelled = await place();
  expectOk(
    await world.useCases.offerOrderToVendor.execute({ orderId: cancelled, vendorId: vendor.id, actor: SYSTEM_ACTOR }),
  );
  expectOk(
    await world.useCases.rejectVendorOffer.execute({
      orderId: cancelled,
      vendorId: vendor.id,
      reason: 'no stock',
      actor: asVendor,
    }),
  );
  expectOk(
    await world.useCases.cancelOrder.execute({ orderId: cancelled, reason: 'changed mind', actor: SYSTEM_ACTOR }),
  );

  const expiring = await place();
  expectOk(
    await world.useCases.offerOrderToVendor.execute({ orderId: expiring, vendorId: other.id, actor: SYSTEM_ACTOR }),
  );
  clock.advance(60 * 60_000);
  assert.equal(expectOk(await world.useCases.expireOverdueOffers.execute({ actor: SYSTEM_ACTOR })), [expiring]);

  const counts = new Map<string, number>();
  for (const r of world.logger.records) counts.set(r.message, (counts.get(r.message) ?? 0) + 1);
  assert.equal(
    Object.fromEntries(
      [
        'order offered',
        'offer accepted',
        'order dispatched',
        'order delivered and invoiced',
        'offer rejected',
        'order cancelled',
        'offers expired',
      ].map((m) => [m, counts.get(m) ?? 0]),
    ),
    {
      'order offered': 3,
      'offer accepted': 1,
      'order dispatched': 1,
      'order delivered and invoiced': 1,
      'offer rejected': 1,
      'order cancelled': 1,
      'offers expired': 1,
    },
  );
});

test.run();

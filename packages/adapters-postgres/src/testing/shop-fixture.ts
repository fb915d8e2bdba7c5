import {
  ALLOW_ALL_RISK_POLICY,
  CreditAccount,
  createProduct,
  createRetailer,
  createVendor,
  createVendorOffer,
  Money,
  NOOP_LOGGER,
  PhoneNumber,
  PlaceOrder,
  type ProductId,
  type Retailer,
  type RetailerId,
  SYSTEM_ACTOR,
  systemIds,
  type UseCaseContext,
  type Vendor,
  type VendorId,
  type VendorOfferId,
} from '@khaacho/core';
import type { PostgresPersistence } from '../create-postgres-persistence.js';

export interface Shop {
  readonly ctx: UseCaseContext;
  readonly vendor: Vendor;
  readonly retailers: readonly Retailer[];
  /** Place a 2-line order for retailer `i`; resolves to the order's status or throws the use case's error. */
  placeOrder(i: number): Promise<string>;
}

/**
 * One vendor selling two products to `retailerCount` retailers with ample credit: enough
 * for PlaceOrder to run for real against a PostgreSQL persistence in fault tests. The rows
 * are written through `seedWith` (default `p`), so a persistence with tight timeouts can
 * be tested on data that a roomier one wrote.
 */
export async function openShop(p: PostgresPersistence, retailerCount: number, seedWith = p): Promise<Shop> {
  const ids = systemIds();
  const now = () => new Date();
  const ctx: UseCaseContext = { uow: p.uow, repos: p.repos, clock: { now }, ids, logger: NOOP_LOGGER };
  const vendor = createVendor(
    { name: 'Fault Traders', phone: PhoneNumber.parse('9700000009'), serviceAreas: ['lalitpur-3'], dailyCapacity: 1e6 },
    ids.next() as VendorId,
    now(),
  );
  const products = [0, 1].map((i) =>
    createProduct(
      { sku: `FAULT-${i}`, name: `Rara ${i}`, category: 'noodles', baseUnit: 'packet', conversions: [] },
      ids.next() as ProductId,
      now(),
    ),
  );
  const retailers = Array.from({ length: retailerCount }, (_, i) =>
    createRetailer(
      {
        name: `Fault Shop ${i}`,
        phone: PhoneNumber.parse(`981${String(i).padStart(7, '0')}`),
        area: 'lalitpur-3',
        district: 'lalitpur',
        status: 'ACTIVE',
      },
      ids.next() as RetailerId,
      now(),
    ),
  );
  await seedWith.uow.run(async (tx) => {
    await tx.vendors.save(vendor);
    for (const product of products) {
      await tx.products.save(product);
      await tx.offers.save(
        createVendorOffer(
          { vendorId: vendor.id, productId: product.id, unit: 'packet', unitPrice: Money.of(1_500), stockOnHand: 1e9 },
          ids.next() as VendorOfferId,
          now(),
        ),
      );
    }
    for (const r of retailers) {
      await tx.retailers.save(r);
      await tx.credit.save(
        CreditAccount.open({
          retailerId: r.id,
          currency: 'NPR',
          creditLimit: Money.of(1e12),
          netTermsDays: 15,
          createdAt: now(),
        }),
      );
    }
  });
  const place = new PlaceOrder(ctx, ALLOW_ALL_RISK_POLICY);
  const lines = products.map((product) => ({ productId: product.id, quantity: 2, unit: 'packet' as const }));
  return {
    ctx,
    vendor,
    retailers,
    async placeOrder(i) {
      const retailer = retailers[i % retailers.length] as Retailer;
      const r = await place.execute({ retailerId: retailer.id, lines, source: 'api', actor: SYSTEM_ACTOR });
      if (!r.ok) throw new Error(`order refused: ${r.error.code}`);
      return r.value.status;
    },
  };
}

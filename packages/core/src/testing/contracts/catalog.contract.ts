import { createProduct } from '../../catalog/product.js';
import { ConflictError, ErrorCodes } from '../../shared/errors.js';
import type { ProductId } from '../../shared/ids.js';
import { Money } from '../../shared/money.js';
import { aProduct, anOffer, aVendor } from '../builders.js';
import { type Contract, errorWith, expectEqual, expectRejects, expectTrue } from '../contract.js';
import { caseTools, type PersistenceSubject } from './persistence-subject.js';

export const productRepositoryContract: Contract<PersistenceSubject> = {
  name: 'ProductRepository',
  cases: [
    {
      name: 'saves and finds by id and by sku (any case)',
      async run({ repos }) {
        const { ids, now } = caseTools();
        const p = aProduct(ids, now, {
          sku: 'RICE-JEERA-25',
          aliases: [
            { text: 'chamal', language: 'ne-Latn' },
            { text: 'चामल', language: 'ne' },
          ],
          conversions: [{ unit: 'bag', toBase: 25 }],
          baseUnit: 'kg',
        });
        await repos.products.save(p);
        expectEqual(await repos.products.get(p.id), p, 'get by id');
        expectEqual(await repos.products.getBySku('rice-jeera-25'), p, 'get by sku');
        expectEqual(await repos.products.get(ids.next() as ProductId), null, 'absent is null');
      },
    },
    {
      name: 'issue 8 #10: getManyBySku finds many SKUs at once (any case, each once, by sku), unknown left out',
      async run({ repos }) {
        const { ids, now } = caseTools();
        const made = [];
        for (const sku of ['TEA-1', 'DAL-2', 'OIL-3']) {
          const p = aProduct(ids, now, { sku });
          made.push(p);
          await repos.products.save(p);
        }
        const found = await repos.products.getManyBySku([' oil-3', 'tea-1', 'TEA-1', 'NOPE-9']);
        expectEqual(found, [made[2], made[0]], 'OIL-3 then TEA-1');
        expectEqual(await repos.products.getManyBySku([]), [], 'none asked, none found');
      },
    },
    {
      name: 'a second product with the same sku is ENTITY.DUPLICATE; updating keeps the id',
      async run({ repos }) {
        const { ids, now } = caseTools();
        const p = aProduct(ids, now, { sku: 'OIL-1L' });
        await repos.products.save(p);
        await expectRejects(
          repos.products.save(aProduct(ids, now, { sku: 'OIL-1L' })),
          errorWith(ConflictError.is, ErrorCodes.DUPLICATE),
          'duplicate sku',
        );
        const renamed = createProduct({ ...p, name: 'Mustard oil 1 L' }, p.id, now, p);
        await repos.products.save(renamed);
        expectEqual((await repos.products.getBySku('OIL-1L'))?.name, 'Mustard oil 1 L', 'updated');
      },
    },
    {
      name: 'lists by category, search (sku, name, alias) and active flag, paginated by sku',
      async run({ repos }) {
        const { ids, now } = caseTools();
        const made = [];
        for (let i = 0; i < 7; i++) {
          made.push(
            aProduct(ids, now, {
              sku: `P-${String(i).padStart(2, '0')}`,
              category: i % 2 === 0 ? 'rice' : 'oil',
              active: i !== 6,
              aliases: [{ text: i === 3 ? 'tori ko tel' : `x${i}`, language: 'ne-Latn' }],
            }),
          );
        }
        for (const p of made) await repos.products.save(p);
        const rice = await repos.products.list({ category: 'rice' }, { limit: 10 });
        expectEqual(
          rice.items.map((p) => p.sku),
          ['P-00', 'P-02', 'P-04', 'P-06'],
          'category filter',
        );
        const active = await repos.products.list({ category: 'rice', activeOnly: true }, { limit: 10 });
        expectEqual(active.items.length, 3, 'active only');
        const tel = await repos.products.list({ search: 'TORI' }, { limit: 10 });
        expectEqual(
          tel.items.map((p) => p.sku),
          ['P-03'],
          'alias search',
        );
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await repos.products.list({}, { limit: 3, cursor });
          seen.push(...page.items.map((p) => p.sku));
          cursor = page.nextCursor;
        } while (cursor);
        expectEqual(
          seen,
          made.map((p) => p.sku),
          'pages cover everything once, in order',
        );
        expectEqual((await repos.products.listActive()).length, 6, 'listActive');
        expectEqual(
          (await repos.products.getMany([made[1]?.id as ProductId, ids.next() as ProductId])).map((p) => p.sku),
          ['P-01'],
          'getMany skips unknown ids',
        );
      },
    },
  ],
};

export const vendorOfferRepositoryContract: Contract<PersistenceSubject> = {
  name: 'VendorOfferRepository',
  cases: [
    {
      name: 'one offer per vendor and product (ENTITY.DUPLICATE); lists active offers for products',
      async run({ repos }) {
        const { ids, now } = caseTools();
        const v1 = aVendor(ids, now);
        const v2 = aVendor(ids, now);
        const p1 = aProduct(ids, now);
        const p2 = aProduct(ids, now);
        for (const v of [v1, v2]) await repos.vendors.save(v);
        for (const p of [p1, p2]) await repos.products.save(p);
        const o1 = anOffer(ids, now, {
          vendorId: v1.id,
          productId: p1.id,
          unitPrice: Money.of(1_550),
          stockOnHand: 12.5,
        });
        const o2 = anOffer(ids, now, { vendorId: v2.id, productId: p1.id, active: false });
        const o3 = anOffer(ids, now, { vendorId: v1.id, productId: p2.id });
        for (const o of [o1, o2, o3]) await repos.offers.save(o);
        expectEqual(await repos.offers.get(o1.id), o1, 'round trip');
        expectEqual(await repos.offers.getByVendorAndProduct(v1.id, p1.id), o1, 'by vendor and product');
        expectEqual(await repos.offers.getForUpdate(v1.id, p1.id), o1, 'for update: the same read');
        expectEqual(await repos.offers.getForUpdate(v2.id, p2.id), null, 'for update: none yet');
        await expectRejects(
          repos.offers.save(anOffer(ids, now, { vendorId: v1.id, productId: p1.id })),
          errorWith(ConflictError.is, ErrorCodes.DUPLICATE),
          'second offer for the same pair',
        );
        const active = await repos.offers.listActiveForProducts([p1.id]);
        expectEqual(
          active.map((o) => o.id),
          [o1.id],
          'inactive and other products are left out',
        );
        expectEqual((await repos.offers.listByVendor(v1.id)).length, 2, 'by vendor');
      },
    },
    {
      name: 'price history is kept in time order and filtered by date',
      async run({ repos }) {
        const { ids, clock, now } = caseTools();
        const v = aVendor(ids, now);
        const p = aProduct(ids, now);
        await repos.vendors.save(v);
        await repos.products.save(p);
        const t1 = now;
        const t2 = clock.advance(86_400_000);
        await repos.priceHistory.append({
          vendorId: v.id,
          productId: p.id,
          unit: 'packet',
          previousPrice: Money.of(2_000),
          price: Money.of(2_100),
          changedAt: t2,
        });
        await repos.priceHistory.append({
          vendorId: v.id,
          productId: p.id,
          unit: 'packet',
          previousPrice: null,
          price: Money.of(2_000),
          changedAt: t1,
        });
        const all = await repos.priceHistory.listForProduct(p.id, new Date(0));
        expectEqual(
          all.map((c) => c.price.amount),
          [2_000, 2_100],
          'oldest first',
        );
        expectTrue(all[0]?.previousPrice === null, 'null previous price survives');
        expectEqual((await repos.priceHistory.listForProduct(p.id, t2)).length, 1, 'since filter');
      },
    },
  ],
};

import { CatalogCache } from '../../caching/catalog-cache.js';
import { createProduct, type Product } from '../../catalog/product.js';
import type { VendorOffer } from '../../catalog/vendor-offer.js';
import { domainEvent, EventTypes } from '../../events/event-catalog.js';
import type { ProductRepository, VendorOfferRepository } from '../../ports/repositories.js';
import type { ProductId, VendorId } from '../../shared/ids.js';
import { Money } from '../../shared/money.js';
import { deterministicIds } from '../deterministic-ids.js';
import { aProduct, anOffer, aVendor } from '../builders.js';
import { type Contract, expectEqual, expectTrue } from '../contract.js';
import { createInMemoryPersistence } from '../in-memory-persistence.js';
import { ManualClock } from '../manual-clock.js';
import type { CacheSubject } from './job-queue.contract.js';

/** The repositories behind the cache, counting the reads that reach them. */
function world(subject: CacheSubject) {
  const clock = new ManualClock('2026-03-01T08:15:30.123Z');
  const ids = deterministicIds(clock);
  const persistence = createInMemoryPersistence(ids);
  const { repos } = persistence;
  const reads: string[] = [];
  const counted = <R extends object>(name: string, inner: R): R =>
    new Proxy(inner, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          reads.push(`${name}.${String(prop)}`);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const products: ProductRepository = counted('products', repos.products);
  const offers: VendorOfferRepository = counted('offers', repos.offers);
  const catalog = new CatalogCache(subject.cache, { newStamp: () => ids.next(), ttlMs: 60_000 });
  return {
    clock,
    ids,
    repos,
    reads,
    catalog,
    products: catalog.products(products),
    offers: catalog.offers(offers),
    taken: () => reads.splice(0),
  };
}

const productEvent = (p: Product, at: Date) => domainEvent(EventTypes.PRODUCT_UPDATED, p.id, at, { sku: p.sku });
const offerEvent = (o: VendorOffer, at: Date) =>
  domainEvent(EventTypes.OFFER_UPDATED, o.id, at, {
    vendorId: o.vendorId,
    productId: o.productId,
    unit: o.unit,
    price: o.unitPrice.amount,
    previousPrice: null,
    stockOnHand: o.stockOnHand,
  });

/**
 * `CatalogCache` over one `Cache` backend: what comes back is exactly what the repository
 * holds (Money, Dates, nested arrays), hits do not reach the repository, and after an
 * invalidation nothing older is served, also when a read raced the write.
 */
export const catalogCacheContract: Contract<CacheSubject> = {
  name: 'CatalogCache',
  cases: [
    {
      name: 'a product and an offer come back exactly, the second time from the cache',
      async run(s) {
        const w = world(s);
        const p = aProduct(w.ids, w.clock.now(), {
          name: 'वाइवाइ चाउचाउ 75g',
          conversions: [
            { unit: 'carton', toBase: 30 },
            { unit: 'kg', toBase: 13.333 },
          ],
          aliases: [
            { text: 'wai wai', language: 'ne-Latn' },
            { text: 'वाइवाइ', language: 'ne' },
          ],
        });
        const v = aVendor(w.ids, w.clock.now());
        const o = anOffer(w.ids, new Date('2026-02-28T23:59:59.999Z'), {
          vendorId: v.id,
          productId: p.id,
          unitPrice: Money.of(192_055, 'NPR'),
          stockOnHand: 1234.567,
          minOrderQty: 0.5,
          leadTimeHours: 36.25,
        });
        await w.repos.products.save(p);
        await w.repos.vendors.save(v);
        await w.repos.offers.save(o);
        w.taken();
        expectEqual(await w.products.get(p.id), p, 'product from the repository');
        expectEqual(w.taken(), ['products.get'], 'first read reaches the repository');
        const cached = await w.products.get(p.id);
        expectEqual(cached, p, 'product from the cache, equal');
        expectTrue(cached?.createdAt instanceof Date && cached.createdAt.getTime() === p.createdAt.getTime(), 'a Date');
        expectEqual(await w.products.getBySku(` ${p.sku.toLowerCase()}`), p, 'by SKU, filed with the id read');
        expectEqual(w.taken(), [], 'no repository read for either');

        expectEqual(await w.offers.getByVendorAndProduct(v.id, p.id), o, 'offer from the repository');
        const again = await w.offers.get(o.id);
        expectEqual(again, o, 'offer by id, from the cache');
        expectTrue(
          again?.unitPrice instanceof Money && again.unitPrice.equals(o.unitPrice),
          'Money, not a plain object',
        );
        expectEqual(w.taken(), ['offers.getByVendorAndProduct'], 'one repository read');
      },
    },
    {
      name: 'many products and active offers: hits and misses merged, in the repository order',
      async run(s) {
        const w = world(s);
        const ps = ['TEA-3', 'DAL-1', 'OIL-2'].map((sku) => aProduct(w.ids, w.clock.now(), { sku }));
        const vs = [aVendor(w.ids, w.clock.now()), aVendor(w.ids, w.clock.now())];
        for (const p of ps) await w.repos.products.save(p);
        for (const v of vs) await w.repos.vendors.save(v);
        const [p0, p1, p2] = ps as [Product, Product, Product];
        const [v0, v1] = vs as [(typeof vs)[0], (typeof vs)[0]];
        for (const o of [
          anOffer(w.ids, w.clock.now(), { vendorId: v1.id, productId: p0.id }),
          anOffer(w.ids, w.clock.now(), { vendorId: v0.id, productId: p0.id }),
          anOffer(w.ids, w.clock.now(), { vendorId: v0.id, productId: p1.id, active: false }),
          anOffer(w.ids, w.clock.now(), { vendorId: v1.id, productId: p2.id }),
        ])
          await w.repos.offers.save(o);
        const all = [p0.id, p1.id, p2.id];
        const live = await w.repos.offers.listActiveForProducts(all);

        expectEqual(await w.offers.listActiveForProducts([p0.id]), live.slice(0, 2), 'one product');
        w.taken();
        expectEqual(await w.offers.listActiveForProducts([p2.id, p1.id, p0.id, p1.id]), live, 'merged, ordered');
        expectEqual(w.taken(), ['offers.listActiveForProducts'], 'only the missing products were read');
        expectEqual(await w.offers.listActiveForProducts(all), live, 'all cached, "no offer" too');
        expectEqual(w.taken(), [], 'nothing read');

        const bySku = [...ps].sort((a, b) => (a.sku < b.sku ? -1 : 1));
        expectEqual(await w.products.getMany([p2.id]), [p2], 'one');
        expectEqual(await w.products.getMany([...all, w.ids.next() as ProductId, p0.id]), bySku, 'SKU order, distinct');
        expectEqual(await w.products.getManyBySku(['oil-2', ' TEA-3', 'NOPE-1']), [p2, p0], 'by SKU');
        w.taken();
        expectEqual(await w.products.getManyBySku(['DAL-1', 'OIL-2']), [p1, p2], 'by SKU from the cache');
        expectEqual(w.taken(), [], 'filed under both keys');
        expectEqual(await w.products.listActive(), await w.repos.products.listActive(), 'the active catalog');
      },
    },
    {
      name: 'an event invalidates its part; a read that raced the write cannot bring the old value back',
      async run(s) {
        const w = world(s);
        const p = aProduct(w.ids, w.clock.now(), { name: 'Old name' });
        await w.repos.products.save(p);
        expectEqual((await w.products.get(p.id))?.name, 'Old name', 'cached');
        const version = await w.catalog.catalogVersion();

        const renamed = createProduct({ ...p, name: 'New name' }, p.id, w.clock.now(), p);
        await w.repos.products.save(renamed);
        expectEqual((await w.products.get(p.id))?.name, 'Old name', 'stale until the event is consumed');
        expectEqual(await w.catalog.invalidate(productEvent(renamed, w.clock.now())), 'products', 'part');
        expectEqual((await w.products.get(p.id))?.name, 'New name', 'fresh after the event');
        expectTrue((await w.catalog.catalogVersion()) !== version, 'the catalog version moved');

        // A slow reader: it read the old row, then the write and its event land, then it fills.
        const racing = w.catalog.products({
          ...w.repos.products,
          get: async (id) => {
            const old = await w.repos.products.get(id);
            const newer = createProduct({ ...p, name: 'Newest' }, p.id, w.clock.now(), p);
            await w.repos.products.save(newer);
            await w.catalog.invalidate(productEvent(newer, w.clock.now()));
            return old;
          },
        });
        await w.catalog.invalidate(productEvent(p, w.clock.now())); // so that the slow reader misses
        expectEqual((await racing.get(p.id))?.name, 'New name', 'the slow reader gets what it read');
        expectEqual((await w.products.get(p.id))?.name, 'Newest', 'but it did not fill the cache for others');

        const v = aVendor(w.ids, w.clock.now());
        await w.repos.vendors.save(v);
        const o = anOffer(w.ids, w.clock.now(), { vendorId: v.id, productId: p.id, unitPrice: Money.of(1_000) });
        await w.repos.offers.save(o);
        expectEqual(
          (await w.offers.listByVendor(v.id)).map((x) => x.unitPrice.amount),
          [1_000],
          'cached list',
        );
        const repriced = { ...o, unitPrice: Money.of(1_250) };
        await w.repos.offers.save(repriced);
        w.taken();
        expectEqual(await w.catalog.invalidate(productEvent(p, w.clock.now())), 'products', 'a product event...');
        expectEqual(
          (await w.offers.listByVendor(v.id)).map((x) => x.unitPrice.amount),
          [1_000],
          '...keeps offers',
        );
        expectEqual(await w.catalog.invalidate(offerEvent(repriced, w.clock.now())), 'offers', 'an offer event');
        expectEqual(
          (await w.offers.listByVendor(v.id)).map((x) => x.unitPrice.amount),
          [1_250],
          'new price',
        );
        expectEqual(
          (await w.offers.listActiveForProducts([p.id])).map((x) => x.unitPrice.amount),
          [1_250],
          'for the product too',
        );
        const other = domainEvent(EventTypes.VENDOR_REGISTERED, v.id as VendorId, w.clock.now(), {
          serviceAreas: ['kathmandu-10'],
          dailyCapacity: 5,
        });
        expectEqual(await w.catalog.invalidate(other), null, 'other events change nothing');
      },
    },
    {
      name: 'locking reads and writes are never served from the cache',
      async run(s) {
        const w = world(s);
        const p = aProduct(w.ids, w.clock.now());
        const v = aVendor(w.ids, w.clock.now());
        await w.repos.products.save(p);
        await w.repos.vendors.save(v);
        const o = anOffer(w.ids, w.clock.now(), { vendorId: v.id, productId: p.id });
        await w.offers.save(o);
        await w.offers.getByVendorAndProduct(v.id, p.id);
        w.taken();
        expectEqual(await w.offers.getForUpdate(v.id, p.id), o, 'for update');
        expectEqual(await w.offers.getForUpdate(v.id, p.id), o, 'for update again');
        expectEqual(w.taken(), ['offers.getForUpdate', 'offers.getForUpdate'], 'each one reached the repository');
        const saved = { ...o, stockOnHand: 7 };
        await w.offers.save(saved);
        expectEqual(w.taken(), ['offers.save'], 'save reaches the repository');
        expectEqual(await w.repos.offers.get(o.id), saved, 'and is stored');
      },
    },
  ],
};

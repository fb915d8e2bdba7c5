import type { Product } from '../catalog/product.js';
import type { VendorOffer } from '../catalog/vendor-offer.js';
import type { DomainEvent } from '../events/event-catalog.js';
import type { Cache } from '../ports/cache.js';
import type { ProductRepository, VendorOfferRepository } from '../ports/repositories.js';
import type { JsonValue } from '../shared/domain-event.js';
import { UnavailableError } from '../shared/errors.js';
import type { ProductId, VendorId, VendorOfferId } from '../shared/ids.js';
import { type Token, token } from '../shared/token.js';
import { listFromJson, offerFromJson, offerToJson, productFromJson, productToJson } from './catalog-codec.js';

export interface CatalogCacheOptions {
  /** A fresh, never reused stamp for a generation (a UUIDv7 from the id port). */
  readonly newStamp: () => string;
  /** How long an entry lives: the bound on staleness if an invalidation were ever lost. Default 10 min. */
  readonly ttlMs?: number;
  /** How long a generation stamp lives. Default 7 days; an expired one is simply replaced. */
  readonly generationTtlMs?: number;
}

export const DEFAULT_CATALOG_TTL_MS = 10 * 60_000;
const DEFAULT_GENERATION_TTL_MS = 7 * 24 * 3_600_000;

/** Which part of the catalog an event changed. */
export type CatalogPart = 'products' | 'offers';

/**
 * One product change as this instance invalidated it: the catalog version (products
 * generation) went from `from` to `to` because of this product alone. Either is null when
 * that is not known (no stamp before, or another change landed in between).
 */
export interface ProductChange {
  readonly productId: ProductId;
  readonly from: string | null;
  readonly to: string | null;
}

/** Bumped when the layout or meaning of an entry changes, so old entries are never read. */
const SCHEMA = 'catalog:v1';

/**
 * Read-through caching of the catalog (products, vendor offers) over the best-effort
 * `Cache` port, with invalidation by generation.
 *
 * Every entry key carries the current generation stamp of its part (`products` or
 * `offers`), read BEFORE the database read that fills it. An invalidation replaces the
 * stamp, so an entry filled from a read that raced a write lands under the old stamp and
 * is never read again: no "delete, then a slow reader puts the old value back". The
 * price is one extra cache round trip per lookup, and that one product event empties the
 * cached products (offers likewise): catalog writes are rare next to reads.
 *
 * A cache outage or a corrupt entry is a miss: the wrapped repository answers. Nothing
 * here turns a cache problem into an error, except `invalidate`, which must not pretend
 * to have invalidated (its caller retries).
 *
 * What may be read through this, and what may not, is the caller's decision; see
 * RouteOrder (cached: ranking reads) and PlaceOrder (never: prices and units of an order).
 */
export class CatalogCache {
  private readonly productListeners: ((change: ProductChange) => void)[] = [];
  private readonly ttlMs: number;
  private readonly generationTtlMs: number;

  constructor(
    private readonly cache: Cache,
    private readonly options: CatalogCacheOptions,
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_CATALOG_TTL_MS;
    this.generationTtlMs = options.generationTtlMs ?? DEFAULT_GENERATION_TTL_MS;
  }

  /** `inner` with its lookups read through the cache; `list` and `save` go straight to it. */
  products(inner: ProductRepository): ProductRepository {
    return {
      get: (id) => this.productByKey(`id:${id}`, () => inner.get(id)),
      getBySku: (sku) => this.productByKey(`sku:${skuKey(sku)}`, () => inner.getBySku(sku)),
      getMany: (ids) =>
        this.manyProducts(
          ids.map((id) => ({ key: `id:${id}`, ask: id })),
          (missing) => inner.getMany(missing as ProductId[]),
        ),
      getManyBySku: (skus) =>
        this.manyProducts(
          skus.map((sku) => ({ key: `sku:${skuKey(sku)}`, ask: sku })),
          (missing) => inner.getManyBySku(missing),
        ),
      listActive: async () => [...(await this.activeCatalog(inner)).products],
      list: (filter, page) => inner.list(filter, page),
      save: (product) => inner.save(product),
    };
  }

  /** `inner` with its plain reads cached. `getForUpdate` (a lock) and `save` go straight to it. */
  offers(inner: VendorOfferRepository): VendorOfferRepository {
    return {
      get: (id: VendorOfferId) => this.offerByKey(`id:${id}`, () => inner.get(id)),
      getByVendorAndProduct: (vendorId, productId) =>
        this.offerByKey(`vp:${vendorId}:${productId}`, () => inner.getByVendorAndProduct(vendorId, productId)),
      getForUpdate: (vendorId, productId) => inner.getForUpdate(vendorId, productId),
      save: (offer) => inner.save(offer),
      listActiveForProducts: (productIds) => this.activeOffersFor(productIds, inner),
      listByVendor: (vendorId: VendorId) => this.offerList(`vendor:${vendorId}`, () => inner.listByVendor(vendorId)),
    };
  }

  /**
   * Every active product and the products generation it was read under: what the order-text
   * parser's catalog index is built from. `version` is null when the cache is unreachable.
   */
  async activeCatalog(inner: Pick<ProductRepository, 'listActive'>): Promise<ActiveCatalog> {
    const gen = await this.generation('products');
    const key = `${SCHEMA}:products:${gen.stamp}:active`;
    const hit = listFromJson(await this.cache.get<JsonValue>(key), productFromJson);
    if (hit) return { version: gen.known ? gen.stamp : null, products: hit };
    const products = await inner.listActive();
    await this.cache.set(key, products.map(productToJson), this.ttlMs);
    return { version: gen.known ? gen.stamp : null, products };
  }

  /** The products generation: changes exactly when a product changed. Null when the cache is unreachable. */
  async catalogVersion(): Promise<string | null> {
    const gen = await this.generation('products');
    return gen.known ? gen.stamp : null;
  }

  /** The part of the catalog an event changed, or null when it changed none. */
  static partChangedBy(event: DomainEvent): CatalogPart | null {
    switch (event.type) {
      case 'product.created':
      case 'product.updated':
        return 'products';
      case 'offer.price_changed':
      case 'offer.updated':
        return 'offers';
      default:
        return null;
    }
  }

  /**
   * Forget what the event changed, by replacing that part's generation. Verified by reading
   * the stamp back: while the cache is unreachable this throws UnavailableError, so the
   * consumer's job fails and is retried rather than leaving stale entries readable once
   * the cache answers again. Returns the part, or null for an event that changes none.
   */
  async invalidate(event: DomainEvent): Promise<CatalogPart | null> {
    const part = CatalogCache.partChangedBy(event);
    if (part === null) return null;
    const moved = await this.bump(part);
    if (part === 'products' && event.aggregateType === 'product') {
      const change: ProductChange = { productId: event.aggregateId as ProductId, ...moved };
      for (const listener of this.productListeners) listener(change);
    }
    return part;
  }

  /**
   * Be told of each product change this instance invalidated, with the catalog versions it
   * moved between (see `ProductChange`). Changes invalidated by other instances are not told:
   * a listener sees them only as a version it has no change for.
   */
  onProductChange(listener: (change: ProductChange) => void): void {
    this.productListeners.push(listener);
  }

  async bump(part: CatalogPart): Promise<{ from: string | null; to: string | null }> {
    const key = generationKey(part);
    const before = await this.cache.get<JsonValue>(key);
    const stamp = this.options.newStamp();
    await this.cache.set(key, stamp, this.generationTtlMs);
    const now = await this.cache.get<JsonValue>(key);
    // Someone else's newer stamp is as good as ours: only the old one must be gone.
    if (typeof now !== 'string') {
      throw new UnavailableError(`catalog cache: the ${part} generation could not be replaced`);
    }
    // A stamp other than ours means another change landed meanwhile: this move is not one step.
    return { from: typeof before === 'string' && now === stamp ? before : null, to: now === stamp ? stamp : null };
  }

  private async generation(part: CatalogPart): Promise<{ stamp: string; known: boolean }> {
    const key = generationKey(part);
    const current = await this.cache.get<JsonValue>(key);
    if (typeof current === 'string' && current.length > 0) return { stamp: current, known: true };
    // First use, expiry or an outage. A fresh stamp is safe in every case: at worst the
    // entries written under it are never read (another reader's stamp won the race).
    const stamp = this.options.newStamp();
    await this.cache.set(key, stamp, this.generationTtlMs);
    return { stamp, known: false };
  }

  private async productByKey(key: string, load: () => Promise<Product | null>): Promise<Product | null> {
    const gen = await this.generation('products');
    const full = `${SCHEMA}:products:${gen.stamp}:${key}`;
    const hit = productFromJson(await this.cache.get<JsonValue>(full));
    if (hit) return hit;
    const product = await load();
    if (product) await this.putProducts(gen.stamp, [product]);
    return product;
  }

  /**
   * Many products by id or SKU: the hits from the cache, the rest in one call to the
   * repository. Distinct and in SKU order, as the PostgreSQL repository answers.
   */
  private async manyProducts(
    asked: readonly { key: string; ask: string }[],
    loadMissing: (missing: string[]) => Promise<Product[]>,
  ): Promise<Product[]> {
    if (asked.length === 0) return [];
    const gen = await this.generation('products');
    const unique = [...new Map(asked.map((a) => [a.key, a])).values()];
    const hits = await Promise.all(
      unique.map(async (a) =>
        productFromJson(await this.cache.get<JsonValue>(`${SCHEMA}:products:${gen.stamp}:${a.key}`)),
      ),
    );
    const found = new Map<ProductId, Product>();
    const missing: string[] = [];
    unique.forEach((a, i) => {
      const hit = hits[i];
      if (hit) found.set(hit.id, hit);
      else missing.push(a.ask);
    });
    if (missing.length > 0) {
      const loaded = await loadMissing(missing);
      await this.putProducts(gen.stamp, loaded);
      for (const p of loaded) found.set(p.id, p);
    }
    return [...found.values()].sort((a, b) => compare(a.sku, b.sku));
  }

  /** A product is filed under its id and its SKU, so either lookup hits after either read. */
  private async putProducts(stamp: string, products: readonly Product[]): Promise<void> {
    await Promise.all(
      products.flatMap((p) => {
        const json = productToJson(p);
        return [
          this.cache.set(`${SCHEMA}:products:${stamp}:id:${p.id}`, json, this.ttlMs),
          this.cache.set(`${SCHEMA}:products:${stamp}:sku:${skuKey(p.sku)}`, json, this.ttlMs),
        ];
      }),
    );
  }

  private async offerByKey(key: string, load: () => Promise<VendorOffer | null>): Promise<VendorOffer | null> {
    const gen = await this.generation('offers');
    const full = `${SCHEMA}:offers:${gen.stamp}:${key}`;
    const hit = offerFromJson(await this.cache.get<JsonValue>(full));
    if (hit) return hit;
    const offer = await load();
    if (offer) {
      const json = offerToJson(offer);
      await Promise.all([
        this.cache.set(`${SCHEMA}:offers:${gen.stamp}:id:${offer.id}`, json, this.ttlMs),
        this.cache.set(`${SCHEMA}:offers:${gen.stamp}:vp:${offer.vendorId}:${offer.productId}`, json, this.ttlMs),
      ]);
    }
    return offer;
  }

  private async offerList(key: string, load: () => Promise<VendorOffer[]>): Promise<VendorOffer[]> {
    const gen = await this.generation('offers');
    const full = `${SCHEMA}:offers:${gen.stamp}:${key}`;
    const hit = listFromJson(await this.cache.get<JsonValue>(full), offerFromJson);
    if (hit) return hit;
    const offers = await load();
    await this.cache.set(full, offers.map(offerToJson), this.ttlMs);
    return offers;
  }

  /**
   * Active offers for many products, cached per product (an empty list too: "no offer" is
   * an answer), the missing products read in one call. Ordered by product then vendor.
   */
  private async activeOffersFor(
    productIds: readonly ProductId[],
    inner: VendorOfferRepository,
  ): Promise<VendorOffer[]> {
    if (productIds.length === 0) return [];
    const gen = await this.generation('offers');
    const unique = [...new Set(productIds)];
    const keyOf = (id: ProductId) => `${SCHEMA}:offers:${gen.stamp}:product:${id}`;
    const hits = await Promise.all(
      unique.map(async (id) => listFromJson(await this.cache.get<JsonValue>(keyOf(id)), offerFromJson)),
    );
    const out: VendorOffer[] = [];
    const missing: ProductId[] = [];
    unique.forEach((id, i) => {
      const hit = hits[i];
      if (hit) out.push(...hit);
      else missing.push(id);
    });
    if (missing.length > 0) {
      const loaded = await inner.listActiveForProducts(missing);
      const byProduct = new Map<ProductId, VendorOffer[]>(missing.map((id) => [id, []]));
      for (const o of loaded) byProduct.get(o.productId)?.push(o);
      await Promise.all(
        [...byProduct].map(([id, list]) => this.cache.set(keyOf(id), list.map(offerToJson), this.ttlMs)),
      );
      out.push(...loaded);
    }
    return out.sort((a, b) => compare(a.productId, b.productId) || compare(a.vendorId, b.vendorId));
  }
}

export interface ActiveCatalog {
  /** The products generation the list belongs to; null when the cache did not answer. */
  readonly version: string | null;
  readonly products: readonly Product[];
}

export const CATALOG_CACHE: Token<CatalogCache> = token('CatalogCache');

function generationKey(part: CatalogPart): string {
  return `${SCHEMA}:${part}:generation`;
}

/** SKUs are matched case-insensitively and trimmed, as the repositories do. */
function skuKey(sku: string): string {
  return encodeURIComponent(sku.trim().toUpperCase());
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

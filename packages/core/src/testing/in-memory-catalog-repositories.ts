import type { Product } from '../catalog/product.js';
import type { PriceChange, VendorOffer } from '../catalog/vendor-offer.js';
import type { ProductId, VendorId, VendorOfferId } from '../shared/ids.js';
import { type Page, type PageRequest, pageLimit } from '../ports/pagination.js';
import type {
  PriceHistoryRepository,
  ProductFilter,
  ProductRepository,
  VendorOfferRepository,
} from '../ports/repositories.js';
import type { StoreAccess } from './in-memory-store.js';
import { duplicateKey } from './in-memory-store-errors.js';

const PRODUCTS = 'products';
const OFFERS = 'vendor_offers';
const PRICES = 'price_history';

export class InMemoryProductRepository implements ProductRepository {
  constructor(private readonly db: StoreAccess) {}

  async get(id: ProductId): Promise<Product | null> {
    return this.db.read().get<Product>(PRODUCTS, id) ?? null;
  }

  async getBySku(sku: string): Promise<Product | null> {
    const s = sku.trim().toUpperCase();
    return (
      this.db
        .read()
        .values<Product>(PRODUCTS)
        .find((p) => p.sku === s) ?? null
    );
  }

  async getMany(ids: readonly ProductId[]): Promise<Product[]> {
    const r = this.db.read();
    return ids.map((id) => r.get<Product>(PRODUCTS, id)).filter((p): p is Product => p !== undefined);
  }

  async getManyBySku(skus: readonly string[]): Promise<Product[]> {
    const wanted = new Set(skus.map((s) => s.trim().toUpperCase()));
    return this.db
      .read()
      .values<Product>(PRODUCTS)
      .filter((p) => wanted.has(p.sku))
      .sort((a, b) => cmp(a.sku, b.sku));
  }

  async save(product: Product): Promise<void> {
    await this.db.write((tx) => {
      const clash = tx.values<Product>(PRODUCTS).find((p) => p.sku === product.sku && p.id !== product.id);
      if (clash) throw duplicateKey('sku already exists', 'products_sku_key', { sku: product.sku });
      tx.set(PRODUCTS, product.id, product);
    });
  }

  async list(filter: ProductFilter, page: PageRequest): Promise<Page<Product>> {
    const limit = pageLimit(page);
    const q = filter.search?.trim().toLowerCase();
    const rows = this.db
      .read()
      .values<Product>(PRODUCTS)
      .filter((p) => (filter.activeOnly ? p.active : true))
      .filter((p) => (filter.category ? p.category === filter.category.toLowerCase() : true))
      .filter(
        (p) =>
          !q ||
          p.sku.toLowerCase().includes(q) ||
          p.name.toLowerCase().includes(q) ||
          p.aliases.some((a) => a.text.toLowerCase().includes(q)),
      )
      .filter((p) => (page.cursor ? p.sku > page.cursor : true))
      .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? (items[items.length - 1]?.sku ?? null) : null };
  }

  async listActive(): Promise<Product[]> {
    return this.db
      .read()
      .values<Product>(PRODUCTS)
      .filter((p) => p.active)
      .sort((a, b) => (a.sku < b.sku ? -1 : 1));
  }
}

export class InMemoryVendorOfferRepository implements VendorOfferRepository {
  constructor(private readonly db: StoreAccess) {}

  async get(id: VendorOfferId): Promise<VendorOffer | null> {
    return this.db.read().get<VendorOffer>(OFFERS, id) ?? null;
  }

  async getByVendorAndProduct(vendorId: VendorId, productId: ProductId): Promise<VendorOffer | null> {
    return (
      this.db
        .read()
        .values<VendorOffer>(OFFERS)
        .find((o) => o.vendorId === vendorId && o.productId === productId) ?? null
    );
  }

  /** Units of work already run one at a time under the store's mutex: the plain read. */
  getForUpdate(vendorId: VendorId, productId: ProductId): Promise<VendorOffer | null> {
    return this.getByVendorAndProduct(vendorId, productId);
  }

  async save(offer: VendorOffer): Promise<void> {
    await this.db.write((tx) => {
      const clash = tx
        .values<VendorOffer>(OFFERS)
        .find((o) => o.vendorId === offer.vendorId && o.productId === offer.productId && o.id !== offer.id);
      if (clash) {
        throw duplicateKey('vendor already has an offer for this product', 'vendor_offers_vendor_product_key', {
          productId: offer.productId,
        });
      }
      tx.set(OFFERS, offer.id, offer);
    });
  }

  async listActiveForProducts(productIds: readonly ProductId[]): Promise<VendorOffer[]> {
    const wanted = new Set<string>(productIds);
    return this.db
      .read()
      .values<VendorOffer>(OFFERS)
      .filter((o) => o.active && wanted.has(o.productId))
      .sort((a, b) => cmp(a.productId, b.productId) || cmp(a.vendorId, b.vendorId));
  }

  async listByVendor(vendorId: VendorId): Promise<VendorOffer[]> {
    return this.db
      .read()
      .values<VendorOffer>(OFFERS)
      .filter((o) => o.vendorId === vendorId)
      .sort((a, b) => cmp(a.productId, b.productId));
  }
}

export class InMemoryPriceHistoryRepository implements PriceHistoryRepository {
  constructor(private readonly db: StoreAccess) {}

  async append(change: PriceChange): Promise<void> {
    await this.db.write((tx) => {
      const key = `${change.productId}|${change.vendorId}|${change.changedAt.getTime()}|${tx.nextValue(PRICES)}`;
      tx.set(PRICES, key, change);
    });
  }

  async listForProduct(productId: ProductId, since: Date): Promise<PriceChange[]> {
    return this.db
      .read()
      .values<PriceChange>(PRICES)
      .filter((c) => c.productId === productId && c.changedAt.getTime() >= since.getTime())
      .sort((a, b) => a.changedAt.getTime() - b.changedAt.getTime() || cmp(a.vendorId, b.vendorId));
  }
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

import type { Product } from '../catalog/product.js';
import type { OrderDraft } from '../order/order-draft.js';
import {
  type CatalogDefaultRepository,
  type DraftRepositories,
  defaultMentionKey,
  type OrderDraftRepository,
} from '../ports/draft-repositories.js';
import { ConflictError, ErrorCodes } from '../shared/errors.js';
import type { DraftId, ProductId, RetailerId } from '../shared/ids.js';
import type { Page, PageRequest } from '../ports/pagination.js';
import { pageByCreated } from './in-memory-party-repositories.js';
import { duplicateKey } from './in-memory-store-errors.js';
import type { StoreAccess } from './in-memory-store.js';

const DEFAULTS = 'catalog_defaults';
const DRAFTS = 'order_drafts';
/** `retailerId␀requestKey` → draft id: the column and unique index PostgreSQL has. */
const KEYS = 'order_draft_request_keys';
const keyOf = (retailerId: RetailerId, requestKey: string) => `${retailerId}\u0000${requestKey}`;

/** A missing referenced row (pg 23503), as PostgreSQL's foreign keys refuse it. */
function referenceMissing(message: string, constraint: string): ConflictError {
  return new ConflictError(message, { constraint }, ErrorCodes.REFERENCE_MISSING);
}

export class InMemoryCatalogDefaultRepository implements CatalogDefaultRepository {
  constructor(private readonly db: StoreAccess) {}

  async list(): Promise<ReadonlyMap<string, ProductId>> {
    const reader = this.db.read();
    const keys = [...reader.values<{ mention: string; productId: ProductId }>(DEFAULTS)];
    keys.sort((a, b) => (a.mention < b.mention ? -1 : a.mention > b.mention ? 1 : 0));
    return new Map(keys.map((d) => [d.mention, d.productId]));
  }

  async set(mention: string, productId: ProductId): Promise<void> {
    const key = defaultMentionKey(mention);
    await this.db.write((tx) => {
      if (tx.get<Product>('products', productId) === undefined) {
        throw referenceMissing('unknown product', 'catalog_defaults_product_id_foreign');
      }
      tx.set(DEFAULTS, key, { mention: key, productId });
    });
  }

  async remove(mention: string): Promise<boolean> {
    const key = defaultMentionKey(mention);
    return this.db.write((tx) => {
      if (tx.get(DEFAULTS, key) === undefined) return false;
      tx.delete(DEFAULTS, key);
      return true;
    });
  }
}

export class InMemoryOrderDraftRepository implements OrderDraftRepository {
  constructor(private readonly db: StoreAccess) {}

  async insert(draft: OrderDraft, requestKey: string | null = null): Promise<void> {
    await this.db.write((tx) => {
      if (tx.get(DRAFTS, draft.id) !== undefined) throw duplicateKey('draft id exists', 'order_drafts_pkey');
      if (tx.get('retailers', draft.retailerId) === undefined) {
        throw referenceMissing('unknown retailer', 'order_drafts_retailer_id_foreign');
      }
      if (requestKey !== null) {
        const key = keyOf(draft.retailerId, requestKey);
        const taken = tx.get<DraftId>(KEYS, key);
        if (taken !== undefined && tx.get(DRAFTS, taken) !== undefined) {
          throw duplicateKey('request key drafted already', 'order_drafts_retailer_id_request_key_key');
        }
        tx.set(KEYS, key, draft.id);
      }
      tx.set(DRAFTS, draft.id, draft);
    });
  }

  async get(id: DraftId): Promise<OrderDraft | null> {
    return this.db.read().get<OrderDraft>(DRAFTS, id) ?? null;
  }

  /** A key whose draft was deleted (expired, erased) finds nothing, as the row's column would. */
  async getByRequestKey(retailerId: RetailerId, requestKey: string): Promise<OrderDraft | null> {
    const reader = this.db.read();
    const id = reader.get<DraftId>(KEYS, keyOf(retailerId, requestKey));
    return id === undefined ? null : (reader.get<OrderDraft>(DRAFTS, id) ?? null);
  }

  /** Transactions over the in-memory store run one at a time, so a read is already a lock. */
  getForUpdate(id: DraftId): Promise<OrderDraft | null> {
    return this.get(id);
  }

  async update(draft: OrderDraft): Promise<void> {
    await this.db.write((tx) => {
      const stored = tx.get<OrderDraft>(DRAFTS, draft.id);
      if (stored === undefined) return;
      if (draft.orderId !== null && tx.get('orders', draft.orderId) === undefined) {
        throw referenceMissing('unknown order', 'order_drafts_order_id_foreign');
      }
      tx.set(DRAFTS, draft.id, {
        ...stored,
        status: draft.status,
        orderId: draft.orderId,
        supersededBy: draft.supersededBy,
      });
    });
  }

  async deleteExpired(before: Date, limit: number): Promise<number> {
    return this.db.write((tx) => {
      const gone = tx
        .values<OrderDraft>(DRAFTS)
        .filter((d) => d.status !== 'CONFIRMED' && d.expiresAt.getTime() < before.getTime())
        .slice(0, limit);
      for (const d of gone) tx.delete(DRAFTS, d.id);
      return gone.length;
    });
  }

  async listByRetailer(retailerId: RetailerId, page: PageRequest): Promise<Page<OrderDraft>> {
    const rows = this.db
      .read()
      .values<OrderDraft>(DRAFTS)
      .filter((d) => d.retailerId === retailerId);
    return pageByCreated(rows, page);
  }

  async deleteByRetailer(retailerId: RetailerId): Promise<number> {
    return this.db.write((tx) => {
      const gone = tx.values<OrderDraft>(DRAFTS).filter((d) => d.retailerId === retailerId);
      for (const d of gone) tx.delete(DRAFTS, d.id);
      return gone.length;
    });
  }
}

export function inMemoryDraftRepositories(db: StoreAccess): DraftRepositories {
  return {
    catalogDefaults: new InMemoryCatalogDefaultRepository(db),
    orderDrafts: new InMemoryOrderDraftRepository(db),
  };
}

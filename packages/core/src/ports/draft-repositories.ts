import type { OrderDraft } from '../order/order-draft.js';
import type { DraftId, ProductId, RetailerId } from '../shared/ids.js';
import type { Page, PageRequest } from './pagination.js';
import { type TokenMap, tokenMap } from '../shared/token.js';

/**
 * The catalog's designated product for a generic word ("dal" → Masoor Dal): catalog data that
 * staff or the seed set, read by the parser's context when a shop has no history for the word.
 * Mentions are stored in lower case, trimmed.
 */
export interface CatalogDefaultRepository {
  /** Every default, mention → product. */
  list(): Promise<ReadonlyMap<string, ProductId>>;
  /** Insert or replace; an unknown product is `ENTITY.REFERENCE_MISSING`. */
  set(mention: string, productId: ProductId): Promise<void>;
  /** True when there was one. */
  remove(mention: string): Promise<boolean>;
}

/**
 * Priced drafts awaiting the shop's confirmation. A draft is written once, then changes only
 * its status (confirmed with its order, or superseded by a fresh draft).
 */
export interface OrderDraftRepository {
  /**
   * A taken id is `ENTITY.DUPLICATE`, and so is a `requestKey` the retailer already drafted
   * under; an unknown retailer `ENTITY.REFERENCE_MISSING`.
   */
  insert(draft: OrderDraft, requestKey?: string | null): Promise<void>;
  get(id: DraftId): Promise<OrderDraft | null>;
  /**
   * The retailer's draft inserted under `requestKey` (the inbound message it answers), while
   * it exists: a message answered again after a crash finds its draft instead of drafting twice.
   */
  getByRequestKey(retailerId: RetailerId, requestKey: string): Promise<OrderDraft | null>;
  /**
   * The same read inside a unit of work, locking the draft until the transaction ends: two
   * confirmations of one draft run one after the other, and the second sees the first's order.
   */
  getForUpdate(id: DraftId): Promise<OrderDraft | null>;
  /** Store a draft's new status, order and successor (the rest never changes). */
  update(draft: OrderDraft): Promise<void>;
  /** Housekeeping: delete drafts expired before `before` and not confirmed, at most `limit`. */
  deleteExpired(before: Date, limit: number): Promise<number>;
  /** A retailer's drafts, newest first (createdAt desc, id desc), keyset-paginated. */
  listByRetailer(retailerId: RetailerId, page: PageRequest): Promise<Page<OrderDraft>>;
  /**
   * Delete every draft of the retailer, confirmed ones too (personal-data erasure: a draft
   * keeps the shop's own words; its order, which nothing here references, stays). Returns how many.
   */
  deleteByRetailer(retailerId: RetailerId): Promise<number>;
}

export interface DraftRepositories {
  readonly catalogDefaults: CatalogDefaultRepository;
  readonly orderDrafts: OrderDraftRepository;
}

export const DRAFT_REPOSITORY_TOKENS: TokenMap<DraftRepositories> = tokenMap<DraftRepositories>({
  catalogDefaults: 'CatalogDefaultRepository',
  orderDrafts: 'OrderDraftRepository',
});

/** How a generic word is kept: lower case, single spaces. */
export function defaultMentionKey(mention: string): string {
  return mention.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');
}

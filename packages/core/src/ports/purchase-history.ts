import type { ProductId, RetailerId } from '../shared/ids.js';
import { type Token, token } from '../shared/token.js';

/** How often one shop ordered one product within a window. */
export interface PurchaseRecord {
  readonly productId: ProductId;
  /** Orders of the shop that held the product within the window. */
  readonly orders: number;
  readonly lastOrderedAt: Date;
}

/**
 * A shop's recent purchases, so that its generic words resolve to what it usually buys
 * ("dal 5 kg" is Masoor Dal for a shop that orders it every week). Adapters: a PostgreSQL
 * query over placed orders, and an in-memory one over the in-memory order store.
 */
export interface PurchaseHistory {
  /**
   * Products the retailer ordered since `since` (orders not cancelled or rejected), most
   * orders first, then most recent first; at most `limit`.
   */
  recentPurchases(retailerId: RetailerId, since: Date, limit: number): Promise<readonly PurchaseRecord[]>;
}

export const PURCHASE_HISTORY: Token<PurchaseHistory> = token('PurchaseHistory');

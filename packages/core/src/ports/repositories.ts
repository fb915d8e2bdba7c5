import type { PurchaseHistory } from './purchase-history.js';
import type { Product } from '../catalog/product.js';
import type { PriceChange, VendorOffer } from '../catalog/vendor-offer.js';
import type { CreditAccount } from '../credit/credit-account.js';
import type { LedgerEntry } from '../credit/ledger-entry.js';
import type { PerformanceEvents } from '../engines/performance/performance-events.js';
import type { Order } from '../order/order.js';
import type { OrderSource } from '../order/order.js';
import type { HoldReason, OrderStatus } from '../order/order-status.js';
import type { Retailer, RetailerStatus } from '../parties/retailer.js';
import type { Role, User, UserStatus } from '../parties/user.js';
import type { Vendor, VendorStatus } from '../parties/vendor.js';
import type { LedgerEntryId, OrderId, ProductId, RetailerId, UserId, VendorId, VendorOfferId } from '../shared/ids.js';
import type { Money } from '../shared/money.js';
import type { PhoneNumber } from '../shared/phone-number.js';
import type { Page, PageRequest } from './pagination.js';
import { ENGINE_REPOSITORY_TOKENS, type EngineRepositories } from './engine-repositories.js';
import { AUTH_REPOSITORY_TOKENS, type AuthRepositories } from '../auth/ports.js';
import { DRAFT_REPOSITORY_TOKENS, type DraftRepositories } from './draft-repositories.js';
import { CONVERSATION_REPOSITORY_TOKENS, type ConversationRepositories } from './conversation-store.js';
import { ONBOARDING_REPOSITORY_TOKENS, type OnboardingRepositories } from './onboarding-requests.js';
import { OUTBOUND_MESSAGE_REPOSITORY_TOKENS, type OutboundMessageRepositories } from './outbound-message-log.js';
import { DELIVERY_REPOSITORY_TOKENS, type DeliveryRepositories } from './delivery-repositories.js';
import { type Token, type TokenMap, token, tokenMap } from '../shared/token.js';

/*
 * Repository ports. Rules every adapter follows (the contract suites check them):
 * - `get*` returns null when absent; it never throws NotFound.
 * - `save` inserts or updates. A unique clash (sku, phone, email) throws ConflictError.
 * - Aggregates with a version (Order, CreditAccount) are saved with optimistic
 *   concurrency: a stale version throws ConcurrencyError, and a saved aggregate's
 *   version goes up by one.
 * - Returned objects are copies: mutating them never changes stored state.
 */

export interface ProductFilter {
  readonly category?: string;
  readonly activeOnly?: boolean;
  /** Case-insensitive substring of sku, name or any alias. */
  readonly search?: string;
}

export interface ProductRepository {
  get(id: ProductId): Promise<Product | null>;
  getBySku(sku: string): Promise<Product | null>;
  getMany(ids: readonly ProductId[]): Promise<Product[]>;
  /** Products by SKU (case-insensitive) in one round trip; unknown SKUs are left out. */
  getManyBySku(skus: readonly string[]): Promise<Product[]>;
  save(product: Product): Promise<void>;
  /** Ordered by sku. The cursor is the last sku seen. */
  list(filter: ProductFilter, page: PageRequest): Promise<Page<Product>>;
  /** Every active product: what the order-text parser's catalog index is built from. */
  listActive(): Promise<Product[]>;
}

export interface VendorOfferRepository {
  get(id: VendorOfferId): Promise<VendorOffer | null>;
  getByVendorAndProduct(vendorId: VendorId, productId: ProductId): Promise<VendorOffer | null>;
  /**
   * The same read for a read-modify-write inside a unit of work: a concurrent caller for
   * the same vendor waits until this transaction ends, also while the offer does not exist
   * yet, so two upserts never both build on the offer as it was (a lost update, twice the
   * price change in the history).
   */
  getForUpdate(vendorId: VendorId, productId: ProductId): Promise<VendorOffer | null>;
  /** Unique per (vendor, product). */
  save(offer: VendorOffer): Promise<void>;
  /** Active offers for any of these products, ordered by product then vendor. */
  listActiveForProducts(productIds: readonly ProductId[]): Promise<VendorOffer[]>;
  listByVendor(vendorId: VendorId): Promise<VendorOffer[]>;
}

export interface PriceHistoryRepository {
  append(change: PriceChange): Promise<void>;
  /** Oldest first, changedAt ≥ since. */
  listForProduct(productId: ProductId, since: Date): Promise<PriceChange[]>;
}

export interface RetailerRepository {
  get(id: RetailerId): Promise<Retailer | null>;
  getByPhone(phone: PhoneNumber): Promise<Retailer | null>;
  /** Unique phone. */
  save(retailer: Retailer): Promise<void>;
  /** Newest first. */
  list(page: PageRequest): Promise<Page<Retailer>>;
  /** How many retailers are in each status, every status present (0 when none): one aggregate. */
  countByStatus(): Promise<Readonly<Record<RetailerStatus, number>>>;
}

export interface VendorRepository {
  get(id: VendorId): Promise<Vendor | null>;
  getByPhone(phone: PhoneNumber): Promise<Vendor | null>;
  getMany(ids: readonly VendorId[]): Promise<Vendor[]>;
  /** Unique phone. */
  save(vendor: Vendor): Promise<void>;
  /** ACTIVE vendors whose service areas include `area`, ordered by id. */
  listActiveServing(area: string): Promise<Vendor[]>;
  list(page: PageRequest): Promise<Page<Vendor>>;
  /** How many vendors are in each status, every status present (0 when none): one aggregate. */
  countByStatus(): Promise<Readonly<Record<VendorStatus, number>>>;
}

export interface UserRepository {
  get(id: UserId): Promise<User | null>;
  getByEmail(email: string): Promise<User | null>;
  getByPhone(phone: PhoneNumber): Promise<User | null>;
  /** Unique email and phone. */
  save(user: User): Promise<void>;
  /** Newest first (createdAt desc, id desc), keyset-paginated: what staff review approvals from. */
  list(filter: UserFilter, page: PageRequest): Promise<Page<User>>;
  /** How many users are in each status (e.g. PENDING_APPROVAL), every status present: one aggregate. */
  countByStatus(): Promise<Readonly<Record<UserStatus, number>>>;
}

export interface UserFilter {
  readonly status?: UserStatus;
  readonly role?: Role;
  /** The logins of one retailer (what a personal-data export or erasure covers). */
  readonly retailerId?: RetailerId;
}

export interface OrderFilter {
  readonly retailerId?: RetailerId;
  readonly vendorId?: VendorId;
  readonly statuses?: readonly OrderStatus[];
  readonly source?: OrderSource;
  readonly placedFrom?: Date;
  /** Exclusive. */
  readonly placedTo?: Date;
  readonly needsManualAssignment?: boolean;
  /** Only orders ON_HOLD for this reason (the approvals queue). */
  readonly holdReason?: HoldReason;
}

/** Orders; also the shop's purchase history that generic order words resolve against. */
export interface OrderRepository extends PurchaseHistory {
  get(id: OrderId): Promise<Order | null>;
  getByNumber(number: string): Promise<Order | null>;
  /** Insert when version is 0, else update if the stored version matches. */
  save(order: Order): Promise<void>;
  /** A new human-facing order number ("KH-000042"), unique and increasing. */
  nextNumber(): Promise<string>;
  /** Newest first (placedAt desc, id desc), keyset-paginated. */
  list(filter: OrderFilter, page: PageRequest): Promise<Page<Order>>;
  /** Sum of totals of the retailer's orders in PENDING, ON_HOLD and ROUTING. */
  pendingExposure(retailerId: RetailerId, currency: string): Promise<Money>;
  /** `pendingExposure` of each retailer in one read; every one asked is in the map (zero when none). */
  pendingExposures(retailerIds: readonly RetailerId[], currency: string): Promise<Map<RetailerId, Money>>;
  /** Orders in ROUTING whose pending offer's deadline is ≤ asOf. */
  listWithExpiredOffers(asOf: Date, limit: number): Promise<OrderId[]>;
  /**
   * Orders stalled in ROUTING: no pending offer, not flagged for manual assignment, not
   * changed since `idleSince` (inclusive), least recently changed first. Routing them again
   * is what the recovery sweep does when the job that should have done it was lost.
   */
  listIdleInRouting(idleSince: Date, limit: number): Promise<OrderId[]>;
  /** Orders CONFIRMED for this vendor with confirmation at or after `since` (its load today). */
  countConfirmedForVendorSince(vendorId: VendorId, since: Date): Promise<number>;
  /**
   * Personal-data erasure: the free-text note of every order of the retailer becomes null (a
   * note may name a person or an address; the order and its amounts stay). Each changed order's
   * version goes up by one, so a save built on the order as it was fails as stale instead of
   * writing the note back. Returns how many orders changed.
   */
  clearNotesOfRetailer(retailerId: RetailerId): Promise<number>;
  /** How many orders are in each status, every status present (0 when none): one aggregate, no rows loaded. */
  countByStatus(): Promise<Readonly<Record<OrderStatus, number>>>;
  /** The approvals queue's depth: ON_HOLD orders per hold reason, every reason present (0 when none). */
  countHeldByReason(): Promise<Readonly<Record<HoldReason, number>>>;
  /**
   * The facts vendor performance is computed from, for these vendors only, read without
   * loading orders: every offer made to them at or after `since` (any outcome), and every
   * order they confirmed at or after `since` with its delivery or cancellation. The same
   * records `performanceEventsFromOrders` derives (promisedBy with its default lead time).
   * Offers by offeredAt, then order id; fulfilments by confirmedAt, then order id.
   */
  vendorPerformanceEvents(vendorIds: readonly VendorId[], since: Date): Promise<PerformanceEvents>;
}

export interface LedgerQuery {
  readonly from?: Date;
  /** Exclusive. */
  readonly to?: Date;
}

/** An invoice with money still owed on it (an open INVOICE item of some account): what payment reminders are about. */
export interface OpenInvoice {
  /** The INVOICE ledger entry's id. */
  readonly invoiceId: LedgerEntryId;
  readonly retailerId: RetailerId;
  readonly orderId: OrderId | null;
  /** The invoiced order's number, when the order is stored. */
  readonly orderNumber: string | null;
  readonly original: Money;
  /** Still owed: > 0 (a paid-off or credited-off invoice is no longer open). */
  readonly unpaid: Money;
  readonly dueAt: Date;
}

export interface OpenInvoicesDueQuery {
  /** Due in any of these [from, to) intervals (at most MAX_REMINDER_RULES of them, not overlapping). */
  readonly windows: readonly { readonly from: Date; readonly to: Date }[];
  /** Keyset over (dueAt, invoiceId) ascending. */
  readonly page: PageRequest;
}

/** Entry types whose reference is unique per retailer (the idempotency key of a payment or a note). */
export type ReferencedEntryType = 'PAYMENT' | 'ADJUSTMENT';

export interface CreditAccountRepository {
  get(retailerId: RetailerId): Promise<CreditAccount | null>;
  /** The accounts of these retailers in one read, in no particular order; those without one are left out. */
  getMany(retailerIds: readonly RetailerId[]): Promise<CreditAccount[]>;
  /**
   * Persist the projection and append the account's new ledger entries atomically.
   * Creating: version 0. A (orderId, type) pair for HOLD, RELEASE or INVOICE and a
   * (retailer, type, reference) for PAYMENT or ADJUSTMENT are unique: a clash throws ConflictError.
   */
  save(account: CreditAccount): Promise<void>;
  /** Entries in sequence order. */
  listEntries(retailerId: RetailerId, query: LedgerQuery): Promise<LedgerEntry[]>;
  /** The payment or adjustment recorded under `reference` (trimmed), if any. */
  findByReference(retailerId: RetailerId, type: ReferencedEntryType, reference: string): Promise<LedgerEntry | null>;
  /**
   * Open invoices (type INVOICE, remaining > 0) of every account due within the windows,
   * oldest due first, keyset-paginated (stable while invoices are paid or issued meanwhile).
   */
  listOpenInvoicesDue(query: OpenInvoicesDueQuery): Promise<Page<OpenInvoice>>;
}

/** Every repository, as one bundle (what a unit of work hands to a use case). */
export interface Repositories
  extends EngineRepositories,
    AuthRepositories,
    DraftRepositories,
    ConversationRepositories,
    OutboundMessageRepositories,
    DeliveryRepositories,
    OnboardingRepositories {
  readonly products: ProductRepository;
  readonly offers: VendorOfferRepository;
  readonly priceHistory: PriceHistoryRepository;
  readonly retailers: RetailerRepository;
  readonly vendors: VendorRepository;
  readonly users: UserRepository;
  readonly orders: OrderRepository;
  readonly credit: CreditAccountRepository;
}

/** All repositories as one object (reads outside a transaction). */
export const REPOSITORIES: Token<Repositories> = token('Repositories');

/**
 * One token per repository, keyed like `Repositories`: a module binds each from its
 * `Repositories` object in one loop, and a repository added to the port without a token
 * is a type error here.
 */
export const REPOSITORY_TOKENS: TokenMap<Repositories> = Object.freeze({
  ...tokenMap<
    Omit<
      Repositories,
      | keyof EngineRepositories
      | keyof AuthRepositories
      | keyof DraftRepositories
      | keyof ConversationRepositories
      | keyof OutboundMessageRepositories
      | keyof DeliveryRepositories
      | keyof OnboardingRepositories
    >
  >({
    products: 'ProductRepository',
    offers: 'VendorOfferRepository',
    priceHistory: 'PriceHistoryRepository',
    retailers: 'RetailerRepository',
    vendors: 'VendorRepository',
    users: 'UserRepository',
    orders: 'OrderRepository',
    credit: 'CreditAccountRepository',
  }),
  ...ENGINE_REPOSITORY_TOKENS,
  ...AUTH_REPOSITORY_TOKENS,
  ...DRAFT_REPOSITORY_TOKENS,
  ...CONVERSATION_REPOSITORY_TOKENS,
  ...OUTBOUND_MESSAGE_REPOSITORY_TOKENS,
  ...DELIVERY_REPOSITORY_TOKENS,
  ...ONBOARDING_REPOSITORY_TOKENS,
});

import type { RiskEvent } from '../engines/risk/risk-event.js';
import type { RiskRule } from '../engines/risk/risk-rule.js';
import type { RoutingDecision } from '../engines/routing/routing-decision.js';
import type { CreditLimitRuleId } from '../engines/scoring/credit-limit-rule.js';
import type { CreditScoreResult } from '../engines/scoring/score-retailer.js';
import type { CreditBand, CreditScoreTrigger } from '../engines/scoring/scoring-config.js';
import type { VendorRating } from '../engines/performance/vendor-rating.js';
import type { VendorPerformanceReport } from '../engines/performance/vendor-performance.js';
import type { ProductPriceInsight } from '../engines/pricing/analyse-prices.js';
import type { OrderId, ProductId, RetailerId, VendorId } from '../shared/ids.js';
import type { Money } from '../shared/money.js';
import { type TokenMap, tokenMap } from '../shared/token.js';

/*
 * Ports for what the decision engines need persisted. Same rules as repositories.ts
 * (the engine-repositories contract suite checks them):
 * - `get*`/`latest*` return null when absent; they never throw NotFound.
 * - Append-only stores refuse a duplicate id (and the other unique keys noted below)
 *   with ConflictError; a failed batch append stores nothing.
 * - Returned objects are copies: mutating them never changes stored state.
 * - List limits follow the pagination rule: 1..200 (ValidationError otherwise), default 50.
 */

export interface HistoryQuery {
  /** Inclusive lower bound on the record's timestamp. */
  readonly since?: Date;
  /** 1..200, default 50. */
  readonly limit?: number;
}

// Defined beside the scorecard, so the event catalog can name it without depending on this port.
export type { CreditScoreTrigger };

/** One scorecard calculation with its full explanation (inputs, factors, limit rule). */
export interface CreditScoreRecord {
  readonly id: string;
  readonly retailerId: RetailerId;
  readonly score: number;
  readonly band: CreditBand;
  readonly recommendedLimit: Money;
  readonly limitRule: CreditLimitRuleId;
  readonly trigger: CreditScoreTrigger;
  readonly calculatedAt: Date;
  readonly result: CreditScoreResult;
}

export interface CreditScoreRepository {
  /** Unique id. */
  append(record: CreditScoreRecord): Promise<void>;
  /** Newest by calculatedAt (ties: the later appended). */
  latest(retailerId: RetailerId): Promise<CreditScoreRecord | null>;
  /** The latest record of each retailer that has one (for reports), ordered by retailer id. */
  latestForRetailers(retailerIds: readonly RetailerId[]): Promise<CreditScoreRecord[]>;
  /** Newest first. */
  history(retailerId: RetailerId, query?: HistoryQuery): Promise<CreditScoreRecord[]>;
}

export interface RiskRuleFilter {
  readonly enabled?: boolean;
}

export interface RiskRuleRepository {
  /** Ordered by id. */
  list(filter?: RiskRuleFilter): Promise<RiskRule[]>;
  get(id: string): Promise<RiskRule | null>;
  /** Insert or replace by id (rules are validated by `parseRiskRule` before they get here). */
  save(rule: RiskRule): Promise<void>;
}

export interface RiskEventRepository {
  /** All events of one assessment, atomically. Unique id. */
  append(events: readonly RiskEvent[]): Promise<void>;
  /** Oldest first (assessedAt, then rule id). */
  listByOrder(orderId: OrderId): Promise<RiskEvent[]>;
  /** Newest first (assessedAt desc, then rule id). */
  listByRetailer(retailerId: RetailerId, query?: HistoryQuery): Promise<RiskEvent[]>;
}

/** The routing decision taken before offer attempt `attempt` of an order. */
export interface RoutingDecisionRecord {
  readonly id: string;
  readonly orderId: OrderId;
  /** 1-based: the routing attempt this decision chose the vendor for. */
  readonly attempt: number;
  readonly decision: RoutingDecision;
  readonly createdAt: Date;
}

export interface RoutingDecisionRepository {
  /** Unique id and unique (orderId, attempt). */
  append(record: RoutingDecisionRecord): Promise<void>;
  /** Ordered by attempt. */
  listByOrder(orderId: OrderId): Promise<RoutingDecisionRecord[]>;
}

export interface VendorRatingRepository {
  /** Unique id and one rating per order; a rating outside 1..5 (or not an integer) is a ValidationError. */
  append(rating: VendorRating): Promise<void>;
  getByOrder(orderId: OrderId): Promise<VendorRating | null>;
  /** Ratings of any of these vendors with ratedAt ≥ since, oldest first (then by id). */
  listByVendors(vendorIds: readonly VendorId[], since: Date): Promise<VendorRating[]>;
  /** Personal-data erasure: the retailer's free-text comments become null (the ratings stay); returns how many changed. */
  clearCommentsOfRetailer(retailerId: RetailerId): Promise<number>;
}

/**
 * The stored output of an engine for one subject (a vendor's performance, a product's
 * price intelligence): the current value only, replaced by each refresh.
 * - `fingerprint` identifies the content (everything but the computation time), so a
 *   refresh that computes the same thing changes nothing but `checkedAt`;
 * - `version` counts content changes (1 for the first), `computedAt` is when the content
 *   last changed, `checkedAt` when a refresh last confirmed it.
 */
export interface EngineSnapshot {
  readonly fingerprint: string;
  readonly version: number;
  readonly computedAt: Date;
  readonly checkedAt: Date;
}

export interface VendorPerformanceSnapshot extends EngineSnapshot {
  readonly vendorId: VendorId;
  /** The performance engine's report as of `computedAt`: windows, reliability, smoothed reliability. */
  readonly report: VendorPerformanceReport;
}

export interface PriceIntelligenceSnapshot extends EngineSnapshot {
  readonly productId: ProductId;
  /** The pricing engine's insight as of `computedAt`: market reference, closes, averages, trend, alerts. */
  readonly insight: ProductPriceInsight;
}

/*
 * Snapshot stores share one rule: `save` inserts or replaces by subject, unless the stored
 * snapshot was checked later than the one offered (two refreshes racing: the older
 * computation never overwrites the newer); it returns whether it stored.
 */
export interface VendorPerformanceSnapshotRepository {
  get(vendorId: VendorId): Promise<VendorPerformanceSnapshot | null>;
  /** The snapshots of these vendors that exist, ordered by vendor id. */
  getMany(vendorIds: readonly VendorId[]): Promise<VendorPerformanceSnapshot[]>;
  save(snapshot: VendorPerformanceSnapshot): Promise<boolean>;
}

export interface PriceIntelligenceSnapshotRepository {
  get(productId: ProductId): Promise<PriceIntelligenceSnapshot | null>;
  /**
   * Snapshots with at least one alert, ordered by product id, those after `afterProductId`
   * (exclusive) or from `fromProductId` (inclusive) when given, at most `limit`.
   */
  listWithAlerts(page: {
    readonly afterProductId?: ProductId;
    readonly fromProductId?: ProductId;
    readonly limit: number;
  }): Promise<PriceIntelligenceSnapshot[]>;
  save(snapshot: PriceIntelligenceSnapshot): Promise<boolean>;
}

/** The engine repositories as one bundle (the lead adds them to `Repositories`). */
export interface EngineRepositories {
  readonly creditScores: CreditScoreRepository;
  readonly riskRules: RiskRuleRepository;
  readonly riskEvents: RiskEventRepository;
  readonly routingDecisions: RoutingDecisionRepository;
  readonly vendorRatings: VendorRatingRepository;
  readonly vendorPerformance: VendorPerformanceSnapshotRepository;
  readonly priceIntelligence: PriceIntelligenceSnapshotRepository;
}

/** One token per engine repository, keyed like `EngineRepositories` (a missing one is a type error). */
export const ENGINE_REPOSITORY_TOKENS: TokenMap<EngineRepositories> = tokenMap<EngineRepositories>({
  creditScores: 'CreditScoreRepository',
  riskRules: 'RiskRuleRepository',
  riskEvents: 'RiskEventRepository',
  routingDecisions: 'RoutingDecisionRepository',
  vendorRatings: 'VendorRatingRepository',
  vendorPerformance: 'VendorPerformanceSnapshotRepository',
  priceIntelligence: 'PriceIntelligenceSnapshotRepository',
});

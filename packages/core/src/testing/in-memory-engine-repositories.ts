import type { VendorRating } from '../engines/performance/vendor-rating.js';
import { isValidRating } from '../engines/performance/vendor-rating.js';
import type { RiskEvent } from '../engines/risk/risk-event.js';
import type { RiskRule } from '../engines/risk/risk-rule.js';
import { compareStrings } from '../engines/shared/stats.js';
import type {
  CreditScoreRecord,
  CreditScoreRepository,
  EngineRepositories,
  HistoryQuery,
  RiskEventRepository,
  RiskRuleFilter,
  RiskRuleRepository,
  RoutingDecisionRecord,
  RoutingDecisionRepository,
  VendorRatingRepository,
  PriceIntelligenceSnapshot,
  PriceIntelligenceSnapshotRepository,
  VendorPerformanceSnapshot,
  VendorPerformanceSnapshotRepository,
} from '../ports/engine-repositories.js';
import { pageLimit } from '../ports/pagination.js';
import type { OrderId, ProductId, RetailerId, VendorId } from '../shared/ids.js';
import { autoCommitAccess, InMemoryStore, type StoreAccess } from './in-memory-store.js';
import { constraintViolated, duplicateKey } from './in-memory-store-errors.js';

/**
 * Deep copy of plain data: arrays, plain objects and Dates are copied; class instances
 * (Money, Quantity) are immutable value objects and are shared.
 */
export function copyData<T>(value: T): T {
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map((v) => copyData(v)) as T;
  if (typeof value === 'object' && value !== null) {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = copyData(v);
    return out as T;
  }
  return value;
}

function limitOf(query: HistoryQuery | undefined): number {
  return pageLimit({ limit: query?.limit ?? 50 });
}

const since = (at: Date, query: HistoryQuery | undefined): boolean =>
  !query?.since || at.getTime() >= query.since.getTime();

const SCORES = 'credit_scores';
const RULES = 'risk_rules';
const EVENTS = 'risk_events';
const DECISIONS = 'routing_decisions';
const RATINGS = 'vendor_ratings';
const VENDOR_PERFORMANCE = 'vendor_performance_snapshots';
const PRICE_INTELLIGENCE = 'price_intelligence_snapshots';

/** A stored row remembers its append order, for "ties: the later appended". */
interface Appended<T> {
  readonly seq: number;
  readonly value: T;
}

export class InMemoryCreditScoreRepository implements CreditScoreRepository {
  constructor(private readonly db: StoreAccess) {}

  async append(record: CreditScoreRecord): Promise<void> {
    await this.db.write((tx) => {
      if (tx.get(SCORES, record.id))
        throw duplicateKey('credit score record already exists', 'credit_score_history_pkey', { id: record.id });
      tx.set(SCORES, record.id, { seq: tx.nextValue(SCORES), value: copyData(record) });
    });
  }

  async latest(retailerId: RetailerId): Promise<CreditScoreRecord | null> {
    const newest = this.newestFirst(retailerId)[0];
    return newest ? copyData(newest) : null;
  }

  async latestForRetailers(retailerIds: readonly RetailerId[]): Promise<CreditScoreRecord[]> {
    return [...new Set(retailerIds)]
      .sort(compareStrings)
      .flatMap((id) => this.newestFirst(id).slice(0, 1))
      .map((r) => copyData(r));
  }

  async history(retailerId: RetailerId, query?: HistoryQuery): Promise<CreditScoreRecord[]> {
    const limit = limitOf(query);
    return this.newestFirst(retailerId)
      .filter((r) => since(r.calculatedAt, query))
      .slice(0, limit)
      .map((r) => copyData(r));
  }

  private newestFirst(retailerId: RetailerId): CreditScoreRecord[] {
    return this.db
      .read()
      .values<Appended<CreditScoreRecord>>(SCORES)
      .filter(({ value }) => value.retailerId === retailerId)
      .sort((a, b) => b.value.calculatedAt.getTime() - a.value.calculatedAt.getTime() || b.seq - a.seq)
      .map(({ value }) => value);
  }
}

export class InMemoryRiskRuleRepository implements RiskRuleRepository {
  constructor(private readonly db: StoreAccess) {}

  async list(filter: RiskRuleFilter = {}): Promise<RiskRule[]> {
    return this.db
      .read()
      .values<RiskRule>(RULES)
      .filter((r) => filter.enabled === undefined || r.enabled === filter.enabled)
      .sort((a, b) => compareStrings(a.id, b.id))
      .map((r) => copyData(r));
  }

  async get(id: string): Promise<RiskRule | null> {
    const rule = this.db.read().get<RiskRule>(RULES, id);
    return rule ? copyData(rule) : null;
  }

  async save(rule: RiskRule): Promise<void> {
    await this.db.write((tx) => tx.set(RULES, rule.id, copyData(rule)));
  }
}

export class InMemoryRiskEventRepository implements RiskEventRepository {
  constructor(private readonly db: StoreAccess) {}

  async append(events: readonly RiskEvent[]): Promise<void> {
    await this.db.write((tx) => {
      const ids = new Set<string>();
      for (const e of events) {
        if (ids.has(e.id) || tx.get(EVENTS, e.id))
          throw duplicateKey('risk event already exists', 'risk_events_pkey', { id: e.id });
        ids.add(e.id);
      }
      for (const e of events) tx.set(EVENTS, e.id, copyData(e));
    });
  }

  async listByOrder(orderId: OrderId): Promise<RiskEvent[]> {
    return this.db
      .read()
      .values<RiskEvent>(EVENTS)
      .filter((e) => e.orderId === orderId)
      .sort((a, b) => a.assessedAt.getTime() - b.assessedAt.getTime() || compareStrings(a.ruleId, b.ruleId))
      .map((e) => copyData(e));
  }

  async listByRetailer(retailerId: RetailerId, query?: HistoryQuery): Promise<RiskEvent[]> {
    const limit = limitOf(query);
    return this.db
      .read()
      .values<RiskEvent>(EVENTS)
      .filter((e) => e.retailerId === retailerId && since(e.assessedAt, query))
      .sort((a, b) => b.assessedAt.getTime() - a.assessedAt.getTime() || compareStrings(a.ruleId, b.ruleId))
      .slice(0, limit)
      .map((e) => copyData(e));
  }
}

export class InMemoryRoutingDecisionRepository implements RoutingDecisionRepository {
  constructor(private readonly db: StoreAccess) {}

  async append(record: RoutingDecisionRecord): Promise<void> {
    await this.db.write((tx) => {
      if (tx.get(DECISIONS, record.id))
        throw duplicateKey('routing decision already exists', 'routing_decisions_pkey', { id: record.id });
      const clash = tx
        .values<RoutingDecisionRecord>(DECISIONS)
        .some((r) => r.orderId === record.orderId && r.attempt === record.attempt);
      if (clash) {
        throw duplicateKey(
          'a routing decision for this attempt already exists',
          'routing_decisions_order_attempt_key',
          {
            orderId: record.orderId,
            attempt: record.attempt,
          },
        );
      }
      tx.set(DECISIONS, record.id, copyData(record));
    });
  }

  async listByOrder(orderId: OrderId): Promise<RoutingDecisionRecord[]> {
    return this.db
      .read()
      .values<RoutingDecisionRecord>(DECISIONS)
      .filter((r) => r.orderId === orderId)
      .sort((a, b) => a.attempt - b.attempt)
      .map((r) => copyData(r));
  }
}

export class InMemoryVendorRatingRepository implements VendorRatingRepository {
  constructor(private readonly db: StoreAccess) {}

  async append(rating: VendorRating): Promise<void> {
    if (!isValidRating(rating.rating)) {
      throw constraintViolated('rating must be an integer 1-5', 'vendor_ratings_rating_check', {
        rating: rating.rating,
      });
    }
    await this.db.write((tx) => {
      if (tx.get(RATINGS, rating.id))
        throw duplicateKey('rating already exists', 'vendor_ratings_pkey', { id: rating.id });
      if (tx.values<VendorRating>(RATINGS).some((r) => r.orderId === rating.orderId)) {
        throw duplicateKey('this order is already rated', 'vendor_ratings_order_key', { orderId: rating.orderId });
      }
      tx.set(RATINGS, rating.id, copyData(rating));
    });
  }

  async clearCommentsOfRetailer(retailerId: RetailerId): Promise<number> {
    return this.db.write((tx) => {
      const commented = tx
        .values<VendorRating>(RATINGS)
        .filter((r) => r.retailerId === retailerId && r.comment !== null);
      for (const r of commented) tx.set(RATINGS, r.id, { ...r, comment: null });
      return commented.length;
    });
  }

  async getByOrder(orderId: OrderId): Promise<VendorRating | null> {
    const r = this.db
      .read()
      .values<VendorRating>(RATINGS)
      .find((x) => x.orderId === orderId);
    return r ? copyData(r) : null;
  }

  async listByVendors(vendorIds: readonly VendorId[], since: Date): Promise<VendorRating[]> {
    const wanted = new Set<string>(vendorIds);
    return this.db
      .read()
      .values<VendorRating>(RATINGS)
      .filter((r) => wanted.has(r.vendorId) && r.ratedAt.getTime() >= since.getTime())
      .sort((a, b) => a.ratedAt.getTime() - b.ratedAt.getTime() || compareStrings(a.id, b.id))
      .map((r) => copyData(r));
  }
}

/** Insert or replace by key unless the stored snapshot was checked later (see the port). */
function saveSnapshot(db: StoreAccess, table: string, key: string, snapshot: { readonly checkedAt: Date }) {
  return db.write((tx) => {
    const stored = tx.get<{ readonly checkedAt: Date }>(table, key);
    if (stored && stored.checkedAt.getTime() > snapshot.checkedAt.getTime()) return false;
    tx.set(table, key, copyData(snapshot));
    return true;
  });
}

export class InMemoryVendorPerformanceSnapshotRepository implements VendorPerformanceSnapshotRepository {
  constructor(private readonly db: StoreAccess) {}

  async get(vendorId: VendorId): Promise<VendorPerformanceSnapshot | null> {
    const s = this.db.read().get<VendorPerformanceSnapshot>(VENDOR_PERFORMANCE, vendorId);
    return s ? copyData(s) : null;
  }

  async getMany(vendorIds: readonly VendorId[]): Promise<VendorPerformanceSnapshot[]> {
    const view = this.db.read();
    return [...new Set(vendorIds)].sort(compareStrings).flatMap((id) => {
      const s = view.get<VendorPerformanceSnapshot>(VENDOR_PERFORMANCE, id);
      return s ? [copyData(s)] : [];
    });
  }

  save(snapshot: VendorPerformanceSnapshot): Promise<boolean> {
    return saveSnapshot(this.db, VENDOR_PERFORMANCE, snapshot.vendorId, snapshot);
  }
}

export class InMemoryPriceIntelligenceSnapshotRepository implements PriceIntelligenceSnapshotRepository {
  constructor(private readonly db: StoreAccess) {}

  async get(productId: ProductId): Promise<PriceIntelligenceSnapshot | null> {
    const s = this.db.read().get<PriceIntelligenceSnapshot>(PRICE_INTELLIGENCE, productId);
    return s ? copyData(s) : null;
  }

  save(snapshot: PriceIntelligenceSnapshot): Promise<boolean> {
    return saveSnapshot(this.db, PRICE_INTELLIGENCE, snapshot.productId, snapshot);
  }

  async listWithAlerts(page: {
    afterProductId?: ProductId;
    fromProductId?: ProductId;
    limit: number;
  }): Promise<PriceIntelligenceSnapshot[]> {
    const { afterProductId: after, fromProductId: from } = page;
    return this.db
      .read()
      .values<PriceIntelligenceSnapshot>(PRICE_INTELLIGENCE)
      .filter((s) => s.insight.alerts.length > 0)
      .filter((s) => (after === undefined || s.productId > after) && (from === undefined || s.productId >= from))
      .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0))
      .slice(0, Math.max(0, page.limit))
      .map(copyData);
  }
}

/** The engine repositories over a store (transactional when `db` is a transaction's access). */
export function inMemoryEngineRepositories(db: StoreAccess): EngineRepositories {
  return {
    creditScores: new InMemoryCreditScoreRepository(db),
    riskRules: new InMemoryRiskRuleRepository(db),
    riskEvents: new InMemoryRiskEventRepository(db),
    routingDecisions: new InMemoryRoutingDecisionRepository(db),
    vendorRatings: new InMemoryVendorRatingRepository(db),
    vendorPerformance: new InMemoryVendorPerformanceSnapshotRepository(db),
    priceIntelligence: new InMemoryPriceIntelligenceSnapshotRepository(db),
  };
}

/** A fresh, empty set of in-memory engine repositories on a store of their own. */
export function createInMemoryEngineRepositories(): EngineRepositories {
  return inMemoryEngineRepositories(autoCommitAccess(new InMemoryStore()));
}

import type { VendorRating } from '../../engines/performance/vendor-rating.js';
import { defaultRiskRules } from '../../engines/risk/default-risk-rules.js';
import type { RiskEvent } from '../../engines/risk/risk-event.js';
import type { RiskRule } from '../../engines/risk/risk-rule.js';
import type { RoutingDecision } from '../../engines/routing/routing-decision.js';
import { scoreRetailer } from '../../engines/scoring/score-retailer.js';
import type {
  CreditScoreRecord,
  CreditScoreRepository,
  RiskEventRepository,
  RiskRuleRepository,
  RoutingDecisionRecord,
  RoutingDecisionRepository,
  VendorRatingRepository,
  PriceIntelligenceSnapshot,
  PriceIntelligenceSnapshotRepository,
  VendorPerformanceSnapshot,
  VendorPerformanceSnapshotRepository,
} from '../../ports/engine-repositories.js';
import { computeVendorPerformance } from '../../engines/performance/vendor-performance.js';
import type { ProductPriceInsight } from '../../engines/pricing/analyse-prices.js';
import { ConflictError, ErrorCodes, ValidationError } from '../../shared/errors.js';
import type { OrderId, ProductId, RetailerId, VendorId } from '../../shared/ids.js';
import { Money } from '../../shared/money.js';
import { type Contract, type ContractCase, errorWith, expectEqual, expectRejects, expectTrue } from '../contract.js';

/** What the engine-repositories contract runs against; a factory builds a fresh one per case. */
export interface EngineRepositoriesSubject {
  readonly creditScores: CreditScoreRepository;
  readonly riskRules: RiskRuleRepository;
  readonly riskEvents: RiskEventRepository;
  readonly routingDecisions: RoutingDecisionRepository;
  readonly vendorRatings: VendorRatingRepository;
  readonly vendorPerformance: VendorPerformanceSnapshotRepository;
  readonly priceIntelligence: PriceIntelligenceSnapshotRepository;
}

// ---- fixtures ------------------------------------------------------------------------------

const BASE = Date.parse('2025-06-01T00:00:00Z');
const at = (minutes: number): Date => new Date(BASE + minutes * 60_000);
let counter = 0;
/** UUID-shaped, unique within the process (adapters may store ids in uuid columns). */
function uid(): string {
  counter += 1;
  return `01970000-0000-7000-8000-${counter.toString(16).padStart(12, '0')}`;
}

function aScoreRecord(retailerId: RetailerId, calculatedAt: Date, id = uid()): CreditScoreRecord {
  const result = scoreRetailer({
    retailerId,
    asOf: calculatedAt,
    currency: 'NPR',
    creditLimit: Money.of(5_000_000),
    outstanding: Money.of(1_000_000),
    held: Money.zero(),
    accountOpenedAt: at(-60 * 24 * 90),
    invoices: [],
    orders: { orderDates: [at(-60 * 24 * 3)], placedCount: 1, cancelledCount: 0 },
  });
  return {
    id,
    retailerId,
    score: result.score,
    band: result.band,
    recommendedLimit: result.limit.recommended,
    limitRule: result.limit.rule,
    trigger: 'NIGHTLY',
    calculatedAt,
    result,
  };
}

function aRiskEvent(orderId: OrderId, retailerId: RetailerId, assessedAt: Date, ruleId: string): RiskEvent {
  return {
    id: uid(),
    orderId,
    retailerId,
    assessedAt,
    ruleId,
    ruleType: 'MAX_ORDER_VALUE',
    action: 'REVIEW',
    outcome: 'ALLOW',
    triggered: false,
    reason: 'order value NPR 500.00 is within NPR 200,000.00',
    values: { orderValue: 'NPR 500.00', max: 'NPR 200,000.00' },
    assessmentVerdict: 'ALLOW',
  };
}

function aRoutingDecision(orderId: OrderId, attempt: number, id = uid()): RoutingDecisionRecord {
  const vendorId = uid() as VendorId;
  const decision: RoutingDecision = {
    orderId,
    decidedAt: at(attempt),
    weights: { price: 0.3, coverage: 0.3, reliability: 0.2, distance: 0.1, load: 0.1 },
    selectedVendorId: vendorId,
    candidates: [
      {
        rank: 1,
        vendorId,
        score: 0.8125,
        factors: { price: 1, coverage: 1, reliability: 0.7, distance: 0.5, load: 0.9 },
        fullCoverage: true,
        coveredLines: 1,
        uncoveredLineIndexes: [],
        estimatedCost: Money.of(123_450),
        distanceKm: null,
        confirmedToday: 1,
        dailyCapacity: 10,
        reliabilitySamples: 0,
      },
    ],
    excluded: [{ vendorId: uid() as VendorId, reason: 'ALREADY_TRIED', detail: 'already offered this order' }],
    fullCoverage: true,
    uncoveredLines: [],
    linesCoveredByNoCandidate: [],
  };
  return { id, orderId, attempt, decision, createdAt: at(attempt) };
}

function aRating(vendorId: VendorId, orderId: OrderId, ratedAt: Date, rating = 4): VendorRating {
  return { id: uid(), vendorId, retailerId: uid() as RetailerId, orderId, rating, comment: null, ratedAt };
}

/** The codes every adapter raises (core's ErrorCodes table): a taken key, a bad query, a stored rule broken. */
const isDuplicate = errorWith(ConflictError.is, ErrorCodes.DUPLICATE);
const isInvalidQuery = errorWith(ValidationError.is, ErrorCodes.VALIDATION);
const isConstraintViolated = errorWith(ValidationError.is, ErrorCodes.CONSTRAINT_VIOLATED);

// ---- cases ---------------------------------------------------------------------------------

const creditScoreCases: ContractCase<EngineRepositoriesSubject>[] = [
  {
    name: 'CreditScoreRepository: nothing stored → null latest, empty history',
    async run({ creditScores }) {
      const r = uid() as RetailerId;
      expectEqual(await creditScores.latest(r), null, 'latest');
      expectEqual(await creditScores.history(r), [], 'history');
      expectEqual(await creditScores.latestForRetailers([r]), [], 'latest for many');
    },
  },
  {
    name: 'CreditScoreRepository: stores the full explanation; latest is the newest calculation',
    async run({ creditScores }) {
      const r = uid() as RetailerId;
      const other = uid() as RetailerId;
      const old = aScoreRecord(r, at(0));
      const newest = aScoreRecord(r, at(20));
      const middle = aScoreRecord(r, at(10));
      for (const rec of [old, newest, middle, aScoreRecord(other, at(30))]) await creditScores.append(rec);
      expectEqual(await creditScores.latest(r), newest, 'latest with explanation');
      expectEqual(
        (await creditScores.history(r)).map((x) => x.id),
        [newest.id, middle.id, old.id],
        'history newest first, own retailer only',
      );
      expectEqual(
        (await creditScores.history(r, { since: at(10), limit: 1 })).map((x) => x.id),
        [newest.id],
        'since is inclusive; limit applies',
      );
      expectEqual((await creditScores.history(r, { since: at(10) })).length, 2, 'since inclusive');
      const many = await creditScores.latestForRetailers([other, r, uid() as RetailerId]);
      expectEqual(many.length, 2, 'one per scored retailer');
      expectTrue(
        many.some((m) => m.id === newest.id),
        'latest of r included',
      );
    },
  },
  {
    name: 'CreditScoreRepository: a duplicate id is ENTITY.DUPLICATE; bad limits are VALIDATION.INVALID',
    async run({ creditScores }) {
      const rec = aScoreRecord(uid() as RetailerId, at(0));
      await creditScores.append(rec);
      await expectRejects(creditScores.append({ ...rec, score: 300 }), isDuplicate, 'duplicate id');
      await expectRejects(creditScores.history(rec.retailerId, { limit: 0 }), isInvalidQuery, 'limit 0');
      await expectRejects(creditScores.history(rec.retailerId, { limit: 201 }), isInvalidQuery, 'limit 201');
    },
  },
  {
    name: 'CreditScoreRepository: returns copies',
    async run({ creditScores }) {
      const rec = aScoreRecord(uid() as RetailerId, at(0));
      await creditScores.append(rec);
      const got = await creditScores.latest(rec.retailerId);
      (got as { score: number }).score = 1;
      got?.calculatedAt.setTime(0);
      (got?.result.factors as unknown[]).length = 0;
      expectEqual(await creditScores.latest(rec.retailerId), rec, 'unchanged');
    },
  },
];

const riskRuleCases: ContractCase<EngineRepositoriesSubject>[] = [
  {
    name: 'RiskRuleRepository: saves, gets, lists by id with an enabled filter',
    async run({ riskRules }) {
      expectEqual(await riskRules.get('max-order-value-block'), null, 'absent');
      const rules = defaultRiskRules().map((r, i) => (i % 3 === 0 ? { ...r, enabled: false } : r)) as RiskRule[];
      for (const r of [...rules].reverse()) await riskRules.save(r);
      const sorted = [...rules].sort((a, b) => (a.id < b.id ? -1 : 1));
      expectEqual(await riskRules.list(), sorted, 'all, by id');
      expectEqual(
        (await riskRules.list({ enabled: true })).map((r) => r.id),
        sorted.filter((r) => r.enabled).map((r) => r.id),
        'enabled only',
      );
      expectEqual(
        (await riskRules.list({ enabled: false })).map((r) => r.id),
        sorted.filter((r) => !r.enabled).map((r) => r.id),
        'disabled only',
      );
      expectEqual(await riskRules.get(rules[0]?.id ?? ''), rules[0], 'get with money params');
    },
  },
  {
    name: 'RiskRuleRepository: save replaces by id; returns copies',
    async run({ riskRules }) {
      const rule = defaultRiskRules()[0] as RiskRule;
      await riskRules.save(rule);
      const changed = { ...rule, action: 'BLOCK', reasonTemplate: 'too big: {orderValue}' } as RiskRule;
      await riskRules.save(changed);
      expectEqual(await riskRules.get(rule.id), changed, 'replaced');
      expectEqual((await riskRules.list()).length, 1, 'still one rule');
      const got = await riskRules.get(rule.id);
      (got as { enabled: boolean }).enabled = false;
      (got?.params as { max?: unknown }).max = null;
      expectEqual(await riskRules.get(rule.id), changed, 'unchanged');
    },
  },
];

const riskEventCases: ContractCase<EngineRepositoriesSubject>[] = [
  {
    name: 'RiskEventRepository: appends an assessment and lists by order and retailer',
    async run({ riskEvents }) {
      const order1 = uid() as OrderId;
      const order2 = uid() as OrderId;
      const retailer = uid() as RetailerId;
      const first = [aRiskEvent(order1, retailer, at(0), 'velocity'), aRiskEvent(order1, retailer, at(0), 'max-order')];
      const second = [aRiskEvent(order2, retailer, at(5), 'max-order')];
      await riskEvents.append(first);
      await riskEvents.append(second);
      await riskEvents.append([aRiskEvent(uid() as OrderId, uid() as RetailerId, at(9), 'x')]);
      expectEqual(await riskEvents.listByOrder(order1), [first[1], first[0]], 'by order: time then rule id');
      expectEqual(
        (await riskEvents.listByRetailer(retailer)).map((e) => e.id),
        [second[0]?.id, first[1]?.id, first[0]?.id],
        'by retailer newest first',
      );
      expectEqual((await riskEvents.listByRetailer(retailer, { since: at(5) })).length, 1, 'since');
      expectEqual((await riskEvents.listByRetailer(retailer, { limit: 2 })).length, 2, 'limit');
      expectEqual(await riskEvents.listByOrder(uid() as OrderId), [], 'unknown order');
    },
  },
  {
    name: 'RiskEventRepository: a duplicate id is ENTITY.DUPLICATE and the batch stores nothing',
    async run({ riskEvents }) {
      const order = uid() as OrderId;
      const retailer = uid() as RetailerId;
      const existing = aRiskEvent(order, retailer, at(0), 'a');
      await riskEvents.append([existing]);
      const fresh = aRiskEvent(order, retailer, at(1), 'b');
      await expectRejects(riskEvents.append([fresh, { ...existing }]), isDuplicate, 'duplicate in batch');
      expectEqual(
        (await riskEvents.listByOrder(order)).map((e) => e.id),
        [existing.id],
        'nothing added',
      );
      const copy = (await riskEvents.listByOrder(order))[0];
      (copy as { reason: string }).reason = 'changed';
      expectEqual((await riskEvents.listByOrder(order))[0], existing, 'copies');
    },
  },
];

const routingCases: ContractCase<EngineRepositoriesSubject>[] = [
  {
    name: 'RoutingDecisionRepository: appends and lists by order in attempt order',
    async run({ routingDecisions }) {
      const order = uid() as OrderId;
      const second = aRoutingDecision(order, 2);
      const first = aRoutingDecision(order, 1);
      await routingDecisions.append(second);
      await routingDecisions.append(first);
      await routingDecisions.append(aRoutingDecision(uid() as OrderId, 1));
      expectEqual(await routingDecisions.listByOrder(order), [first, second], 'by attempt, with candidates');
      expectEqual(await routingDecisions.listByOrder(uid() as OrderId), [], 'unknown order');
      const got = (await routingDecisions.listByOrder(order))[0];
      (got?.decision.candidates as unknown[]).length = 0;
      expectEqual((await routingDecisions.listByOrder(order))[0], first, 'copies');
    },
  },
  {
    name: 'RoutingDecisionRepository: duplicate id or (order, attempt) is ENTITY.DUPLICATE',
    async run({ routingDecisions }) {
      const order = uid() as OrderId;
      const rec = aRoutingDecision(order, 1);
      await routingDecisions.append(rec);
      await expectRejects(routingDecisions.append(aRoutingDecision(order, 1)), isDuplicate, 'same attempt');
      await expectRejects(
        routingDecisions.append(aRoutingDecision(uid() as OrderId, 1, rec.id)),
        isDuplicate,
        'same id',
      );
    },
  },
];

const ratingCases: ContractCase<EngineRepositoriesSubject>[] = [
  {
    name: 'VendorRatingRepository: appends, gets by order, lists by vendors since a date',
    async run({ vendorRatings }) {
      const vendor = uid() as VendorId;
      const early = aRating(vendor, uid() as OrderId, at(0), 5);
      const late = aRating(vendor, uid() as OrderId, at(10), 2);
      const other = aRating(uid() as VendorId, uid() as OrderId, at(5));
      await vendorRatings.append(late);
      await vendorRatings.append(early);
      await vendorRatings.append(other);
      expectEqual(
        await vendorRatings.listByVendors([vendor, other.vendorId], at(0)),
        [early, other, late],
        'two vendors in one read, oldest first',
      );
      expectEqual(await vendorRatings.listByVendors([], at(0)), [], 'no vendors');
      expectEqual(await vendorRatings.getByOrder(early.orderId), early, 'by order');
      expectEqual(await vendorRatings.getByOrder(uid() as OrderId), null, 'absent');
      expectEqual(await vendorRatings.listByVendors([vendor], at(0)), [early, late], 'oldest first, since inclusive');
      expectEqual(await vendorRatings.listByVendors([vendor], at(1)), [late], 'since');
      const got = await vendorRatings.getByOrder(early.orderId);
      (got as { rating: number }).rating = 1;
      expectEqual(await vendorRatings.getByOrder(early.orderId), early, 'copies');
    },
  },
  {
    name: "VendorRatingRepository: clearCommentsOfRetailer nulls that retailer's comments only",
    async run({ vendorRatings }) {
      const vendor = uid() as VendorId;
      const shop = uid() as RetailerId;
      const mine = { ...aRating(vendor, uid() as OrderId, at(0)), retailerId: shop, comment: 'Sita was rude' };
      const plain = { ...aRating(vendor, uid() as OrderId, at(1)), retailerId: shop };
      const theirs = { ...aRating(vendor, uid() as OrderId, at(2)), comment: 'fast' };
      for (const r of [mine, plain, theirs]) await vendorRatings.append(r);
      expectEqual(await vendorRatings.clearCommentsOfRetailer(shop), 1, 'one had a comment');
      expectEqual(
        await vendorRatings.getByOrder(mine.orderId),
        { ...mine, comment: null },
        'comment gone, rating kept',
      );
      expectEqual(await vendorRatings.getByOrder(theirs.orderId), theirs, "another retailer's stays");
      expectEqual(await vendorRatings.clearCommentsOfRetailer(shop), 0, 'again: nothing');
    },
  },
  {
    name: 'VendorRatingRepository: one rating per order (ENTITY.DUPLICATE); ratings outside 1-5 are VALIDATION.CONSTRAINT_VIOLATED',
    async run({ vendorRatings }) {
      const vendor = uid() as VendorId;
      const order = uid() as OrderId;
      await vendorRatings.append(aRating(vendor, order, at(0)));
      await expectRejects(vendorRatings.append(aRating(vendor, order, at(1), 1)), isDuplicate, 'second rating');
      for (const bad of [0, 6, 2.5]) {
        await expectRejects(
          vendorRatings.append(aRating(vendor, uid() as OrderId, at(2), bad)),
          isConstraintViolated,
          `rating ${bad}`,
        );
      }
      expectEqual((await vendorRatings.listByVendors([vendor], at(0))).length, 1, 'only the first stored');
    },
  },
];

function aPerformanceSnapshot(vendorId: VendorId, checkedAt: Date, version = 1): VendorPerformanceSnapshot {
  const orderId = uid() as OrderId;
  const [report] = computeVendorPerformance({
    asOf: checkedAt,
    offers: [
      { orderId, vendorId, offeredAt: at(-30), outcome: 'ACCEPTED', respondedAt: at(-25), manual: false },
      { orderId: uid() as OrderId, vendorId, offeredAt: at(-20), outcome: 'EXPIRED', respondedAt: null, manual: false },
    ],
    fulfilments: [
      { orderId, vendorId, confirmedAt: at(-25), promisedBy: at(60), deliveredAt: at(-5), cancelledAt: null },
    ],
    ratings: [aRating(vendorId, orderId, at(-4), 4)],
  });
  return {
    vendorId,
    report: report as VendorPerformanceSnapshot['report'],
    fingerprint: `fp-${version}`,
    version,
    computedAt: checkedAt,
    checkedAt,
  };
}

function aPriceSnapshot(productId: ProductId, checkedAt: Date, version = 1): PriceIntelligenceSnapshot {
  const vendorId = uid() as VendorId;
  const price = Money.of(12_000);
  const insight: ProductPriceInsight = {
    productId,
    baseUnit: 'piece',
    reference: {
      productId,
      baseUnit: 'piece',
      median: price,
      min: price,
      max: price,
      offerCount: 1,
      prices: [{ vendorId, offerUnit: 'piece', offerPrice: price, pricePerBaseUnit: price }],
    },
    movingAverage7: price,
    movingAverage30: null,
    trend: { direction: 'UP', slopePerDay: 12.5, relativeSlopePerDay: 0.001, points: 2 },
    dailyCloses: [
      { day: '2025-05-31', close: Money.of(11_000), vendorCount: 1 },
      { day: '2025-06-01', close: price, vendorCount: 1 },
    ],
    alerts: [{ type: 'PRICE_MOVE', productId, vendorId, from: Money.of(11_000), to: price, percent: 9.09, at: at(-3) }],
  };
  return { productId, insight, fingerprint: `fp-${version}`, version, computedAt: checkedAt, checkedAt };
}

const snapshotCases: ContractCase<EngineRepositoriesSubject>[] = [
  {
    name: 'VendorPerformanceSnapshotRepository: absent → null; stores the whole report; getMany by vendor id',
    async run({ vendorPerformance }) {
      const [a, b] = [uid(), uid()].sort() as [VendorId, VendorId];
      expectEqual(await vendorPerformance.get(a), null, 'absent');
      expectEqual(await vendorPerformance.getMany([]), [], 'none asked');
      const sa = aPerformanceSnapshot(a, at(0));
      const sb = aPerformanceSnapshot(b, at(1));
      expectTrue(await vendorPerformance.save(sb), 'stored b');
      expectTrue(await vendorPerformance.save(sa), 'stored a');
      expectEqual(await vendorPerformance.get(a), sa, 'round trip with Dates and nulls');
      expectEqual(await vendorPerformance.getMany([b, uid() as VendorId, a, b]), [sa, sb], 'ordered, unknown left out');
      const got = (await vendorPerformance.get(a)) as { version: number };
      got.version = 99;
      expectEqual(await vendorPerformance.get(a), sa, 'copies');
    },
  },
  {
    name: 'VendorPerformanceSnapshotRepository: a save replaces by vendor; a snapshot checked earlier than the stored one is refused',
    async run({ vendorPerformance }) {
      const v = uid() as VendorId;
      await vendorPerformance.save(aPerformanceSnapshot(v, at(10), 1));
      const newer = aPerformanceSnapshot(v, at(20), 2);
      expectTrue(await vendorPerformance.save(newer), 'newer stored');
      expectEqual(await vendorPerformance.save(aPerformanceSnapshot(v, at(15), 3)), false, 'older refused');
      expectEqual(await vendorPerformance.get(v), newer, 'the newer kept');
      const rechecked = { ...newer, checkedAt: at(20) };
      expectTrue(await vendorPerformance.save(rechecked), 'same checkedAt is stored (a rerun)');
    },
  },
  {
    name: 'PriceIntelligenceSnapshotRepository: round trip with Money and Dates; replace by product; older refused',
    async run({ priceIntelligence }) {
      const p = uid() as ProductId;
      expectEqual(await priceIntelligence.get(p), null, 'absent');
      const first = aPriceSnapshot(p, at(0), 1);
      expectTrue(await priceIntelligence.save(first), 'stored');
      expectEqual(await priceIntelligence.get(p), first, 'round trip');
      const second = aPriceSnapshot(p, at(5), 2);
      expectTrue(await priceIntelligence.save(second), 'replaced');
      expectEqual(await priceIntelligence.save(aPriceSnapshot(p, at(1), 3)), false, 'older refused');
      expectEqual(await priceIntelligence.get(p), second, 'the newer kept');
      const got = (await priceIntelligence.get(p)) as unknown as { insight: { alerts: unknown[] } };
      got.insight.alerts.length = 0;
      expectEqual(await priceIntelligence.get(p), second, 'copies');
    },
  },
  {
    name: 'PriceIntelligenceSnapshotRepository: listWithAlerts pages the products with alerts by product id',
    async run({ priceIntelligence }) {
      const ids = [uid(), uid(), uid(), uid()].sort() as [ProductId, ProductId, ProductId, ProductId];
      const quiet = aPriceSnapshot(ids[1], at(0));
      for (const id of ids) {
        await priceIntelligence.save(
          id === ids[1] ? { ...quiet, insight: { ...quiet.insight, alerts: [] } } : aPriceSnapshot(id, at(0)),
        );
      }
      const listed = async (page: Parameters<typeof priceIntelligence.listWithAlerts>[0]) =>
        (await priceIntelligence.listWithAlerts(page)).map((s) => s.productId);
      expectEqual(await listed({ limit: 10 }), [ids[0], ids[2], ids[3]], 'the one without alerts left out');
      expectEqual(await listed({ limit: 2 }), [ids[0], ids[2]], 'limit');
      expectEqual(await listed({ afterProductId: ids[0], limit: 10 }), [ids[2], ids[3]], 'after: exclusive');
      expectEqual(await listed({ fromProductId: ids[2], limit: 10 }), [ids[2], ids[3]], 'from: inclusive');
      expectEqual(
        await priceIntelligence.listWithAlerts({ fromProductId: ids[3], limit: 1 }),
        [await priceIntelligence.get(ids[3])],
        'whole snapshots, as get reads them',
      );
    },
  },
];

/** Contract for the engine repositories (run with `registerContract`). */
export const engineRepositoriesContract: Contract<EngineRepositoriesSubject> = {
  name: 'EngineRepositories',
  cases: [...creditScoreCases, ...riskRuleCases, ...riskEventCases, ...routingCases, ...ratingCases, ...snapshotCases],
};

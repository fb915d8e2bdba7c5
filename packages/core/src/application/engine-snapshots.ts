import { analysePrices, type ProductPriceInsight } from '../engines/pricing/analyse-prices.js';
import type { PricingConfig } from '../engines/pricing/pricing-config.js';
import {
  computeVendorPerformance,
  DEFAULT_VENDOR_PERFORMANCE_CONFIG,
  type VendorPerformanceConfig,
  type VendorPerformanceReport,
} from '../engines/performance/vendor-performance.js';
import type {
  EngineSnapshot,
  PriceIntelligenceSnapshot,
  VendorPerformanceSnapshot,
} from '../ports/engine-repositories.js';
import type { Repositories } from '../ports/repositories.js';
import type { TransactionScope } from '../ports/unit-of-work.js';
import { MS_PER_DAY } from '../shared/clock.js';
import type { Actor } from '../shared/domain-event.js';
import { ErrorCodes } from '../shared/errors.js';
import type { ProductId, VendorId } from '../shared/ids.js';
import { checkActor, checkCommand, checkId } from './command-checks.js';
import type { UseCaseContext } from './context.js';
import { required } from './errors.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

/*
 * Stored engine output. The performance and pricing engines are pure functions of history;
 * computing them reads every offer, delivery, rating and price change of the lookback, so
 * the worker refreshes a stored snapshot when an event changes its inputs (and on the
 * hourly schedule, because windows slide with time), and readers (routing, the queries)
 * read the snapshot instead of the history.
 */

/** Days of price history read: the 30-day series plus a month of earlier changes to seed its first closes. */
const PRICE_LOOKBACK_DAYS = 60;

/**
 * How old a vendor snapshot may be (since its last refresh) and still rank with. The
 * schedule refreshes every vendor hourly and each answer, delivery or cancellation
 * refreshes its vendor within seconds; two hours tolerates one missed slot. Older: routing
 * computes, as it did before snapshots existed.
 */
export const VENDOR_SNAPSHOT_MAX_AGE_MS = 2 * 60 * 60 * 1000;

export interface SnapshotRefreshCommand {
  /** The refresh job (system) or an operator asking for fresh figures. */
  readonly actor: Actor;
}

export interface RefreshVendorPerformanceCommand extends SnapshotRefreshCommand {
  readonly vendorId: VendorId;
}

export interface RefreshPriceIntelligenceCommand extends SnapshotRefreshCommand {
  readonly productId: ProductId;
}

/** What a refresh did: `changed` false when the engine computed what was stored (only `checkedAt` moved). */
export interface Refreshed<S> {
  readonly snapshot: S;
  readonly changed: boolean;
}

export class RefreshVendorPerformance {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(
    private readonly ctx: UseCaseContext,
    private readonly config: Partial<VendorPerformanceConfig> = {},
  ) {}

  /**
   * Recompute the vendor's performance from its history and store it, in one transaction.
   * Idempotent: the same history gives the same content, stored once (`version` unchanged).
   */
  async execute(
    command: RefreshVendorPerformanceCommand,
  ): Promise<Outcome<Refreshed<VendorPerformanceSnapshot>, FailureCode<typeof RefreshVendorPerformance>>> {
    checkCommand(command);
    const vendorId = checkId<VendorId>(command.vendorId, 'vendorId');
    const actor = checkActor(command.actor);
    const result = await runUseCase(RefreshVendorPerformance.failures, () =>
      this.ctx.uow.run(
        async (tx) => {
          required(await tx.vendors.get(vendorId), 'vendor', vendorId);
          const now = this.ctx.clock.now();
          const report = await computeOneVendor(tx, vendorId, now, this.config);
          const previous = await tx.vendorPerformance.get(vendorId);
          const next = nextSnapshot(previous, fingerprintOf(withoutAsOf(report)), now);
          const snapshot: VendorPerformanceSnapshot = next.changed
            ? { ...next.meta, vendorId, report }
            : { ...(previous as VendorPerformanceSnapshot), checkedAt: now };
          const stored = await tx.vendorPerformance.save(snapshot);
          return { snapshot, changed: next.changed && stored };
        },
        { label: 'refresh-vendor-performance' },
      ),
    );
    if (result.ok) {
      const { snapshot, changed } = result.value;
      this.ctx.logger.info('vendor performance refreshed', {
        vendorId,
        changed,
        version: snapshot.version,
        reliability: snapshot.report.reliability.score,
        smoothedReliability: snapshot.report.smoothedReliability,
        actor: actor.type,
      });
    }
    return result;
  }
}

export class RefreshPriceIntelligence {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(
    private readonly ctx: UseCaseContext,
    private readonly config: Partial<PricingConfig> = {},
  ) {}

  /** Recompute the product's price intelligence from its offers and price history and store it; idempotent as above. */
  async execute(
    command: RefreshPriceIntelligenceCommand,
  ): Promise<Outcome<Refreshed<PriceIntelligenceSnapshot>, FailureCode<typeof RefreshPriceIntelligence>>> {
    checkCommand(command);
    const productId = checkId<ProductId>(command.productId, 'productId');
    const actor = checkActor(command.actor);
    const result = await runUseCase(RefreshPriceIntelligence.failures, () =>
      this.ctx.uow.run(
        async (tx) => {
          const now = this.ctx.clock.now();
          const insight = await computeOneProduct(tx, productId, now, this.config);
          const previous = await tx.priceIntelligence.get(productId);
          const next = nextSnapshot(previous, fingerprintOf(insight), now);
          const snapshot: PriceIntelligenceSnapshot = next.changed
            ? { ...next.meta, productId, insight }
            : { ...(previous as PriceIntelligenceSnapshot), checkedAt: now };
          const stored = await tx.priceIntelligence.save(snapshot);
          return { snapshot, changed: next.changed && stored };
        },
        { label: 'refresh-price-intelligence' },
      ),
    );
    if (result.ok) {
      const { snapshot, changed } = result.value;
      this.ctx.logger.info('price intelligence refreshed', {
        productId,
        changed,
        version: snapshot.version,
        trend: snapshot.insight.trend.direction,
        alerts: snapshot.insight.alerts.length,
        actor: actor.type,
      });
    }
    return result;
  }
}

/** Where a query's answer came from: the stored snapshot, or computed now because none is stored yet. */
export type SnapshotSource = 'SNAPSHOT' | 'COMPUTED';

export interface VendorPerformanceView {
  readonly source: SnapshotSource;
  readonly report: VendorPerformanceReport;
  /** When the figures were computed (the snapshot's `computedAt`, or now). */
  readonly computedAt: Date;
  /** The snapshot's last refresh; null when computed on read. */
  readonly checkedAt: Date | null;
}

export interface PriceIntelligenceView {
  readonly source: SnapshotSource;
  readonly insight: ProductPriceInsight;
  readonly computedAt: Date;
  readonly checkedAt: Date | null;
}

/**
 * A vendor's performance: the stored snapshot, or, for a vendor no refresh has reached
 * yet (new, or snapshots just deployed), computed on read from its history without
 * storing it (a query writes nothing; the refresh job does).
 */
export class GetVendorPerformance {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(query: {
    readonly vendorId: VendorId;
  }): Promise<Outcome<VendorPerformanceView, FailureCode<typeof GetVendorPerformance>>> {
    checkCommand(query);
    const vendorId = checkId<VendorId>(query.vendorId, 'vendorId');
    return runUseCase(GetVendorPerformance.failures, async () => {
      const repos = this.ctx.repos;
      const stored = await repos.vendorPerformance.get(vendorId);
      if (stored) {
        return {
          source: 'SNAPSHOT',
          report: stored.report,
          computedAt: stored.computedAt,
          checkedAt: stored.checkedAt,
        };
      }
      required(await repos.vendors.get(vendorId), 'vendor', vendorId);
      const now = this.ctx.clock.now();
      return {
        source: 'COMPUTED',
        report: await computeOneVendor(repos, vendorId, now),
        computedAt: now,
        checkedAt: null,
      };
    });
  }
}

/** A product's price intelligence: the stored snapshot, or computed on read while none exists. */
export class GetPriceIntelligence {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(query: {
    readonly productId: ProductId;
  }): Promise<Outcome<PriceIntelligenceView, FailureCode<typeof GetPriceIntelligence>>> {
    checkCommand(query);
    const productId = checkId<ProductId>(query.productId, 'productId');
    return runUseCase(GetPriceIntelligence.failures, async () => {
      const repos = this.ctx.repos;
      const stored = await repos.priceIntelligence.get(productId);
      if (stored) {
        return {
          source: 'SNAPSHOT',
          insight: stored.insight,
          computedAt: stored.computedAt,
          checkedAt: stored.checkedAt,
        };
      }
      const now = this.ctx.clock.now();
      return {
        source: 'COMPUTED',
        insight: await computeOneProduct(repos, productId, now),
        computedAt: now,
        checkedAt: null,
      };
    });
  }
}

/**
 * The routing input of vendors whose snapshot was refreshed within `maxAgeMs` of `now`;
 * vendors without a fresh one are left out (the caller computes those).
 */
export async function freshReliability(
  repos: Pick<Repositories, 'vendorPerformance'>,
  vendorIds: readonly VendorId[],
  now: Date,
  maxAgeMs = VENDOR_SNAPSHOT_MAX_AGE_MS,
): Promise<Map<VendorId, VendorPerformanceReport['reliability']>> {
  const out = new Map<VendorId, VendorPerformanceReport['reliability']>();
  if (vendorIds.length === 0) return out;
  for (const s of await repos.vendorPerformance.getMany(vendorIds)) {
    const age = now.getTime() - s.checkedAt.getTime();
    if (age >= 0 && age <= maxAgeMs) out.set(s.vendorId, s.report.reliability);
  }
  return out;
}

type Reader = Pick<TransactionScope, 'orders' | 'vendorRatings' | 'products' | 'offers' | 'priceHistory'>;

async function computeOneVendor(
  repos: Reader,
  vendorId: VendorId,
  now: Date,
  config: Partial<VendorPerformanceConfig> = {},
): Promise<VendorPerformanceReport> {
  const c = { ...DEFAULT_VENDOR_PERFORMANCE_CONFIG, ...config };
  const lookbackDays = Math.max(...c.windows, c.reliabilityWindowDays);
  const since = new Date(now.getTime() - lookbackDays * MS_PER_DAY);
  const events = await repos.orders.vendorPerformanceEvents([vendorId], since);
  const ratings = await repos.vendorRatings.listByVendors([vendorId], since);
  const [report] = computeVendorPerformance({ asOf: now, vendorIds: [vendorId], ...events, ratings }, c);
  return report as VendorPerformanceReport;
}

async function computeOneProduct(
  repos: Reader,
  productId: ProductId,
  now: Date,
  config: Partial<PricingConfig> = {},
): Promise<ProductPriceInsight> {
  const product = required(await repos.products.get(productId), 'product', productId);
  const offers = await repos.offers.listActiveForProducts([productId]);
  const history = await repos.priceHistory.listForProduct(
    productId,
    new Date(now.getTime() - PRICE_LOOKBACK_DAYS * MS_PER_DAY),
  );
  const report = analysePrices({ asOf: now, products: [product], offers, history }, config);
  return report.products[0] as ProductPriceInsight;
}

function withoutAsOf(report: VendorPerformanceReport): Omit<VendorPerformanceReport, 'asOf'> {
  const { asOf: _asOf, ...content } = report;
  return content;
}

function nextSnapshot(
  previous: EngineSnapshot | null,
  fingerprint: string,
  now: Date,
): { readonly changed: boolean; readonly meta: EngineSnapshot } {
  const changed = previous?.fingerprint !== fingerprint;
  return {
    changed,
    meta: { fingerprint, version: (previous?.version ?? 0) + 1, computedAt: now, checkedAt: now },
  };
}

/**
 * A content fingerprint: two 53-bit string hashes (cyrb53) of the content's JSON with
 * different seeds. The engines build their output in a fixed key order, so equal content
 * serialises equally; collisions only cost a missed update until the next refresh.
 */
export function fingerprintOf(content: unknown): string {
  const json = JSON.stringify(content);
  return `${cyrb53(json, 0).toString(16)}-${cyrb53(json, 0x9e3779b9).toString(16)}`;
}

function cyrb53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

import {
  rankVendorPerformance,
  VENDOR_RANKING_METRICS,
  type VendorRanking,
  type VendorRankingMetric,
} from '../engines/performance/vendor-performance.js';
import { compareStrings } from '../engines/shared/stats.js';
import { MAX_PAGE_SIZE } from '../ports/pagination.js';
import { ValidationError } from '../shared/errors.js';
import type { VendorId } from '../shared/ids.js';
import { checkCommand } from './command-checks.js';
import type { UseCaseContext } from './context.js';
import { type Outcome, runUseCase } from './outcome.js';

export interface GetVendorRankingsQuery {
  /** Default `reliability` (the smoothed one). */
  readonly metric?: VendorRankingMetric;
  /** 1..200, default 50: how many of the top rows to return. */
  readonly limit?: number;
}

export interface VendorRankingsView {
  readonly metric: VendorRankingMetric;
  /** Best first; vendors without a stored snapshot rank last with `value: null`. */
  readonly items: readonly (VendorRanking & { readonly computedAt: Date | null })[];
  /** How many vendors were ranked (the page is the top `limit` of them). */
  readonly total: number;
}

/**
 * Vendors ranked by one performance metric, from the stored snapshots only: a query writes
 * nothing and computes nothing per vendor (the refresh job keeps the snapshots current), so
 * a vendor no refresh has reached yet ranks last rather than costing a history scan here.
 */
export class GetVendorRankings {
  static readonly failures = [] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(query: GetVendorRankingsQuery = {}): Promise<Outcome<VendorRankingsView, never>> {
    checkCommand(query);
    const metric = query.metric ?? 'reliability';
    if (!VENDOR_RANKING_METRICS.includes(metric)) {
      throw new ValidationError(`metric must be one of ${VENDOR_RANKING_METRICS.join(', ')}`, { metric });
    }
    const limit = query.limit ?? 50;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new ValidationError(`limit must be an integer 1..${MAX_PAGE_SIZE}`, { limit });
    }
    return runUseCase(GetVendorRankings.failures, async () => {
      const repos = this.ctx.repos;
      const vendorIds: VendorId[] = [];
      const reports = [];
      const computedAt = new Map<VendorId, Date>();
      let cursor: string | null = null;
      // A ranking needs every vendor; read them a page at a time so memory follows the page, not the table.
      do {
        const page = await repos.vendors.list({ cursor, limit: MAX_PAGE_SIZE });
        const ids = page.items.map((v) => v.id);
        vendorIds.push(...ids);
        for (const s of await repos.vendorPerformance.getMany(ids)) {
          reports.push(s.report);
          computedAt.set(s.vendorId, s.computedAt);
        }
        cursor = page.nextCursor;
      } while (cursor);
      const ranked = rankVendorPerformance(reports, metric);
      const withSnapshot = new Set(ranked.map((r) => r.vendorId));
      const unranked = vendorIds.filter((id) => !withSnapshot.has(id)).sort(compareStrings);
      const all = [
        ...ranked,
        ...unranked.map((vendorId, i) => ({ rank: ranked.length + i + 1, vendorId, value: null })),
      ];
      return {
        metric,
        items: all.slice(0, limit).map((r) => ({ ...r, computedAt: computedAt.get(r.vendorId) ?? null })),
        total: all.length,
      };
    });
  }
}

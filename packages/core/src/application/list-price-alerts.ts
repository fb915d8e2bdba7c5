import type { PriceAlert } from '../engines/pricing/price-alerts.js';
import type { PriceIntelligenceSnapshotRepository } from '../ports/engine-repositories.js';
import { ErrorCodes, ValidationError } from '../shared/errors.js';
import type { ProductId, VendorId } from '../shared/ids.js';
import { checkId } from './command-checks.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

/** Alerts one page holds at most. */
export const MAX_PRICE_ALERTS_PAGE = 200;
/** Products one request reads at most: a filter that matches little ends a page early (with a cursor), never scans on. */
export const MAX_PRICE_ALERT_PRODUCTS_SCANNED = 1_000;
const BATCH = 100;

export interface PriceAlertQuery {
  readonly type?: PriceAlert['type'];
  readonly vendorId?: VendorId;
  /** Only alerts whose |percent| is at least this. */
  readonly minPercent?: number;
  readonly cursor?: string;
  readonly limit?: number;
}

export type ListedPriceAlert = PriceAlert & {
  /** When the snapshot holding it was computed: the alert is as of then. */
  readonly computedAt: Date;
};

export interface PriceAlertPage {
  readonly items: readonly ListedPriceAlert[];
  /** null when there is nothing after this page. */
  readonly nextCursor: string | null;
}

const CURSOR = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(0|[1-9]\d{0,5})$/;

/**
 * Price alerts across products, from the stored price-intelligence snapshots only (what the
 * last refresh computed; nothing is recomputed here): by product id, then in the snapshot's
 * order (vendor, type). The cursor names a product and how many of its matching alerts were
 * already served, so pages neither repeat nor skip while the snapshots stand still.
 */
export class ListPriceAlerts {
  static readonly failures = [] as const;

  constructor(
    private readonly deps: { readonly snapshots: Pick<PriceIntelligenceSnapshotRepository, 'listWithAlerts'> },
  ) {}

  async execute(query: PriceAlertQuery): Promise<Outcome<PriceAlertPage, FailureCode<typeof ListPriceAlerts>>> {
    const limit = query.limit ?? 50;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PRICE_ALERTS_PAGE) {
      throw new ValidationError(
        `limit must be 1-${MAX_PRICE_ALERTS_PAGE}`,
        { field: 'limit' },
        ErrorCodes.OUT_OF_RANGE,
      );
    }
    if (query.type !== undefined && query.type !== 'ABOVE_MEDIAN' && query.type !== 'PRICE_MOVE') {
      throw new ValidationError('type must be ABOVE_MEDIAN or PRICE_MOVE', { field: 'type' });
    }
    const vendorId = query.vendorId === undefined ? undefined : checkId<VendorId>(query.vendorId, 'vendorId');
    const minPercent = query.minPercent ?? 0;
    if (!Number.isFinite(minPercent) || minPercent < 0) {
      throw new ValidationError('minPercent must be a number ≥ 0', { field: 'minPercent' });
    }
    const cursor = query.cursor === undefined ? null : decode(query.cursor);
    const matches = (a: PriceAlert) =>
      (query.type === undefined || a.type === query.type) &&
      (vendorId === undefined || a.vendorId === vendorId) &&
      Math.abs(a.percent) >= minPercent;

    return runUseCase(ListPriceAlerts.failures, async () => {
      const items: ListedPriceAlert[] = [];
      let after: ProductId | undefined;
      let scanned = 0;
      for (;;) {
        const batch = await this.deps.snapshots.listWithAlerts(
          after !== undefined
            ? { afterProductId: after, limit: BATCH }
            : cursor
              ? { fromProductId: cursor.productId, limit: BATCH }
              : { limit: BATCH },
        );
        for (const snapshot of batch) {
          const matching = snapshot.insight.alerts.filter(matches);
          const start = cursor && snapshot.productId === cursor.productId ? cursor.skip : 0;
          for (let i = start; i < matching.length; i++) {
            if (items.length === limit) return { items, nextCursor: `${snapshot.productId}.${i}` };
            items.push({ ...(matching[i] as PriceAlert), computedAt: snapshot.computedAt });
          }
          after = snapshot.productId;
          scanned += 1;
          if (scanned >= MAX_PRICE_ALERT_PRODUCTS_SCANNED) {
            return { items, nextCursor: `${snapshot.productId}.${Math.max(start, matching.length)}` };
          }
        }
        if (batch.length < BATCH) return { items, nextCursor: null };
      }
    });
  }
}

function decode(cursor: string): { productId: ProductId; skip: number } {
  const m = CURSOR.exec(cursor);
  if (!m) throw new ValidationError('invalid cursor', { field: 'cursor' });
  return { productId: m[1] as ProductId, skip: Number(m[2]) };
}

import type { Logger, Page, PageRequest, Product, ProductFilter, Vendor } from '@khaacho/core';
import {
  REFRESH_PRICE_INTELLIGENCE_JOB,
  REFRESH_VENDOR_PERFORMANCE_JOB,
  refreshJob,
} from '../../consumers/snapshot-refresh.js';
import type { JobQueue } from '@khaacho/core';
import { enqueueEachPage, type SlotHandler } from './slot-handler.js';

export interface SnapshotRefreshTaskDeps {
  readonly queue: JobQueue;
  readonly logger: Logger;
  readonly vendors: { list(page: PageRequest): Promise<Page<Vendor>> };
  readonly products: { list(filter: ProductFilter, page: PageRequest): Promise<Page<Product>> };
  /** Rows read per page (default 200). */
  readonly pageSize?: number;
}

/**
 * Hourly: a REPORT_GENERATION refresh of every ACTIVE vendor's performance, paged. Events
 * refresh a vendor when its figures move; this catches what no event announces: windows
 * sliding past old offers, and ratings (which raise no event). The job id
 * `refresh-vendor-performance:slot:<slot ISO>:<vendor>` makes a rerun of the slot, or the
 * same slot on another worker, a run of duplicates.
 */
export function vendorPerformanceRefreshTask(deps: SnapshotRefreshTaskDeps): SlotHandler {
  const limit = deps.pageSize ?? 200;
  return async (slot) => {
    const at = slot.toISOString();
    const enqueued = await enqueueEachPage(
      deps.queue,
      async (cursor) => activeOnly(await deps.vendors.list({ limit, cursor })),
      (vendor: Vendor) =>
        refreshJob(REFRESH_VENDOR_PERFORMANCE_JOB, `slot:${at}:${vendor.id}`, { vendorId: vendor.id }),
    );
    deps.logger.info('scheduler: vendor performance refresh enqueued', { slot: at, jobs: enqueued });
  };
}

/**
 * Daily, just after the UTC day turns (the pricing engine's daily closes, moving averages
 * and trend are by UTC day): a refresh of every active product's price intelligence, paged.
 * Offer and product events refresh a product within seconds; this moves the series on for
 * products nobody touched. Job ids as above, so each slot runs once across workers.
 */
export function priceIntelligenceRefreshTask(deps: SnapshotRefreshTaskDeps): SlotHandler {
  const limit = deps.pageSize ?? 200;
  return async (slot) => {
    const at = slot.toISOString();
    const enqueued = await enqueueEachPage(
      deps.queue,
      (cursor) => deps.products.list({ activeOnly: true }, { limit, cursor }),
      (product: Product) =>
        refreshJob(REFRESH_PRICE_INTELLIGENCE_JOB, `slot:${at}:${product.id}`, { productId: product.id }),
    );
    deps.logger.info('scheduler: price intelligence refresh enqueued', { slot: at, jobs: enqueued });
  };
}

function activeOnly(page: Page<Vendor>): Page<Vendor> {
  return { ...page, items: page.items.filter((v) => v.status === 'ACTIVE') };
}

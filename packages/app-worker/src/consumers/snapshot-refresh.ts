import {
  type Clock,
  type DomainEvent,
  ErrorCodes,
  EventTypes,
  type JobHandler,
  type JobQueue,
  type JobSpec,
  type JsonObject,
  type Logger,
  type ProductId,
  QueueNames,
  SYSTEM_ACTOR,
  type UseCases,
  type VendorId,
} from '@khaacho/core';

/** REPORT_GENERATION job names: one vendor's performance, one product's price intelligence. */
export const REFRESH_VENDOR_PERFORMANCE_JOB = 'refresh-vendor-performance';
export const REFRESH_PRICE_INTELLIGENCE_JOB = 'refresh-price-intelligence';

/**
 * Window over which a burst of events for one vendor or product makes one refresh. Ten
 * seconds: a busy vendor answers, dispatches and delivers many orders a minute, and each
 * refresh reads its 90-day history, so per-event refreshes would cost more than routing;
 * routing meanwhile ranks with figures at most a window old (and a minute-cached anyway).
 */
export const DEFAULT_REFRESH_COALESCE_MS = 10_000;

/** Attempts of a refresh job: it only reads and upserts, so a short retry covers a blip. */
const REFRESH_ATTEMPTS = 3;

export interface SnapshotTargets {
  readonly vendorIds: readonly VendorId[];
  readonly productIds: readonly ProductId[];
}

/**
 * Whose snapshot an event makes stale. A vendor's performance moves with each answer to
 * an offer (accepted = the order CONFIRMED; rejected; expired) and each fulfilment step
 * (dispatched, delivered, cancelled after confirmation). A product's price intelligence
 * moves with any offer's price or state and with the product itself (units, activity).
 * Ratings raise no event (RateVendor stores only): the scheduled refresh picks them up.
 */
export function snapshotTargets(event: DomainEvent): SnapshotTargets {
  const none: SnapshotTargets = { vendorIds: [], productIds: [] };
  switch (event.type) {
    case EventTypes.ORDER_OFFER_REJECTED:
    case EventTypes.ORDER_OFFER_EXPIRED:
      return { vendorIds: [event.payload.vendorId], productIds: [] };
    case EventTypes.ORDER_STATUS_CHANGED: {
      const { to, vendorId } = event.payload;
      if (vendorId === null) return none;
      return PERFORMANCE_STATUSES.has(to) ? { vendorIds: [vendorId], productIds: [] } : none;
    }
    case EventTypes.OFFER_PRICE_CHANGED:
    case EventTypes.OFFER_UPDATED:
      return { vendorIds: [], productIds: [event.payload.productId] };
    case EventTypes.PRODUCT_CREATED:
    case EventTypes.PRODUCT_UPDATED:
      return { vendorIds: [], productIds: [event.aggregateId] };
    default:
      return none;
  }
}

const PERFORMANCE_STATUSES: ReadonlySet<string> = new Set(['CONFIRMED', 'DISPATCHED', 'DELIVERED', 'CANCELLED']);

export interface RefreshPayload extends JsonObject {
  readonly vendorId?: string;
  readonly productId?: string;
}

export interface SnapshotRefreshEnqueuerDeps {
  readonly queue: JobQueue;
  readonly clock: Clock;
  /** Default `DEFAULT_REFRESH_COALESCE_MS`; 0 enqueues one undelayed refresh per triggering job. */
  readonly coalesceMs?: number;
}

/**
 * After an event job's own effect: enqueue the refreshes its event calls for, coalesced.
 *
 * Coalescing: the job id is `<kind>:<subject>:<window start>` for the fixed window (of
 * `coalesceMs`) that now falls in, and the job is delayed to that window's end. Every event
 * consumed in the window enqueues the same id (a duplicate, dropped), and the one job runs
 * after the last of them, so it reads every change they announce (an event is relayed
 * only after its transaction committed). Nothing is lost: an event consumed after the job
 * started falls in a later window, whose job is new. With `coalesceMs` 0 the triggering
 * job's id takes the window's place: a redelivered job enqueues the same refresh again.
 */
export function snapshotRefreshEnqueuer(deps: SnapshotRefreshEnqueuerDeps) {
  const coalesceMs = deps.coalesceMs ?? DEFAULT_REFRESH_COALESCE_MS;
  return async (event: DomainEvent, triggeringJobId: string): Promise<number> => {
    const { vendorIds, productIds } = snapshotTargets(event);
    if (vendorIds.length === 0 && productIds.length === 0) return 0;
    const now = deps.clock.now().getTime();
    const windowStart = coalesceMs > 0 ? now - (now % coalesceMs) : now;
    const slot = coalesceMs > 0 ? String(windowStart) : triggeringJobId;
    const delayMs = coalesceMs > 0 ? windowStart + coalesceMs - now : 0;
    const jobs: JobSpec[] = [
      ...vendorIds.map((vendorId) =>
        refreshJob(REFRESH_VENDOR_PERFORMANCE_JOB, `vendor:${vendorId}:${slot}`, { vendorId }, delayMs),
      ),
      ...productIds.map((productId) =>
        refreshJob(REFRESH_PRICE_INTELLIGENCE_JOB, `product:${productId}:${slot}`, { productId }, delayMs),
      ),
    ];
    const results = await Promise.all(jobs.map((j) => deps.queue.enqueue(j)));
    return results.filter((r) => !r.duplicate).length;
  };
}

export function refreshJob(name: string, jobId: string, payload: RefreshPayload, delayMs = 0): JobSpec {
  return {
    queue: QueueNames.REPORT_GENERATION,
    name,
    jobId: `${name}:${jobId}`,
    payload,
    maxAttempts: REFRESH_ATTEMPTS,
    ...(delayMs > 0 ? { delayMs } : {}),
  };
}

export interface SnapshotRefreshHandlerDeps {
  readonly useCases: Pick<UseCases, 'refreshVendorPerformance' | 'refreshPriceIntelligence'>;
  readonly logger: Logger;
}

/**
 * The REPORT_GENERATION handlers of the two refresh jobs (from events and from the
 * schedule). Idempotent by the use cases: a rerun stores the same content (no new version).
 * A subject gone since the job was made is logged and the job ends; other failures throw,
 * and the queue retries.
 */
export function snapshotRefreshHandlers(
  deps: SnapshotRefreshHandlerDeps,
): { readonly name: string; readonly handle: JobHandler }[] {
  const { logger } = deps;
  return [
    {
      name: REFRESH_VENDOR_PERFORMANCE_JOB,
      handle: async (job) => {
        const vendorId = String((job.payload as RefreshPayload).vendorId) as VendorId;
        const out = await deps.useCases.refreshVendorPerformance.execute({ vendorId, actor: SYSTEM_ACTOR });
        if (out.ok) return;
        if (out.error.code === ErrorCodes.NOT_FOUND)
          return logger.warn('performance refresh: vendor not found', { vendorId });
        throw new Error(`RefreshVendorPerformance failed: ${out.error.code}`);
      },
    },
    {
      name: REFRESH_PRICE_INTELLIGENCE_JOB,
      handle: async (job) => {
        const productId = String((job.payload as RefreshPayload).productId) as ProductId;
        const out = await deps.useCases.refreshPriceIntelligence.execute({ productId, actor: SYSTEM_ACTOR });
        if (out.ok) return;
        if (out.error.code === ErrorCodes.NOT_FOUND)
          return logger.warn('price refresh: product not found', { productId });
        throw new Error(`RefreshPriceIntelligence failed: ${out.error.code}`);
      },
    },
  ];
}

import type { Order } from '../order/order.js';
import { DEFAULT_OFFER_TIMEOUT_MS } from '../order/routing-attempt.js';
import { computeVendorPerformance, reliabilityByVendor } from '../engines/performance/vendor-performance.js';
import { rankVendors } from '../engines/routing/rank-vendors.js';
import type { RoutingDecision } from '../engines/routing/routing-decision.js';
import type { RoutingWeights } from '../engines/routing/routing-input.js';
import type { RoutingReliability } from '../caching/reliability-cache.js';
import type { TransactionScope } from '../ports/unit-of-work.js';
import { addMs, MS_PER_DAY, MS_PER_MINUTE, NEPAL_UTC_OFFSET_MINUTES } from '../shared/clock.js';
import type { OrderId, VendorId } from '../shared/ids.js';
import { persist, type UseCaseContext } from './context.js';
import { freshReliability } from './engine-snapshots.js';
import { required } from './errors.js';
import type { Actor } from '../shared/domain-event.js';
import { ErrorCodes } from '../shared/errors.js';
import { checkActor, checkCommand, checkId } from './command-checks.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

export interface RouteOrderOptions {
  readonly offerTimeoutMs?: number;
  readonly weights?: Partial<RoutingWeights>;
}

export interface RouteOrderCommand {
  readonly orderId: OrderId;
  /** Who asked: the routing worker (system) or an operator re-running it; recorded on the offer. */
  readonly actor: Actor;
}

/** What routing did; every branch is a success (a SKIPPED job is safe to redeliver). */
export type RoutedOrder =
  | {
      readonly outcome: 'OFFERED';
      readonly order: Order;
      readonly vendorId: VendorId;
      readonly decision: RoutingDecision;
    }
  | { readonly outcome: 'NEEDS_MANUAL_ASSIGNMENT'; readonly order: Order; readonly decision: RoutingDecision | null }
  /** Nothing to do (not routing, or an offer is already waiting): safe for redelivered jobs. */
  | { readonly outcome: 'SKIPPED'; readonly order: Order; readonly reason: string };

const PERFORMANCE_LOOKBACK_DAYS = 90;

/**
 * Offer a ROUTING order to the best vendor not yet tried: rank the candidates, store the
 * decision with every candidate's factor scores, and make the offer, in one transaction.
 * When no candidate is left, or the automatic attempts are used up, the order is flagged
 * for manual assignment (and an alert event goes to the outbox); it stays ROUTING.
 */
export class RouteOrder {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(
    private readonly ctx: UseCaseContext,
    private readonly options: RouteOrderOptions = {},
  ) {}

  async execute(command: RouteOrderCommand): Promise<Outcome<RoutedOrder, FailureCode<typeof RouteOrder>>> {
    checkCommand(command);
    const orderId = checkId<OrderId>(command.orderId, 'orderId');
    const actor = checkActor(command.actor);
    const result = await runUseCase(RouteOrder.failures, () =>
      this.ctx.uow.run(async (tx) => this.route(tx, orderId, actor), { label: 'route-order' }),
    );
    if (result.ok) {
      this.ctx.logger.info('order routed', {
        orderId,
        outcome: result.value.outcome,
        vendorId: result.value.outcome === 'OFFERED' ? result.value.vendorId : null,
      });
    }
    return result;
  }

  private async route(tx: TransactionScope, orderId: OrderId, actor: Actor): Promise<RoutedOrder> {
    const order = required(await tx.orders.get(orderId), 'order', orderId);
    if (order.status !== 'ROUTING') return { outcome: 'SKIPPED', order, reason: `order is ${order.status}` };
    if (order.pendingOffer()) return { outcome: 'SKIPPED', order, reason: 'an offer is waiting for an answer' };
    const now = this.ctx.clock.now();
    if (!order.canOfferAutomatically()) {
      // Already flagged (no-op) or out of automatic attempts.
      order.flagForManualAssignment(now, 'automatic routing attempts are used up');
      await persist(tx, { orders: [order] });
      return { outcome: 'NEEDS_MANUAL_ASSIGNMENT', order, decision: null };
    }
    const retailer = required(await tx.retailers.get(order.retailerId), 'retailer', order.retailerId);
    const productIds = [...new Set(order.lines.map((l) => l.productId))];
    // Products and offers only rank candidates here: the order's prices and quantities were
    // fixed by PlaceOrder from locked, live reads, and the vendor is offered the order as
    // priced. So these two reads may come from the catalog cache: an answer older than a
    // not-yet-consumed catalog event can at worst rank a vendor whose offer just changed,
    // whose answer (or expiry) then moves the order on. A miss reads through this transaction.
    const cache = this.ctx.catalogCache;
    const catalog = cache ? { products: cache.products(tx.products), offers: cache.offers(tx.offers) } : tx;
    const [products, vendors, offers] = await Promise.all([
      catalog.products.getMany(productIds),
      tx.vendors.listActiveServing(retailer.area),
      catalog.offers.listActiveForProducts(productIds),
    ]);
    const tried = new Set(order.triedVendorIds());
    const candidates = vendors.filter((v) => !tried.has(v.id));
    const dayStart = startOfLocalDay(now);
    const confirmedToday = new Map<VendorId, number>();
    for (const v of candidates) confirmedToday.set(v.id, await tx.orders.countConfirmedForVendorSince(v.id, dayStart));
    const reliability = await this.reliability(
      tx,
      candidates.map((v) => v.id),
      now,
    );
    const decision = rankVendors(
      {
        orderId: order.id,
        asOf: now,
        retailer: { area: retailer.area, location: retailer.location },
        lines: order.lines,
        products,
        vendors,
        offers,
        triedVendorIds: [...tried],
        confirmedToday,
        reliability,
      },
      this.options.weights ?? {},
    );
    const record = { id: this.ctx.ids.next(), orderId: order.id, attempt: order.routingAttempts.length + 1, decision };
    // The order is saved before the decision is recorded: its version check is what makes a
    // concurrent RouteOrder of the same order lose as a conflict the unit of work re-runs
    // (the re-run sees the offer and skips), rather than fail on the decision's unique
    // (order, attempt) key first (found by the differential test of the adapters).
    if (decision.selectedVendorId === null) {
      order.flagForManualAssignment(now, 'no eligible vendor is left');
      await persist(tx, { orders: [order] });
      await tx.routingDecisions.append({ ...record, createdAt: now });
      return { outcome: 'NEEDS_MANUAL_ASSIGNMENT', order, decision };
    }
    order.offerTo(decision.selectedVendorId, now, addMs(now, this.options.offerTimeoutMs ?? DEFAULT_OFFER_TIMEOUT_MS), {
      actor,
    });
    await persist(tx, { orders: [order] });
    await tx.routingDecisions.append({ ...record, createdAt: now });
    return { outcome: 'OFFERED', order, vendorId: decision.selectedVendorId, decision };
  }

  /**
   * Composite reliability of the candidates: from each one's stored performance snapshot
   * when it is fresh (see VENDOR_SNAPSHOT_MAX_AGE_MS), else computed from its recent offers,
   * deliveries and ratings; through the reliability cache when the composition has one (see
   * ReliabilityCache for why a minute-old value is fine to rank with).
   */
  private async reliability(
    tx: TransactionScope,
    vendorIds: readonly VendorId[],
    now: Date,
  ): Promise<ReadonlyMap<VendorId, RoutingReliability>> {
    if (vendorIds.length === 0) return new Map();
    const compute = async (ids: readonly VendorId[]) => {
      const stored = await freshReliability(tx, ids, now);
      const rest = ids.filter((id) => !stored.has(id));
      if (rest.length === 0) return stored;
      const since = new Date(now.getTime() - PERFORMANCE_LOOKBACK_DAYS * MS_PER_DAY);
      const events = await tx.orders.vendorPerformanceEvents(rest, since);
      const ratings = await tx.vendorRatings.listByVendors(rest, since);
      const computed = reliabilityByVendor(
        computeVendorPerformance({ asOf: now, vendorIds: rest, ...events, ratings }),
      );
      return new Map([...stored, ...computed]);
    };
    const cache = this.ctx.reliabilityCache;
    return cache ? cache.lookup(vendorIds, compute) : compute(vendorIds);
  }
}

/** Midnight in Nepal (UTC+5:45): a vendor's daily capacity resets on the local day. */
export function startOfLocalDay(at: Date, utcOffsetMinutes = NEPAL_UTC_OFFSET_MINUTES): Date {
  const offsetMs = utcOffsetMinutes * MS_PER_MINUTE;
  const local = at.getTime() + offsetMs;
  return new Date(local - (((local % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) - offsetMs);
}

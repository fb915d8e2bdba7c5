import { type PerformanceEvents, performanceEventsFromOrders } from '../engines/performance/performance-events.js';
import { Order, type OrderSnapshot } from '../order/order.js';
import {
  countsAgainstCredit,
  HOLD_REASONS,
  type HoldReason,
  ORDER_STATUSES,
  type OrderStatus,
} from '../order/order-status.js';
import { ConcurrencyError } from '../shared/errors.js';
import type { OrderId, ProductId, RetailerId, VendorId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { decodeCursor, encodeCursor, type Page, type PageRequest, pageLimit } from '../ports/pagination.js';
import type { PurchaseRecord } from '../ports/purchase-history.js';
import type { OrderFilter, OrderRepository } from '../ports/repositories.js';
import { cmp } from './in-memory-catalog-repositories.js';
import type { StoreAccess } from './in-memory-store.js';
import { duplicateKey } from './in-memory-store-errors.js';

const ORDERS = 'orders';

/** Orders that never became a purchase. */
const NOT_BOUGHT: ReadonlySet<string> = new Set(['CANCELLED', 'REJECTED']);

export class InMemoryOrderRepository implements OrderRepository {
  constructor(private readonly db: StoreAccess) {}

  async get(id: OrderId): Promise<Order | null> {
    const s = this.db.read().get<OrderSnapshot>(ORDERS, id);
    return s ? Order.restore(s) : null;
  }

  async getByNumber(number: string): Promise<Order | null> {
    const n = number.trim().toUpperCase();
    const s = this.db
      .read()
      .values<OrderSnapshot>(ORDERS)
      .find((o) => o.number === n);
    return s ? Order.restore(s) : null;
  }

  async save(order: Order): Promise<void> {
    const snapshot = order.snapshot();
    const version = await this.db.write((tx) => {
      const stored = tx.get<OrderSnapshot>(ORDERS, snapshot.id);
      if (snapshot.version === 0) {
        if (stored) throw duplicateKey('order already exists', 'orders_pkey', { orderId: snapshot.id });
        if (tx.values<OrderSnapshot>(ORDERS).some((o) => o.number === snapshot.number)) {
          throw duplicateKey('order number already used', 'orders_number_key', { number: snapshot.number });
        }
      } else if (!stored || stored.version !== snapshot.version) {
        throw new ConcurrencyError('order was changed by someone else', {
          orderId: snapshot.id,
          expected: snapshot.version,
          found: stored?.version ?? null,
        });
      }
      const next = snapshot.version + 1;
      tx.set(ORDERS, snapshot.id, { ...snapshot, version: next });
      return next;
    });
    order.markPersisted(version);
  }

  async nextNumber(): Promise<string> {
    const n = await this.db.write((tx) => tx.nextValue('order_number'));
    return `KH-${String(n).padStart(6, '0')}`;
  }

  async list(filter: OrderFilter, page: PageRequest): Promise<Page<Order>> {
    const limit = pageLimit(page);
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    const rows = this.db
      .read()
      .values<OrderSnapshot>(ORDERS)
      .filter((o) => matches(o, filter))
      .filter(
        (o) =>
          !after ||
          o.placedAt.getTime() < after.at.getTime() ||
          (o.placedAt.getTime() === after.at.getTime() && o.id < after.id),
      )
      .sort((a, b) => b.placedAt.getTime() - a.placedAt.getTime() || cmp(b.id, a.id));
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map((s) => Order.restore(s)),
      nextCursor: rows.length > limit && last ? encodeCursor({ at: last.placedAt, id: last.id }) : null,
    };
  }

  async pendingExposure(retailerId: RetailerId, currency: string): Promise<Money> {
    return Money.sum(
      this.db
        .read()
        .values<OrderSnapshot>(ORDERS)
        .filter((o) => o.retailerId === retailerId && countsAgainstCredit(o.status, o.holdReason))
        .map((o) => o.total),
      currency,
    );
  }

  async pendingExposures(retailerIds: readonly RetailerId[], currency: string): Promise<Map<RetailerId, Money>> {
    const totals = new Map<RetailerId, Money[]>(retailerIds.map((id) => [id, []]));
    for (const o of this.db.read().values<OrderSnapshot>(ORDERS)) {
      if (countsAgainstCredit(o.status, o.holdReason)) totals.get(o.retailerId)?.push(o.total);
    }
    return new Map([...totals].map(([id, amounts]) => [id, Money.sum(amounts, currency)]));
  }

  async listWithExpiredOffers(asOf: Date, limit: number): Promise<OrderId[]> {
    return this.db
      .read()
      .values<OrderSnapshot>(ORDERS)
      .filter((o) => o.status === 'ROUTING')
      .map((o) => ({ id: o.id, pending: o.routingAttempts.find((a) => a.outcome === 'PENDING') }))
      .filter((x) => x.pending !== undefined && x.pending.deadline.getTime() <= asOf.getTime())
      .sort((a, b) => (a.pending?.deadline.getTime() ?? 0) - (b.pending?.deadline.getTime() ?? 0) || cmp(a.id, b.id))
      .slice(0, limit)
      .map((x) => x.id);
  }

  async listIdleInRouting(idleSince: Date, limit: number): Promise<OrderId[]> {
    return this.db
      .read()
      .values<OrderSnapshot>(ORDERS)
      .filter(
        (o) =>
          o.status === 'ROUTING' &&
          !o.needsManualAssignment &&
          !o.routingAttempts.some((a) => a.outcome === 'PENDING') &&
          o.updatedAt.getTime() <= idleSince.getTime(),
      )
      .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || cmp(a.id, b.id))
      .slice(0, limit)
      .map((o) => o.id);
  }

  async recentPurchases(retailerId: RetailerId, since: Date, limit: number): Promise<PurchaseRecord[]> {
    const byProduct = new Map<string, { orders: Set<string>; last: number }>();
    for (const o of this.db.read().values<OrderSnapshot>(ORDERS)) {
      if (o.retailerId !== retailerId || o.placedAt.getTime() < since.getTime() || NOT_BOUGHT.has(o.status)) continue;
      for (const line of o.lines) {
        const seen = byProduct.get(line.productId) ?? { orders: new Set<string>(), last: 0 };
        seen.orders.add(o.id);
        seen.last = Math.max(seen.last, o.placedAt.getTime());
        byProduct.set(line.productId, seen);
      }
    }
    return [...byProduct]
      .map(([productId, s]) => ({
        productId: productId as ProductId,
        orders: s.orders.size,
        lastOrderedAt: new Date(s.last),
      }))
      .sort(
        (a, b) =>
          b.orders - a.orders ||
          b.lastOrderedAt.getTime() - a.lastOrderedAt.getTime() ||
          (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0),
      )
      .slice(0, limit);
  }

  async clearNotesOfRetailer(retailerId: RetailerId): Promise<number> {
    return this.db.write((tx) => {
      const noted = tx.values<OrderSnapshot>(ORDERS).filter((o) => o.retailerId === retailerId && o.note !== null);
      for (const o of noted) tx.set(ORDERS, o.id, { ...o, note: null, version: o.version + 1 });
      return noted.length;
    });
  }

  async countByStatus(): Promise<Readonly<Record<OrderStatus, number>>> {
    const counts = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
    for (const o of this.db.read().values<OrderSnapshot>(ORDERS)) counts[o.status] += 1;
    return counts;
  }

  async countHeldByReason(): Promise<Readonly<Record<HoldReason, number>>> {
    const counts = Object.fromEntries(HOLD_REASONS.map((r) => [r, 0])) as Record<HoldReason, number>;
    for (const o of this.db.read().values<OrderSnapshot>(ORDERS)) {
      if (o.status === 'ON_HOLD' && o.holdReason != null && o.holdReason in counts) counts[o.holdReason] += 1;
    }
    return counts;
  }

  async countConfirmedForVendorSince(vendorId: VendorId, since: Date): Promise<number> {
    return this.db
      .read()
      .values<OrderSnapshot>(ORDERS)
      .filter(
        (o) =>
          o.vendorId === vendorId &&
          o.routingAttempts.some(
            (a) =>
              a.vendorId === vendorId && a.outcome === 'ACCEPTED' && (a.respondedAt?.getTime() ?? 0) >= since.getTime(),
          ),
      ).length;
  }

  async vendorPerformanceEvents(vendorIds: readonly VendorId[], since: Date): Promise<PerformanceEvents> {
    // Derived with the engine's own function, so that the PostgreSQL query has a reference to equal.
    const wanted = new Set<string>(vendorIds);
    const from = since.getTime();
    const all = performanceEventsFromOrders(this.db.read().values<OrderSnapshot>(ORDERS));
    return {
      offers: all.offers
        .filter((o) => wanted.has(o.vendorId) && o.offeredAt.getTime() >= from)
        .sort((a, b) => a.offeredAt.getTime() - b.offeredAt.getTime() || cmp(a.orderId, b.orderId)),
      fulfilments: all.fulfilments
        .filter((f) => wanted.has(f.vendorId) && f.confirmedAt.getTime() >= from)
        .sort((a, b) => a.confirmedAt.getTime() - b.confirmedAt.getTime() || cmp(a.orderId, b.orderId)),
    };
  }
}

function matches(o: OrderSnapshot, f: OrderFilter): boolean {
  if (f.retailerId && o.retailerId !== f.retailerId) return false;
  if (f.vendorId && o.vendorId !== f.vendorId) return false;
  if (f.statuses && f.statuses.length > 0 && !f.statuses.includes(o.status)) return false;
  if (f.source && o.source !== f.source) return false;
  if (f.placedFrom && o.placedAt.getTime() < f.placedFrom.getTime()) return false;
  if (f.placedTo && o.placedAt.getTime() >= f.placedTo.getTime()) return false;
  if (f.needsManualAssignment !== undefined && o.needsManualAssignment !== f.needsManualAssignment) return false;
  if (f.holdReason !== undefined && (o.status !== 'ON_HOLD' || o.holdReason !== f.holdReason)) return false;
  return true;
}

import {
  ConcurrencyError,
  DEFAULT_PROMISED_LEAD_HOURS,
  type FulfilmentRecord,
  HOLD_REASONS,
  type HoldReason,
  isHoldReason,
  MS_PER_HOUR,
  Money,
  type OfferOutcome,
  type OfferRecord,
  type Order,
  type OrderFilter,
  type OrderId,
  type OrderRepository,
  type OrderSnapshot,
  ORDER_STATUSES,
  type OrderStatus,
  type Page,
  type PageRequest,
  type PerformanceEvents,
  PRE_CONFIRMATION_STATUSES,
  type ProductId,
  type PurchaseRecord,
  type RetailerId,
  type VendorId,
} from '@khaacho/core';
import { toDate, toDateOrNull, toMoney } from '../sql/row-values.js';
import type { SqlSession } from '../sql/sql-session.js';
import { keysetClause, keysetPage } from './keyset.js';
import { ORDER_SELECT, type OrderRow, orderScanKeys, toOrder } from './order-rows.js';
import { prepared } from '../sql/prepared-statements.js';

export class PgOrderRepository implements OrderRepository {
  constructor(private readonly db: SqlSession) {}

  async get(id: OrderId): Promise<Order | null> {
    const [row] = await this.db.rows<OrderRow>(`${ORDER_SELECT} where o.id = $1`, [id]);
    return row ? toOrder(row) : null;
  }

  async getByNumber(number: string): Promise<Order | null> {
    const [row] = await this.db.rows<OrderRow>(`${ORDER_SELECT} where o.number = $1`, [number.trim().toUpperCase()]);
    return row ? toOrder(row) : null;
  }

  async save(order: Order): Promise<void> {
    const s = order.snapshot();
    const version = await this.db.atomic(async (tx) => {
      if (s.version === 0) await insertOrder(tx, s);
      else await updateOrder(tx, s);
      await writeChildren(tx, s);
      return s.version + 1;
    });
    order.markPersisted(version);
  }

  async nextNumber(): Promise<string> {
    const [row] = await this.db.rows<{ n: string }>(`select nextval('order_number_seq') as n`);
    return `KH-${String(row?.n).padStart(6, '0')}`;
  }

  async list(filter: OrderFilter, page: PageRequest): Promise<Page<Order>> {
    const params: unknown[] = [];
    const param = (v: unknown) => `$${params.push(v)}`;
    const where: string[] = [];
    if (filter.retailerId) where.push(`o.retailer_id = ${param(filter.retailerId)}`);
    if (filter.vendorId) where.push(`o.vendor_id = ${param(filter.vendorId)}`);
    if (filter.statuses && filter.statuses.length > 0)
      where.push(`o.status = any(${param([...filter.statuses])}::text[])`);
    if (filter.source) where.push(`o.source = ${param(filter.source)}`);
    if (filter.placedFrom) where.push(`o.placed_at >= ${param(filter.placedFrom)}`);
    if (filter.placedTo) where.push(`o.placed_at < ${param(filter.placedTo)}`);
    if (filter.needsManualAssignment !== undefined) {
      where.push(`o.needs_manual_assignment = ${param(filter.needsManualAssignment)}`);
    }
    if (filter.holdReason !== undefined) {
      where.push(`o.status = 'ON_HOLD' and o.hold_reason = ${param(filter.holdReason)}`);
    }
    const keyset = keysetClause(page, { at: 'o.placed_at', id: 'o.id' }, param);
    if (keyset.where) where.push(keyset.where);
    const rows = await this.db.rows<OrderRow>(
      `${ORDER_SELECT} ${where.length ? `where ${where.join(' and ')}` : ''}
       order by o.placed_at desc, o.id desc limit ${param(keyset.limit + 1)}`,
      params,
    );
    return keysetPage(rows.map(toOrder), keyset.limit, (o) => ({ at: o.snapshot().placedAt, id: o.id }));
  }

  async pendingExposure(retailerId: RetailerId, currency: string): Promise<Money> {
    const [row] = await this.db.rows<{ total: string }>(
      prepared(`select coalesce(sum(total_amount), 0) as total from orders
       where retailer_id = $1 and currency = $2 and status = any($3::text[])
         and not (status = 'ON_HOLD' and hold_reason is not distinct from 'CREDIT_LIMIT')`),
      [retailerId, currency, [...PRE_CONFIRMATION_STATUSES]],
    );
    return toMoney(row?.total ?? 0, currency);
  }

  async pendingExposures(retailerIds: readonly RetailerId[], currency: string): Promise<Map<RetailerId, Money>> {
    const exposures = new Map<RetailerId, Money>(retailerIds.map((id) => [id, Money.zero(currency)]));
    if (exposures.size === 0) return exposures;
    const rows = await this.db.rows<{ retailer_id: string; total: string }>(
      `select retailer_id, sum(total_amount) as total from orders
       where retailer_id = any($1::uuid[]) and currency = $2 and status = any($3::text[])
         and not (status = 'ON_HOLD' and hold_reason is not distinct from 'CREDIT_LIMIT')
       group by retailer_id`,
      [[...exposures.keys()], currency, [...PRE_CONFIRMATION_STATUSES]],
    );
    for (const row of rows) exposures.set(row.retailer_id as RetailerId, toMoney(row.total, currency));
    return exposures;
  }

  async listWithExpiredOffers(asOf: Date, limit: number): Promise<OrderId[]> {
    const rows = await this.db.rows<{ id: string }>(
      `select id from orders where status = 'ROUTING' and offer_deadline <= $1 order by offer_deadline, id limit $2`,
      [asOf, limit],
    );
    return rows.map((r) => r.id as OrderId);
  }

  async listIdleInRouting(idleSince: Date, limit: number): Promise<OrderId[]> {
    // offer_deadline is the pending offer's deadline, null when none is waiting.
    const rows = await this.db.rows<{ id: string }>(
      `select id from orders
       where status = 'ROUTING' and not needs_manual_assignment and offer_deadline is null and updated_at <= $1
       order by updated_at, id limit $2`,
      [idleSince, limit],
    );
    return rows.map((r) => r.id as OrderId);
  }

  async recentPurchases(retailerId: RetailerId, since: Date, limit: number): Promise<PurchaseRecord[]> {
    // orders_retailer_placed_idx finds the shop's window; items come by their primary key.
    const rows = await this.db.rows<{ product_id: string; orders: number; last: unknown }>(
      prepared(`select i.product_id, count(distinct o.id)::int as orders, max(o.placed_at) as last
         from orders o join order_items i on i.order_id = o.id
        where o.retailer_id = $1 and o.placed_at >= $2 and o.status not in ('CANCELLED', 'REJECTED')
        group by i.product_id
        order by orders desc, last desc, i.product_id
        limit $3`),
      [retailerId, since, limit],
    );
    return rows.map((r) => ({ productId: r.product_id as ProductId, orders: r.orders, lastOrderedAt: toDate(r.last) }));
  }

  clearNotesOfRetailer(retailerId: RetailerId): Promise<number> {
    return this.db.run(
      'update orders set note = null, version = version + 1 where retailer_id = $1 and note is not null',
      [retailerId],
    );
  }

  async countByStatus(): Promise<Readonly<Record<OrderStatus, number>>> {
    const rows = await this.db.rows<{ status: OrderStatus; n: string }>(
      'select status, count(*) as n from orders group by status',
    );
    const counts = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }

  async countHeldByReason(): Promise<Readonly<Record<HoldReason, number>>> {
    const rows = await this.db.rows<{ reason: string; n: string }>(
      "select hold_reason as reason, count(*) as n from orders where status = 'ON_HOLD' and hold_reason is not null group by hold_reason",
    );
    const counts = Object.fromEntries(HOLD_REASONS.map((r) => [r, 0])) as Record<HoldReason, number>;
    for (const row of rows) if (isHoldReason(row.reason)) counts[row.reason] = Number(row.n);
    return counts;
  }

  async countConfirmedForVendorSince(vendorId: VendorId, since: Date): Promise<number> {
    const [row] = await this.db.rows<{ n: string }>(
      'select count(*) as n from orders where vendor_id = $1 and confirmed_at >= $2',
      [vendorId, since],
    );
    return Number(row?.n ?? 0);
  }

  async vendorPerformanceEvents(vendorIds: readonly VendorId[], since: Date): Promise<PerformanceEvents> {
    if (vendorIds.length === 0) return { offers: [], fulfilments: [] };
    // One statement, two kinds of row: offers by routing_attempts (vendor_id, offered_at) and
    // fulfilments by orders (vendor_id, confirmed_at); confirmed_at is the accepted offer's answer,
    // the time of the CONFIRMED log entry. First DELIVERED, and the first CANCELLED at or after
    // confirmation, as performanceEventsFromOrders reads the status log.
    const rows = await this.db.rows<PerformanceRow>(
      `select 'offer' as kind, a.order_id, a.vendor_id, a.offered_at as at, a.attempt, a.outcome, a.responded_at,
         a.manual, null::timestamptz as delivered_at, null::timestamptz as cancelled_at
       from routing_attempts a
       where a.vendor_id = any($1::uuid[]) and a.offered_at >= $2
       union all
       select 'fulfilment', o.id, o.vendor_id, o.confirmed_at, 0, null, null, null, d.at,
         case when d.at is null then (select l.at from order_status_log l
           where l.order_id = o.id and l.to_status = 'CANCELLED' and l.at >= o.confirmed_at order by l.seq limit 1) end
       from orders o
       left join lateral (select l.at from order_status_log l
         where l.order_id = o.id and l.to_status = 'DELIVERED' order by l.seq limit 1) d on true
       where o.vendor_id = any($1::uuid[]) and o.confirmed_at >= $2
       order by kind desc, at, order_id, attempt`,
      [[...vendorIds], since],
    );
    const offers: OfferRecord[] = [];
    const fulfilments: FulfilmentRecord[] = [];
    for (const r of rows) {
      const orderId = r.order_id as OrderId;
      const vendorId = r.vendor_id as VendorId;
      if (r.kind === 'offer') {
        const outcome = r.outcome as OfferOutcome;
        offers.push({
          orderId,
          vendorId,
          offeredAt: toDate(r.at),
          outcome,
          respondedAt: toDateOrNull(r.responded_at),
          manual: r.manual === true,
        });
      } else {
        const confirmedAt = toDate(r.at);
        fulfilments.push({
          orderId,
          vendorId,
          confirmedAt,
          promisedBy: new Date(confirmedAt.getTime() + DEFAULT_PROMISED_LEAD_HOURS * MS_PER_HOUR),
          deliveredAt: toDateOrNull(r.delivered_at),
          cancelledAt: toDateOrNull(r.cancelled_at),
        });
      }
    }
    return { offers, fulfilments };
  }
}

interface PerformanceRow {
  readonly kind: 'offer' | 'fulfilment';
  readonly order_id: string;
  readonly vendor_id: string;
  readonly at: unknown;
  readonly outcome: string | null;
  readonly responded_at: unknown;
  readonly manual: boolean | null;
  readonly delivered_at: unknown;
  readonly cancelled_at: unknown;
}

function rowValues(s: OrderSnapshot): unknown[] {
  const keys = orderScanKeys(s);
  return [
    s.id,
    s.number,
    s.retailerId,
    s.vendorId,
    s.status,
    s.total.amount,
    s.total.currency,
    s.source,
    s.note,
    s.placedAt,
    s.updatedAt,
    s.needsManualAssignment,
    s.paidInFull,
    keys.offerDeadline,
    keys.confirmedAt,
    s.holdReason,
  ];
}

async function insertOrder(tx: SqlSession, s: OrderSnapshot): Promise<void> {
  // A duplicate id or number raises 23505 → ConflictError.
  await tx.run(
    `insert into orders (id, number, retailer_id, vendor_id, status, total_amount, currency, source, note, placed_at,
       updated_at, needs_manual_assignment, paid_in_full, offer_deadline, confirmed_at, hold_reason, version)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1)`,
    rowValues(s),
  );
  const lines = s.lines;
  await tx.run(
    `insert into order_items (order_id, line_no, product_id, sku, name, quantity_milli, unit, unit_price, price_unit,
       line_total, currency)
     select $1, t.ord, t.product_id, t.sku, t.name, t.qty, t.unit, t.price, t.price_unit, t.total, t.currency
     from unnest($2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::bigint[], $8::text[], $9::bigint[],
       $10::text[]) with ordinality as t(product_id, sku, name, qty, unit, price, price_unit, total, currency, ord)`,
    [
      s.id,
      lines.map((l) => l.productId),
      lines.map((l) => l.sku),
      lines.map((l) => l.name),
      lines.map((l) => l.quantity.milli),
      lines.map((l) => l.quantity.unit),
      lines.map((l) => l.unitPrice.amount),
      lines.map((l) => l.priceUnit),
      lines.map((l) => l.lineTotal.amount),
      lines.map((l) => l.lineTotal.currency),
    ],
  );
}

async function updateOrder(tx: SqlSession, s: OrderSnapshot): Promise<void> {
  const [, , , ...rest] = rowValues(s);
  // Lines, number, retailer and placement never change after placing.
  const updated = await tx.run(
    `update orders set vendor_id = $3, status = $4, total_amount = $5, currency = $6, source = $7, note = $8,
       placed_at = $9, updated_at = $10, needs_manual_assignment = $11, paid_in_full = $12, offer_deadline = $13,
       confirmed_at = $14, hold_reason = $15, version = version + 1
     where id = $1 and version = $2`,
    [s.id, s.version, ...rest],
  );
  if (updated === 0) {
    throw new ConcurrencyError('order was changed by someone else', { orderId: s.id, expected: s.version });
  }
}

async function writeChildren(tx: SqlSession, s: OrderSnapshot): Promise<void> {
  // The status log only grows: existing entries are left alone.
  await tx.run(
    `insert into order_status_log (order_id, seq, from_status, to_status, actor_type, actor_id, reason, at)
     select $1, t.ord, t.from_status, t.to_status, t.actor_type, t.actor_id, t.reason, t.at
     from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
       with ordinality as t(from_status, to_status, actor_type, actor_id, reason, at, ord)
     on conflict (order_id, seq) do nothing`,
    [
      s.id,
      s.statusLog.map((l) => l.from),
      s.statusLog.map((l) => l.to),
      s.statusLog.map((l) => l.actor.type),
      s.statusLog.map((l) => l.actor.id),
      s.statusLog.map((l) => l.reason),
      s.statusLog.map((l) => l.at),
    ],
  );
  if (s.routingAttempts.length === 0) return;
  const a = s.routingAttempts;
  await tx.run(
    `insert into routing_attempts (order_id, attempt, vendor_id, offered_at, deadline, outcome, responded_at, reason, manual)
     select $1, t.attempt, t.vendor_id, t.offered_at, t.deadline, t.outcome, t.responded_at, t.reason, t.manual
     from unnest($2::smallint[], $3::uuid[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::timestamptz[],
       $8::text[], $9::boolean[]) as t(attempt, vendor_id, offered_at, deadline, outcome, responded_at, reason, manual)
     on conflict (order_id, attempt) do update set outcome = excluded.outcome, responded_at = excluded.responded_at,
       reason = excluded.reason`,
    [
      s.id,
      a.map((x) => x.attempt),
      a.map((x) => x.vendorId),
      a.map((x) => x.offeredAt),
      a.map((x) => x.deadline),
      a.map((x) => x.outcome),
      a.map((x) => x.respondedAt),
      a.map((x) => x.reason),
      a.map((x) => x.manual),
    ],
  );
}

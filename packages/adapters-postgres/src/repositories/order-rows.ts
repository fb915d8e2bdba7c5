import {
  type Actor,
  Order,
  type OrderId,
  type OrderLine,
  type OrderSnapshot,
  type OrderSource,
  type OrderStatus,
  isHoldReason,
  type ProductId,
  Quantity,
  type RetailerId,
  type RoutingAttempt,
  type StatusLogEntry,
  type Unit,
  type VendorId,
} from '@khaacho/core';
import { toDate, toDateOrNull, toMoney } from '../sql/row-values.js';

/** An order row with its children aggregated as JSON: one round trip per read. */
export const ORDER_SELECT = `
  select o.*,
    (select json_agg(json_build_object('productId', i.product_id, 'sku', i.sku, 'name', i.name,
        'qty', i.quantity_milli, 'unit', i.unit, 'price', i.unit_price, 'priceUnit', i.price_unit, 'total', i.line_total, 'currency', i.currency)
      order by i.line_no) from order_items i where i.order_id = o.id) as items,
    (select json_agg(json_build_object('from', l.from_status, 'to', l.to_status, 'actorType', l.actor_type,
        'actorId', l.actor_id, 'reason', l.reason, 'at', l.at) order by l.seq)
      from order_status_log l where l.order_id = o.id) as log,
    (select json_agg(json_build_object('attempt', a.attempt, 'vendorId', a.vendor_id, 'offeredAt', a.offered_at,
        'deadline', a.deadline, 'outcome', a.outcome, 'respondedAt', a.responded_at, 'reason', a.reason,
        'manual', a.manual) order by a.attempt)
      from routing_attempts a where a.order_id = o.id) as attempts
  from orders o`;

export interface OrderRow {
  id: string;
  number: string;
  retailer_id: string;
  vendor_id: string | null;
  status: string;
  total_amount: unknown;
  currency: string;
  source: string;
  note: string | null;
  placed_at: unknown;
  updated_at: unknown;
  needs_manual_assignment: boolean;
  paid_in_full: boolean;
  hold_reason: string | null;
  version: number;
  items: ItemJson[] | null;
  log: LogJson[] | null;
  attempts: AttemptJson[] | null;
}

interface ItemJson {
  productId: string;
  sku: string;
  name: string;
  qty: number;
  unit: string;
  price: number;
  priceUnit: string;
  total: number;
  currency: string;
}

interface LogJson {
  from: string | null;
  to: string;
  actorType: Actor['type'];
  actorId: string | null;
  reason: string | null;
  at: string;
}

interface AttemptJson {
  attempt: number;
  vendorId: string;
  offeredAt: string;
  deadline: string;
  outcome: RoutingAttempt['outcome'];
  respondedAt: string | null;
  reason: string | null;
  manual: boolean;
}

export function toOrder(row: OrderRow): Order {
  const lines = (row.items ?? []).map(
    (i): OrderLine => ({
      productId: i.productId as ProductId,
      sku: i.sku,
      name: i.name,
      quantity: Quantity.fromMilli(i.qty, i.unit as Unit),
      unitPrice: toMoney(i.price, i.currency),
      priceUnit: i.priceUnit as Unit,
      lineTotal: toMoney(i.total, i.currency),
    }),
  );
  const statusLog = (row.log ?? []).map(
    (l): StatusLogEntry => ({
      from: l.from as OrderStatus | null,
      to: l.to as OrderStatus,
      actor: { type: l.actorType, id: l.actorId },
      reason: l.reason,
      at: toDate(l.at),
    }),
  );
  const routingAttempts = (row.attempts ?? []).map(
    (a): RoutingAttempt => ({
      attempt: a.attempt,
      vendorId: a.vendorId as VendorId,
      offeredAt: toDate(a.offeredAt),
      deadline: toDate(a.deadline),
      outcome: a.outcome,
      respondedAt: toDateOrNull(a.respondedAt),
      reason: a.reason,
      manual: a.manual,
    }),
  );
  const snapshot: OrderSnapshot = {
    id: row.id as OrderId,
    number: row.number,
    retailerId: row.retailer_id as RetailerId,
    vendorId: row.vendor_id as VendorId | null,
    status: row.status as OrderStatus,
    lines,
    total: toMoney(row.total_amount, row.currency),
    source: row.source as OrderSource,
    note: row.note,
    placedAt: toDate(row.placed_at),
    updatedAt: toDate(row.updated_at),
    needsManualAssignment: row.needs_manual_assignment,
    paidInFull: row.paid_in_full,
    holdReason: isHoldReason(row.hold_reason) ? row.hold_reason : null,
    routingAttempts,
    statusLog,
    version: row.version,
  };
  return Order.restore(snapshot);
}

/** Denormalised scan keys kept on the order row. */
export function orderScanKeys(s: OrderSnapshot): { offerDeadline: Date | null; confirmedAt: Date | null } {
  const pending = s.routingAttempts.find((a) => a.outcome === 'PENDING');
  const accepted = [...s.routingAttempts].reverse().find((a) => a.outcome === 'ACCEPTED' && a.vendorId === s.vendorId);
  return { offerDeadline: pending?.deadline ?? null, confirmedAt: accepted?.respondedAt ?? null };
}

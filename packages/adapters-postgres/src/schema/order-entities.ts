import { defineEntity, p } from '@mikro-orm/core';
import { HOLD_REASONS, ORDER_STATUSES, UNITS } from '@khaacho/core';
import { RetailerEntity, VendorEntity } from './party-entities.js';

const ACTOR_TYPES = ['system', 'retailer', 'vendor', 'operator', 'admin'] as const;
const OFFER_OUTCOMES = ['PENDING', 'ACCEPTED', 'REJECTED', 'EXPIRED', 'WITHDRAWN'] as const;

export const OrderEntity = defineEntity({
  name: 'Order',
  tableName: 'orders',
  properties: {
    id: p.uuid().primary(),
    number: p.text().unique('orders_number_key'),
    retailer: () => p.manyToOne(RetailerEntity),
    vendor: () => p.manyToOne(VendorEntity).nullable(),
    status: p.enum(ORDER_STATUSES),
    totalAmount: p.bigint('number'),
    currency: p.string().length(3),
    source: p.enum(['whatsapp', 'api', 'admin'] as const),
    note: p.text().nullable(),
    placedAt: p.datetime(),
    updatedAt: p.datetime(),
    needsManualAssignment: p.boolean(),
    paidInFull: p.boolean(),
    /** Why an ON_HOLD order waits (null otherwise): a CREDIT_LIMIT hold reserves no credit. */
    holdReason: p.enum(HOLD_REASONS).nullable(),
    /** Deadline of the offer waiting for an answer (null when none): the recovery worker's scan key. */
    offerDeadline: p.datetime().nullable(),
    /** When the accepted vendor said yes: a vendor's load today. */
    confirmedAt: p.datetime().nullable(),
    /** Optimistic concurrency: bumped by every save. */
    version: p.integer(),
  },
  indexes: [
    { name: 'orders_placed_id_idx', properties: ['placedAt', 'id'] },
    { name: 'orders_retailer_placed_idx', properties: ['retailer', 'placedAt', 'id'] },
    { name: 'orders_status_placed_idx', properties: ['status', 'placedAt'] },
    { name: 'orders_vendor_confirmed_idx', properties: ['vendor', 'confirmedAt'] },
    // Credit check on every order: only pre-confirmation orders count, so keep that index small.
    {
      name: 'orders_pending_exposure_idx',
      properties: ['retailer', 'currency'],
      where: "status in ('PENDING', 'ON_HOLD', 'ROUTING')",
    },
    { name: 'orders_offer_deadline_idx', properties: ['offerDeadline'], where: "status = 'ROUTING'" },
    { name: 'orders_manual_assignment_idx', properties: ['placedAt'], where: 'needs_manual_assignment' },
  ],
  checks: [{ name: 'orders_note_length_check', expression: 'char_length("note") <= 1000' }],
});

export const OrderItemEntity = defineEntity({
  name: 'OrderItem',
  tableName: 'order_items',
  properties: {
    order: () => p.manyToOne(OrderEntity).primary().deleteRule('cascade'),
    lineNo: p.smallint().primary(),
    /** A snapshot of the catalog at order time, so no foreign key to products. */
    productId: p.uuid().index('order_items_product_id_idx'),
    sku: p.text(),
    name: p.text(),
    /** Quantity in thousandths of `unit` (exact to 0.001). */
    quantityMilli: p.bigint('number'),
    unit: p.enum(UNITS),
    unitPrice: p.bigint('number'),
    /** The unit `unitPrice` is quoted in (the vendor's, when it does not convert exactly). */
    priceUnit: p.enum(UNITS),
    /** The agreed total, rounded once from the exact price; never recomputed. */
    lineTotal: p.bigint('number'),
    currency: p.string().length(3),
  },
});

export const OrderStatusLogEntity = defineEntity({
  name: 'OrderStatusLog',
  tableName: 'order_status_log',
  properties: {
    order: () => p.manyToOne(OrderEntity).primary().deleteRule('cascade'),
    seq: p.smallint().primary(),
    fromStatus: p.enum(ORDER_STATUSES).nullable(),
    toStatus: p.enum(ORDER_STATUSES),
    actorType: p.enum(ACTOR_TYPES),
    actorId: p.text().nullable(),
    reason: p.text().nullable(),
    at: p.datetime(),
  },
  indexes: [{ name: 'order_status_log_at_idx', properties: ['at'] }],
});

export const RoutingAttemptEntity = defineEntity({
  name: 'RoutingAttempt',
  tableName: 'routing_attempts',
  properties: {
    order: () => p.manyToOne(OrderEntity).primary().deleteRule('cascade'),
    attempt: p.smallint().primary(),
    vendor: () => p.manyToOne(VendorEntity),
    offeredAt: p.datetime(),
    deadline: p.datetime(),
    outcome: p.enum(OFFER_OUTCOMES),
    respondedAt: p.datetime().nullable(),
    reason: p.text().nullable(),
    manual: p.boolean(),
  },
  // Vendor performance windows scan a vendor's offers by time.
  indexes: [{ name: 'routing_attempts_vendor_offered_idx', properties: ['vendor', 'offeredAt'] }],
});

/** Every routing decision with all candidates' scores (in `record`), so it can be explained later. */
export const RoutingDecisionEntity = defineEntity({
  name: 'RoutingDecision',
  tableName: 'routing_decisions',
  properties: {
    id: p.uuid().primary(),
    // No foreign keys: decision history is audit data (see operations-entities.ts).
    orderId: p.uuid(),
    attempt: p.smallint(),
    selectedVendorId: p.uuid().nullable(),
    createdAt: p.datetime(),
    record: p.json<unknown>(),
  },
  uniques: [{ name: 'routing_decisions_order_attempt_key', properties: ['orderId', 'attempt'] }],
  indexes: [{ name: 'routing_decisions_created_at_idx', properties: ['createdAt'] }],
});

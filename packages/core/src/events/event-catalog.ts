import { InvariantError } from '../shared/errors.js';
import type { OrderId, ProductId, RetailerId, VendorId, VendorOfferId } from '../shared/ids.js';
import { type CreditEventDefinitions, creditEventSpecs } from './credit-events.js';
import { type DeliveryEventDefinitions, deliveryEventSpecs } from './delivery-events.js';
import { type OrderEventDefinitions, orderEventSpecs } from './order-events.js';
import { type EventSpecs, type JsonKind, kindOf, shapeMismatch } from './payload-shape.js';
import { type MessagingEventDefinitions, messagingEventSpecs } from './messaging-events.js';
import { type RegistryEventDefinitions, registryEventSpecs } from './registry-events.js';

/** Every event type of the product, with the aggregate that raises it and its payload. */
export interface EventDefinitions
  extends OrderEventDefinitions,
    CreditEventDefinitions,
    RegistryEventDefinitions,
    DeliveryEventDefinitions,
    MessagingEventDefinitions {}

export type EventType = keyof EventDefinitions;
export type EventPayload<K extends EventType> = EventDefinitions[K]['payload'];

/** The stored strings are part of the outbox's data: never change one, add a new type. */
export const EventTypes = {
  ORDER_PLACED: 'order.placed',
  ORDER_OFFERED: 'order.offered',
  ORDER_OFFER_REJECTED: 'order.offer_rejected',
  ORDER_OFFER_EXPIRED: 'order.offer_expired',
  ORDER_NEEDS_MANUAL_ASSIGNMENT: 'order.needs_manual_assignment',
  ORDER_STATUS_CHANGED: 'order.status_changed',
  CREDIT_HOLD_PLACED: 'credit.hold_placed',
  CREDIT_HOLD_RELEASED: 'credit.hold_released',
  CREDIT_INVOICE_ISSUED: 'credit.invoice_issued',
  CREDIT_PAYMENT_RECORDED: 'credit.payment_recorded',
  CREDIT_ADJUSTED: 'credit.adjusted',
  CREDIT_LIMIT_CHANGED: 'credit.limit_changed',
  CREDIT_LIMIT_RELEASED_TO_SCORING: 'credit.limit_released_to_scoring',
  CREDIT_LIMIT_OVERRIDDEN: 'credit.limit_overridden',
  CREDIT_TERMS_CHANGED: 'credit.terms_changed',
  CREDIT_SCORE_CALCULATED: 'credit.score_calculated',
  RETAILER_REGISTERED: 'retailer.registered',
  RETAILER_APPROVED: 'retailer.approved',
  RETAILER_SUSPENDED: 'retailer.suspended',
  VENDOR_REGISTERED: 'vendor.registered',
  PRODUCT_CREATED: 'product.created',
  PRODUCT_UPDATED: 'product.updated',
  OFFER_PRICE_CHANGED: 'offer.price_changed',
  OFFER_UPDATED: 'offer.updated',
  RISK_RULE_SAVED: 'risk.rule_saved',
  ORDER_DELIVERY_CODE_ISSUED: 'order.delivery_code_issued',
  ORDER_DELIVERY_DISPUTED: 'order.delivery_disputed',
  ORDER_DELIVERY_DISPUTE_RESOLVED: 'order.delivery_dispute_resolved',
  ORDER_DELIVERY_OVERRIDDEN: 'order.delivery_overridden',
  MESSAGE_SEND_REQUESTED: 'message.send_requested',
} as const satisfies Record<string, EventType>;

/** The id type of each aggregate, so an event cannot name another kind of entity. */
export interface AggregateIds {
  order: OrderId;
  credit_account: RetailerId;
  retailer: RetailerId;
  vendor: VendorId;
  product: ProductId;
  vendor_offer: VendorOfferId;
  risk_rule: string;
  /** The phone number (E.164) a conversation is with. */
  conversation: string;
}

/** One event of type K: what the outbox stores and a consumer receives. */
export interface EventOf<K extends EventType> {
  readonly type: K;
  readonly aggregateType: EventDefinitions[K]['aggregate'];
  readonly aggregateId: AggregateIds[EventDefinitions[K]['aggregate']];
  readonly occurredAt: Date;
  readonly payload: EventPayload<K>;
}

/** The catalog as one union: switching on `type` narrows `payload`. */
export type DomainEvent = { [K in EventType]: EventOf<K> }[EventType];

const EVENT_SPECS: EventSpecs<EventDefinitions> = {
  ...orderEventSpecs,
  ...creditEventSpecs,
  ...registryEventSpecs,
  ...deliveryEventSpecs,
  ...messagingEventSpecs,
};

type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;
/** With a union of types the payload could be the other type's: ask for one type at a time. */
type PayloadFor<K extends EventType> = true extends IsUnion<K> ? never : EventPayload<K>;

/** Raise an event; its payload is checked against the catalog entry of `type` at compile time. */
export function domainEvent<K extends EventType>(
  type: K,
  aggregateId: EventOf<K>['aggregateId'],
  occurredAt: Date,
  payload: PayloadFor<K>,
): EventOf<K> {
  const aggregateType: EventDefinitions[K]['aggregate'] = EVENT_SPECS[type].aggregate;
  return { type, aggregateType, aggregateId, occurredAt, payload };
}

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_SPECS, type);
}

/** An event as a store hands it back: nothing is trusted yet. */
export interface StoredEvent {
  readonly type: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly occurredAt: Date;
  readonly payload: unknown;
}

/**
 * The boundary from stored JSON to the union. A type this code does not know (written by
 * a newer version, or by hand), an aggregate type that is not its catalog entry's, or a
 * payload field of the wrong kind is an error, never a cast: a consumer's `switch` may
 * trust what it gets. Payload fields are checked one level deep (nested objects by kind).
 */
export function parseDomainEvent(stored: StoredEvent): DomainEvent {
  const { type } = stored;
  const named = `event ${JSON.stringify(type.slice(0, 100))}`;
  if (!isEventType(type)) throw new InvariantError(`${named}: type not in the catalog`, { type });
  const spec = EVENT_SPECS[type];
  if (stored.aggregateType !== spec.aggregate) {
    throw new InvariantError(`${named}: aggregate type is not ${spec.aggregate}`, {
      type,
      aggregateType: stored.aggregateType,
    });
  }
  if (stored.aggregateId.length === 0 || Number.isNaN(stored.occurredAt.getTime())) {
    throw new InvariantError(`${named}: no aggregate id or no valid time`, { type });
  }
  if (kindOf(stored.payload) !== 'object') throw new InvariantError(`${named}: payload is not a JSON object`, { type });
  const payload = stored.payload as Readonly<Record<string, unknown>>;
  const field = shapeMismatch(payload, spec.shape as Readonly<Record<string, readonly JsonKind[]>>);
  if (field !== null)
    throw new InvariantError(`${named}: payload field ${field} is missing or mistyped`, { type, field });
  // Checked above against the catalog entry of `type`, which is what this union member says.
  return {
    type,
    aggregateType: spec.aggregate,
    aggregateId: stored.aggregateId,
    occurredAt: stored.occurredAt,
    payload,
  } as unknown as DomainEvent;
}

/** For a consumer's `default:` branch: a catalog type it does not handle then fails to compile. */
export function assertNever(value: never, what = 'case'): never {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : value;
  throw new InvariantError(`unhandled ${what}`, { value: String(type) });
}

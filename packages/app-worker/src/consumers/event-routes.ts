import {
  assertNever,
  type DomainEvent,
  EventTypes,
  type JsonObject,
  parseDomainEvent,
  type QueueName,
  QueueNames,
} from '@khaacho/core';
import { snapshotTargets } from './snapshot-refresh.js';

/** What a consumer does with an event; also the job's name. */
export type JobKind =
  | 'route-order'
  | 'notify-vendor-offer'
  /** A `message.send_requested`: the conversations' replies and every other message to a party. */
  | 'send-message'
  | 'alert-operator'
  | 'recalculate-credit-score'
  | 'invalidate-catalog-cache'
  /** Only the snapshot refreshes every event job is followed by (see `snapshotTargets`). */
  | 'refresh-snapshots';

export interface EventRoute {
  readonly queue: QueueName;
  readonly job: JobKind;
}

const route = (queue: QueueName, job: JobKind): EventRoute => ({ queue, job });

/**
 * The one table from events to work: which queue an event's job goes to, or null when no
 * consumer needs it (the relay then marks it published without a job). Exhaustive: a new
 * catalog type does not compile until someone decides here. One job per event: an event
 * that also makes a vendor's or product's snapshot stale (`snapshotTargets`) gets its
 * refresh enqueued by its job's consumer after the job's own effect (event-consumers.ts).
 */
export function routeEvent(event: DomainEvent): EventRoute | null {
  switch (event.type) {
    case EventTypes.ORDER_STATUS_CHANGED:
      // Into ROUTING: placed and passed credit and risk, or released from review (a HELD
      // order waits for its review). Delivered: the retailer's behaviour changed.
      if (event.payload.to === 'ROUTING') return route(QueueNames.ORDER_ROUTING, 'route-order');
      if (event.payload.to === 'DELIVERED') return route(QueueNames.CREDIT_SCORE, 'recalculate-credit-score');
      // Confirmed (the offer accepted), dispatched, cancelled: the vendor's performance moved.
      if (snapshotTargets(event).vendorIds.length > 0) return route(QueueNames.REPORT_GENERATION, 'refresh-snapshots');
      return null;
    case EventTypes.ORDER_OFFER_REJECTED:
    case EventTypes.ORDER_OFFER_EXPIRED:
      return route(QueueNames.ORDER_ROUTING, 'route-order');
    case EventTypes.ORDER_OFFERED:
      return route(QueueNames.NOTIFICATIONS, 'notify-vendor-offer');
    case EventTypes.ORDER_NEEDS_MANUAL_ASSIGNMENT:
    case EventTypes.ORDER_DELIVERY_DISPUTED:
      return route(QueueNames.NOTIFICATIONS, 'alert-operator');
    case EventTypes.MESSAGE_SEND_REQUESTED:
      return route(QueueNames.NOTIFICATIONS, 'send-message');
    case EventTypes.CREDIT_PAYMENT_RECORDED:
      return route(QueueNames.CREDIT_SCORE, 'recalculate-credit-score');
    // A changed product or offer: forget the cached catalog (see CatalogCache). It rides the
    // ORDER_PROCESSING queue, idle otherwise, rather than a queue of its own: each Redis
    // queue a worker consumes holds its own connections.
    case EventTypes.PRODUCT_CREATED:
    case EventTypes.PRODUCT_UPDATED:
    case EventTypes.OFFER_PRICE_CHANGED:
    case EventTypes.OFFER_UPDATED:
      return route(QueueNames.ORDER_PROCESSING, 'invalidate-catalog-cache');
    // Routing starts from the status change into ROUTING, not from the placement itself.
    case EventTypes.ORDER_PLACED:
    case EventTypes.CREDIT_HOLD_PLACED:
    case EventTypes.CREDIT_HOLD_RELEASED:
    case EventTypes.CREDIT_INVOICE_ISSUED:
    case EventTypes.CREDIT_ADJUSTED:
    case EventTypes.CREDIT_LIMIT_CHANGED:
    case EventTypes.CREDIT_LIMIT_RELEASED_TO_SCORING:
    // An approved over-limit order: an audit record; routing starts from its status change.
    case EventTypes.CREDIT_LIMIT_OVERRIDDEN:
    case EventTypes.CREDIT_TERMS_CHANGED:
    case EventTypes.CREDIT_SCORE_CALCULATED:
    case EventTypes.RETAILER_REGISTERED:
    case EventTypes.RETAILER_APPROVED:
    case EventTypes.RETAILER_SUSPENDED:
    case EventTypes.VENDOR_REGISTERED:
    case EventTypes.RISK_RULE_SAVED:
    // Proof of delivery: the shop's code and notices leave as message.send_requested; the
    // override and the resolution are audit records.
    case EventTypes.ORDER_DELIVERY_CODE_ISSUED:
    case EventTypes.ORDER_DELIVERY_DISPUTE_RESOLVED:
    case EventTypes.ORDER_DELIVERY_OVERRIDDEN:
      return null;
    default:
      return assertNever(event, 'event type');
  }
}

/** The event as a job payload: the stored event's JSON (what the outbox keeps), time as ISO-8601. */
export function eventToJobPayload(event: DomainEvent): JsonObject {
  return {
    event: {
      type: event.type,
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      occurredAt: event.occurredAt.toISOString(),
      payload: JSON.parse(JSON.stringify(event.payload)) as JsonObject,
    },
  };
}

/** Back from a job payload to the union, checked against the catalog (`parseDomainEvent`). */
export function eventFromJobPayload(payload: JsonObject): DomainEvent {
  const stored = payload.event;
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) {
    throw new TypeError('job payload has no event object');
  }
  return parseDomainEvent({
    type: String(stored.type),
    aggregateType: String(stored.aggregateType),
    aggregateId: String(stored.aggregateId),
    occurredAt: new Date(String(stored.occurredAt)),
    payload: stored.payload,
  });
}

const JOB_KINDS: readonly JobKind[] = [
  'route-order',
  'notify-vendor-offer',
  'send-message',
  'alert-operator',
  'recalculate-credit-score',
  'invalidate-catalog-cache',
  'refresh-snapshots',
];

export function isJobKind(name: string): name is JobKind {
  return (JOB_KINDS as readonly string[]).includes(name);
}

import type { OrderLineJSON } from '../order/order-line.js';
import type { OrderSource } from '../order/order-source.js';
import type { OrderTransitionName } from '../order/order-lifecycle.js';
import type { HoldReason, OrderStatus } from '../order/order-status.js';
import type { Actor } from '../shared/domain-event.js';
import type { RetailerId, VendorId } from '../shared/ids.js';
import type { MoneyJSON } from '../shared/money.js';
import type { EventSpecs } from './payload-shape.js';

export interface OrderPlaced {
  readonly number: string;
  readonly retailerId: RetailerId;
  readonly total: MoneyJSON;
  readonly lines: readonly OrderLineJSON[];
  readonly source: OrderSource;
}

export interface OrderOffered {
  readonly vendorId: VendorId;
  readonly attempt: number;
  /** ISO-8601. */
  readonly deadline: string;
  readonly manual: boolean;
  readonly total: MoneyJSON;
  /** Who offered it, when a person did (a manual assignment). */
  readonly actor?: Actor;
}

export interface OrderOfferRejected {
  readonly vendorId: VendorId;
  readonly reason: string | null;
  /** Who answered for the vendor (absent in events stored before it was recorded). */
  readonly actor?: Actor;
}

export interface OrderOfferExpired {
  readonly vendorId: VendorId;
  /** Who ran the expiry sweep (absent in events stored before it was recorded). */
  readonly actor?: Actor;
}

export interface OrderNeedsManualAssignment {
  /** Automatic routing attempts made so far. */
  readonly attempts: number;
  readonly reason: string;
}

export interface OrderStatusChanged {
  readonly from: OrderStatus;
  readonly to: OrderStatus;
  readonly transition: OrderTransitionName;
  readonly actor: Actor;
  readonly reason: string | null;
  readonly retailerId: RetailerId;
  readonly vendorId: VendorId | null;
  readonly total: MoneyJSON;
  /**
   * Set when the order goes ON_HOLD: `CREDIT_LIMIT` (the shop may order what fits instead)
   * or `RISK_REVIEW`. Absent otherwise, and in events stored before it existed.
   */
  readonly holdReason?: HoldReason;
}

/** Raised by the Order aggregate; the aggregate id is the order id. */
export interface OrderEventDefinitions {
  'order.placed': { aggregate: 'order'; payload: OrderPlaced };
  'order.offered': { aggregate: 'order'; payload: OrderOffered };
  'order.offer_rejected': { aggregate: 'order'; payload: OrderOfferRejected };
  'order.offer_expired': { aggregate: 'order'; payload: OrderOfferExpired };
  'order.needs_manual_assignment': { aggregate: 'order'; payload: OrderNeedsManualAssignment };
  'order.status_changed': { aggregate: 'order'; payload: OrderStatusChanged };
}

export const orderEventSpecs: EventSpecs<OrderEventDefinitions> = {
  'order.placed': {
    aggregate: 'order',
    shape: {
      number: ['string'],
      retailerId: ['string'],
      total: ['object'],
      lines: ['array'],
      source: ['string'],
    },
  },
  'order.offered': {
    aggregate: 'order',
    shape: {
      vendorId: ['string'],
      attempt: ['number'],
      deadline: ['string'],
      manual: ['boolean'],
      total: ['object'],
      actor: ['object', 'absent'],
    },
  },
  'order.offer_rejected': {
    aggregate: 'order',
    shape: { vendorId: ['string'], reason: ['string', 'null'], actor: ['object', 'absent'] },
  },
  'order.offer_expired': { aggregate: 'order', shape: { vendorId: ['string'], actor: ['object', 'absent'] } },
  'order.needs_manual_assignment': { aggregate: 'order', shape: { attempts: ['number'], reason: ['string'] } },
  'order.status_changed': {
    aggregate: 'order',
    shape: {
      from: ['string'],
      to: ['string'],
      transition: ['string'],
      actor: ['object'],
      reason: ['string', 'null'],
      retailerId: ['string'],
      vendorId: ['string', 'null'],
      total: ['object'],
      holdReason: ['string', 'absent'],
    },
  },
};

import type { Actor } from '../shared/domain-event.js';
import type { RetailerId, VendorId } from '../shared/ids.js';
import type { EventSpecs } from './payload-shape.js';

/**
 * A delivery code was issued on dispatch. The code itself is not in the payload: events are
 * copied into job payloads and logs, while the code reaches only the shop (its own message).
 */
export interface OrderDeliveryCodeIssued {
  readonly retailerId: RetailerId;
  readonly vendorId: VendorId;
}

/** Why a delivery waits for an operator. */
export type DeliveryDisputeReason = 'WRONG_CODE_LIMIT' | 'NO_CODE' | 'NOT_RECEIVED';

export interface OrderDeliveryDisputed {
  readonly retailerId: RetailerId;
  readonly vendorId: VendorId;
  readonly reason: DeliveryDisputeReason;
  readonly actor: Actor;
  readonly note: string | null;
}

export interface OrderDeliveryDisputeResolved {
  readonly retailerId: RetailerId;
  readonly vendorId: VendorId;
  readonly delivered: boolean;
  readonly actor: Actor;
  readonly note: string;
}

/** Staff confirmed a delivery without the shop's code: the audit record of an override. */
export interface OrderDeliveryOverridden {
  readonly retailerId: RetailerId;
  readonly vendorId: VendorId;
  readonly actor: Actor;
  readonly reason: string;
}

/** Proof of delivery: raised by the delivery use cases; the aggregate id is the order id. */
export interface DeliveryEventDefinitions {
  'order.delivery_code_issued': { aggregate: 'order'; payload: OrderDeliveryCodeIssued };
  'order.delivery_disputed': { aggregate: 'order'; payload: OrderDeliveryDisputed };
  'order.delivery_dispute_resolved': { aggregate: 'order'; payload: OrderDeliveryDisputeResolved };
  'order.delivery_overridden': { aggregate: 'order'; payload: OrderDeliveryOverridden };
}

const parties = { retailerId: ['string'], vendorId: ['string'] } as const;

export const deliveryEventSpecs: EventSpecs<DeliveryEventDefinitions> = {
  'order.delivery_code_issued': { aggregate: 'order', shape: { ...parties } },
  'order.delivery_disputed': {
    aggregate: 'order',
    shape: { ...parties, reason: ['string'], actor: ['object'], note: ['string', 'null'] },
  },
  'order.delivery_dispute_resolved': {
    aggregate: 'order',
    shape: { ...parties, delivered: ['boolean'], actor: ['object'], note: ['string'] },
  },
  'order.delivery_overridden': {
    aggregate: 'order',
    shape: { ...parties, actor: ['object'], reason: ['string'] },
  },
};

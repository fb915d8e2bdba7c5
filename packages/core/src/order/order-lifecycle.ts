import { ORDER_STATUSES, type OrderStatus, TERMINAL_ORDER_STATUSES } from './order-status.js';
import { StateMachine } from './state-machine.js';

export type OrderTransitionName =
  | 'route'
  | 'hold'
  | 'approve'
  | 'reject'
  | 'confirm'
  | 'dispatch'
  | 'deliver'
  | 'complete'
  | 'cancel'
  | 'cancel_undelivered';

/** What guards may look at: a read-only view of the order plus the transition's inputs. */
export interface OrderGuardContext {
  readonly lineCount: number;
  readonly vendorId: string | null;
  readonly acceptedOfferVendorId: string | null;
  readonly reason: string | null;
  readonly paidInFull: boolean;
}

const needsReason = (c: OrderGuardContext): string | null =>
  c.reason && c.reason.trim().length > 0 ? null : 'a reason is required';

/** The order lifecycle exactly as SPEC.md draws it. Validated when this module loads. */
export const orderLifecycle = new StateMachine<OrderStatus, OrderTransitionName, OrderGuardContext>({
  states: ORDER_STATUSES,
  initial: 'PENDING',
  terminal: TERMINAL_ORDER_STATUSES,
  transitions: [
    { name: 'route', from: ['PENDING'], to: 'ROUTING', guard: (c) => (c.lineCount > 0 ? null : 'order has no lines') },
    { name: 'hold', from: ['PENDING'], to: 'ON_HOLD', guard: needsReason },
    { name: 'approve', from: ['ON_HOLD'], to: 'ROUTING' },
    { name: 'reject', from: ['PENDING', 'ON_HOLD'], to: 'REJECTED', guard: needsReason },
    {
      name: 'confirm',
      from: ['ROUTING'],
      to: 'CONFIRMED',
      guard: (c) => (c.acceptedOfferVendorId ? null : 'no vendor has accepted the offer'),
    },
    { name: 'dispatch', from: ['CONFIRMED'], to: 'DISPATCHED', guard: (c) => (c.vendorId ? null : 'no vendor') },
    { name: 'deliver', from: ['DISPATCHED'], to: 'DELIVERED' },
    {
      name: 'complete',
      from: ['DELIVERED'],
      to: 'COMPLETED',
      guard: (c) => (c.paidInFull ? null : 'not paid in full'),
    },
    { name: 'cancel', from: ['PENDING', 'ON_HOLD', 'ROUTING', 'CONFIRMED'], to: 'CANCELLED', guard: needsReason },
    // Only an operator's decision on a delivery dispute: the goods never arrived. Apart from
    // `cancel` so that a shop or vendor can never cancel an order that is on its way.
    { name: 'cancel_undelivered', from: ['DISPATCHED'], to: 'CANCELLED', guard: needsReason },
  ],
});

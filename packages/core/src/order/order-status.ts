export const ORDER_STATUSES = [
  'PENDING',
  'ON_HOLD',
  'ROUTING',
  'CONFIRMED',
  'DISPATCHED',
  'DELIVERED',
  'COMPLETED',
  'REJECTED',
  'CANCELLED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const TERMINAL_ORDER_STATUSES: readonly OrderStatus[] = ['COMPLETED', 'REJECTED', 'CANCELLED'];

/** Orders whose value is committed against the retailer's credit but not yet held in the ledger. */
export const PRE_CONFIRMATION_STATUSES: readonly OrderStatus[] = ['PENDING', 'ON_HOLD', 'ROUTING'];

export function isOrderStatus(value: string): value is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(value);
}

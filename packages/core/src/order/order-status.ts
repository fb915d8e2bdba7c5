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

/**
 * Orders whose value is committed against the retailer's credit but not yet held in the ledger,
 * except an order held for `CREDIT_LIMIT` (see `countsAgainstCredit`).
 */
export const PRE_CONFIRMATION_STATUSES: readonly OrderStatus[] = ['PENDING', 'ON_HOLD', 'ROUTING'];

export function isOrderStatus(value: string): value is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(value);
}

/**
 * Why an order waits ON_HOLD for an operator: the risk policy asked for a review, or the order
 * did not fit the shop's available credit. Stored with the order.
 */
export const HOLD_REASONS = ['RISK_REVIEW', 'CREDIT_LIMIT'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export function isHoldReason(value: unknown): value is HoldReason {
  return typeof value === 'string' && (HOLD_REASONS as readonly string[]).includes(value);
}

/**
 * Does an order's total count as pending exposure? A pre-confirmation order does, except one
 * held because it did not fit: it reserves nothing (otherwise one over-limit order would hold
 * every later one too) until an operator approves it, which is a deliberate credit override.
 */
export function countsAgainstCredit(status: OrderStatus, holdReason: HoldReason | null): boolean {
  return PRE_CONFIRMATION_STATUSES.includes(status) && !(status === 'ON_HOLD' && holdReason === 'CREDIT_LIMIT');
}

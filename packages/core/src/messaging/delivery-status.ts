import type { DeliveryStatus } from './inbound-message.js';

/*
 * One total order, so the result of a set of callbacks does not depend on the order they
 * arrive in. `failed` ranks above `delivered` (a failure reported after a delivery report
 * is the later truth) but below `read`: once the recipient has read the message, a failure
 * report about it cannot be true of what they saw.
 */
const RANK: Readonly<Record<DeliveryStatus, number>> = {
  accepted: 0,
  sent: 1,
  delivered: 2,
  failed: 3,
  read: 4,
};

/**
 * The status a sent message has after a provider callback. Callbacks come out of order
 * and more than once, so a status never moves backwards: a late `sent` after `read` is
 * ignored, and a `read` with no `delivered` before it is taken (read implies delivered).
 */
export function advanceDeliveryStatus(current: DeliveryStatus | null, incoming: DeliveryStatus): DeliveryStatus {
  if (current === null) return incoming;
  return RANK[incoming] > RANK[current] ? incoming : current;
}

/** Whether the callback changes anything (for callers that store or log only real changes). */
export function isDeliveryStatusAdvance(current: DeliveryStatus | null, incoming: DeliveryStatus): boolean {
  return advanceDeliveryStatus(current, incoming) !== current;
}

import { type Order, orderLineToJSON } from '@khaacho/core';

/** An order as the API shows it (the shape of `orderSchema`). */
export function orderJson(order: Order) {
  const s = order.snapshot();
  return {
    id: s.id,
    number: s.number,
    retailerId: s.retailerId,
    vendorId: s.vendorId,
    status: s.status,
    lines: s.lines.map(orderLineToJSON),
    total: s.total.toJSON(),
    source: s.source,
    note: s.note,
    placedAt: s.placedAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    needsManualAssignment: s.needsManualAssignment,
    paidInFull: s.paidInFull,
    version: s.version,
  };
}

type TimelineEntry = { readonly at: string; readonly kind: string } & Record<string, unknown>;

/** Status changes, offers and their answers, oldest first (ties: status change, offer, answer). */
export function timelineJson(order: Order) {
  const entries: { at: Date; rank: number; entry: TimelineEntry }[] = [];
  for (const log of order.statusLog) {
    entries.push({
      at: log.at,
      rank: 0,
      entry: {
        at: log.at.toISOString(),
        kind: 'status_changed',
        from: log.from,
        to: log.to,
        actor: { type: log.actor.type, id: log.actor.id },
        reason: log.reason,
      },
    });
  }
  for (const attempt of order.routingAttempts) {
    entries.push({
      at: attempt.offeredAt,
      rank: 1,
      entry: {
        at: attempt.offeredAt.toISOString(),
        kind: 'offered',
        vendorId: attempt.vendorId,
        attempt: attempt.attempt,
        deadline: attempt.deadline.toISOString(),
        manual: attempt.manual,
      },
    });
    if (attempt.respondedAt) {
      entries.push({
        at: attempt.respondedAt,
        rank: 2,
        entry: {
          at: attempt.respondedAt.toISOString(),
          kind: 'offer_answered',
          vendorId: attempt.vendorId,
          attempt: attempt.attempt,
          outcome: attempt.outcome,
          reason: attempt.reason,
        },
      });
    }
  }
  entries.sort((a, b) => a.at.getTime() - b.at.getTime() || a.rank - b.rank);
  return { orderId: order.id, number: order.number, status: order.status, entries: entries.map((e) => e.entry) };
}

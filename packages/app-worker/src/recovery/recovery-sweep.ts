import {
  type Clock,
  DomainError,
  type ExpireOverdueOffers,
  type Logger,
  type OrderRepository,
  type Outbox,
  type RouteOrder,
  isDeadInboxEvent,
  SYSTEM_ACTOR,
  type WebhookInbox,
} from '@khaacho/core';
import { DEFAULT_INBOX_MAX_ATTEMPTS } from '../inbox/inbox-processor.js';

/** When the sweep re-drives and when it warns. Defaults in `DEFAULT_SWEEP_THRESHOLDS`. */
export interface SweepThresholds {
  /**
   * Warn when the oldest unpublished outbox row was written longer ago than this (the relay is
   * behind or down). Measured from the row's `createdAt` (written by the app's clock), never from
   * its event's `occurredAt`, which seeded data dates in the past.
   */
  readonly outboxLagWarnMs: number;
  /** A ROUTING order with nothing pending, unflagged and unchanged this long is routed again. */
  readonly orderIdleMs: number;
  /** The inbox processor's attempt limit: a FAILED event with fewer attempts still waits. */
  readonly inboxMaxAttempts: number;
  /** Warn when the oldest waiting inbox event is older than this (nothing is processing the inbox). */
  readonly inboxLagWarnMs: number;
  /** At most this many offers expired, orders re-routed and inbox events handed back per sweep (1–1000). */
  readonly batchLimit: number;
}

export const DEFAULT_SWEEP_THRESHOLDS: SweepThresholds = Object.freeze({
  outboxLagWarnMs: 60_000,
  // Offers last 15 minutes and the consumers route within seconds: 5 minutes idle means a lost job.
  orderIdleMs: 5 * 60_000,
  // The processor's own limit: with fewer, the sweep called an event dead that the processor still retried.
  inboxMaxAttempts: DEFAULT_INBOX_MAX_ATTEMPTS,
  inboxLagWarnMs: 5 * 60_000,
  batchLimit: 100,
});

/** Plain typed dependencies: use cases and ports, not the container (so the sweep is testable alone). */
export interface RecoverySweepDeps {
  readonly expireOverdueOffers: Pick<ExpireOverdueOffers, 'execute'>;
  readonly routeOrder: Pick<RouteOrder, 'execute'>;
  readonly orders: Pick<OrderRepository, 'listIdleInRouting'>;
  readonly outbox: Pick<Outbox, 'stats'>;
  readonly inbox: Pick<WebhookInbox, 'releaseExpiredLeases' | 'stats'>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly thresholds?: Partial<SweepThresholds>;
}

export type SweepStep = 'offers' | 'idle-orders' | 'inbox' | 'outbox';

export interface SweepReport {
  readonly at: Date;
  /** Offers past their deadline that the per-minute expiry had not expired yet. */
  readonly offersExpired: number;
  /** Idle ROUTING orders routed again, by what routing did; `failed` ones are retried next sweep. */
  readonly idleOrders: {
    readonly found: number;
    readonly offered: number;
    readonly flagged: number;
    readonly skipped: number;
    readonly failed: number;
  };
  /** null when the inbox could not be read. */
  readonly inbox: {
    readonly handedBack: number;
    readonly waiting: number;
    readonly oldestWaitingAgeMs: number | null;
    readonly processing: number;
    readonly dead: number;
    readonly lagging: boolean;
  } | null;
  /** Read only: the relay re-claims rows whose lease lapsed by itself, so nothing is published here. */
  readonly outbox: {
    readonly pending: number;
    readonly failing: number;
    readonly oldestPendingAgeMs: number | null;
    readonly lagging: boolean;
  } | null;
  /** Steps that failed (logged at error level); the others still ran. */
  readonly errors: readonly { readonly step: SweepStep; readonly error: string }[];
}

/**
 * One pass of the recovery sweep: expire overdue offers, route idle ROUTING orders again,
 * hand back inbox events whose worker stopped, and report the outbox's backlog.
 *
 * Idempotent: what it re-drives leaves the state it looked for (an expired offer is settled,
 * a re-routed order has a pending offer or is flagged, a handed-back event is FAILED), so a
 * second pass finds nothing, and RouteOrder itself skips an order that moved meanwhile.
 * Logs one info line with the counts and one warn per thing it re-drove. A step that
 * throws is logged and reported; the other steps still run.
 */
export async function runRecoverySweep(deps: RecoverySweepDeps): Promise<SweepReport> {
  const t = { ...DEFAULT_SWEEP_THRESHOLDS, ...deps.thresholds };
  const { logger } = deps;
  const at = deps.clock.now();
  const errors: { step: SweepStep; error: string }[] = [];
  const guard = async <T>(step: SweepStep, fallback: T, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      const message = describe(error);
      errors.push({ step, error: message });
      logger.error('recovery sweep step failed', { step, error: message });
      return fallback;
    }
  };

  const offersExpired = await guard('offers', 0, async () => {
    const expired = await deps.expireOverdueOffers.execute({ actor: SYSTEM_ACTOR, limit: t.batchLimit });
    // ExpireOverdueOffers declares no failures: `ok` is always true; an error was thrown.
    const ids = expired.ok ? expired.value : [];
    for (const orderId of ids) logger.warn('recovery sweep: expired an overdue offer', { orderId });
    return ids.length;
  });

  const idleOrders = await guard(
    'idle-orders',
    { found: 0, offered: 0, flagged: 0, skipped: 0, failed: 0 },
    async () => {
      const idleSince = new Date(at.getTime() - t.orderIdleMs);
      const ids = await deps.orders.listIdleInRouting(idleSince, t.batchLimit);
      const counts = { found: ids.length, offered: 0, flagged: 0, skipped: 0, failed: 0 };
      for (const orderId of ids) {
        try {
          const routed = await deps.routeOrder.execute({ orderId, actor: SYSTEM_ACTOR });
          if (!routed.ok) {
            counts.failed += 1;
            logger.warn('recovery sweep: could not route an idle order', { orderId, code: routed.error.code });
          } else if (routed.value.outcome === 'SKIPPED') {
            counts.skipped += 1; // it moved since the scan: nothing to re-drive
          } else {
            if (routed.value.outcome === 'OFFERED') counts.offered += 1;
            else counts.flagged += 1;
            logger.warn('recovery sweep: routed an idle order again', {
              orderId,
              outcome: routed.value.outcome,
              vendorId: routed.value.outcome === 'OFFERED' ? routed.value.vendorId : null,
            });
          }
        } catch (error) {
          // A concurrent consumer won the race (CONCURRENT_MODIFICATION), or storage failed: next sweep.
          counts.failed += 1;
          logger.warn('recovery sweep: routing an idle order failed', { orderId, error: describe(error) });
        }
      }
      return counts;
    },
  );

  const inbox = await guard('inbox', null, async () => {
    const released = await deps.inbox.releaseExpiredLeases({ limit: t.batchLimit, now: at });
    for (const event of released) {
      // A lapsed final attempt is still claimed once more (see WebhookInbox.claim); beyond that it is dead.
      const dead = isDeadInboxEvent(event, t.inboxMaxAttempts);
      (dead ? logger.error : logger.warn).call(
        logger,
        dead
          ? 'recovery sweep: an inbox event whose worker stopped on its last reclaim is dead (an operator can retry it)'
          : 'recovery sweep: handed back an inbox event whose worker stopped',
        { inboxEventId: event.id, provider: event.provider, attempts: event.attempts, dead },
      );
    }
    const stats = await deps.inbox.stats({ maxAttempts: t.inboxMaxAttempts, now: at });
    const oldestWaitingAgeMs = ageMs(at, stats.oldestWaitingAt);
    const lagging = oldestWaitingAgeMs !== null && oldestWaitingAgeMs > t.inboxLagWarnMs;
    if (lagging) {
      logger.warn('recovery sweep: inbox events are waiting too long', {
        waiting: stats.waiting,
        oldestWaitingAgeMs,
        thresholdMs: t.inboxLagWarnMs,
      });
    }
    return {
      handedBack: released.length,
      waiting: stats.waiting,
      oldestWaitingAgeMs,
      processing: stats.processing,
      dead: stats.dead,
      lagging,
    };
  });

  const outbox = await guard('outbox', null, async () => {
    const stats = await deps.outbox.stats(at);
    const oldestPendingAgeMs = ageMs(at, stats.oldestPendingAt);
    const lagging = oldestPendingAgeMs !== null && oldestPendingAgeMs > t.outboxLagWarnMs;
    if (lagging) {
      logger.warn('recovery sweep: outbox rows are waiting too long to be published', {
        pending: stats.pending,
        failing: stats.failing,
        oldestPendingAgeMs,
        thresholdMs: t.outboxLagWarnMs,
      });
    }
    return { pending: stats.pending, failing: stats.failing, oldestPendingAgeMs, lagging };
  });

  const report: SweepReport = { at, offersExpired, idleOrders, inbox, outbox, errors };
  logger.info('recovery sweep', {
    offersExpired,
    idleOrdersFound: idleOrders.found,
    idleOrdersOffered: idleOrders.offered,
    idleOrdersFlagged: idleOrders.flagged,
    idleOrdersFailed: idleOrders.failed,
    inboxHandedBack: inbox?.handedBack ?? null,
    inboxWaiting: inbox?.waiting ?? null,
    inboxDead: inbox?.dead ?? null,
    outboxPending: outbox?.pending ?? null,
    outboxFailing: outbox?.failing ?? null,
    outboxOldestPendingAgeMs: outbox?.oldestPendingAgeMs ?? null,
    failedSteps: errors.map((e) => e.step),
  });
  return report;
}

function ageMs(now: Date, since: Date | null): number | null {
  return since === null ? null : Math.max(0, now.getTime() - since.getTime());
}

function describe(error: unknown): string {
  if (DomainError.is(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

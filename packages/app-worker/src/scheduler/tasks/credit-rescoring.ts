import {
  type Retailer,
  type CreditScoreRecord,
  ErrorCodes,
  type JobHandler,
  type JobQueue,
  type JsonObject,
  type ListRetailers,
  type Logger,
  QueueNames,
  type RecalculateCreditScore,
  type RetailerId,
  SYSTEM_ACTOR,
} from '@khaacho/core';
import { nepalDate } from '../slots.js';
import { enqueueEachPage, outcomeValue, type SlotHandler } from './slot-handler.js';

/** The CREDIT_SCORE job name of one retailer's nightly rescoring. */
export const RESCORE_RETAILER_JOB = 'rescore-retailer';

export interface RescorePayload extends JsonObject {
  readonly retailerId: string;
  /** Nepali date of the night (YYYY-MM-DD). */
  readonly date: string;
  /** ISO instant of the scheduler slot. */
  readonly slot: string;
}

/** `rescore:<Nepali date>:<retailerId>`: one job per retailer per night, whichever worker enqueues it. */
export function rescoreJobId(date: string, retailerId: string): string {
  return `rescore:${date}:${retailerId}`;
}

export interface CreditRescoringDeps {
  readonly listRetailers: Pick<ListRetailers, 'execute'>;
  readonly queue: JobQueue;
  readonly logger: Logger;
  /** Retailers read per page (default 200). */
  readonly pageSize?: number;
}

/**
 * Nightly: one CREDIT_SCORE job per ACTIVE retailer, paged, so scoring spreads over the
 * CREDIT_SCORE consumers of every worker and a failure retries one retailer, not the
 * night. Idempotent: a rerun of the slot enqueues the same ids (duplicates).
 */
export function creditRescoringTask(deps: CreditRescoringDeps): SlotHandler {
  const limit = deps.pageSize ?? 200;
  return async (slot) => {
    const date = nepalDate(slot);
    const enqueued = await enqueueEachPage(
      deps.queue,
      async (cursor) =>
        outcomeValue(await deps.listRetailers.execute({ status: 'ACTIVE', page: { limit, cursor } }), 'ListRetailers'),
      (retailer: Retailer) => ({
        queue: QueueNames.CREDIT_SCORE,
        name: RESCORE_RETAILER_JOB,
        jobId: rescoreJobId(date, retailer.id),
        payload: { retailerId: retailer.id, date, slot: slot.toISOString() } satisfies RescorePayload,
      }),
    );
    deps.logger.info('scheduler: nightly rescoring enqueued', { date, jobs: enqueued });
  };
}

export interface RescoreRetailerDeps {
  readonly recalculateCreditScore: Pick<RecalculateCreditScore, 'execute'>;
  /** The retailer's latest score (a read of `creditScores.latest`). */
  readonly latestScore: (retailerId: RetailerId) => Promise<CreditScoreRecord | null>;
  readonly logger: Logger;
}

/**
 * The CREDIT_SCORE handler of `rescore-retailer` jobs: `RecalculateCreditScore` with the
 * NIGHTLY trigger and the system actor. Idempotent per night: a retry after a committed
 * run (its acknowledgement lost) finds a NIGHTLY score calculated after the slot and stops.
 */
export function rescoreRetailerJob(deps: RescoreRetailerDeps): JobHandler {
  return async (job) => {
    const { retailerId, slot } = job.payload as RescorePayload;
    const latest = await deps.latestScore(retailerId as RetailerId);
    if (latest?.trigger === 'NIGHTLY' && latest.calculatedAt.getTime() >= Date.parse(slot)) return;
    const outcome = await deps.recalculateCreditScore.execute({
      retailerId: retailerId as RetailerId,
      trigger: 'NIGHTLY',
      actor: SYSTEM_ACTOR,
    });
    // A retailer (or account) gone since the night's list: nothing to score, nothing to retry.
    if (!outcome.ok && outcome.error.code === ErrorCodes.NOT_FOUND) {
      deps.logger.warn('nightly rescoring: retailer not found', { retailerId });
      return;
    }
    outcomeValue(outcome, 'RecalculateCreditScore');
  };
}

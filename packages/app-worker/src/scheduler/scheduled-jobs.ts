import {
  type Clock,
  type ConversationStore,
  type DraftUseCases,
  type IdempotencyStore,
  type JobHandler,
  type JobQueue,
  type Logger,
  type MessageSender,
  type QueueName,
  QueueNames,
  type ReminderRule,
  type Repositories,
  type UseCases,
} from '@khaacho/core';
import type { ScheduledTask, SlotPayload } from './scheduler.js';
import { conversationPurgeTask } from './tasks/conversation-purge.js';
import { creditRescoringTask, RESCORE_RETAILER_JOB, rescoreRetailerJob } from './tasks/credit-rescoring.js';
import { offerExpiryTask } from './tasks/offer-expiry.js';
import {
  PAYMENT_REMINDER_JOB,
  paymentReminderSelectionTask,
  type RetailerLanguageLookup,
  sendPaymentReminderJob,
} from './tasks/payment-reminders.js';
import { type RecoverySweep, recoverySweepTask } from './tasks/recovery-sweep.js';
import type { SlotHandler } from './tasks/slot-handler.js';
import { priceIntelligenceRefreshTask, vendorPerformanceRefreshTask } from './tasks/snapshot-refresh.js';

/** The scheduled tasks' names: their SCHEDULER job names and the first part of each slot's job id. */
export const ScheduledTaskNames = {
  OFFER_EXPIRY: 'offer-expiry',
  RECOVERY_SWEEP: 'recovery-sweep',
  CREDIT_RESCORING: 'credit-rescoring',
  PAYMENT_REMINDERS: 'payment-reminders',
  VENDOR_PERFORMANCE_REFRESH: 'vendor-performance-refresh',
  PRICE_INTELLIGENCE_REFRESH: 'price-intelligence-refresh',
  CONVERSATION_PURGE: 'conversation-purge',
} as const;

/** The worker's schedule (croner patterns, Asia/Kathmandu). README: "Schedule". */
export const WORKER_SCHEDULE: readonly ScheduledTask[] = Object.freeze([
  { name: ScheduledTaskNames.OFFER_EXPIRY, cron: '* * * * *', maxAttempts: 1 },
  { name: ScheduledTaskNames.RECOVERY_SWEEP, cron: '*/2 * * * *', maxAttempts: 1 },
  { name: ScheduledTaskNames.CREDIT_RESCORING, cron: '0 2 * * *' },
  { name: ScheduledTaskNames.PAYMENT_REMINDERS, cron: '0 9 * * *' },
  // Hourly, off the hour's other work; 05:50 Kathmandu is 00:05 UTC, the pricing engine's day.
  { name: ScheduledTaskNames.VENDOR_PERFORMANCE_REFRESH, cron: '25 * * * *' },
  { name: ScheduledTaskNames.PRICE_INTELLIGENCE_REFRESH, cron: '50 5 * * *' },
  { name: ScheduledTaskNames.CONVERSATION_PURGE, cron: '40 * * * *' },
]);

/** One job handler, for the jobs of one name on one queue. */
export interface QueueJobHandler {
  readonly queue: QueueName;
  readonly name: string;
  readonly handle: JobHandler;
}

export interface ScheduledJobDeps {
  readonly queue: JobQueue;
  readonly logger: Logger;
  readonly useCases: Pick<
    UseCases,
    'expireOverdueOffers' | 'listRetailers' | 'listInvoicesToRemind' | 'recalculateCreditScore'
  >;
  /**
   * Reads outside a transaction: the latest score (rescoring idempotency), the retailer to
   * remind and its account (is the invoice still unpaid when the reminder goes).
   */
  readonly repos: Pick<Repositories, 'retailers' | 'creditScores' | 'vendors' | 'products' | 'credit'>;
  readonly messages: MessageSender;
  /** Payment reminders run once per job id through it (`effectOncePerJob`). */
  readonly idempotency: IdempotencyStore;
  readonly clock: Clock;
  /** Payment reminder rules (default DEFAULT_REMINDER_RULES) and where a retailer's language is stored, if anywhere. */
  readonly reminders?: { readonly rules?: readonly ReminderRule[]; readonly languageOf?: RetailerLanguageLookup };
  /** worker-ops' `runRecoverySweep`, bound to its deps. */
  readonly runRecoverySweep: RecoverySweep;
  /** What the hourly purge deletes from: drafts (through their use case) and conversations. */
  readonly housekeeping: {
    readonly purgeExpiredDrafts: DraftUseCases['purgeExpiredDrafts'];
    readonly conversations: Pick<ConversationStore, 'purgeExpired'>;
  };
}

/**
 * The handlers of every job the scheduler makes: one per task on SCHEDULER (the slot),
 * `rescore-retailer` on CREDIT_SCORE and `invoice-reminder` on PAYMENT_REMINDER. Other
 * handlers share those queues (a queue has one consumer per process), so they are given
 * by name: combine them with `handlerByName`.
 */
export function scheduledJobHandlers(deps: ScheduledJobDeps): QueueJobHandler[] {
  const { queue, logger, useCases, repos } = deps;
  const slots: Record<string, SlotHandler> = {
    [ScheduledTaskNames.OFFER_EXPIRY]: offerExpiryTask({ expireOverdueOffers: useCases.expireOverdueOffers, logger }),
    [ScheduledTaskNames.RECOVERY_SWEEP]: recoverySweepTask(deps.runRecoverySweep),
    [ScheduledTaskNames.CREDIT_RESCORING]: creditRescoringTask({
      listRetailers: useCases.listRetailers,
      queue,
      logger,
    }),
    [ScheduledTaskNames.PAYMENT_REMINDERS]: paymentReminderSelectionTask({
      listInvoicesToRemind: useCases.listInvoicesToRemind,
      queue,
      logger,
      ...(deps.reminders?.rules ? { rules: deps.reminders.rules } : {}),
    }),
    [ScheduledTaskNames.VENDOR_PERFORMANCE_REFRESH]: vendorPerformanceRefreshTask({
      queue,
      logger,
      vendors: repos.vendors,
      products: repos.products,
    }),
    [ScheduledTaskNames.PRICE_INTELLIGENCE_REFRESH]: priceIntelligenceRefreshTask({
      queue,
      logger,
      vendors: repos.vendors,
      products: repos.products,
    }),
    [ScheduledTaskNames.CONVERSATION_PURGE]: conversationPurgeTask({ ...deps.housekeeping, logger }),
  };
  return [
    ...Object.entries(slots).map(([name, run]) => ({
      queue: QueueNames.SCHEDULER,
      name,
      handle: (job: Parameters<JobHandler>[0]) => run(new Date((job.payload as SlotPayload).slot), job),
    })),
    {
      queue: QueueNames.CREDIT_SCORE,
      name: RESCORE_RETAILER_JOB,
      handle: rescoreRetailerJob({
        recalculateCreditScore: useCases.recalculateCreditScore,
        latestScore: (id) => repos.creditScores.latest(id),
        logger,
      }),
    },
    {
      queue: QueueNames.PAYMENT_REMINDER,
      name: PAYMENT_REMINDER_JOB,
      handle: sendPaymentReminderJob({
        credit: repos.credit,
        findRetailer: (id) => repos.retailers.get(id),
        ...(deps.reminders?.languageOf ? { languageOf: deps.reminders.languageOf } : {}),
        messages: deps.messages,
        idempotency: deps.idempotency,
        clock: deps.clock,
        logger,
      }),
    },
  ];
}

/** One consumer handler for `queue` from named handlers; a job of an unknown name fails (and ends in dead letters). */
export function handlerByName(handlers: readonly QueueJobHandler[], queue: string): JobHandler {
  const byName = new Map(handlers.filter((h) => h.queue === queue).map((h) => [h.name, h.handle]));
  return async (job) => {
    const handle = byName.get(job.name);
    if (!handle) throw new Error(`no handler for job ${job.name} on ${queue}`);
    await handle(job);
  };
}

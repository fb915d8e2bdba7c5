import {
  CLOCK,
  DRAFT_USE_CASES,
  IDEMPOTENCY_STORE,
  type JobHandler,
  LOGGER,
  MESSAGE_SENDER,
  type QueueName,
  type ReminderRule,
  REPOSITORIES,
  type Token,
  USE_CASES,
  JOB_QUEUE,
} from '@khaacho/core';
import { runRecoverySweep, type SweepThresholds } from '../recovery/recovery-sweep.js';
import { recoverySweepDeps } from '../recovery/sweep-deps.js';
import { type QueueJobHandler, scheduledJobHandlers } from '../scheduler/scheduled-jobs.js';
import { conversationLanguageOf } from '../scheduler/tasks/payment-reminders.js';

interface Resolver {
  get<T>(token: Token<T>): T;
}

/** The handlers of the scheduler's jobs, with the recovery sweep bound to the composition. */
export function scheduledHandlersFrom(
  app: Resolver,
  sweep: Partial<SweepThresholds>,
  reminderRules?: readonly ReminderRule[],
): QueueJobHandler[] {
  const repos = app.get(REPOSITORIES);
  const sweepDeps = recoverySweepDeps(app, sweep);
  return scheduledJobHandlers({
    queue: app.get(JOB_QUEUE),
    logger: app.get(LOGGER),
    useCases: app.get(USE_CASES),
    repos: {
      retailers: repos.retailers,
      creditScores: repos.creditScores,
      vendors: repos.vendors,
      products: repos.products,
      credit: repos.credit,
    },
    messages: app.get(MESSAGE_SENDER),
    idempotency: app.get(IDEMPOTENCY_STORE),
    clock: app.get(CLOCK),
    // Reminders in the language the shop writes to us in (its conversation's).
    reminders: {
      ...(reminderRules ? { rules: reminderRules } : {}),
      languageOf: conversationLanguageOf(repos.conversations),
    },
    runRecoverySweep: () => runRecoverySweep(sweepDeps),
    housekeeping: {
      purgeExpiredDrafts: app.get(DRAFT_USE_CASES).purgeExpiredDrafts,
      conversations: repos.conversations,
    },
  });
}

/**
 * One handler per queue, because a process runs one consumer per queue: a job whose name
 * a scheduled handler claims goes there, any other job to the queue's event consumer
 * (CREDIT_SCORE carries both the consumers' rescoring and the nightly one).
 */
export function mergeQueueHandlers(
  eventHandlers: Partial<Record<QueueName, JobHandler>>,
  scheduled: readonly QueueJobHandler[],
): Partial<Record<QueueName, JobHandler>> {
  const merged: Partial<Record<QueueName, JobHandler>> = { ...eventHandlers };
  const byQueue = new Map<QueueName, Map<string, JobHandler>>();
  for (const h of scheduled) {
    const names = byQueue.get(h.queue) ?? new Map<string, JobHandler>();
    names.set(h.name, h.handle);
    byQueue.set(h.queue, names);
  }
  for (const [queue, names] of byQueue) {
    const fallback = eventHandlers[queue];
    merged[queue] = async (job) => {
      const handle = names.get(job.name) ?? fallback;
      if (!handle) throw new Error(`no handler for job ${job.name} on ${queue}`);
      await handle(job);
    };
  }
  return merged;
}

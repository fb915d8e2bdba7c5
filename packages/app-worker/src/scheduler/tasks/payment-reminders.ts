import {
  type OverdueAccount,
  type JobHandler,
  type JobQueue,
  type JsonObject,
  type ListOverdueAccounts,
  type Logger,
  type MessageSender,
  Money,
  QueueNames,
  type Retailer,
  type RetailerId,
} from '@khaacho/core';
import { nepalDate } from '../slots.js';
import { enqueueEachPage, outcomeValue, type SlotHandler } from './slot-handler.js';

/** The PAYMENT_REMINDER job name. */
export const PAYMENT_REMINDER_JOB = 'payment-reminder';

export interface PaymentReminderPayload extends JsonObject {
  readonly retailerId: string;
  readonly date: string;
  readonly daysPastDue: number;
  /** Minor units. */
  readonly overdue: number;
  readonly currency: string;
}

/** `reminder:<Nepali date>:<retailerId>`: at most one reminder per retailer per day. */
export function reminderJobId(date: string, retailerId: string): string {
  return `reminder:${date}:${retailerId}`;
}

export interface PaymentReminderSelectionDeps {
  readonly listOverdueAccounts: Pick<ListOverdueAccounts, 'execute'>;
  readonly queue: JobQueue;
  readonly logger: Logger;
  readonly pageSize?: number;
  /** Remind from this many days past due (default 1). */
  readonly minDaysPastDue?: number;
}

/** Daily: one PAYMENT_REMINDER job per retailer with an invoice past due (`ListOverdueAccounts`). */
export function paymentReminderSelectionTask(deps: PaymentReminderSelectionDeps): SlotHandler {
  const limit = deps.pageSize ?? 200;
  return async (slot) => {
    const date = nepalDate(slot);
    const enqueued = await enqueueEachPage(
      deps.queue,
      async (cursor) =>
        outcomeValue(
          await deps.listOverdueAccounts.execute({
            page: { limit, cursor },
            ...(deps.minDaysPastDue ? { minDaysPastDue: deps.minDaysPastDue } : {}),
          }),
          'ListOverdueAccounts',
        ),
      (account: OverdueAccount) => ({
        queue: QueueNames.PAYMENT_REMINDER,
        name: PAYMENT_REMINDER_JOB,
        jobId: reminderJobId(date, account.retailerId),
        payload: {
          retailerId: account.retailerId,
          date,
          daysPastDue: account.daysPastDue,
          overdue: account.overdue.amount,
          currency: account.overdue.currency,
        } satisfies PaymentReminderPayload,
      }),
    );
    deps.logger.info('scheduler: payment reminders enqueued', { date, jobs: enqueued });
  };
}

export interface SendPaymentReminderDeps {
  readonly findRetailer: (retailerId: RetailerId) => Promise<Retailer | null>;
  readonly messages: MessageSender;
  readonly logger: Logger;
}

/**
 * The PAYMENT_REMINDER handler: a text to the retailer's phone through `MessageSender`.
 * The job id makes it one reminder per retailer per day; like any notification it is
 * at-least-once (a send whose acknowledgement was lost is sent again on retry).
 */
export function sendPaymentReminderJob(deps: SendPaymentReminderDeps): JobHandler {
  return async (job) => {
    const p = job.payload as PaymentReminderPayload;
    const retailer = await deps.findRetailer(p.retailerId as RetailerId);
    if (!retailer) {
      deps.logger.warn('payment reminder: retailer not found', { retailerId: p.retailerId });
      return;
    }
    const amount = Money.of(p.overdue, p.currency).format();
    await deps.messages.send({
      kind: 'text',
      to: retailer.phone,
      text:
        `Namaste ${retailer.name}: ${amount} on your Khaacho account is ${p.daysPastDue} ` +
        `day${p.daysPastDue === 1 ? '' : 's'} past due. Please pay at your earliest convenience.`,
    });
    deps.logger.info('payment reminder sent', { retailerId: p.retailerId, date: p.date, daysPastDue: p.daysPastDue });
  };
}

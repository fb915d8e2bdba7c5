import {
  type Clock,
  type ConversationStore,
  type CreditAccountRepository,
  DEFAULT_REMINDER_RULES,
  type IdempotencyStore,
  type InvoiceToRemind,
  isErasedRetailer,
  type JobHandler,
  type JobQueue,
  type JsonObject,
  type ListInvoicesToRemind,
  type Logger,
  type MessageSender,
  type Page,
  QueueNames,
  type ReminderRule,
  type Retailer,
  type RetailerId,
  shopLanguage,
} from '@khaacho/core';
import { effectOncePerJob } from '../../consumers/effect-once.js';
import { nepalDate } from '../slots.js';
import { outcomeValue, type SlotHandler } from './slot-handler.js';

/** The PAYMENT_REMINDER job name: one reminder of one invoice under one rule. */
export const PAYMENT_REMINDER_JOB = 'invoice-reminder';

export interface PaymentReminderPayload extends JsonObject {
  readonly invoiceId: string;
  readonly retailerId: string;
  /** The rule's name (before-3, due, after-7…). */
  readonly rule: string;
  readonly template: string;
  /** The Nepali date of the slot that selected it. */
  readonly date: string;
  /** The invoice's Nepali due date (YYYY-MM-DD). */
  readonly dueDate: string;
  readonly orderNumber: string | null;
  /** Unpaid at selection (minor units); the handler sends what is unpaid when it runs. */
  readonly unpaid: number;
  readonly currency: string;
}

/**
 * `reminder:<invoiceId>:<rule>`: one reminder per invoice per rule, whichever day, slot,
 * worker or retry enqueues it (a rule fires on one day of an invoice's life anyway).
 */
export function reminderJobId(invoiceId: string, rule: string): string {
  return `reminder:${invoiceId}:${rule}`;
}

export interface PaymentReminderSelectionDeps {
  readonly listInvoicesToRemind: Pick<ListInvoicesToRemind, 'execute'>;
  readonly queue: JobQueue;
  readonly logger: Logger;
  /** Default DEFAULT_REMINDER_RULES. */
  readonly rules?: readonly ReminderRule[];
  readonly pageSize?: number;
}

/**
 * Daily: one PAYMENT_REMINDER job per open invoice whose due date puts it under a rule on
 * the slot's Nepali date. Job ids make a rerun of the slot (or a second worker) a run of
 * duplicates. Logs each page (progress) and the totals per rule.
 */
export function paymentReminderSelectionTask(deps: PaymentReminderSelectionDeps): SlotHandler {
  const limit = deps.pageSize ?? 200;
  const rules = deps.rules ?? DEFAULT_REMINDER_RULES;
  return async (slot) => {
    const date = nepalDate(slot);
    const byRule: Record<string, number> = Object.fromEntries(rules.map((r) => [r.name, 0]));
    let cursor: string | null = null;
    let selected = 0;
    let enqueued = 0;
    let pages = 0;
    do {
      const page: Page<InvoiceToRemind> = outcomeValue(
        await deps.listInvoicesToRemind.execute({ date, rules, page: { limit, cursor } }),
        'ListInvoicesToRemind',
      );
      const results = await Promise.all(page.items.map((invoice) => deps.queue.enqueue(reminderJob(date, invoice))));
      page.items.forEach((invoice, i) => {
        if (!results[i]?.duplicate) byRule[invoice.rule.name] = (byRule[invoice.rule.name] ?? 0) + 1;
      });
      const fresh = results.filter((r) => !r.duplicate).length;
      selected += page.items.length;
      enqueued += fresh;
      pages += 1;
      cursor = page.nextCursor;
      if (cursor) deps.logger.info('scheduler: payment reminders in progress', { date, pages, selected, enqueued });
    } while (cursor);
    deps.logger.info('scheduler: payment reminders enqueued', { date, selected, jobs: enqueued, byRule });
  };
}

function reminderJob(date: string, invoice: InvoiceToRemind) {
  return {
    queue: QueueNames.PAYMENT_REMINDER,
    name: PAYMENT_REMINDER_JOB,
    jobId: reminderJobId(invoice.invoiceId, invoice.rule.name),
    payload: {
      invoiceId: invoice.invoiceId,
      retailerId: invoice.retailerId,
      rule: invoice.rule.name,
      template: invoice.rule.template,
      date,
      dueDate: invoice.dueDate,
      orderNumber: invoice.orderNumber,
      unpaid: invoice.unpaid.amount,
      currency: invoice.unpaid.currency,
    } satisfies PaymentReminderPayload,
  };
}

/**
 * A retailer's stored language preference ('en', 'ne-Latn', 'ne'), if anything stores one
 * (the conversation state does once it exists): null when none is known.
 */
export type RetailerLanguageLookup = (retailer: Retailer) => Promise<string | null>;

/**
 * The language a retailer writes in on WhatsApp, from its conversation (kept past the
 * conversation's expiry until housekeeping purges it): what the worker binds as `languageOf`.
 */
export function conversationLanguageOf(conversations: Pick<ConversationStore, 'get'>): RetailerLanguageLookup {
  return (retailer) => shopLanguage({ conversations }, retailer.phone);
}

/**
 * The template language for a preference: the templates are approved in English and
 * Nepali only, so romanised Nepali gets the Nepali one; nothing known gets English.
 */
export function reminderTemplateLanguage(preference: string | null): 'en' | 'ne' {
  return preference === 'ne' || preference === 'ne-Latn' ? 'ne' : 'en';
}

export interface SendPaymentReminderDeps {
  readonly credit: Pick<CreditAccountRepository, 'get'>;
  readonly findRetailer: (retailerId: RetailerId) => Promise<Retailer | null>;
  readonly languageOf?: RetailerLanguageLookup;
  readonly messages: MessageSender;
  readonly idempotency: IdempotencyStore;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * The PAYMENT_REMINDER handler: the rule's template to the retailer's phone (a template,
 * because a reminder mostly lands outside the 24-hour window). Under `effectOncePerJob`,
 * so a redelivered or retried job sends nothing twice. The invoice is read again first: one
 * paid or written off since the selection gets no reminder, and the amount is what is
 * unpaid now; an erased retailer gets none. Template parameters: shop name, amount, due date, order number.
 */
export function sendPaymentReminderJob(deps: SendPaymentReminderDeps): JobHandler {
  return async (job) => {
    const p = job.payload as PaymentReminderPayload;
    const context = { invoiceId: p.invoiceId, retailerId: p.retailerId, rule: p.rule };
    const outcome = await effectOncePerJob(deps, job, async () => {
      const account = await deps.credit.get(p.retailerId as RetailerId);
      const item = account?.openItems().find((i) => i.entryId === p.invoiceId && i.type === 'INVOICE');
      if (!item?.remaining.isPositive()) return { skipped: 'settled' };
      const retailer = await deps.findRetailer(p.retailerId as RetailerId);
      if (!retailer) return { skipped: 'retailer-not-found' };
      // The erasure keeps the invoice (a financial record) but the phone is a placeholder: the
      // WhatsApp sender refuses it, and the job would fail into the dead list on every rule.
      if (isErasedRetailer(retailer)) return { skipped: 'erased' };
      const language = reminderTemplateLanguage((await deps.languageOf?.(retailer)) ?? null);
      const { providerMessageId } = await deps.messages.send({
        kind: 'template',
        to: retailer.phone,
        template: p.template,
        language,
        parameters: [retailer.name, item.remaining.format(), p.dueDate, p.orderNumber ?? '-'],
      });
      return { providerMessageId, language };
    });
    if (!outcome.done) return deps.logger.info('payment reminder already handled', context);
    const result = outcome.result as { skipped?: string };
    if (result.skipped) deps.logger.info('payment reminder not sent', { ...context, reason: result.skipped });
    else deps.logger.info('payment reminder sent', { ...context, template: p.template });
  };
}

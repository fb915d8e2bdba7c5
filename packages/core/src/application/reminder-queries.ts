import {
  DEFAULT_REMINDER_RULES,
  dueDayFor,
  nepalDateOf,
  nepalDayWindow,
  type ReminderRule,
  reminderRules,
  ruleFiring,
} from '../credit/reminder-rules.js';
import { type Page, type PageRequest, pageLimit } from '../ports/pagination.js';
import type { OpenInvoice } from '../ports/repositories.js';
import { invariant } from '../shared/errors.js';
import { checkCommand } from './command-checks.js';
import type { UseCaseContext } from './context.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

export interface ListInvoicesToRemindQuery {
  /** The Nepali calendar date (YYYY-MM-DD) the reminders are for. */
  readonly date: string;
  /** Default DEFAULT_REMINDER_RULES (3 days before due, on the due date, 3 and 7 days after). */
  readonly rules?: readonly ReminderRule[];
  readonly page: PageRequest;
}

/** An open invoice and the rule that fires for it on the query's date. */
export interface InvoiceToRemind extends OpenInvoice {
  readonly rule: ReminderRule;
  /** The Nepali calendar date the invoice is due (YYYY-MM-DD). */
  readonly dueDate: string;
}

/**
 * The open invoices (unpaid amount > 0) whose due date puts them under a reminder rule on
 * `date`: due `date − offset` for some rule. Paid-off and credited-off invoices are no longer
 * open, so they never appear. Keyset-paginated over (due, invoice id); full pages.
 */
export class ListInvoicesToRemind {
  static readonly failures = [] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(
    query: ListInvoicesToRemindQuery,
  ): Promise<Outcome<Page<InvoiceToRemind>, FailureCode<typeof ListInvoicesToRemind>>> {
    checkCommand(query);
    pageLimit(query.page);
    // Re-validated so that hand-built rules get the same checks as configured ones.
    const rules = reminderRules((query.rules ?? DEFAULT_REMINDER_RULES).map((r) => r.offsetDays));
    const windows = rules.map((r) => nepalDayWindow(dueDayFor(r, query.date)));
    return runUseCase(ListInvoicesToRemind.failures, async () => {
      const page = await this.ctx.repos.credit.listOpenInvoicesDue({ windows, page: query.page });
      const items = page.items.map((invoice) => {
        const rule = ruleFiring(rules, query.date, invoice.dueAt);
        invariant(rule !== null, 'an invoice outside every reminder window was returned', {
          invoiceId: invoice.invoiceId,
        });
        return { ...invoice, rule, dueDate: nepalDateOf(invoice.dueAt) };
      });
      return { items, nextCursor: page.nextCursor };
    });
  }
}

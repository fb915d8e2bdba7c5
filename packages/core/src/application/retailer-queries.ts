import { type Retailer, RETAILER_STATUSES, type RetailerStatus } from '../parties/retailer.js';
import { type Page, type PageRequest, pageLimit } from '../ports/pagination.js';
import { ErrorCodes, ValidationError } from '../shared/errors.js';
import type { RetailerId } from '../shared/ids.js';
import type { Money } from '../shared/money.js';
import { checkCommand } from './command-checks.js';
import type { UseCaseContext } from './context.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

export interface ListRetailersQuery {
  /** Only retailers in this status (e.g. ACTIVE for a nightly job). */
  readonly status?: RetailerStatus;
  readonly page: PageRequest;
}

/**
 * Retailers newest first, keyset-paginated, optionally of one status. The status is
 * applied to each page the repository returns, so a filtered page may hold fewer than
 * `limit` items (even none) while `nextCursor` is set: read until `nextCursor` is null.
 */
export class ListRetailers {
  static readonly failures = [] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(query: ListRetailersQuery): Promise<Outcome<Page<Retailer>, FailureCode<typeof ListRetailers>>> {
    checkCommand(query);
    const status = checkStatus(query.status);
    pageLimit(query.page);
    return runUseCase(ListRetailers.failures, async () => {
      const page = await this.ctx.repos.retailers.list(query.page);
      return status ? { items: page.items.filter((r) => r.status === status), nextCursor: page.nextCursor } : page;
    });
  }
}

export interface ListOverdueAccountsQuery {
  /** Accounts with an open item at least this many Nepali days past due (default 1). */
  readonly minDaysPastDue?: number;
  readonly page: PageRequest;
}

/** A retailer with money past due, as of the clock's now. */
export interface OverdueAccount {
  readonly retailerId: RetailerId;
  readonly daysPastDue: number;
  readonly overdue: Money;
  readonly outstanding: Money;
  readonly asOf: Date;
}

/**
 * The retailers whose credit accounts have invoices past due: what payment reminders are
 * sent from. Pages over retailers (same cursor and the same "fewer than `limit`" rule as
 * `ListRetailers`) and reads each account, so it is a batch query for a nightly job, not
 * for a request path.
 */
export class ListOverdueAccounts {
  static readonly failures = [] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(
    query: ListOverdueAccountsQuery,
  ): Promise<Outcome<Page<OverdueAccount>, FailureCode<typeof ListOverdueAccounts>>> {
    checkCommand(query);
    const minDays = query.minDaysPastDue ?? 1;
    if (!Number.isSafeInteger(minDays) || minDays < 1 || minDays > 3_650) {
      throw new ValidationError(
        'minDaysPastDue must be a whole number 1-3650',
        { field: 'minDaysPastDue' },
        ErrorCodes.OUT_OF_RANGE,
      );
    }
    pageLimit(query.page);
    return runUseCase(ListOverdueAccounts.failures, async () => {
      const asOf = this.ctx.clock.now();
      const page = await this.ctx.repos.retailers.list(query.page);
      const items: OverdueAccount[] = [];
      for (const retailer of page.items) {
        const account = await this.ctx.repos.credit.get(retailer.id);
        if (!account) continue;
        const daysPastDue = account.daysPastDue(asOf);
        if (daysPastDue < minDays) continue;
        items.push({
          retailerId: retailer.id,
          daysPastDue,
          overdue: account.overdueAmount(asOf),
          outstanding: account.outstanding(),
          asOf,
        });
      }
      return { items, nextCursor: page.nextCursor };
    });
  }
}

function checkStatus(status: unknown): RetailerStatus | undefined {
  if (status === undefined) return undefined;
  if (!(RETAILER_STATUSES as readonly unknown[]).includes(status)) {
    throw new ValidationError(
      `status must be one of ${RETAILER_STATUSES.join(', ')}`,
      { field: 'status' },
      ErrorCodes.INVALID_COMMAND,
    );
  }
  return status as RetailerStatus;
}

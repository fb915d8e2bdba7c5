import type { Aging } from '../credit/aging.js';
import type { LedgerEntry } from '../credit/ledger-entry.js';
import { balanceEffect } from '../credit/ledger-entry.js';
import type { Order } from '../order/order.js';
import type { RetailerId, OrderId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import type { Page, PageRequest } from '../ports/pagination.js';
import type { OrderFilter } from '../ports/repositories.js';
import { ErrorCodes, ValidationError } from '../shared/errors.js';
import { requireText } from '../shared/text.js';
import type { UseCaseContext } from './context.js';
import { required } from './errors.js';
import { checkCommand, checkId } from './command-checks.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

/** One order, by id or by its number ("KH-000042"). */
export type GetOrderQuery = { readonly orderId: OrderId } | { readonly number: string };

export class GetOrder {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(query: GetOrderQuery): Promise<Outcome<Order, FailureCode<typeof GetOrder>>> {
    checkCommand(query);
    if ('orderId' in query) {
      const orderId = checkId<OrderId>(query.orderId, 'orderId');
      return runUseCase(GetOrder.failures, async () =>
        required(await this.ctx.repos.orders.get(orderId), 'order', orderId),
      );
    }
    const number = requireText(query.number, 'number', 40);
    return runUseCase(GetOrder.failures, async () =>
      required(await this.ctx.repos.orders.getByNumber(number), 'order', number),
    );
  }
}

export interface ListOrdersQuery {
  readonly filter?: OrderFilter;
  readonly page: PageRequest;
}

export class ListOrders {
  static readonly failures = [] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(query: ListOrdersQuery): Promise<Outcome<Page<Order>, FailureCode<typeof ListOrders>>> {
    checkCommand(query);
    const filter = checkOrderFilter(query.filter ?? {});
    if (filter.placedFrom && filter.placedTo && filter.placedFrom.getTime() >= filter.placedTo.getTime()) {
      throw new ValidationError('placedFrom must be before placedTo');
    }
    return runUseCase(ListOrders.failures, () => this.ctx.repos.orders.list(filter, query.page));
  }
}

/** Ids are UUIDs and dates are dates before any store sees them (pg would refuse, memory would match nothing). */
function checkOrderFilter(filter: OrderFilter): OrderFilter {
  if (typeof filter !== 'object' || filter === null) {
    throw new ValidationError('filter must be an object', { field: 'filter' }, ErrorCodes.INVALID_COMMAND);
  }
  if (filter.retailerId !== undefined) checkId<RetailerId>(filter.retailerId, 'retailerId');
  if (filter.vendorId !== undefined) checkId(filter.vendorId, 'vendorId');
  for (const field of ['placedFrom', 'placedTo'] as const) {
    const at = filter[field];
    if (at !== undefined && (!(at instanceof Date) || Number.isNaN(at.getTime()))) {
      throw new ValidationError(`${field} must be a date`, { field }, ErrorCodes.INVALID_COMMAND);
    }
  }
  return filter;
}

export interface GetCreditStatementQuery {
  readonly retailerId: RetailerId;
  readonly from: Date;
  readonly to: Date;
}

export interface CreditStatement {
  readonly retailerId: RetailerId;
  readonly asOf: Date;
  readonly from: Date;
  readonly to: Date;
  readonly creditLimit: Money;
  readonly outstanding: Money;
  readonly held: Money;
  /** Orders accepted but not yet confirmed (they already count against the limit). */
  readonly pendingExposure: Money;
  readonly available: Money;
  readonly daysPastDue: number;
  readonly overdue: Money;
  readonly aging: Aging;
  /** Balance before `from` and after the last entry before `to`. */
  readonly openingBalance: Money;
  readonly closingBalance: Money;
  readonly entries: readonly LedgerEntry[];
}

/** A retailer's statement for a period: balances, aging and every ledger entry in it. */
export class GetCreditStatement {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(
    query: GetCreditStatementQuery,
  ): Promise<Outcome<CreditStatement, FailureCode<typeof GetCreditStatement>>> {
    checkCommand(query);
    const retailerId = checkId<RetailerId>(query.retailerId, 'retailerId');
    if (!(query.from instanceof Date) || !(query.to instanceof Date) || query.from.getTime() >= query.to.getTime()) {
      throw new ValidationError('from and to must be dates, from before to');
    }
    return runUseCase(GetCreditStatement.failures, () => this.statement(retailerId, query));
  }

  private async statement(retailerId: RetailerId, period: GetCreditStatementQuery): Promise<CreditStatement> {
    const account = required(await this.ctx.repos.credit.get(retailerId), 'credit account', retailerId);
    const asOf = this.ctx.clock.now();
    const [before, inPeriod, exposure] = await Promise.all([
      this.ctx.repos.credit.listEntries(retailerId, { to: period.from }),
      this.ctx.repos.credit.listEntries(retailerId, { from: period.from, to: period.to }),
      this.ctx.repos.orders.pendingExposure(retailerId, account.currency),
    ]);
    // In BigInt: the sums are balances the ledger has held, bounded as MAX_LEDGER_AMOUNT explains.
    const sum = (entries: readonly LedgerEntry[], start: Money) =>
      Money.of(
        Number(entries.reduce((acc, e) => acc + BigInt(balanceEffect(e).amount), BigInt(start.amount))),
        start.currency,
      );
    const opening = sum(before, Money.zero(account.currency));
    return {
      retailerId,
      asOf,
      from: period.from,
      to: period.to,
      creditLimit: account.creditLimit,
      outstanding: account.outstanding(),
      held: account.held(),
      pendingExposure: exposure,
      available: account.available(exposure),
      daysPastDue: account.daysPastDue(asOf),
      overdue: account.overdueAmount(asOf),
      aging: account.aging(asOf),
      openingBalance: opening,
      closingBalance: sum(inPeriod, opening),
      entries: inPeriod,
    };
  }
}

export interface CreditBalance {
  readonly retailerId: RetailerId;
  readonly asOf: Date;
  readonly creditLimit: Money;
  readonly netTermsDays: number;
  readonly outstanding: Money;
  readonly held: Money;
  /** Orders placed but not yet confirmed (they already count against the limit). */
  readonly pendingExposure: Money;
  readonly available: Money;
  readonly daysPastDue: number;
  readonly overdue: Money;
  readonly aging: Aging;
}

/** Where a retailer's credit stands now: the statement's balances without its entries. */
export class GetCreditBalance {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(query: {
    readonly retailerId: RetailerId;
  }): Promise<Outcome<CreditBalance, FailureCode<typeof GetCreditBalance>>> {
    checkCommand(query);
    const retailerId = checkId<RetailerId>(query.retailerId, 'retailerId');
    return runUseCase(GetCreditBalance.failures, async () => {
      const account = required(await this.ctx.repos.credit.get(retailerId), 'credit account', retailerId);
      const asOf = this.ctx.clock.now();
      const exposure = await this.ctx.repos.orders.pendingExposure(retailerId, account.currency);
      return {
        retailerId,
        asOf,
        creditLimit: account.creditLimit,
        netTermsDays: account.netTermsDays,
        outstanding: account.outstanding(),
        held: account.held(),
        pendingExposure: exposure,
        available: account.available(exposure),
        daysPastDue: account.daysPastDue(asOf),
        overdue: account.overdueAmount(asOf),
        aging: account.aging(asOf),
      };
    });
  }
}

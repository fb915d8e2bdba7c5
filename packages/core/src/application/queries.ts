import type { Aging } from '../credit/aging.js';
import type { LedgerEntry } from '../credit/ledger-entry.js';
import { balanceEffect } from '../credit/ledger-entry.js';
import type { Order } from '../order/order.js';
import type { RetailerId, OrderId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import type { Page, PageRequest } from '../ports/pagination.js';
import type { OrderFilter } from '../ports/repositories.js';
import { ValidationError } from '../shared/errors.js';
import type { UseCaseContext } from './context.js';
import { required } from './errors.js';
import { checkId } from './command-checks.js';

export class GetOrder {
  constructor(private readonly ctx: UseCaseContext) {}

  async execute(orderId: OrderId): Promise<Order> {
    checkId(orderId, 'orderId');
    return required(await this.ctx.repos.orders.get(orderId), 'order', orderId);
  }

  async byNumber(number: string): Promise<Order> {
    return required(await this.ctx.repos.orders.getByNumber(number), 'order', number);
  }
}

export class ListOrders {
  constructor(private readonly ctx: UseCaseContext) {}

  async execute(filter: OrderFilter, page: PageRequest): Promise<Page<Order>> {
    if (filter.placedFrom && filter.placedTo && filter.placedFrom.getTime() >= filter.placedTo.getTime()) {
      throw new ValidationError('placedFrom must be before placedTo');
    }
    return this.ctx.repos.orders.list(filter, page);
  }
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
  constructor(private readonly ctx: UseCaseContext) {}

  async execute(retailerId: RetailerId, period: { from: Date; to: Date }): Promise<CreditStatement> {
    checkId(retailerId, 'retailerId');
    if (period.from.getTime() >= period.to.getTime()) throw new ValidationError('from must be before to');
    const account = required(await this.ctx.repos.credit.get(retailerId), 'credit account', retailerId);
    const asOf = this.ctx.clock.now();
    const [before, inPeriod, exposure] = await Promise.all([
      this.ctx.repos.credit.listEntries(retailerId, { to: period.from }),
      this.ctx.repos.credit.listEntries(retailerId, { from: period.from, to: period.to }),
      this.ctx.repos.orders.pendingExposure(retailerId, account.currency),
    ]);
    const sum = (entries: readonly LedgerEntry[], start: Money) =>
      entries.reduce((acc, e) => acc.add(balanceEffect(e)), start);
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
      available: account.available().subtract(exposure),
      daysPastDue: account.daysPastDue(asOf),
      overdue: account.overdueAmount(asOf),
      aging: account.aging(asOf),
      openingBalance: opening,
      closingBalance: sum(inPeriod, opening),
      entries: inPeriod,
    };
  }
}

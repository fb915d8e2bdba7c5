import { daysPastDue } from '../../credit/aging.js';
import type { CreditAccountState } from '../../credit/credit-account.js';
import type { OrderSnapshot } from '../../order/order.js';
import type { Money } from '../../shared/money.js';
import { divideMoney, sumMoney } from '../shared/money-stats.js';

/** The facts the risk rules look at for one order, gathered by the place-order use case. */
export interface RiskContext {
  readonly asOf: Date;
  readonly orderValue: Money;
  /** Start of the retailer's account (tenure for new-account rules). */
  readonly accountOpenedAt: Date;
  /** Earlier orders that were not rejected or cancelled (this order excluded). */
  readonly previousOrderCount: number;
  /** Average value of those orders; null when there are none. */
  readonly averageOrderValue: Money | null;
  /** placedAt of every earlier order, whatever its status (velocity counts attempts). */
  readonly recentOrderTimes: readonly Date[];
  readonly creditLimit: Money;
  readonly outstanding: Money;
  readonly held: Money;
  /** Other orders committed but not yet held (PENDING, ON_HOLD, ROUTING), this one excluded. */
  readonly pendingExposure: Money;
  /** Worst lateness among open debits. */
  readonly maxDaysPastDue: number;
  readonly overdueAmount: Money;
  /** Latest credit score; null when the retailer has never been scored. */
  readonly score: number | null;
}

export interface RiskContextSources {
  readonly order: OrderSnapshot;
  /** The retailer's orders; the order itself may be among them (it is skipped). */
  readonly history: readonly OrderSnapshot[];
  readonly account: CreditAccountState;
  readonly pendingExposure: Money;
  readonly score: number | null;
  readonly asOf: Date;
  /** Defaults to the account's creation. */
  readonly accountOpenedAt?: Date;
}

/** Build the context from domain objects (what `assessRisk` needs, nothing more). */
export function buildRiskContext(s: RiskContextSources): RiskContext {
  const earlier = s.history.filter((o) => o.id !== s.order.id && o.placedAt.getTime() <= s.asOf.getTime());
  const counted = earlier.filter((o) => o.status !== 'REJECTED' && o.status !== 'CANCELLED');
  const currency = s.account.currency;
  const overdue = s.account.openItems.filter((i) => daysPastDue(i.dueAt, s.asOf) > 0);
  return {
    asOf: s.asOf,
    orderValue: s.order.total,
    accountOpenedAt: s.accountOpenedAt ?? s.account.createdAt,
    previousOrderCount: counted.length,
    averageOrderValue:
      counted.length > 0
        ? divideMoney(
            sumMoney(
              counted.map((o) => o.total),
              currency,
            ),
            counted.length,
          )
        : null,
    recentOrderTimes: earlier.map((o) => o.placedAt),
    creditLimit: s.account.creditLimit,
    outstanding: s.account.balance,
    held: s.account.held,
    pendingExposure: s.pendingExposure,
    maxDaysPastDue: s.account.openItems.reduce((m, i) => Math.max(m, daysPastDue(i.dueAt, s.asOf)), 0),
    overdueAmount: sumMoney(
      overdue.map((i) => i.remaining),
      currency,
    ),
    score: s.score,
  };
}

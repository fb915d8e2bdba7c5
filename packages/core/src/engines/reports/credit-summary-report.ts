import { type AgingBucket, ageOpenItems, daysPastDue } from '../../credit/aging.js';
import type { CreditAccountState } from '../../credit/credit-account.js';
import type { RetailerId } from '../../shared/ids.js';
import type { Money } from '../../shared/money.js';
import type { CreditBand } from '../scoring/scoring-config.js';
import { compareStrings, roundTo } from '../shared/stats.js';

export interface CreditSummaryRow {
  readonly retailerId: RetailerId;
  readonly currency: string;
  readonly creditLimit: Money;
  readonly outstanding: Money;
  readonly held: Money;
  /** limit − outstanding − holds (may be negative). */
  readonly available: Money;
  /** (outstanding + held) / limit; null for a zero limit. */
  readonly utilisation: number | null;
  readonly score: number | null;
  readonly band: CreditBand | null;
  readonly aging: Readonly<Record<AgingBucket, Money>>;
  readonly overdue: Money;
  readonly maxDaysPastDue: number;
}

export interface LatestScore {
  readonly score: number;
  readonly band: CreditBand;
}

/** One row per account, ordered by retailer id. */
export function creditSummaryReport(
  accounts: readonly CreditAccountState[],
  scores: ReadonlyMap<RetailerId, LatestScore>,
  asOf: Date,
): CreditSummaryRow[] {
  return [...accounts]
    .sort((a, b) => compareStrings(a.retailerId, b.retailerId))
    .map((a) => {
      const aging = ageOpenItems(a.openItems, asOf, a.currency);
      const used = a.balance.add(a.held);
      const score = scores.get(a.retailerId);
      return {
        retailerId: a.retailerId,
        currency: a.currency,
        creditLimit: a.creditLimit,
        outstanding: a.balance,
        held: a.held,
        available: a.creditLimit.subtract(used),
        utilisation: a.creditLimit.isZero() ? null : roundTo(Math.max(0, used.amount) / a.creditLimit.amount, 4),
        score: score?.score ?? null,
        band: score?.band ?? null,
        aging: {
          current: aging.current,
          d1_30: aging.d1_30,
          d31_60: aging.d31_60,
          d61_90: aging.d61_90,
          d90_plus: aging.d90_plus,
        },
        overdue: aging.total.subtract(aging.current),
        maxDaysPastDue: a.openItems.reduce((m, i) => Math.max(m, daysPastDue(i.dueAt, asOf)), 0),
      };
    });
}

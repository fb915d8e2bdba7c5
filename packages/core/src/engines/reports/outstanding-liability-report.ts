import { type Aging, AGING_BUCKETS, ageOpenItems } from '../../credit/aging.js';
import type { CreditAccountState } from '../../credit/credit-account.js';
import type { RetailerId } from '../../shared/ids.js';
import { type CurrencyCode, Money } from '../../shared/money.js';
import { compareStrings } from '../shared/stats.js';

export interface LiabilityRow {
  readonly retailerId: RetailerId;
  readonly aging: Aging;
}

export interface OutstandingLiabilityReport {
  readonly asOf: Date;
  readonly currency: CurrencyCode;
  /** Receivables across every account, by aging bucket (`total` = their sum). */
  readonly totals: Aging;
  /** Accounts with open receivables, largest first (ties by retailer id). */
  readonly rows: readonly LiabilityRow[];
}

/** Receivables (open debits) by aging bucket. Accounts in another currency are left out. */
export function outstandingLiabilityReport(
  accounts: readonly CreditAccountState[],
  asOf: Date,
  currency: CurrencyCode = 'NPR',
): OutstandingLiabilityReport {
  const rows = accounts
    .filter((a) => a.currency === currency)
    .map((a) => ({ retailerId: a.retailerId, aging: ageOpenItems(a.openItems, asOf, currency) }))
    .filter((r) => !r.aging.total.isZero())
    .sort((a, b) => b.aging.total.compare(a.aging.total) || compareStrings(a.retailerId, b.retailerId));
  const zero = Money.zero(currency);
  const totals = {
    current: zero,
    d1_30: zero,
    d31_60: zero,
    d61_90: zero,
    d90_plus: zero,
    total: zero,
  };
  for (const r of rows) {
    for (const b of AGING_BUCKETS) totals[b] = totals[b].add(r.aging[b]);
    totals.total = totals.total.add(r.aging.total);
  }
  return { asOf, currency, totals, rows };
}

import type { OrderSnapshot } from '../../order/order.js';
import { MS_PER_DAY } from '../../shared/clock.js';
import type { RetailerId } from '../../shared/ids.js';
import type { CurrencyCode, Money } from '../../shared/money.js';
import { scaleMoney, sumMoney } from '../shared/money-stats.js';
import { clamp, roundTo } from '../shared/stats.js';

export interface LifetimeValueConfig {
  /** Khaacho's gross margin on GMV, basis points. */
  readonly marginBp: number;
  /** Monthly discount rate for future margin. */
  readonly monthlyDiscountRate: number;
  /** Monthly churn probability at churn score 0 and at churn score 1. */
  readonly minMonthlyChurn: number;
  readonly maxMonthlyChurn: number;
  /** Months of history the monthly revenue is averaged over (fewer for a younger retailer, at least 1). */
  readonly lookbackMonths: number;
}

/*
 * Judgement calls: a 3 % take on GMV, 1 % monthly discount, and a monthly churn
 * probability mapped linearly from the churn score between 2 % (a loyal shop stays
 * ~4 years) and 50 % (likely gone within two months).
 */
export const DEFAULT_LIFETIME_VALUE_CONFIG: LifetimeValueConfig = {
  marginBp: 300,
  monthlyDiscountRate: 0.01,
  minMonthlyChurn: 0.02,
  maxMonthlyChurn: 0.5,
  lookbackMonths: 6,
};

/** Statuses whose value is realised revenue (delivered goods). */
const REALISED = new Set(['DELIVERED', 'COMPLETED']);
const MONTH_MS = 30 * MS_PER_DAY;

export interface CustomerLifetimeValue {
  readonly retailerId: RetailerId;
  readonly historicalRevenue: Money;
  readonly monthlyRevenue: Money;
  readonly monthlyMargin: Money;
  readonly monthlyRetention: number;
  /** 1 / monthly churn. */
  readonly expectedLifetimeMonths: number;
  /** r / (1 + d − r). */
  readonly marginMultiple: number;
  /** monthlyMargin × marginMultiple. */
  readonly value: Money;
  readonly formula: string;
}

/**
 * CLV = m × r / (1 + d − r) (Gupta & Lehmann): m = average monthly margin (monthly
 * realised GMV × margin), r = monthly retention (1 − churn probability from the churn
 * score), d = monthly discount rate. Money is multiplied by the ratio half-up, never
 * stored as a float.
 */
export function customerLifetimeValue(
  retailerId: RetailerId,
  orders: readonly OrderSnapshot[],
  churnScore: number,
  asOf: Date,
  currency: CurrencyCode = 'NPR',
  config: Partial<LifetimeValueConfig> = {},
): CustomerLifetimeValue {
  const c = { ...DEFAULT_LIFETIME_VALUE_CONFIG, ...config };
  const realised = orders.filter(
    (o) => o.retailerId === retailerId && REALISED.has(o.status) && o.placedAt.getTime() <= asOf.getTime(),
  );
  const historicalRevenue = sumMoney(
    realised.map((o) => o.total),
    currency,
  );
  const first = Math.min(...realised.map((o) => o.placedAt.getTime()), asOf.getTime());
  const months = clamp(Math.ceil((asOf.getTime() - first) / MONTH_MS), 1, c.lookbackMonths);
  const windowStart = asOf.getTime() - months * MONTH_MS;
  const recentRevenue = sumMoney(
    realised.filter((o) => o.placedAt.getTime() > windowStart).map((o) => o.total),
    currency,
  );
  const monthlyRevenue = recentRevenue.multiplyRatio(1, months);
  const monthlyMargin = monthlyRevenue.percent(c.marginBp);
  const churn = c.minMonthlyChurn + (c.maxMonthlyChurn - c.minMonthlyChurn) * clamp(churnScore, 0, 1);
  const retention = 1 - churn;
  const multiple = retention / (1 + c.monthlyDiscountRate - retention);
  return {
    retailerId,
    historicalRevenue,
    monthlyRevenue,
    monthlyMargin,
    monthlyRetention: roundTo(retention, 4),
    expectedLifetimeMonths: roundTo(1 / churn, 2),
    marginMultiple: roundTo(multiple, 4),
    value: scaleMoney(monthlyMargin, multiple),
    formula: 'CLV = monthlyMargin × r / (1 + d − r)',
  };
}

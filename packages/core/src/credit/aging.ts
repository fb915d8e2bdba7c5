import { daysBetween } from '../shared/clock.js';
import { Money } from '../shared/money.js';
import type { OpenItem } from './open-item.js';

export const AGING_BUCKETS = ['current', 'd1_30', 'd31_60', 'd61_90', 'd90_plus'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

export type Aging = Readonly<Record<AgingBucket, Money>> & { readonly total: Money };

/** Days past due on `asOf` (0 when not yet due). */
export function daysPastDue(dueAt: Date, asOf: Date): number {
  return Math.max(0, daysBetween(dueAt, asOf));
}

export function bucketFor(dpd: number): AgingBucket {
  if (dpd <= 0) return 'current';
  if (dpd <= 30) return 'd1_30';
  if (dpd <= 60) return 'd31_60';
  if (dpd <= 90) return 'd61_90';
  return 'd90_plus';
}

/** Open debits by how late they are. `total` equals the sum of the remaining amounts. */
export function ageOpenItems(items: readonly OpenItem[], asOf: Date, currency: string): Aging {
  const acc: Record<AgingBucket, Money> = {
    current: Money.zero(currency),
    d1_30: Money.zero(currency),
    d31_60: Money.zero(currency),
    d61_90: Money.zero(currency),
    d90_plus: Money.zero(currency),
  };
  let total = Money.zero(currency);
  for (const item of items) {
    const b = bucketFor(daysPastDue(item.dueAt, asOf));
    acc[b] = acc[b].add(item.remaining);
    total = total.add(item.remaining);
  }
  return { ...acc, total };
}

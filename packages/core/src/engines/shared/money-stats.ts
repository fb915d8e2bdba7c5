import { type CurrencyCode, Money } from '../../shared/money.js';

/**
 * Median of money amounts, exact to the paisa: with an even count the two middle
 * amounts are averaged and rounded half-up. Null for an empty list.
 */
export function medianMoney(values: readonly Money[]): Money | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a.compare(b));
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as Money;
  if (sorted.length % 2 === 1) return upper;
  const lower = sorted[mid - 1] as Money;
  return lower.add(upper).multiplyRatio(1, 2);
}

/** a / b as a ratio (a score input, not money); null when b is zero. */
export function moneyRatio(a: Money, b: Money): number | null {
  return b.amount === 0 ? null : a.amount / b.amount;
}

/** Sum that tolerates an empty list in a known currency. */
export function sumMoney(values: readonly Money[], currency: CurrencyCode): Money {
  return values.reduce((acc, m) => acc.add(m), Money.zero(currency));
}

/** Money divided by a positive integer count, half-up (e.g. an average order value). */
export function divideMoney(total: Money, count: number): Money {
  return count > 0 ? total.multiplyRatio(1, count) : Money.zero(total.currency);
}

/**
 * Money × a non-negative real factor (a ratio or score), rounded half-up to the paisa.
 * The factor is fixed to six decimals first so that the multiplication itself is exact
 * integer arithmetic inside `Money.multiplyRatio`.
 */
export function scaleMoney(value: Money, factor: number): Money {
  const micro = Math.round(factor * 1_000_000);
  return value.multiplyRatio(micro, 1_000_000);
}

/** Round down to a multiple of `step` minor units (credit limits are kept to round figures). */
export function floorToStep(value: Money, step: number): Money {
  if (value.amount <= 0) return Money.zero(value.currency);
  if (step <= 1) return value;
  return Money.of(value.amount - (value.amount % step), value.currency);
}

import { ErrorCodes, ValidationError } from '../shared/errors.js';
import type { Money } from '../shared/money.js';

/**
 * The largest single ledger amount and credit limit: 10¹³ paisa = NPR 100 billion, far
 * beyond any wholesale order or payment, and small enough that sums cannot overflow.
 *
 * Why the sums are safe: every entry's effect on the balance, the holds and the unapplied
 * credit is at most this much, so after n entries none of them exceeds n × 10¹³.
 * `Number.MAX_SAFE_INTEGER` ≈ 9.007 × 10¹⁵, so it takes more than 900 maximal entries on
 * one account (NPR 90 trillion, over ten times Nepal's GDP) before a Money sum could throw.
 * Reads that combine several totals (available credit, utilisation) are computed in BigInt
 * as well, so a statement never fails on arithmetic. The ledger is append-only: a typo
 * cannot be deleted, so it is refused here, before it is written.
 */
export const MAX_LEDGER_AMOUNT = 10_000_000_000_000;

/** `amount` (a payment, note, hold, invoice or limit) within ±MAX_LEDGER_AMOUNT, else VALIDATION.OUT_OF_RANGE. */
export function requireLedgerAmount(amount: Money, field: string): void {
  if (Math.abs(amount.amount) > MAX_LEDGER_AMOUNT) {
    throw new ValidationError(
      `${field} must be at most ${MAX_LEDGER_AMOUNT} minor units`,
      { field, max: MAX_LEDGER_AMOUNT },
      ErrorCodes.OUT_OF_RANGE,
    );
  }
}

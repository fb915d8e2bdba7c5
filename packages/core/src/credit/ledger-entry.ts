import type { Actor } from '../shared/domain-event.js';
import type { LedgerEntryId, OrderId, RetailerId } from '../shared/ids.js';
import type { Money } from '../shared/money.js';

export const LEDGER_ENTRY_TYPES = ['INVOICE', 'PAYMENT', 'ADJUSTMENT', 'HOLD', 'RELEASE'] as const;
export type LedgerEntryType = (typeof LEDGER_ENTRY_TYPES)[number];

/** How much of a credit (payment, credit adjustment, or prepaid balance) settled which debit. */
export interface Allocation {
  readonly debitEntryId: LedgerEntryId;
  readonly amount: Money;
}

/**
 * One append-only line of a retailer's credit ledger.
 * - INVOICE: +amount to the balance, due at `dueAt`.
 * - PAYMENT: −amount, applied oldest debit first (`allocations`).
 * - ADJUSTMENT: signed; positive is a debit note (due at once), negative a credit note.
 * - HOLD / RELEASE: reserve / free credit for an order; they never touch the balance.
 */
export interface LedgerEntry {
  readonly id: LedgerEntryId;
  readonly retailerId: RetailerId;
  /** 1, 2, 3… per account: the order in which entries apply. */
  readonly sequence: number;
  readonly type: LedgerEntryType;
  readonly amount: Money;
  readonly orderId: OrderId | null;
  /** PAYMENT: the payer's reference (unique per retailer, makes payments idempotent). */
  readonly reference: string | null;
  readonly dueAt: Date | null;
  readonly allocations: readonly Allocation[];
  readonly note: string | null;
  readonly actor: Actor;
  readonly createdAt: Date;
}

/** Effect on the balance (what the retailer owes). */
export function balanceEffect(entry: Pick<LedgerEntry, 'type' | 'amount'>): Money {
  switch (entry.type) {
    case 'INVOICE':
    case 'ADJUSTMENT':
      return entry.amount;
    case 'PAYMENT':
      return entry.amount.negate();
    case 'HOLD':
    case 'RELEASE':
      return entry.amount.subtract(entry.amount);
  }
}

/** Effect on the held amount. */
export function holdEffect(entry: Pick<LedgerEntry, 'type' | 'amount'>): Money {
  switch (entry.type) {
    case 'HOLD':
      return entry.amount;
    case 'RELEASE':
      return entry.amount.negate();
    default:
      return entry.amount.subtract(entry.amount);
  }
}

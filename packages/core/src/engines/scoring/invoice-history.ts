import { daysPastDue } from '../../credit/aging.js';
import type { LedgerEntry } from '../../credit/ledger-entry.js';
import { daysBetween } from '../../shared/clock.js';
import type { LedgerEntryId, OrderId } from '../../shared/ids.js';
import type { Money } from '../../shared/money.js';

/**
 * One invoice's payment story, derived from the ledger: what a scorecard and the
 * payment-discipline report need. `daysPastDue` is final for a settled invoice
 * (settled day − due day) and "so far" for an open one (asOf − due day), 0 if not late.
 */
export interface InvoiceRecord {
  readonly entryId: LedgerEntryId;
  readonly orderId: OrderId | null;
  readonly amount: Money;
  readonly remaining: Money;
  readonly issuedAt: Date;
  readonly dueAt: Date;
  /** When the last paisa was allocated to it; null while open. */
  readonly settledAt: Date | null;
  readonly daysPastDue: number;
}

/**
 * Rebuild every invoice's settlement from ledger entries (any order; only entries
 * created at or before `asOf` count). Settlement follows the recorded allocations,
 * so it matches the ledger's oldest-first rule exactly. Debit adjustments are not
 * purchases and are left out; credit notes that settle an invoice count as settlement.
 */
export function invoiceHistoryFromLedger(entries: readonly LedgerEntry[], asOf: Date): InvoiceRecord[] {
  const visible = entries
    .filter((e) => e.createdAt.getTime() <= asOf.getTime())
    .sort((a, b) => a.sequence - b.sequence);
  const invoices = new Map<LedgerEntryId, { entry: LedgerEntry; paid: Money; settledAt: Date | null }>();
  for (const entry of visible) {
    if (entry.type === 'INVOICE') {
      invoices.set(entry.id, { entry, paid: entry.amount.subtract(entry.amount), settledAt: null });
    }
    for (const allocation of entry.allocations) {
      const target = invoices.get(allocation.debitEntryId);
      if (!target || target.settledAt) continue;
      target.paid = target.paid.add(allocation.amount);
      if (target.paid.greaterThanOrEqual(target.entry.amount)) target.settledAt = entry.createdAt;
    }
  }
  return [...invoices.values()].map(({ entry, paid, settledAt }) => {
    const dueAt = entry.dueAt ?? entry.createdAt;
    const remaining = settledAt ? entry.amount.subtract(entry.amount) : entry.amount.subtract(paid);
    return {
      entryId: entry.id,
      orderId: entry.orderId,
      amount: entry.amount,
      remaining,
      issuedAt: entry.createdAt,
      dueAt,
      settledAt,
      daysPastDue: settledAt ? Math.max(0, daysBetween(dueAt, settledAt)) : daysPastDue(dueAt, asOf),
    };
  });
}

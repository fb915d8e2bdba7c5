import type { LedgerEntryId, OrderId } from '../shared/ids.js';
import type { Money } from '../shared/money.js';

/** A debit not yet fully paid (an invoice or a debit adjustment). */
export interface OpenItem {
  readonly entryId: LedgerEntryId;
  readonly orderId: OrderId | null;
  readonly type: 'INVOICE' | 'ADJUSTMENT';
  readonly original: Money;
  readonly remaining: Money;
  readonly issuedAt: Date;
  readonly dueAt: Date;
  readonly sequence: number;
}

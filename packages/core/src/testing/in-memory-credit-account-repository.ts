import { CreditAccount, type CreditAccountState } from '../credit/credit-account.js';
import type { LedgerEntry } from '../credit/ledger-entry.js';
import { ConcurrencyError } from '../shared/errors.js';
import type { RetailerId } from '../shared/ids.js';
import type { OrderSnapshot } from '../order/order.js';
import { decodeCursor, encodeCursor, type Page, pageLimit } from '../ports/pagination.js';
import type {
  CreditAccountRepository,
  LedgerQuery,
  OpenInvoice,
  OpenInvoicesDueQuery,
  ReferencedEntryType,
} from '../ports/repositories.js';
import type { StoreAccess } from './in-memory-store.js';
import { duplicateKey } from './in-memory-store-errors.js';

const ACCOUNTS = 'credit_accounts';
const ENTRIES = 'ledger_entries';
const ORDERS = 'orders';
/** One HOLD, RELEASE and INVOICE per order. */
const ORDER_KEYED: ReadonlySet<string> = new Set(['HOLD', 'RELEASE', 'INVOICE']);

export class InMemoryCreditAccountRepository implements CreditAccountRepository {
  constructor(private readonly db: StoreAccess) {}

  async get(retailerId: RetailerId): Promise<CreditAccount | null> {
    const s = this.db.read().get<CreditAccountState>(ACCOUNTS, retailerId);
    return s ? CreditAccount.restore(s) : null;
  }

  async getMany(retailerIds: readonly RetailerId[]): Promise<CreditAccount[]> {
    const read = this.db.read();
    return [...new Set(retailerIds)].flatMap((id) => {
      const s = read.get<CreditAccountState>(ACCOUNTS, id);
      return s ? [CreditAccount.restore(s)] : [];
    });
  }

  async save(account: CreditAccount): Promise<void> {
    const state = account.snapshot();
    const entries = account.pullNewEntries();
    const version = await this.db.write((tx) => {
      const stored = tx.get<CreditAccountState>(ACCOUNTS, state.retailerId);
      if (state.version === 0 && stored) {
        throw duplicateKey('credit account already exists', 'credit_accounts_pkey', { retailerId: state.retailerId });
      }
      if (state.version !== 0 && (!stored || stored.version !== state.version)) {
        throw new ConcurrencyError('credit account was changed by someone else', { retailerId: state.retailerId });
      }
      const existing = tx.values<LedgerEntry>(ENTRIES).filter((e) => e.retailerId === state.retailerId);
      for (const e of entries) {
        const constraint = ledgerKeyTaken(existing, e);
        if (constraint) throw duplicateKey('ledger entry already recorded', constraint, { type: e.type });
        existing.push(e);
        tx.set(ENTRIES, e.id, e);
      }
      const next = state.version + 1;
      tx.set(ACCOUNTS, state.retailerId, { ...state, version: next });
      return next;
    });
    account.markPersisted(version);
  }

  async listEntries(retailerId: RetailerId, query: LedgerQuery): Promise<LedgerEntry[]> {
    return this.db
      .read()
      .values<LedgerEntry>(ENTRIES)
      .filter(
        (e) =>
          e.retailerId === retailerId &&
          (!query.from || e.createdAt.getTime() >= query.from.getTime()) &&
          (!query.to || e.createdAt.getTime() < query.to.getTime()),
      )
      .sort((a, b) => a.sequence - b.sequence);
  }

  async findByReference(
    retailerId: RetailerId,
    type: ReferencedEntryType,
    reference: string,
  ): Promise<LedgerEntry | null> {
    return (
      this.db
        .read()
        .values<LedgerEntry>(ENTRIES)
        .find((e) => e.retailerId === retailerId && e.type === type && e.reference === reference.trim()) ?? null
    );
  }

  async listOpenInvoicesDue(query: OpenInvoicesDueQuery): Promise<Page<OpenInvoice>> {
    const limit = pageLimit(query.page);
    const after = query.page.cursor ? decodeCursor(query.page.cursor) : null;
    const db = this.db.read();
    const due: OpenInvoice[] = [];
    for (const account of db.values<CreditAccountState>(ACCOUNTS)) {
      for (const item of account.openItems) {
        const at = item.dueAt.getTime();
        if (item.type !== 'INVOICE' || !item.remaining.isPositive()) continue;
        if (!query.windows.some((w) => at >= w.from.getTime() && at < w.to.getTime())) continue;
        if (after && (at < after.at.getTime() || (at === after.at.getTime() && item.entryId <= after.id))) continue;
        const order = item.orderId ? db.get<OrderSnapshot>(ORDERS, item.orderId) : undefined;
        due.push({
          invoiceId: item.entryId,
          retailerId: account.retailerId,
          orderId: item.orderId,
          orderNumber: order?.number ?? null,
          original: item.original,
          unpaid: item.remaining,
          dueAt: item.dueAt,
        });
      }
    }
    due.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || (a.invoiceId < b.invoiceId ? -1 : 1));
    const items = due.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: due.length > limit && last ? encodeCursor({ at: last.dueAt, id: last.invoiceId }) : null,
    };
  }
}

/** The ledger's unique keys (as in PostgreSQL); the name of the one `entry` would break, if any. */
function ledgerKeyTaken(existing: readonly LedgerEntry[], entry: LedgerEntry): string | null {
  for (const x of existing) {
    if (x.sequence === entry.sequence) return 'ledger_entries_retailer_sequence_key';
    if (entry.orderId !== null && x.orderId === entry.orderId && x.type === entry.type && ORDER_KEYED.has(entry.type)) {
      return 'ledger_entries_order_type_key';
    }
    if (entry.reference !== null && x.type === entry.type && x.reference === entry.reference) {
      return 'ledger_entries_reference_key';
    }
  }
  return null;
}

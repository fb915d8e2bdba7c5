import { CreditAccount, type CreditAccountState } from '../credit/credit-account.js';
import type { LedgerEntry } from '../credit/ledger-entry.js';
import { ConcurrencyError } from '../shared/errors.js';
import type { RetailerId } from '../shared/ids.js';
import type { CreditAccountRepository, LedgerQuery, ReferencedEntryType } from '../ports/repositories.js';
import type { StoreAccess } from './in-memory-store.js';
import { duplicateKey } from './in-memory-store-errors.js';

const ACCOUNTS = 'credit_accounts';
const ENTRIES = 'ledger_entries';
/** One HOLD, RELEASE and INVOICE per order. */
const ORDER_KEYED: ReadonlySet<string> = new Set(['HOLD', 'RELEASE', 'INVOICE']);

export class InMemoryCreditAccountRepository implements CreditAccountRepository {
  constructor(private readonly db: StoreAccess) {}

  async get(retailerId: RetailerId): Promise<CreditAccount | null> {
    const s = this.db.read().get<CreditAccountState>(ACCOUNTS, retailerId);
    return s ? CreditAccount.restore(s) : null;
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

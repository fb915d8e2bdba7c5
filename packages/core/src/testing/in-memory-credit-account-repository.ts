import { CreditAccount, type CreditAccountState } from '../credit/credit-account.js';
import type { LedgerEntry } from '../credit/ledger-entry.js';
import { ConcurrencyError, ConflictError, ErrorCodes } from '../shared/errors.js';
import type { RetailerId } from '../shared/ids.js';
import type { CreditAccountRepository, LedgerQuery, ReferencedEntryType } from '../ports/repositories.js';
import type { StoreAccess } from './in-memory-store.js';

const ACCOUNTS = 'credit_accounts';
const ENTRIES = 'ledger_entries';

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
        throw new ConflictError('credit account already exists', { retailerId: state.retailerId });
      }
      if (state.version !== 0 && (!stored || stored.version !== state.version)) {
        throw new ConcurrencyError('credit account was changed by someone else', { retailerId: state.retailerId });
      }
      const existing = tx.values<LedgerEntry>(ENTRIES).filter((e) => e.retailerId === state.retailerId);
      for (const e of entries) {
        const clash = existing.find(
          (x) =>
            (e.orderId !== null &&
              x.orderId === e.orderId &&
              x.type === e.type &&
              ['HOLD', 'RELEASE', 'INVOICE'].includes(e.type)) ||
            (e.reference !== null && x.type === e.type && x.reference === e.reference) ||
            x.sequence === e.sequence,
        );
        if (clash) {
          throw new ConflictError('ledger entry already recorded', { type: e.type }, ErrorCodes.CREDIT_DUPLICATE_ENTRY);
        }
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

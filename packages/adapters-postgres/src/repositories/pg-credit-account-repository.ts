import {
  ConcurrencyError,
  type CreditAccount,
  type CreditAccountRepository,
  type CreditAccountState,
  type LedgerEntry,
  decodeCursor,
  encodeCursor,
  type LedgerEntryId,
  type LedgerQuery,
  type OpenInvoice,
  type OpenInvoicesDueQuery,
  type OrderId,
  type Page,
  pageLimit,
  type ReferencedEntryType,
  type RetailerId,
} from '@khaacho/core';
import { jsonParam, textOrNull, toDate, toMoney } from '../sql/row-values.js';
import type { SqlSession } from '../sql/sql-session.js';
import { ACCOUNT_COLUMNS, type AccountRow, type EntryRow, toAccount, toEntry } from './credit-rows.js';
import { prepared } from '../sql/prepared-statements.js';

const BY_RETAILER = prepared(`select ${ACCOUNT_COLUMNS} from credit_accounts a where a.retailer_id = $1`);

export class PgCreditAccountRepository implements CreditAccountRepository {
  constructor(private readonly db: SqlSession) {}

  async get(retailerId: RetailerId): Promise<CreditAccount | null> {
    const [row] = await this.db.rows<AccountRow>(BY_RETAILER, [retailerId]);
    return row ? toAccount(row) : null;
  }

  async getMany(retailerIds: readonly RetailerId[]): Promise<CreditAccount[]> {
    if (retailerIds.length === 0) return [];
    const rows = await this.db.rows<AccountRow>(
      `select ${ACCOUNT_COLUMNS} from credit_accounts a where a.retailer_id = any($1::uuid[])`,
      [[...new Set(retailerIds)]],
    );
    return rows.map(toAccount);
  }

  /**
   * Lock the account row until the transaction ends (SELECT … FOR UPDATE), then read it.
   * Two statements on purpose: under READ COMMITTED a statement that waited for the lock
   * sees the locked row's newest version but its subqueries (open items, holds) keep the
   * snapshot taken before the wait; the second statement takes a fresh snapshot.
   */
  async getForUpdate(retailerId: RetailerId): Promise<CreditAccount | null> {
    const locked = await this.db.rows('select 1 from credit_accounts where retailer_id = $1 for update', [retailerId]);
    return locked.length === 0 ? null : this.get(retailerId);
  }

  async save(account: CreditAccount): Promise<void> {
    const s = account.snapshot();
    const entries = account.pullNewEntries();
    await this.db.atomic(async (tx) => {
      if (s.version === 0) await insertAccount(tx, s);
      else await updateAccount(tx, s);
      // Unique keys refuse a second HOLD/RELEASE/INVOICE per order or PAYMENT per reference.
      await appendEntries(tx, entries);
      await rewriteProjection(tx, s);
    });
    account.markPersisted(s.version + 1);
  }

  async listEntries(retailerId: RetailerId, query: LedgerQuery): Promise<LedgerEntry[]> {
    const rows = await this.db.rows<EntryRow>(
      `select * from ledger_entries where retailer_id = $1
         and ($2::timestamptz is null or created_at >= $2) and ($3::timestamptz is null or created_at < $3)
       order by sequence`,
      [retailerId, query.from ?? null, query.to ?? null],
    );
    return rows.map(toEntry);
  }

  async findByReference(
    retailerId: RetailerId,
    type: ReferencedEntryType,
    reference: string,
  ): Promise<LedgerEntry | null> {
    const [row] = await this.db.rows<EntryRow>(
      `select * from ledger_entries where retailer_id = $1 and type = $2 and reference = $3`,
      [retailerId, type, reference.trim()],
    );
    return row ? toEntry(row) : null;
  }

  /**
   * One bounded range scan per window on `credit_open_items_invoice_due_idx` (due_at, entry_id
   * where type = 'INVOICE'), each at most a page long, merged in keyset order. A single scan
   * with the windows as a filter would walk every open invoice due before the first window.
   */
  async listOpenInvoicesDue(query: OpenInvoicesDueQuery): Promise<Page<OpenInvoice>> {
    const limit = pageLimit(query.page);
    const after = query.page.cursor ? decodeCursor(query.page.cursor) : null;
    const rows = await this.db.rows<OpenInvoiceRow>(
      `select i.entry_id, i.retailer_id, i.order_id, o.number as order_number, i.original, i.remaining, i.due_at,
         a.currency
       from (
         select c.* from unnest($1::timestamptz[], $2::timestamptz[]) as w(lo, hi)
         cross join lateral (
           select x.* from credit_open_items x
           where x.type = 'INVOICE' and x.due_at >= w.lo and x.due_at < w.hi and x.remaining > 0
             and ($3::timestamptz is null or (x.due_at, x.entry_id) > ($3, $4::uuid))
           order by x.due_at, x.entry_id
           limit $5) as c
         order by c.due_at, c.entry_id
         limit $5) as i
       join credit_accounts a on a.retailer_id = i.retailer_id
       left join orders o on o.id = i.order_id
       order by i.due_at, i.entry_id`,
      [
        query.windows.map((w) => w.from),
        query.windows.map((w) => w.to),
        after?.at ?? null,
        after?.id ?? null,
        limit + 1,
      ],
    );
    const items = rows.slice(0, limit).map(toOpenInvoice);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeCursor({ at: last.dueAt, id: last.invoiceId }) : null,
    };
  }
}

interface OpenInvoiceRow {
  entry_id: string;
  retailer_id: string;
  order_id: string | null;
  order_number: string | null;
  original: unknown;
  remaining: unknown;
  due_at: unknown;
  currency: string;
}

function toOpenInvoice(row: OpenInvoiceRow): OpenInvoice {
  return {
    invoiceId: row.entry_id as LedgerEntryId,
    retailerId: row.retailer_id as RetailerId,
    orderId: row.order_id as OrderId | null,
    orderNumber: textOrNull(row.order_number),
    original: toMoney(row.original, row.currency),
    unpaid: toMoney(row.remaining, row.currency),
    dueAt: toDate(row.due_at),
  };
}

function accountValues(s: CreditAccountState): unknown[] {
  return [
    s.retailerId,
    s.currency,
    s.creditLimit.amount,
    s.netTermsDays,
    s.balance.amount,
    s.held.amount,
    s.unappliedCredit.amount,
    s.lastSequence,
    s.createdAt,
    s.updatedAt,
    s.limitSetManually,
  ];
}

async function insertAccount(tx: SqlSession, s: CreditAccountState): Promise<void> {
  await tx.run(
    `insert into credit_accounts (retailer_id, currency, credit_limit, net_terms_days, balance, held, unapplied_credit,
       last_sequence, created_at, updated_at, limit_set_manually, version)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1)`,
    accountValues(s),
  );
}

async function updateAccount(tx: SqlSession, s: CreditAccountState): Promise<void> {
  const updated = await tx.run(
    `update credit_accounts set currency = $2, credit_limit = $3, net_terms_days = $4, balance = $5, held = $6,
       unapplied_credit = $7, last_sequence = $8, created_at = $9, updated_at = $10, limit_set_manually = $11,
       version = version + 1
     where retailer_id = $1 and version = $12`,
    [...accountValues(s), s.version],
  );
  if (updated === 0) {
    throw new ConcurrencyError('credit account was changed by someone else', {
      retailerId: s.retailerId,
      expected: s.version,
    });
  }
}

async function appendEntries(tx: SqlSession, entries: readonly LedgerEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.run(
    `insert into ledger_entries (id, retailer_id, sequence, type, amount, currency, order_id, reference, due_at,
       allocations, note, actor_type, actor_id, created_at)
     select * from unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::bigint[], $6::text[], $7::uuid[],
       $8::text[], $9::timestamptz[], $10::jsonb[], $11::text[], $12::text[], $13::text[], $14::timestamptz[])`,
    [
      entries.map((e) => e.id),
      entries.map((e) => e.retailerId),
      entries.map((e) => e.sequence),
      entries.map((e) => e.type),
      entries.map((e) => e.amount.amount),
      entries.map((e) => e.amount.currency),
      entries.map((e) => e.orderId),
      entries.map((e) => e.reference),
      entries.map((e) => e.dueAt),
      entries.map((e) =>
        jsonParam(e.allocations.map((a) => ({ debitEntryId: a.debitEntryId, amount: a.amount.amount }))),
      ),
      entries.map((e) => e.note),
      entries.map((e) => e.actor.type),
      entries.map((e) => e.actor.id),
      entries.map((e) => e.createdAt),
    ],
  );
}

/** Open items and holds are a projection: replace them with the aggregate's current view. */
async function rewriteProjection(tx: SqlSession, s: CreditAccountState): Promise<void> {
  await tx.run('delete from credit_open_items where retailer_id = $1', [s.retailerId]);
  await tx.run('delete from credit_holds where retailer_id = $1', [s.retailerId]);
  const items = s.openItems;
  if (items.length > 0) {
    await tx.run(
      `insert into credit_open_items (entry_id, retailer_id, order_id, type, original, remaining, issued_at, due_at, sequence)
       select t.entry_id, $1, t.order_id, t.type, t.original, t.remaining, t.issued_at, t.due_at, t.sequence
       from unnest($2::uuid[], $3::uuid[], $4::text[], $5::bigint[], $6::bigint[], $7::timestamptz[],
         $8::timestamptz[], $9::int[]) as t(entry_id, order_id, type, original, remaining, issued_at, due_at, sequence)`,
      [
        s.retailerId,
        items.map((i) => i.entryId),
        items.map((i) => i.orderId),
        items.map((i) => i.type),
        items.map((i) => i.original.amount),
        items.map((i) => i.remaining.amount),
        items.map((i) => i.issuedAt),
        items.map((i) => i.dueAt),
        items.map((i) => i.sequence),
      ],
    );
  }
  if (s.holds.length > 0) {
    await tx.run(
      `insert into credit_holds (entry_id, retailer_id, order_id, amount, placed_at, sequence)
       select t.entry_id, $1, t.order_id, t.amount, t.placed_at, l.sequence
       from unnest($2::uuid[], $3::uuid[], $4::bigint[], $5::timestamptz[]) as t(entry_id, order_id, amount, placed_at)
       join ledger_entries l on l.id = t.entry_id`,
      [
        s.retailerId,
        s.holds.map((h) => h.entryId),
        s.holds.map((h) => h.orderId),
        s.holds.map((h) => h.amount.amount),
        s.holds.map((h) => h.placedAt),
      ],
    );
  }
}

import {
  type ActiveHold,
  type Actor,
  CreditAccount,
  type CreditAccountState,
  type LedgerEntry,
  type LedgerEntryId,
  type LedgerEntryType,
  type OpenItem,
  type OrderId,
  type RetailerId,
} from '@khaacho/core';
import { textOrNull, toDate, toDateOrNull, toMoney, toSafeInt } from '../sql/row-values.js';

/** The account row with its projection (open items, holds) in sequence order. */
export const ACCOUNT_COLUMNS = `a.*,
    (select json_agg(json_build_object('entryId', i.entry_id, 'orderId', i.order_id, 'type', i.type,
        'original', i.original, 'remaining', i.remaining, 'issuedAt', i.issued_at, 'dueAt', i.due_at,
        'sequence', i.sequence) order by i.sequence)
      from credit_open_items i where i.retailer_id = a.retailer_id) as open_items,
    (select json_agg(json_build_object('entryId', h.entry_id, 'orderId', h.order_id, 'amount', h.amount,
        'placedAt', h.placed_at) order by h.sequence)
      from credit_holds h where h.retailer_id = a.retailer_id) as holds`;

export interface AccountRow {
  retailer_id: string;
  currency: string;
  credit_limit: unknown;
  limit_set_manually: boolean;
  net_terms_days: number;
  balance: unknown;
  held: unknown;
  unapplied_credit: unknown;
  last_sequence: number;
  version: number;
  created_at: unknown;
  updated_at: unknown;
  open_items: OpenItemJson[] | null;
  holds: HoldJson[] | null;
}

interface OpenItemJson {
  entryId: string;
  orderId: string | null;
  type: OpenItem['type'];
  original: number;
  remaining: number;
  issuedAt: string;
  dueAt: string;
  sequence: number;
}

interface HoldJson {
  entryId: string;
  orderId: string;
  amount: number;
  placedAt: string;
}

export function toAccount(row: AccountRow): CreditAccount {
  const c = row.currency;
  const state: CreditAccountState = {
    retailerId: row.retailer_id as RetailerId,
    currency: c,
    creditLimit: toMoney(row.credit_limit, c),
    limitSetManually: row.limit_set_manually,
    netTermsDays: row.net_terms_days,
    createdAt: toDate(row.created_at),
    balance: toMoney(row.balance, c),
    held: toMoney(row.held, c),
    unappliedCredit: toMoney(row.unapplied_credit, c),
    openItems: (row.open_items ?? []).map(
      (i): OpenItem => ({
        entryId: i.entryId as LedgerEntryId,
        orderId: i.orderId as OrderId | null,
        type: i.type,
        original: toMoney(i.original, c),
        remaining: toMoney(i.remaining, c),
        issuedAt: toDate(i.issuedAt),
        dueAt: toDate(i.dueAt),
        sequence: i.sequence,
      }),
    ),
    holds: (row.holds ?? []).map(
      (h): ActiveHold => ({
        orderId: h.orderId as OrderId,
        entryId: h.entryId as LedgerEntryId,
        amount: toMoney(h.amount, c),
        placedAt: toDate(h.placedAt),
      }),
    ),
    lastSequence: row.last_sequence,
    version: row.version,
    updatedAt: toDate(row.updated_at),
  };
  return CreditAccount.restore(state);
}

export interface EntryRow {
  id: string;
  retailer_id: string;
  sequence: number;
  type: string;
  amount: unknown;
  currency: string;
  order_id: string | null;
  reference: string | null;
  due_at: unknown;
  allocations: { debitEntryId: string; amount: number }[];
  note: string | null;
  actor_type: Actor['type'];
  actor_id: string | null;
  created_at: unknown;
}

export function toEntry(row: EntryRow): LedgerEntry {
  return {
    id: row.id as LedgerEntryId,
    retailerId: row.retailer_id as RetailerId,
    sequence: row.sequence,
    type: row.type as LedgerEntryType,
    amount: toMoney(row.amount, row.currency),
    orderId: row.order_id as OrderId | null,
    reference: textOrNull(row.reference),
    dueAt: toDateOrNull(row.due_at),
    allocations: row.allocations.map((a) => ({
      debitEntryId: a.debitEntryId as LedgerEntryId,
      amount: toMoney(toSafeInt(a.amount), row.currency),
    })),
    note: row.note,
    actor: { type: row.actor_type, id: row.actor_id },
    createdAt: toDate(row.created_at),
  };
}

import { defineEntity, p } from '@mikro-orm/core';
import { LEDGER_ENTRY_TYPES } from '@khaacho/core';
import { RetailerEntity } from './party-entities.js';

const ACTOR_TYPES = ['system', 'retailer', 'vendor', 'operator', 'admin'] as const;

/** The account header plus the projection of its ledger (balance, held, unapplied credit). */
export const CreditAccountEntity = defineEntity({
  name: 'CreditAccount',
  tableName: 'credit_accounts',
  properties: {
    retailer: () => p.oneToOne(RetailerEntity).primary().owner(),
    currency: p.string().length(3),
    creditLimit: p.bigint('number'),
    /** Set by an operator or admin: scoring recommends but does not overwrite it. */
    limitSetManually: p.boolean(),
    netTermsDays: p.smallint(),
    balance: p.bigint('number'),
    held: p.bigint('number'),
    unappliedCredit: p.bigint('number'),
    lastSequence: p.integer(),
    version: p.integer(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

/** Append-only: rows are inserted, never updated or deleted (a trigger refuses both). */
export const LedgerEntryEntity = defineEntity({
  name: 'LedgerEntry',
  tableName: 'ledger_entries',
  properties: {
    id: p.uuid().primary(),
    account: () => p.manyToOne(CreditAccountEntity).fieldName('retailer_id'),
    sequence: p.integer(),
    type: p.enum(LEDGER_ENTRY_TYPES),
    amount: p.bigint('number'),
    currency: p.string().length(3),
    orderId: p.uuid().nullable(),
    reference: p.text().nullable(),
    dueAt: p.datetime().nullable(),
    /** [{ debitEntryId, amount }] in the entry's currency. */
    allocations: p.json<unknown>(),
    note: p.text().nullable(),
    actorType: p.enum(ACTOR_TYPES),
    actorId: p.text().nullable(),
    createdAt: p.datetime(),
  },
  checks: [{ name: 'ledger_entries_note_length_check', expression: 'char_length("note") <= 1000' }],
  uniques: [
    { name: 'ledger_entries_retailer_sequence_key', properties: ['account', 'sequence'] },
    // One hold, one release and one invoice per order; one payment or adjustment per (retailer, type, reference).
    {
      name: 'ledger_entries_order_type_key',
      properties: ['orderId', 'type'],
      where: "type in ('HOLD', 'RELEASE', 'INVOICE')",
    },
    {
      name: 'ledger_entries_reference_key',
      properties: ['account', 'type', 'reference'],
      where: "type in ('PAYMENT', 'ADJUSTMENT')",
    },
  ],
  indexes: [{ name: 'ledger_entries_retailer_created_idx', properties: ['account', 'createdAt'] }],
  triggers: [
    {
      name: 'ledger_entries_append_only',
      timing: 'before',
      events: ['update', 'delete'],
      forEach: 'row',
      body: "raise exception 'ledger_entries is append-only (% refused)', tg_op using errcode = '55000';",
    },
  ],
});

/** Projection: debits not yet fully paid. Rewritten with the account on every save. */
export const CreditOpenItemEntity = defineEntity({
  name: 'CreditOpenItem',
  tableName: 'credit_open_items',
  properties: {
    entry: () => p.oneToOne(LedgerEntryEntity).primary().owner(),
    account: () => p.manyToOne(CreditAccountEntity).fieldName('retailer_id').deleteRule('cascade'),
    orderId: p.uuid().nullable(),
    type: p.enum(['INVOICE', 'ADJUSTMENT'] as const),
    original: p.bigint('number'),
    remaining: p.bigint('number'),
    issuedAt: p.datetime(),
    dueAt: p.datetime(),
    sequence: p.integer(),
  },
  // Aging and overdue scans (reminders, overdue-block rule) go by due date.
  indexes: [
    { name: 'credit_open_items_retailer_seq_idx', properties: ['account', 'sequence'] },
    { name: 'credit_open_items_due_at_idx', properties: ['dueAt'] },
    // Payment reminders page through one Nepali day of due invoices in (due_at, entry_id) order.
    { name: 'credit_open_items_invoice_due_idx', properties: ['dueAt', 'entry'], where: "type = 'INVOICE'" },
  ],
});

/** Projection: active credit holds (one per confirmed, undelivered order). */
export const CreditHoldEntity = defineEntity({
  name: 'CreditHold',
  tableName: 'credit_holds',
  properties: {
    entry: () => p.oneToOne(LedgerEntryEntity).primary().owner(),
    account: () => p.manyToOne(CreditAccountEntity).fieldName('retailer_id').deleteRule('cascade'),
    orderId: p.uuid(),
    amount: p.bigint('number'),
    placedAt: p.datetime(),
    sequence: p.integer(),
  },
  uniques: [{ name: 'credit_holds_order_key', properties: ['orderId'] }],
  indexes: [{ name: 'credit_holds_retailer_seq_idx', properties: ['account', 'sequence'] }],
});

/** Every score calculation with its inputs and factor contributions (in `record`): explainable, auditable. */
export const CreditScoreHistoryEntity = defineEntity({
  name: 'CreditScoreHistory',
  tableName: 'credit_score_history',
  properties: {
    id: p.uuid().primary(),
    /** Ties on calculated_at go to the later append. */
    seq: p.bigint('number').autoincrement().unique('credit_score_history_seq_key'),
    retailerId: p.uuid(),
    score: p.smallint(),
    band: p.text(),
    recommendedLimit: p.bigint('number'),
    currency: p.string().length(3),
    limitRule: p.text(),
    trigger: p.text(),
    calculatedAt: p.datetime(),
    record: p.json<unknown>(),
  },
  indexes: [{ name: 'credit_score_history_retailer_at_idx', properties: ['retailerId', 'calculatedAt', 'seq'] }],
});

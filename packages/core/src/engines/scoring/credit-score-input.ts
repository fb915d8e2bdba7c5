import type { CreditAccountState } from '../../credit/credit-account.js';
import type { LedgerEntry } from '../../credit/ledger-entry.js';
import type { OrderSnapshot } from '../../order/order.js';
import type { RetailerId } from '../../shared/ids.js';
import type { CurrencyCode, Money } from '../../shared/money.js';
import { type InvoiceRecord, invoiceHistoryFromLedger } from './invoice-history.js';
import { type OrderHistorySummary, summariseOrderHistory } from './order-history-summary.js';

/**
 * Everything the scorecard reads, as plain data. A use case gathers it from the
 * credit account (limit, balance, holds), its ledger (→ invoices) and the retailer's
 * orders (→ summary); the whole input is stored with the result for audit.
 */
export interface CreditScoreInput {
  readonly retailerId: RetailerId;
  readonly asOf: Date;
  readonly currency: CurrencyCode;
  readonly creditLimit: Money;
  /** What the retailer owes now (the account balance). */
  readonly outstanding: Money;
  /** Credit reserved for confirmed, undelivered orders. */
  readonly held: Money;
  /** Start of tenure: when the retailer (or its account) was created. */
  readonly accountOpenedAt: Date;
  readonly invoices: readonly InvoiceRecord[];
  readonly orders: OrderHistorySummary;
}

export interface CreditScoreSources {
  readonly account: CreditAccountState;
  readonly entries: readonly LedgerEntry[];
  readonly orders: readonly OrderSnapshot[];
  readonly asOf: Date;
  /** Defaults to the account's creation; pass the retailer's createdAt if it is earlier. */
  readonly accountOpenedAt?: Date;
}

/** Build the scorecard input from domain objects. */
export function buildCreditScoreInput(sources: CreditScoreSources): CreditScoreInput {
  const { account, asOf } = sources;
  return {
    retailerId: account.retailerId,
    asOf,
    currency: account.currency,
    creditLimit: account.creditLimit,
    outstanding: account.balance,
    held: account.held,
    accountOpenedAt: sources.accountOpenedAt ?? account.createdAt,
    invoices: invoiceHistoryFromLedger(sources.entries, asOf),
    orders: summariseOrderHistory(sources.orders, asOf),
  };
}

import type { LedgerEntry } from '../../credit/ledger-entry.js';
import { daysBetween } from '../../shared/clock.js';
import type { RetailerId } from '../../shared/ids.js';
import { type InvoiceRecord, invoiceHistoryFromLedger } from '../scoring/invoice-history.js';
import { compareStrings, mean, roundTo } from '../shared/stats.js';
import { inPeriod, type ReportPeriod } from './report-period.js';

export interface PaymentDisciplineRow {
  readonly retailerId: RetailerId;
  readonly invoiceCount: number;
  readonly settledCount: number;
  readonly openCount: number;
  /** Invoices not (or not yet) late / all invoices; null without invoices. */
  readonly onTimeRatio: number | null;
  /** The same weighted by invoice value. */
  readonly onTimeValueRatio: number | null;
  /** Mean days from invoice to full settlement, settled invoices only. */
  readonly averageDaysToPay: number | null;
  /** Mean days past due over all invoices (open ones: so far). */
  readonly averageDaysPastDue: number | null;
  readonly maxDaysPastDue: number;
  /** Worst lateness among invoices still open. */
  readonly openMaxDaysPastDue: number;
}

/**
 * Payment discipline per retailer for invoices issued in the period, from the ledger
 * (settlement follows recorded allocations, i.e. oldest invoice first). Ordered by retailer id.
 */
export function paymentDisciplineReport(
  entries: readonly LedgerEntry[],
  period: ReportPeriod,
  asOf: Date,
): PaymentDisciplineRow[] {
  const byRetailer = new Map<RetailerId, LedgerEntry[]>();
  for (const e of entries) byRetailer.set(e.retailerId, [...(byRetailer.get(e.retailerId) ?? []), e]);
  return [...byRetailer.keys()].sort(compareStrings).map((retailerId) => {
    const invoices = invoiceHistoryFromLedger(byRetailer.get(retailerId) ?? [], asOf).filter((i) =>
      inPeriod(i.issuedAt, period),
    );
    return disciplineRow(retailerId, invoices);
  });
}

function disciplineRow(retailerId: RetailerId, invoices: readonly InvoiceRecord[]): PaymentDisciplineRow {
  const settled = invoices.filter((i) => i.settledAt !== null);
  const open = invoices.filter((i) => i.settledAt === null);
  const onTime = invoices.filter((i) => i.daysPastDue === 0);
  const value = invoices.reduce((a, i) => a + i.amount.amount, 0);
  const onTimeValue = onTime.reduce((a, i) => a + i.amount.amount, 0);
  const toPay = mean(settled.map((i) => daysBetween(i.issuedAt, i.settledAt as Date)));
  const dpd = mean(invoices.map((i) => i.daysPastDue));
  return {
    retailerId,
    invoiceCount: invoices.length,
    settledCount: settled.length,
    openCount: open.length,
    onTimeRatio: invoices.length > 0 ? roundTo(onTime.length / invoices.length) : null,
    onTimeValueRatio: value > 0 ? roundTo(onTimeValue / value) : null,
    averageDaysToPay: toPay === null ? null : roundTo(toPay, 2),
    averageDaysPastDue: dpd === null ? null : roundTo(dpd, 2),
    maxDaysPastDue: invoices.reduce((m, i) => Math.max(m, i.daysPastDue), 0),
    openMaxDaysPastDue: open.reduce((m, i) => Math.max(m, i.daysPastDue), 0),
  };
}

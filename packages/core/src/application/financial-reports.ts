import type { CreditAccountState } from '../credit/credit-account.js';
import {
  type CreditSummaryRow,
  creditSummaryReport,
  type LatestScore,
} from '../engines/reports/credit-summary-report.js';
import { type DashboardReport, dashboardReport } from '../engines/reports/dashboard-report.js';
import {
  type LiabilityRow,
  type OutstandingLiabilityReport,
  outstandingLiabilityReport,
} from '../engines/reports/outstanding-liability-report.js';
import { type PaymentDisciplineRow, paymentDisciplineReport } from '../engines/reports/payment-discipline-report.js';
import {
  type PurchaseVolumeGrouping,
  type PurchaseVolumeRow,
  purchaseVolumeReport,
} from '../engines/reports/purchase-volume-report.js';
import { GMV_STATUSES, type ReportPeriod, reportPeriod } from '../engines/reports/report-period.js';
import { type SalesTrendRow, salesTrendReport, type TrendGranularity } from '../engines/reports/sales-trend-report.js';
import type { OrderSnapshot } from '../order/order.js';
import { type Page, type PageRequest, pageLimit } from '../ports/pagination.js';
import type { OrderFilter } from '../ports/repositories.js';
import { ErrorCodes, ValidationError } from '../shared/errors.js';
import type { RetailerId } from '../shared/ids.js';
import { DEFAULT_CURRENCY, Money } from '../shared/money.js';
import type { Unit } from '../shared/quantity.js';
import { checkCommand, checkId } from './command-checks.js';
import type { CreditBand } from '../engines/scoring/scoring-config.js';
import type { UseCaseContext } from './context.js';
import { required } from './errors.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

/*
 * Financial reports over the stores: core's pure report engines fed page by page, so an
 * export never holds every account, entry or order at once. Per-account reports page over
 * retailers (newest first, the retailer cursor); order reports read the orders of the period
 * in pages and fold each page into the running totals (memory: one page + one row per group).
 */

/** Orders are read in pages of this size when a report folds the orders of a period. */
const ORDER_PAGE = 200;
/** A period longer than this is refused: reports over it would read years of orders per request. */
const MAX_PERIOD_DAYS = 400;

export interface AccountReportQuery {
  /** One retailer only (what a retailer may see); otherwise every retailer, a page at a time. */
  readonly retailerId?: RetailerId;
  readonly page: PageRequest;
}

async function accountPage(
  ctx: UseCaseContext,
  query: AccountReportQuery,
): Promise<{ accounts: CreditAccountState[]; nextCursor: string | null }> {
  if (query.retailerId !== undefined) {
    const account = required(await ctx.repos.credit.get(query.retailerId), 'credit account', query.retailerId);
    return { accounts: [account.snapshot()], nextCursor: null };
  }
  const page = await ctx.repos.retailers.list(query.page);
  const accounts: CreditAccountState[] = [];
  for (const r of page.items) {
    const account = await ctx.repos.credit.get(r.id);
    if (account) accounts.push(account.snapshot());
  }
  return { accounts, nextCursor: page.nextCursor };
}

function checkAccountQuery(query: AccountReportQuery): void {
  checkCommand(query);
  if (query.retailerId !== undefined) checkId<RetailerId>(query.retailerId, 'retailerId');
  pageLimit(query.page);
}

function checkPeriod(from: unknown, to: unknown): ReportPeriod {
  if (!(from instanceof Date) || !(to instanceof Date)) {
    throw new ValidationError('from and to must be dates', { field: 'from' }, ErrorCodes.INVALID_COMMAND);
  }
  const period = reportPeriod(from, to);
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000) {
    throw new ValidationError(
      `a report period spans at most ${MAX_PERIOD_DAYS} days`,
      { field: 'to' },
      ErrorCodes.OUT_OF_RANGE,
    );
  }
  return period;
}

/** Credit position per account (limit, use, aging, latest score), a page of retailers at a time. */
export class ExportCreditSummary {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(
    query: AccountReportQuery,
  ): Promise<Outcome<Page<CreditSummaryRow> & { asOf: Date }, FailureCode<typeof ExportCreditSummary>>> {
    checkAccountQuery(query);
    return runUseCase(ExportCreditSummary.failures, async () => {
      const asOf = this.ctx.clock.now();
      const { accounts, nextCursor } = await accountPage(this.ctx, query);
      const records = await this.ctx.repos.creditScores.latestForRetailers(accounts.map((a) => a.retailerId));
      const scores = new Map<RetailerId, LatestScore>(
        records.map((r) => [r.retailerId, { score: r.score, band: r.band }]),
      );
      return { asOf, items: creditSummaryReport(accounts, scores, asOf), nextCursor };
    });
  }
}

/** Receivables by aging bucket per account with open debits, a page of retailers at a time. */
export class ExportOutstandingLiability {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(
    query: AccountReportQuery,
  ): Promise<Outcome<Page<LiabilityRow> & { asOf: Date }, FailureCode<typeof ExportOutstandingLiability>>> {
    checkAccountQuery(query);
    return runUseCase(ExportOutstandingLiability.failures, async () => {
      const asOf = this.ctx.clock.now();
      const { accounts, nextCursor } = await accountPage(this.ctx, query);
      return { asOf, items: outstandingLiabilityReport(accounts, asOf, DEFAULT_CURRENCY).rows, nextCursor };
    });
  }
}

export interface PaymentDisciplineQuery extends AccountReportQuery {
  readonly from: Date;
  readonly to: Date;
}

/** Payment discipline of invoices issued in [from, to), per retailer, a page of retailers at a time. */
export class ExportPaymentDiscipline {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(
    query: PaymentDisciplineQuery,
  ): Promise<Outcome<Page<PaymentDisciplineRow> & { asOf: Date }, FailureCode<typeof ExportPaymentDiscipline>>> {
    checkAccountQuery(query);
    const period = checkPeriod(query.from, query.to);
    return runUseCase(ExportPaymentDiscipline.failures, async () => {
      const asOf = this.ctx.clock.now();
      const { accounts, nextCursor } = await accountPage(this.ctx, query);
      const items: PaymentDisciplineRow[] = [];
      for (const a of accounts) {
        // Settlement of an invoice issued in the period may be recorded after it: read to now.
        const entries = await this.ctx.repos.credit.listEntries(a.retailerId, {});
        items.push(...paymentDisciplineReport(entries, period, asOf));
      }
      return { asOf, items, nextCursor };
    });
  }
}

/** Folds the GMV orders of a period, page by page, through `visit`. */
async function forEachOrderPage(
  ctx: UseCaseContext,
  period: ReportPeriod,
  retailerId: RetailerId | undefined,
  statuses: OrderFilter['statuses'],
  visit: (orders: OrderSnapshot[]) => void,
): Promise<void> {
  const filter: OrderFilter = {
    placedFrom: period.from,
    placedTo: period.to,
    ...(statuses ? { statuses } : {}),
    ...(retailerId ? { retailerId } : {}),
  };
  let cursor: string | null = null;
  do {
    const page = await ctx.repos.orders.list(filter, { cursor, limit: ORDER_PAGE });
    visit(page.items.map((o) => o.snapshot()));
    cursor = page.nextCursor;
  } while (cursor !== null);
}

export interface PurchaseVolumeQuery {
  readonly from: Date;
  readonly to: Date;
  readonly groupBy: PurchaseVolumeGrouping;
  readonly retailerId?: RetailerId;
}

/**
 * Purchase volume of the period grouped by retailer, vendor or product: the report engine
 * per page of orders, merged (an order is on one page only, so counts add up).
 */
export class ExportPurchaseVolume {
  static readonly failures = [] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(
    query: PurchaseVolumeQuery,
  ): Promise<Outcome<PurchaseVolumeRow[], FailureCode<typeof ExportPurchaseVolume>>> {
    checkCommand(query);
    const period = checkPeriod(query.from, query.to);
    if (!['retailer', 'vendor', 'product'].includes(query.groupBy)) {
      throw new ValidationError(
        'groupBy must be retailer, vendor or product',
        { field: 'groupBy' },
        ErrorCodes.INVALID_COMMAND,
      );
    }
    if (query.retailerId !== undefined) checkId<RetailerId>(query.retailerId, 'retailerId');
    return runUseCase(ExportPurchaseVolume.failures, async () => {
      const groups = new Map<string, { row: PurchaseVolumeRow; quantities: Map<Unit, number> }>();
      await forEachOrderPage(this.ctx, period, query.retailerId, GMV_STATUSES, (orders) => {
        for (const r of purchaseVolumeReport(orders, period, query.groupBy, DEFAULT_CURRENCY)) {
          const g = groups.get(r.key);
          if (!g) {
            groups.set(r.key, {
              row: r,
              quantities: new Map(r.quantities.map((q) => [q.unit, Math.round(q.value * 1000)])),
            });
            continue;
          }
          for (const q of r.quantities)
            g.quantities.set(q.unit, (g.quantities.get(q.unit) ?? 0) + Math.round(q.value * 1000));
          g.row = {
            ...g.row,
            orderCount: g.row.orderCount + r.orderCount,
            lineCount: g.row.lineCount + r.lineCount,
            value: g.row.value.add(r.value),
          };
        }
      });
      return [...groups.values()]
        .map(({ row, quantities }) => ({
          ...row,
          quantities: [...quantities.entries()]
            .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
            .map(([unit, milli]) => ({ unit, value: milli / 1000 })),
        }))
        .sort((a, b) => b.value.compare(a.value) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    });
  }
}

export interface FinancialMetricsQuery {
  readonly from: Date;
  readonly to: Date;
  /** One retailer's figures only (a retailer's own view). */
  readonly retailerId?: RetailerId;
  readonly granularity?: TrendGranularity;
}

export interface CreditPosition {
  readonly asOf: Date;
  readonly accounts: number;
  readonly creditLimitTotal: Money;
  readonly heldTotal: Money;
  /** Receivables by aging bucket (`total` = their sum). */
  readonly receivables: OutstandingLiabilityReport['totals'];
}

export interface FinancialSummary extends CreditPosition {
  readonly dashboard: DashboardReport;
}

/** Orders of a period, kept in memory for the dashboard engine; bounded by the period cap. */
async function ordersOf(ctx: UseCaseContext, period: ReportPeriod, retailerId?: RetailerId): Promise<OrderSnapshot[]> {
  const all: OrderSnapshot[] = [];
  await forEachOrderPage(ctx, period, retailerId, undefined, (orders) => all.push(...orders));
  return all;
}

/** Limits, holds and receivables summed over every account (or the one retailer's), a page at a time. */
async function creditPosition(ctx: UseCaseContext, retailerId: RetailerId | undefined): Promise<CreditPosition> {
  const asOf = ctx.clock.now();
  let receivables = outstandingLiabilityReport([], asOf, DEFAULT_CURRENCY).totals;
  let accounts = 0;
  let creditLimitTotal = Money.zero(DEFAULT_CURRENCY);
  let heldTotal = Money.zero(DEFAULT_CURRENCY);
  let cursor: string | null = null;
  do {
    const page = await accountPage(ctx, { ...(retailerId ? { retailerId } : {}), page: { cursor, limit: 200 } });
    const own = page.accounts.filter((a) => a.currency === DEFAULT_CURRENCY);
    const t = outstandingLiabilityReport(own, asOf, DEFAULT_CURRENCY).totals;
    receivables = {
      current: receivables.current.add(t.current),
      d1_30: receivables.d1_30.add(t.d1_30),
      d31_60: receivables.d31_60.add(t.d31_60),
      d61_90: receivables.d61_90.add(t.d61_90),
      d90_plus: receivables.d90_plus.add(t.d90_plus),
      total: receivables.total.add(t.total),
    };
    accounts += own.length;
    for (const a of own) {
      creditLimitTotal = creditLimitTotal.add(a.creditLimit);
      heldTotal = heldTotal.add(a.held);
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { asOf, accounts, creditLimitTotal, heldTotal, receivables };
}

/** The credit position now: what the receivables ledger owes and how much credit is in use. */
export class GetCreditPosition {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(query: {
    readonly retailerId?: RetailerId;
  }): Promise<Outcome<CreditPosition, FailureCode<typeof GetCreditPosition>>> {
    checkCommand(query);
    if (query.retailerId !== undefined) checkId<RetailerId>(query.retailerId, 'retailerId');
    return runUseCase(GetCreditPosition.failures, () => creditPosition(this.ctx, query.retailerId));
  }
}

/**
 * Headline figures: the dashboard over the period's orders, plus receivables and credit in
 * use now over every account (or the one retailer's).
 */
export class GetFinancialSummary {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(
    query: FinancialMetricsQuery,
  ): Promise<Outcome<FinancialSummary, FailureCode<typeof GetFinancialSummary>>> {
    checkCommand(query);
    const period = checkPeriod(query.from, query.to);
    if (query.retailerId !== undefined) checkId<RetailerId>(query.retailerId, 'retailerId');
    return runUseCase(GetFinancialSummary.failures, async () => {
      const position = await creditPosition(this.ctx, query.retailerId);
      const dashboard = dashboardReport(await ordersOf(this.ctx, period, query.retailerId), period);
      return { ...position, dashboard };
    });
  }
}

/** GMV and order count per day or week of the period (zero-filled). */
export class GetSalesTrend {
  static readonly failures = [] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(query: FinancialMetricsQuery): Promise<Outcome<SalesTrendRow[], FailureCode<typeof GetSalesTrend>>> {
    checkCommand(query);
    const period = checkPeriod(query.from, query.to);
    if (query.retailerId !== undefined) checkId<RetailerId>(query.retailerId, 'retailerId');
    const granularity = query.granularity ?? 'day';
    if (granularity !== 'day' && granularity !== 'week') {
      throw new ValidationError(
        'granularity must be day or week',
        { field: 'granularity' },
        ErrorCodes.INVALID_COMMAND,
      );
    }
    return runUseCase(GetSalesTrend.failures, async () =>
      salesTrendReport(await ordersOf(this.ctx, period, query.retailerId), period, granularity),
    );
  }
}

export interface CreditAnalytics {
  readonly asOf: Date;
  readonly accounts: number;
  /** Accounts by their latest score's band; `unscored` without one. */
  readonly bands: Readonly<Record<CreditBand | 'unscored', number>>;
  /** Accounts using at least 80% of their limit (holds included). */
  readonly nearLimit: number;
  /** Accounts with something past due, and how much is. */
  readonly overdueAccounts: number;
  readonly overdue: Money;
  /** Mean utilisation over accounts with a limit; null without any. */
  readonly averageUtilisation: number | null;
}

const NEAR_LIMIT = 0.8;

/**
 * The credit book in a few numbers, from the credit summary of every account (or one
 * retailer's), read a page of retailers at a time.
 */
export class GetCreditAnalytics {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(query: {
    readonly retailerId?: RetailerId;
  }): Promise<Outcome<CreditAnalytics, FailureCode<typeof GetCreditAnalytics>>> {
    checkCommand(query);
    if (query.retailerId !== undefined) checkId<RetailerId>(query.retailerId, 'retailerId');
    return runUseCase(GetCreditAnalytics.failures, async () => {
      const asOf = this.ctx.clock.now();
      const bands: Record<CreditBand | 'unscored', number> = { A: 0, B: 0, C: 0, D: 0, E: 0, unscored: 0 };
      let accounts = 0;
      let nearLimit = 0;
      let overdueAccounts = 0;
      let overdue = Money.zero(DEFAULT_CURRENCY);
      const utilisations: number[] = [];
      let cursor: string | null = null;
      do {
        const page = await accountPage(this.ctx, {
          ...(query.retailerId ? { retailerId: query.retailerId } : {}),
          page: { cursor, limit: 200 },
        });
        const own = page.accounts.filter((a) => a.currency === DEFAULT_CURRENCY);
        const records = await this.ctx.repos.creditScores.latestForRetailers(own.map((a) => a.retailerId));
        const scores = new Map<RetailerId, LatestScore>(
          records.map((r) => [r.retailerId, { score: r.score, band: r.band }]),
        );
        for (const row of creditSummaryReport(own, scores, asOf)) {
          accounts += 1;
          bands[row.band ?? 'unscored'] += 1;
          if (row.utilisation !== null) {
            utilisations.push(row.utilisation);
            if (row.utilisation >= NEAR_LIMIT) nearLimit += 1;
          }
          if (!row.overdue.isZero()) {
            overdueAccounts += 1;
            overdue = overdue.add(row.overdue);
          }
        }
        cursor = page.nextCursor;
      } while (cursor !== null);
      const averageUtilisation =
        utilisations.length === 0
          ? null
          : Math.round((utilisations.reduce((a, u) => a + u, 0) / utilisations.length) * 10_000) / 10_000;
      return { asOf, accounts, bands, nearLimit, overdueAccounts, overdue, averageUtilisation };
    });
  }
}

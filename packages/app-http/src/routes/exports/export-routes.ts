import { Readable } from 'node:stream';
import { CLOCK, type Money, type RetailerId, USE_CASE_TOKENS, unwrap } from '@khaacho/core';
import { stringify } from 'csv-stringify';
import type { Principal } from '../../http/principal.js';
import { dateTime, errorSchema, uuid } from '../common-schemas.js';
import { type AnyRoute, defineRoute, type JsonSchema, type RouteInput } from '../route.js';
import { reportRange, reportRetailer } from './report-scope.js';

const error = (description: string) => ({ description, schema: errorSchema });
const ERRORS = {
  401: error('not authenticated'),
  403: error('the role may not do this'),
  404: error('no such retailer (or not yours)'),
  422: error('the request is invalid'),
};
const READERS = ['ADMIN', 'OPERATOR', 'RETAILER'] as const;
/** Accounts read per page when a CSV export walks every retailer. */
const CSV_PAGE = 100;

type Cell = string | number | null;
type Flat = Record<string, Cell>;

interface ExportQuery {
  retailerId?: RetailerId;
  from?: string;
  to?: string;
  groupBy?: 'retailer' | 'vendor' | 'product';
  cursor?: string;
  limit?: number;
}

interface ReportPage {
  readonly asOf: Date;
  readonly items: readonly Flat[];
  readonly nextCursor: string | null;
}

type Fetch = (
  input: { get: RouteInput<unknown, unknown, unknown>['get']; principal: Principal; query: ExportQuery },
  page: { cursor: string | null; limit: number },
) => Promise<ReportPage>;

interface ExportSpec {
  /** `credit-summary` → `/exports/credit-summary` (JSON) and `/exports/credit-summary.csv`. */
  readonly name: string;
  readonly operation: string;
  readonly summary: string;
  /** Column name → its JSON type, in CSV order. */
  readonly columns: Readonly<Record<string, JsonSchema>>;
  /** Whether the report pages over retailers (`cursor`/`limit`), or is one aggregate. */
  readonly paged: boolean;
  readonly period: boolean;
  readonly groupBy?: boolean;
  readonly fetch: Fetch;
}

const amount = (m: Money): number => m.amount;

const queryProperties = (spec: ExportSpec, json: boolean): Record<string, JsonSchema> => ({
  retailerId: uuid,
  ...(spec.period ? { from: dateTime, to: dateTime } : {}),
  ...(spec.groupBy
    ? { groupBy: { type: 'string', enum: ['retailer', 'vendor', 'product'], default: 'retailer' } }
    : {}),
  ...(spec.paged && json
    ? { cursor: { type: 'string', maxLength: 200 }, limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 } }
    : {}),
});

function exportRoutes(spec: ExportSpec): AnyRoute[] {
  const rowSchema = {
    type: 'object',
    additionalProperties: false,
    required: Object.keys(spec.columns),
    properties: spec.columns,
  } as const satisfies JsonSchema;
  const jsonRoute = defineRoute<Record<string, never>, ExportQuery>({
    method: 'get',
    path: `/exports/${spec.name}`,
    operationId: `export${spec.operation}`,
    summary: `${spec.summary} As JSON${spec.paged ? ', a page of retailers at a time (`cursor`, `limit`)' : ''}. Amounts in paisa.`,
    tag: 'financial exports',
    access: READERS,
    query: { type: 'object', additionalProperties: false, properties: queryProperties(spec, true) },
    responses: {
      200: {
        description: 'the rows',
        schema: {
          type: 'object',
          additionalProperties: false,
          required: ['asOf', 'items', 'nextCursor'],
          properties: {
            asOf: { type: 'string', format: 'date-time' },
            items: { type: 'array', items: rowSchema },
            nextCursor: { type: ['string', 'null'] },
          },
        },
      },
      ...ERRORS,
    },
    async handle({ query, principal, get }) {
      const page = await spec.fetch(
        { get, principal, query },
        { cursor: query.cursor ?? null, limit: query.limit ?? 50 },
      );
      return { status: 200, body: { asOf: page.asOf.toISOString(), items: page.items, nextCursor: page.nextCursor } };
    },
  });
  const csvRoute = defineRoute<Record<string, never>, ExportQuery>({
    method: 'get',
    path: `/exports/${spec.name}.csv`,
    operationId: `export${spec.operation}Csv`,
    summary: `${spec.summary} As a streamed CSV file (every row; amounts in paisa).`,
    tag: 'financial exports',
    access: READERS,
    query: { type: 'object', additionalProperties: false, properties: queryProperties(spec, false) },
    responses: {
      200: { description: 'text/csv, header row first', headers: { 'Content-Disposition': 'attachment; filename=…' } },
      ...ERRORS,
    },
    async handle({ query, principal, get }) {
      // The first page is read before answering, so a refused request still gets its status.
      const first = await spec.fetch({ get, principal, query }, { cursor: null, limit: CSV_PAGE });
      async function* rows(): AsyncGenerator<Flat> {
        let page = first;
        for (;;) {
          yield* page.items;
          if (page.nextCursor === null) return;
          page = await spec.fetch({ get, principal, query }, { cursor: page.nextCursor, limit: CSV_PAGE });
        }
      }
      const csv = stringify({ header: true, columns: Object.keys(spec.columns) });
      const source = Readable.from(rows());
      source.on('error', (cause) => csv.destroy(cause));
      source.pipe(csv);
      const stamp = first.asOf.toISOString().slice(0, 10);
      return {
        status: 200,
        body: csv,
        headers: {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="khaacho-${spec.name}-${stamp}.csv"`,
        },
      };
    },
  });
  return [jsonRoute, csvRoute] as AnyRoute[];
}

const AGING = ['current', 'd1_30', 'd31_60', 'd61_90', 'd90_plus'] as const;
const STR = { type: 'string' } as const;
const STR_OR_NULL = { type: ['string', 'null'] } as const;
const INT = { type: 'integer', description: 'paisa for an amount' } as const;
const INT_OR_NULL = { type: ['integer', 'null'] } as const;
const NUM_OR_NULL = { type: ['number', 'null'] } as const;
const AGING_COLUMNS = Object.fromEntries(AGING.map((b) => [b, INT]));

const creditSummary = exportRoutes({
  name: 'credit-summary',
  operation: 'CreditSummary',
  summary: 'Credit position per retailer: limit, outstanding, held, available, utilisation, score, aging.',
  paged: true,
  period: false,
  columns: {
    retailerId: STR,
    currency: STR,
    creditLimit: INT,
    outstanding: INT,
    held: INT,
    available: INT,
    utilisation: NUM_OR_NULL,
    score: INT_OR_NULL,
    band: STR_OR_NULL,
    ...AGING_COLUMNS,
    overdue: INT,
    maxDaysPastDue: INT,
  },
  async fetch({ get, principal, query }, page) {
    const retailerId = reportRetailer(principal, query.retailerId);
    const r = unwrap(
      await get(USE_CASE_TOKENS.exportCreditSummary).execute({ ...(retailerId ? { retailerId } : {}), page }),
    );
    return {
      asOf: r.asOf,
      nextCursor: r.nextCursor,
      items: r.items.map((row) => ({
        retailerId: row.retailerId,
        currency: row.currency,
        creditLimit: amount(row.creditLimit),
        outstanding: amount(row.outstanding),
        held: amount(row.held),
        available: amount(row.available),
        utilisation: row.utilisation,
        score: row.score,
        band: row.band,
        ...Object.fromEntries(AGING.map((b) => [b, amount(row.aging[b])])),
        overdue: amount(row.overdue),
        maxDaysPastDue: row.maxDaysPastDue,
      })),
    };
  },
});

const outstandingLiability = exportRoutes({
  name: 'outstanding-liability',
  operation: 'OutstandingLiability',
  summary: 'Receivables per retailer with open debits, by aging bucket (largest first within a page).',
  paged: true,
  period: false,
  columns: { retailerId: STR, ...AGING_COLUMNS, total: INT },
  async fetch({ get, principal, query }, page) {
    const retailerId = reportRetailer(principal, query.retailerId);
    const r = unwrap(
      await get(USE_CASE_TOKENS.exportOutstandingLiability).execute({ ...(retailerId ? { retailerId } : {}), page }),
    );
    return {
      asOf: r.asOf,
      nextCursor: r.nextCursor,
      items: r.items.map((row) => ({
        retailerId: row.retailerId,
        ...Object.fromEntries(AGING.map((b) => [b, amount(row.aging[b])])),
        total: amount(row.aging.total),
      })),
    };
  },
});

const paymentDiscipline = exportRoutes({
  name: 'payment-discipline',
  operation: 'PaymentDiscipline',
  summary: 'Payment discipline per retailer for invoices issued in `from`–`to` (default the last 30 days).',
  paged: true,
  period: true,
  columns: {
    retailerId: STR,
    invoiceCount: INT,
    settledCount: INT,
    openCount: INT,
    onTimeRatio: NUM_OR_NULL,
    onTimeValueRatio: NUM_OR_NULL,
    averageDaysToPay: NUM_OR_NULL,
    averageDaysPastDue: NUM_OR_NULL,
    maxDaysPastDue: INT,
    openMaxDaysPastDue: INT,
  },
  async fetch({ get, principal, query }, page) {
    const retailerId = reportRetailer(principal, query.retailerId);
    const range = reportRange(query, get(CLOCK).now());
    const r = unwrap(
      await get(USE_CASE_TOKENS.exportPaymentDiscipline).execute({
        ...(retailerId ? { retailerId } : {}),
        ...range,
        page,
      }),
    );
    return { asOf: r.asOf, nextCursor: r.nextCursor, items: r.items.map((row) => ({ ...row })) };
  },
});

const purchaseVolume = exportRoutes({
  name: 'purchase-volume',
  operation: 'PurchaseVolume',
  summary:
    'Purchase volume of orders placed in `from`–`to` that a vendor committed to, grouped by retailer, vendor or product (largest first).',
  paged: false,
  period: true,
  groupBy: true,
  columns: {
    key: { ...STR, description: 'the retailer, vendor or product id' },
    label: { ...STR_OR_NULL, description: 'the sku when grouped by product' },
    orderCount: INT,
    lineCount: INT,
    value: INT,
    quantities: { ...STR, description: 'by product: "12 packet; 3.5 kg"' },
  },
  async fetch({ get, principal, query }) {
    const retailerId = reportRetailer(principal, query.retailerId);
    const now = get(CLOCK).now();
    const rows = unwrap(
      await get(USE_CASE_TOKENS.exportPurchaseVolume).execute({
        ...(retailerId ? { retailerId } : {}),
        ...reportRange(query, now),
        groupBy: query.groupBy ?? 'retailer',
      }),
    );
    return {
      asOf: now,
      nextCursor: null,
      items: rows.map((row) => ({
        key: row.key,
        label: row.label,
        orderCount: row.orderCount,
        lineCount: row.lineCount,
        value: amount(row.value),
        // One cell: "12 packet; 3.5 kg".
        quantities: row.quantities.map((q) => `${q.value} ${q.unit}`).join('; '),
      })),
    };
  },
});

export const EXPORT_ROUTES: readonly AnyRoute[] = [
  ...creditSummary,
  ...purchaseVolume,
  ...paymentDiscipline,
  ...outstandingLiability,
];

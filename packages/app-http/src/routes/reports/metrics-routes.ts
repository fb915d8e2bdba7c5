import { CLOCK, type CreditPosition, type RetailerId, USE_CASE_TOKENS, unwrap } from '@khaacho/core';
import { dateTime, errorSchema, moneySchema, uuid } from '../common-schemas.js';
import { reportRange, reportRetailer } from '../exports/report-scope.js';
import { type AnyRoute, defineRoute, type JsonSchema } from '../route.js';

const error = (description: string) => ({ description, schema: errorSchema });
const ERRORS = {
  401: error('not authenticated'),
  403: error('the role may not do this'),
  404: error('no such retailer (or not yours)'),
  422: error('the request is invalid'),
};
const READERS = ['ADMIN', 'OPERATOR', 'RETAILER'] as const;
const AGING = ['current', 'd1_30', 'd31_60', 'd61_90', 'd90_plus', 'total'] as const;

const agingSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...AGING],
  properties: Object.fromEntries(AGING.map((b) => [b, moneySchema])),
} as const satisfies JsonSchema;

const creditPositionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['asOf', 'accounts', 'creditLimit', 'held', 'receivables'],
  properties: {
    asOf: { type: 'string', format: 'date-time' },
    accounts: { type: 'integer' },
    creditLimit: { ...moneySchema, description: 'sum of the limits' },
    held: { ...moneySchema, description: 'reserved by confirmed orders not yet delivered' },
    receivables: { ...agingSchema, description: 'invoiced and unpaid, by aging bucket' },
  },
} as const satisfies JsonSchema;

const summarySchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'from',
    'to',
    'orderCount',
    'ordersByStatus',
    'gmv',
    'gmvOrderCount',
    'averageOrderValue',
    'activeRetailers',
    'credit',
  ],
  properties: {
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    orderCount: { type: 'integer' },
    ordersByStatus: { type: 'object', additionalProperties: { type: 'integer' } },
    gmv: { ...moneySchema, description: 'value of orders a vendor committed to (CONFIRMED onwards)' },
    gmvOrderCount: { type: 'integer' },
    averageOrderValue: moneySchema,
    activeRetailers: { type: 'integer' },
    credit: creditPositionSchema,
  },
} as const satisfies JsonSchema;

const rangeQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { retailerId: uuid, from: dateTime, to: dateTime },
} as const satisfies JsonSchema;

interface RangeQuery {
  retailerId?: RetailerId;
  from?: string;
  to?: string;
}

function creditPosition(s: CreditPosition) {
  return {
    asOf: s.asOf.toISOString(),
    accounts: s.accounts,
    creditLimit: s.creditLimitTotal.toJSON(),
    held: s.heldTotal.toJSON(),
    receivables: Object.fromEntries(AGING.map((b) => [b, s.receivables[b].toJSON()])),
  };
}

export const financialSummaryRoute = defineRoute<Record<string, never>, RangeQuery>({
  method: 'get',
  path: '/metrics/financial/summary',
  operationId: 'getFinancialSummary',
  summary:
    'Orders and GMV of `from`–`to` (default the last 30 days) and the credit position now; every retailer for staff (or `retailerId`), its own for a retailer.',
  tag: 'financial metrics',
  access: READERS,
  query: rangeQuery,
  responses: { 200: { description: 'the summary', schema: summarySchema }, ...ERRORS },
  async handle({ query, principal, get }) {
    const retailerId = reportRetailer(principal, query.retailerId);
    const now = get(CLOCK).now();
    const range = reportRange(query, now);
    const s = unwrap(
      await get(USE_CASE_TOKENS.getFinancialSummary).execute({ ...range, ...(retailerId ? { retailerId } : {}) }),
    );
    const d = s.dashboard;
    return {
      status: 200,
      body: {
        from: range.from.toISOString(),
        to: range.to.toISOString(),
        orderCount: d.orderCount,
        ordersByStatus: d.ordersByStatus,
        gmv: d.gmv.toJSON(),
        gmvOrderCount: d.gmvOrderCount,
        averageOrderValue: d.averageOrderValue.toJSON(),
        activeRetailers: d.activeRetailers,
        credit: creditPosition(s),
      },
    };
  },
});

export const financialTrendsRoute = defineRoute<Record<string, never>, RangeQuery & { granularity?: 'day' | 'week' }>({
  method: 'get',
  path: '/metrics/financial/trends',
  operationId: 'getFinancialTrends',
  summary: 'GMV and committed order count per day or week of `from`–`to`, zero-filled (UTC buckets).',
  tag: 'financial metrics',
  access: READERS,
  query: {
    type: 'object',
    additionalProperties: false,
    properties: { ...rangeQuery.properties, granularity: { type: 'string', enum: ['day', 'week'], default: 'day' } },
  },
  responses: {
    200: {
      description: 'one row per bucket, oldest first',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['granularity', 'items'],
        properties: {
          granularity: { type: 'string', enum: ['day', 'week'] },
          items: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['bucket', 'start', 'orderCount', 'gmv'],
              properties: {
                bucket: { type: 'string', description: 'YYYY-MM-DD the bucket starts on (weeks: Monday)' },
                start: { type: 'string', format: 'date-time' },
                orderCount: { type: 'integer' },
                gmv: moneySchema,
              },
            },
          },
        },
      },
    },
    ...ERRORS,
  },
  async handle({ query, principal, get }) {
    const retailerId = reportRetailer(principal, query.retailerId);
    const granularity = query.granularity ?? 'day';
    const rows = unwrap(
      await get(USE_CASE_TOKENS.getSalesTrend).execute({
        ...reportRange(query, get(CLOCK).now()),
        granularity,
        ...(retailerId ? { retailerId } : {}),
      }),
    );
    return {
      status: 200,
      body: {
        granularity,
        items: rows.map((r) => ({
          bucket: r.bucket,
          start: r.start.toISOString(),
          orderCount: r.orderCount,
          gmv: r.gmv.toJSON(),
        })),
      },
    };
  },
});

export const financialSnapshotRoute = defineRoute<Record<string, never>, { retailerId?: RetailerId }>({
  method: 'get',
  path: '/metrics/financial/snapshot',
  operationId: 'getFinancialSnapshot',
  summary: 'The credit position now: accounts, limits, holds and receivables by aging bucket.',
  tag: 'financial metrics',
  access: READERS,
  query: { type: 'object', additionalProperties: false, properties: { retailerId: uuid } },
  responses: { 200: { description: 'the position', schema: creditPositionSchema }, ...ERRORS },
  async handle({ query, principal, get }) {
    const retailerId = reportRetailer(principal, query.retailerId);
    const s = unwrap(await get(USE_CASE_TOKENS.getCreditPosition).execute(retailerId ? { retailerId } : {}));
    return { status: 200, body: creditPosition(s) };
  },
});

export const METRICS_ROUTES: readonly AnyRoute[] = [
  financialSummaryRoute,
  financialTrendsRoute,
  financialSnapshotRoute,
] as AnyRoute[];

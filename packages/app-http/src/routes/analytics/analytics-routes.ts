import { CLOCK, type RetailerId, USE_CASE_TOKENS, unwrap } from '@khaacho/core';
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
const STAFF = ['ADMIN', 'OPERATOR'] as const;

interface RangeQuery {
  retailerId?: RetailerId;
  from?: string;
  to?: string;
}

const ranked = (key: string) =>
  ({
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: [key, 'value', 'orderCount'],
      properties: {
        [key]: { type: 'string' },
        ...(key === 'productId' ? { sku: { type: 'string' } } : {}),
        value: moneySchema,
        orderCount: { type: 'integer' },
      },
    },
  }) as const satisfies JsonSchema;

export const analyticsDashboardRoute = defineRoute<Record<string, never>, { from?: string; to?: string }>({
  method: 'get',
  path: '/analytics/dashboard',
  operationId: 'getAnalyticsDashboard',
  summary:
    'The operator dashboard for `from`–`to` (default the last 30 days): orders by status, GMV, average order value, active retailers, top 5 products and vendors. Staff only (it ranks vendors).',
  tag: 'analytics',
  access: STAFF,
  query: { type: 'object', additionalProperties: false, properties: { from: dateTime, to: dateTime } },
  responses: {
    200: {
      description: 'the dashboard',
      schema: {
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
          'topProducts',
          'topVendors',
        ],
        properties: {
          from: { type: 'string', format: 'date-time' },
          to: { type: 'string', format: 'date-time' },
          orderCount: { type: 'integer' },
          ordersByStatus: { type: 'object', additionalProperties: { type: 'integer' } },
          gmv: moneySchema,
          gmvOrderCount: { type: 'integer' },
          averageOrderValue: moneySchema,
          activeRetailers: { type: 'integer' },
          topProducts: ranked('productId'),
          topVendors: ranked('vendorId'),
        },
      },
    },
    ...ERRORS,
  },
  async handle({ query, get }) {
    const range = reportRange(query, get(CLOCK).now());
    const d = unwrap(await get(USE_CASE_TOKENS.getFinancialSummary).execute(range)).dashboard;
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
        topProducts: d.topProducts.map((p) => ({
          productId: p.productId,
          sku: p.sku,
          value: p.value.toJSON(),
          orderCount: p.orderCount,
        })),
        topVendors: d.topVendors.map((v) => ({
          vendorId: v.vendorId,
          value: v.value.toJSON(),
          orderCount: v.orderCount,
        })),
      },
    };
  },
});

export const analyticsSalesRoute = defineRoute<Record<string, never>, RangeQuery & { granularity?: 'day' | 'week' }>({
  method: 'get',
  path: '/analytics/sales',
  operationId: 'getAnalyticsSales',
  summary:
    'Sales over `from`–`to`: GMV per day or week and the products bought, largest first. Staff see everyone (or `retailerId`); a retailer its own purchases.',
  tag: 'analytics',
  access: READERS,
  query: {
    type: 'object',
    additionalProperties: false,
    properties: {
      retailerId: uuid,
      from: dateTime,
      to: dateTime,
      granularity: { type: 'string', enum: ['day', 'week'], default: 'day' },
    },
  },
  responses: {
    200: {
      description: 'the trend and the products',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['granularity', 'trend', 'products'],
        properties: {
          granularity: { type: 'string' },
          trend: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['bucket', 'orderCount', 'gmv'],
              properties: { bucket: { type: 'string' }, orderCount: { type: 'integer' }, gmv: moneySchema },
            },
          },
          products: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['productId', 'sku', 'orderCount', 'value', 'quantities'],
              properties: {
                productId: { type: 'string' },
                sku: { type: ['string', 'null'] },
                orderCount: { type: 'integer' },
                value: moneySchema,
                quantities: {
                  type: 'array',
                  items: {
                    type: 'object',
                    additionalProperties: false,
                    required: ['unit', 'value'],
                    properties: { unit: { type: 'string' }, value: { type: 'number' } },
                  },
                },
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
    const range = reportRange(query, get(CLOCK).now());
    const scope = retailerId ? { retailerId } : {};
    const granularity = query.granularity ?? 'day';
    const trend = unwrap(await get(USE_CASE_TOKENS.getSalesTrend).execute({ ...range, granularity, ...scope }));
    const products = unwrap(
      await get(USE_CASE_TOKENS.exportPurchaseVolume).execute({ ...range, groupBy: 'product', ...scope }),
    );
    return {
      status: 200,
      body: {
        granularity,
        trend: trend.map((r) => ({ bucket: r.bucket, orderCount: r.orderCount, gmv: r.gmv.toJSON() })),
        products: products.map((p) => ({
          productId: p.key,
          sku: p.label,
          orderCount: p.orderCount,
          value: p.value.toJSON(),
          quantities: p.quantities,
        })),
      },
    };
  },
});

export const analyticsCreditRoute = defineRoute<Record<string, never>, { retailerId?: RetailerId }>({
  method: 'get',
  path: '/analytics/credit',
  operationId: 'getAnalyticsCredit',
  summary:
    'The credit book now: accounts by score band, near their limit (≥ 80% used), overdue, average utilisation, receivables by aging bucket. A retailer sees its own account.',
  tag: 'analytics',
  access: READERS,
  query: { type: 'object', additionalProperties: false, properties: { retailerId: uuid } },
  responses: {
    200: {
      description: 'the figures',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: [
          'asOf',
          'accounts',
          'bands',
          'nearLimit',
          'overdueAccounts',
          'overdue',
          'averageUtilisation',
          'receivables',
        ],
        properties: {
          asOf: { type: 'string', format: 'date-time' },
          accounts: { type: 'integer' },
          bands: {
            type: 'object',
            additionalProperties: false,
            required: ['A', 'B', 'C', 'D', 'E', 'unscored'],
            properties: Object.fromEntries(['A', 'B', 'C', 'D', 'E', 'unscored'].map((b) => [b, { type: 'integer' }])),
          },
          nearLimit: { type: 'integer' },
          overdueAccounts: { type: 'integer' },
          overdue: moneySchema,
          averageUtilisation: { type: ['number', 'null'] },
          receivables: { type: 'object', additionalProperties: moneySchema },
        },
      },
    },
    ...ERRORS,
  },
  async handle({ query, principal, get }) {
    const retailerId = reportRetailer(principal, query.retailerId);
    const scope = retailerId ? { retailerId } : {};
    const a = unwrap(await get(USE_CASE_TOKENS.getCreditAnalytics).execute(scope));
    const position = unwrap(await get(USE_CASE_TOKENS.getCreditPosition).execute(scope));
    return {
      status: 200,
      body: {
        asOf: a.asOf.toISOString(),
        accounts: a.accounts,
        bands: a.bands,
        nearLimit: a.nearLimit,
        overdueAccounts: a.overdueAccounts,
        overdue: a.overdue.toJSON(),
        averageUtilisation: a.averageUtilisation,
        receivables: Object.fromEntries(Object.entries(position.receivables).map(([k, m]) => [k, m.toJSON()])),
      },
    };
  },
});

export const ANALYTICS_ROUTES: readonly AnyRoute[] = [
  analyticsDashboardRoute,
  analyticsSalesRoute,
  analyticsCreditRoute,
] as AnyRoute[];

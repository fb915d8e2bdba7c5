import {
  ErrorCodes,
  NotFoundError,
  type OrderId,
  type ProductId,
  unwrap,
  USE_CASE_TOKENS,
  VENDOR_RANKING_METRICS,
  type VendorId,
  type VendorRankingMetric,
} from '@khaacho/core';
import { actorOf } from '../../http/principal.js';
import { dateTime, errorSchema, moneySchema, orderIdParams, uuid } from '../common-schemas.js';
import { type AnyRoute, defineRoute, type JsonSchema } from '../route.js';

const error = (description: string) => ({ description, schema: errorSchema });
const COMMON_ERRORS = {
  401: error('not authenticated'),
  403: error('the role may not do this'),
  422: error('the request is invalid'),
};
const rate = { type: ['number', 'null'], description: '0..1; null = no data in the window' } as const;
const count = { type: 'integer', minimum: 0 } as const;
const nullableMoney = { oneOf: [moneySchema, { type: 'null' }] } as const;
const sourceFields = {
  source: {
    type: 'string',
    enum: ['SNAPSHOT', 'COMPUTED'],
    description: 'the stored snapshot, or computed now because no refresh has reached it yet',
  },
  computedAt: dateTime,
  checkedAt: { type: ['string', 'null'], format: 'date-time', description: 'last refresh; null when computed' },
} as const;

const windowSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'windowDays',
    'offers',
    'accepted',
    'rejected',
    'expired',
    'acceptanceRate',
    'medianResponseMinutes',
    'confirmed',
    'delivered',
    'cancelled',
    'fulfilmentRate',
    'onTimeDeliveryRate',
    'cancellationRate',
    'ratingCount',
    'averageRating',
  ],
  properties: {
    windowDays: count,
    offers: count,
    accepted: count,
    rejected: count,
    expired: count,
    acceptanceRate: rate,
    medianResponseMinutes: { type: ['number', 'null'] },
    confirmed: count,
    delivered: count,
    cancelled: count,
    fulfilmentRate: rate,
    onTimeDeliveryRate: rate,
    cancellationRate: rate,
    ratingCount: count,
    averageRating: { type: ['number', 'null'], description: 'mean of 1-5 ratings' },
  },
} as const satisfies JsonSchema;

const performanceSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['vendorId', 'asOf', 'windows', 'reliability', 'smoothedReliability', 'source', 'computedAt', 'checkedAt'],
  properties: {
    vendorId: uuid,
    asOf: dateTime,
    windows: { type: 'array', items: windowSchema, description: 'one per window, shortest first' },
    reliability: {
      type: 'object',
      additionalProperties: false,
      required: ['vendorId', 'windowDays', 'score', 'sampleSize', 'components'],
      properties: {
        vendorId: uuid,
        windowDays: count,
        score: rate,
        sampleSize: count,
        components: {
          type: 'object',
          additionalProperties: false,
          required: ['acceptance', 'fulfilment', 'onTime', 'rating', 'responsiveness'],
          properties: { acceptance: rate, fulfilment: rate, onTime: rate, rating: rate, responsiveness: rate },
        },
      },
    },
    smoothedReliability: {
      type: 'number',
      description: 'reliability smoothed towards the prior: what ranks and routes',
    },
    ...sourceFields,
  },
} as const satisfies JsonSchema;

export const getVendorPerformanceRoute = defineRoute<{ vendorId: VendorId }>({
  method: 'get',
  path: '/vendors/:vendorId/performance',
  operationId: 'getVendorPerformance',
  summary:
    "A vendor's performance: acceptance, fulfilment, on-time delivery, cancellations and ratings per rolling window " +
    '(7, 30, 90 days), and its composite reliability. A vendor sees its own; another vendor is told it does not exist.',
  tag: 'intelligence',
  access: ['ADMIN', 'OPERATOR', 'VENDOR'],
  params: { type: 'object', additionalProperties: false, required: ['vendorId'], properties: { vendorId: uuid } },
  responses: {
    200: { description: 'the performance report', schema: performanceSchema },
    ...COMMON_ERRORS,
    404: error('no such vendor (or not yours)'),
  },
  async handle({ params, principal, get }) {
    if (principal.role === 'VENDOR' && principal.vendorId !== params.vendorId) {
      throw new NotFoundError('vendor', params.vendorId);
    }
    const view = unwrap(await get(USE_CASE_TOKENS.getVendorPerformance).execute({ vendorId: params.vendorId }));
    return {
      status: 200,
      body: { ...view.report, source: view.source, computedAt: view.computedAt, checkedAt: view.checkedAt },
    };
  },
});

export const getVendorRankingsRoute = defineRoute<
  Record<string, never>,
  { metric?: VendorRankingMetric; limit?: number }
>({
  method: 'get',
  path: '/vendors/rankings',
  operationId: 'getVendorRankings',
  summary:
    'Vendors ranked by one performance metric (default the smoothed reliability; rates over the 30-day window), ' +
    'best first, from the stored snapshots: vendors no refresh has reached yet rank last with a null value. Staff only.',
  tag: 'intelligence',
  access: ['ADMIN', 'OPERATOR'],
  query: {
    type: 'object',
    additionalProperties: false,
    properties: {
      metric: { type: 'string', enum: VENDOR_RANKING_METRICS },
      limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    },
  },
  responses: {
    200: {
      description: 'the top of the ranking',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['metric', 'total', 'items'],
        properties: {
          metric: { type: 'string', enum: VENDOR_RANKING_METRICS },
          total: { type: 'integer', description: 'vendors ranked; items are the first `limit` of them' },
          items: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['rank', 'vendorId', 'value', 'computedAt'],
              properties: {
                rank: { type: 'integer', minimum: 1 },
                vendorId: uuid,
                value: { type: ['number', 'null'] },
                computedAt: { type: ['string', 'null'], format: 'date-time' },
              },
            },
          },
        },
      },
    },
    ...COMMON_ERRORS,
  },
  async handle({ query, get }) {
    const view = unwrap(
      await get(USE_CASE_TOKENS.getVendorRankings).execute({
        ...(query.metric ? { metric: query.metric } : {}),
        ...(query.limit !== undefined ? { limit: query.limit } : {}),
      }),
    );
    return { status: 200, body: view };
  },
});

export const rateVendorRoute = defineRoute<{ orderId: OrderId }, Record<string, never>, RatingBody>({
  method: 'post',
  path: '/orders/:orderId/rating',
  operationId: 'rateVendor',
  summary:
    'The retailer of a delivered (or completed) order rates its vendor, 1-5 with an optional comment, once per ' +
    'order: a second rating is a 409 ENTITY.DUPLICATE and changes nothing. Feeds the vendor’s performance.',
  tag: 'intelligence',
  access: ['RETAILER'],
  idempotent: true,
  params: orderIdParams,
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['rating'],
    properties: {
      rating: { type: 'integer', minimum: 1, maximum: 5 },
      comment: { type: ['string', 'null'], maxLength: 1000 },
    },
  },
  responses: {
    201: {
      description: 'the rating',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'vendorId', 'retailerId', 'orderId', 'rating', 'comment', 'ratedAt'],
        properties: {
          id: { type: 'string' },
          vendorId: uuid,
          retailerId: uuid,
          orderId: uuid,
          rating: { type: 'integer', minimum: 1, maximum: 5 },
          comment: { type: ['string', 'null'] },
          ratedAt: dateTime,
        },
      },
    },
    ...COMMON_ERRORS,
    404: error('no such order (or not yours)'),
    409: error('not delivered yet, or already rated'),
  },
  async handle({ params, body, principal, get }) {
    if (principal.role !== 'RETAILER' || !principal.retailerId) throw new NotFoundError('order', params.orderId);
    const outcome = await get(USE_CASE_TOKENS.rateVendor).execute({
      orderId: params.orderId,
      retailerId: principal.retailerId,
      rating: body.rating,
      comment: body.comment ?? null,
      actor: actorOf(principal),
    });
    // Core refuses another retailer's order as FORBIDDEN; over HTTP another party's resource does not exist.
    if (!outcome.ok && outcome.error.code === ErrorCodes.FORBIDDEN) throw new NotFoundError('order', params.orderId);
    return { status: 201, body: unwrap(outcome) };
  },
});

interface RatingBody {
  readonly rating: number;
  readonly comment?: string | null;
}

export const priceAlertSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'productId', 'vendorId', 'percent'],
  properties: {
    type: { type: 'string', enum: ['ABOVE_MEDIAN', 'PRICE_MOVE'] },
    productId: uuid,
    vendorId: uuid,
    percent: { type: 'number', description: 'above the median, or the signed move within 24 hours' },
    price: moneySchema,
    median: moneySchema,
    from: moneySchema,
    to: moneySchema,
    at: dateTime,
  },
} as const satisfies JsonSchema;

const priceIntelligenceSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'productId',
    'baseUnit',
    'reference',
    'movingAverage7',
    'movingAverage30',
    'trend',
    'dailyCloses',
    'alerts',
    'source',
    'computedAt',
    'checkedAt',
  ],
  properties: {
    productId: uuid,
    baseUnit: { type: 'string' },
    reference: {
      type: 'object',
      additionalProperties: false,
      required: ['productId', 'baseUnit', 'median', 'min', 'max', 'offerCount', 'prices'],
      description: 'the market now: active offers per base unit',
      properties: {
        productId: uuid,
        baseUnit: { type: 'string' },
        median: nullableMoney,
        min: nullableMoney,
        max: nullableMoney,
        offerCount: count,
        prices: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['vendorId', 'offerUnit', 'offerPrice', 'pricePerBaseUnit'],
            properties: {
              vendorId: uuid,
              offerUnit: { type: 'string' },
              offerPrice: moneySchema,
              pricePerBaseUnit: moneySchema,
            },
          },
        },
      },
    },
    movingAverage7: nullableMoney,
    movingAverage30: nullableMoney,
    trend: {
      type: 'object',
      additionalProperties: false,
      required: ['direction', 'slopePerDay', 'relativeSlopePerDay', 'points'],
      properties: {
        direction: { type: 'string', enum: ['UP', 'DOWN', 'FLAT'] },
        slopePerDay: { type: 'number', description: 'paisa per day' },
        relativeSlopePerDay: { type: 'number' },
        points: count,
      },
    },
    dailyCloses: {
      type: 'array',
      description: 'the price history: median close per UTC day, per base unit',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['day', 'close', 'vendorCount'],
        properties: { day: { type: 'string' }, close: moneySchema, vendorCount: count },
      },
    },
    alerts: { type: 'array', items: priceAlertSchema },
    ...sourceFields,
  },
} as const satisfies JsonSchema;

export const getPriceIntelligenceRoute = defineRoute<{ productId: ProductId }>({
  method: 'get',
  path: '/products/:productId/price-intelligence',
  operationId: 'getPriceIntelligence',
  summary:
    "A product's price intelligence: the market reference (median, min, max of active offers per base unit), daily " +
    'closes (history), 7- and 30-day moving averages, the trend, and its alerts (offers far above the median, ' +
    'sharp moves within 24 hours).',
  tag: 'intelligence',
  access: ['ADMIN', 'OPERATOR', 'RETAILER', 'VENDOR'],
  params: { type: 'object', additionalProperties: false, required: ['productId'], properties: { productId: uuid } },
  responses: {
    200: { description: 'the price intelligence', schema: priceIntelligenceSchema },
    ...COMMON_ERRORS,
    404: error('no such product'),
  },
  async handle({ params, get }) {
    const view = unwrap(await get(USE_CASE_TOKENS.getPriceIntelligence).execute({ productId: params.productId }));
    return {
      status: 200,
      body: { ...view.insight, source: view.source, computedAt: view.computedAt, checkedAt: view.checkedAt },
    };
  },
});

export const INTELLIGENCE_ROUTES: readonly AnyRoute[] = [
  getVendorRankingsRoute,
  getVendorPerformanceRoute,
  rateVendorRoute,
  getPriceIntelligenceRoute,
] as AnyRoute[];

import { ListPriceAlerts, MAX_PRICE_ALERTS_PAGE, REPOSITORIES, unwrap, type VendorId } from '@khaacho/core';
import { dateTime, errorSchema, pageOf, uuid } from '../common-schemas.js';
import { type AnyRoute, defineRoute, type JsonSchema } from '../route.js';
import { priceAlertSchema } from './intelligence-routes.js';

const error = (description: string) => ({ description, schema: errorSchema });

const listedAlertSchema = {
  ...priceAlertSchema,
  required: [...priceAlertSchema.required, 'computedAt'],
  properties: {
    ...priceAlertSchema.properties,
    computedAt: { ...dateTime, description: 'when the snapshot holding this alert was computed' },
  },
} as const satisfies JsonSchema;

interface AlertQuery {
  readonly type?: 'ABOVE_MEDIAN' | 'PRICE_MOVE';
  readonly vendorId?: VendorId;
  readonly minPercent?: number;
  readonly cursor?: string;
  readonly limit?: number;
}

export const listPriceAlertsRoute = defineRoute<Record<string, never>, AlertQuery>({
  method: 'get',
  path: '/price-intelligence/alerts',
  operationId: 'listPriceAlerts',
  summary:
    'Price alerts across products, from the stored price-intelligence snapshots (as of their last refresh; nothing recomputed): ' +
    'by product, then vendor. Filters `type`, `vendorId`, `minPercent` (|percent| at least); `cursor` + `limit` 1–200 (default 50).',
  tag: 'intelligence',
  access: ['ADMIN', 'OPERATOR'],
  query: {
    type: 'object',
    additionalProperties: false,
    properties: {
      type: { type: 'string', enum: ['ABOVE_MEDIAN', 'PRICE_MOVE'] },
      vendorId: uuid,
      minPercent: { type: 'number', minimum: 0, maximum: 100_000 },
      cursor: { type: 'string', maxLength: 64, description: "the previous page's nextCursor" },
      limit: { type: 'integer', minimum: 1, maximum: MAX_PRICE_ALERTS_PAGE, default: 50 },
    },
  },
  responses: {
    200: {
      description: 'one page',
      schema: pageOf(listedAlertSchema),
    },
    401: error('not authenticated'),
    403: error('staff only'),
    422: error('invalid query or cursor'),
  },
  async handle({ query, get }) {
    const page = unwrap(
      await new ListPriceAlerts({ snapshots: get(REPOSITORIES).priceIntelligence }).execute({
        limit: query.limit ?? 50,
        ...(query.type ? { type: query.type } : {}),
        ...(query.vendorId ? { vendorId: query.vendorId } : {}),
        ...(query.minPercent !== undefined ? { minPercent: query.minPercent } : {}),
        ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      }),
    );
    return { status: 200, body: page };
  },
});

export const PRICE_ALERT_ROUTES: readonly AnyRoute[] = [listPriceAlertsRoute] as AnyRoute[];

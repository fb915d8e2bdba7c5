import { AGING_BUCKETS, NotFoundError, type RetailerId, USE_CASE_TOKENS, unwrap, ValidationError } from '@khaacho/core';
import { isStaff } from '../../http/principal.js';
import { errorSchema, moneySchema, uuid } from '../common-schemas.js';
import { type AnyRoute, defineRoute, type JsonSchema } from '../route.js';

const error = (description: string) => ({ description, schema: errorSchema });

const balanceSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'retailerId',
    'asOf',
    'creditLimit',
    'netTermsDays',
    'outstanding',
    'held',
    'pendingExposure',
    'available',
    'daysPastDue',
    'overdue',
    'aging',
  ],
  properties: {
    retailerId: { type: 'string', format: 'uuid' },
    asOf: { type: 'string', format: 'date-time' },
    creditLimit: moneySchema,
    netTermsDays: { type: 'integer' },
    outstanding: { ...moneySchema, description: 'invoiced and unpaid' },
    held: { ...moneySchema, description: 'reserved by confirmed orders not yet delivered' },
    pendingExposure: { ...moneySchema, description: 'orders placed and not yet confirmed' },
    available: moneySchema,
    daysPastDue: { type: 'integer' },
    overdue: moneySchema,
    aging: {
      type: 'object',
      additionalProperties: false,
      required: [...AGING_BUCKETS, 'total'],
      properties: Object.fromEntries([...AGING_BUCKETS, 'total'].map((b) => [b, moneySchema])),
    },
  },
} as const satisfies JsonSchema;

export const creditBalanceRoute = defineRoute<Record<string, never>, { retailerId?: RetailerId }>({
  method: 'get',
  path: '/credit/balance',
  operationId: 'getCreditBalance',
  summary: "Where a retailer's credit stands now. A retailer sees its own; staff name the retailerId.",
  tag: 'credit',
  access: ['ADMIN', 'OPERATOR', 'RETAILER'],
  query: { type: 'object', additionalProperties: false, properties: { retailerId: uuid } },
  responses: {
    200: { description: 'the balance', schema: balanceSchema },
    401: error('not authenticated'),
    403: error('the role may not do this'),
    404: error('no such retailer (or not yours)'),
    422: error('invalid'),
  },
  async handle({ query, principal, get }) {
    let retailerId: RetailerId;
    if (isStaff(principal)) {
      if (!query.retailerId) throw new ValidationError('staff must name the retailerId');
      retailerId = query.retailerId;
    } else {
      if (query.retailerId && query.retailerId !== principal.retailerId) {
        throw new NotFoundError('retailer', query.retailerId);
      }
      retailerId = principal.retailerId as RetailerId;
    }
    const b = unwrap(await get(USE_CASE_TOKENS.getCreditBalance).execute({ retailerId }));
    return {
      status: 200,
      body: {
        retailerId: b.retailerId,
        asOf: b.asOf.toISOString(),
        creditLimit: b.creditLimit.toJSON(),
        netTermsDays: b.netTermsDays,
        outstanding: b.outstanding.toJSON(),
        held: b.held.toJSON(),
        pendingExposure: b.pendingExposure.toJSON(),
        available: b.available.toJSON(),
        daysPastDue: b.daysPastDue,
        overdue: b.overdue.toJSON(),
        aging: Object.fromEntries(Object.entries(b.aging).map(([k, m]) => [k, m.toJSON()])),
      },
    };
  },
});

export const CREDIT_ROUTES: readonly AnyRoute[] = [creditBalanceRoute] as AnyRoute[];

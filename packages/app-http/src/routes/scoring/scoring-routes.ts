import { type CreditScoreRecord, type RetailerId, USE_CASE_TOKENS, unwrap } from '@khaacho/core';
import { actorOf } from '../../http/principal.js';
import { errorSchema, moneySchema, uuid } from '../common-schemas.js';
import { creditRetailer } from '../credit/credit-write-routes.js';
import { type AnyRoute, defineRoute, type JsonSchema } from '../route.js';

const error = (description: string) => ({ description, schema: errorSchema });
const COMMON_ERRORS = {
  401: error('not authenticated'),
  403: error('the role may not do this'),
  404: error('no such retailer (or not yours), or not scored yet'),
  422: error('the request is invalid'),
};
const READERS = ['ADMIN', 'OPERATOR', 'RETAILER'] as const;

const factorSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'label', 'raw', 'observed', 'prior', 'evidence', 'normalised', 'weight', 'points'],
  properties: {
    key: { type: 'string' },
    label: { type: 'string' },
    raw: { type: ['number', 'null'], description: 'the measured value in its own unit; null = no data' },
    observed: { type: ['number', 'null'], description: 'raw mapped to 0..1 (1 = best)' },
    prior: { type: 'number' },
    evidence: { type: 'number', description: '0..1: how much the observation is trusted over the prior' },
    normalised: { type: 'number' },
    weight: { type: 'number' },
    points: { type: 'number', description: 'this factor’s contribution above 300' },
  },
} as const satisfies JsonSchema;

const scoreSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'retailerId', 'score', 'band', 'trigger', 'calculatedAt', 'modelVersion', 'explanation'],
  properties: {
    id: { type: 'string' },
    retailerId: { type: 'string', format: 'uuid' },
    score: { type: 'integer', description: '300..900' },
    band: { type: 'string', enum: ['A', 'B', 'C', 'D', 'E'] },
    trigger: { type: 'string' },
    calculatedAt: { type: 'string', format: 'date-time' },
    modelVersion: { type: 'string' },
    explanation: {
      type: 'object',
      additionalProperties: false,
      required: ['factors', 'evidence', 'limit'],
      properties: {
        factors: { type: 'array', items: factorSchema },
        evidence: {
          type: 'object',
          additionalProperties: false,
          required: ['invoices', 'orders', 'thinFile'],
          properties: { invoices: { type: 'number' }, orders: { type: 'number' }, thinFile: { type: 'boolean' } },
        },
        limit: {
          type: 'object',
          additionalProperties: false,
          required: [
            'current',
            'target',
            'recommended',
            'rule',
            'explanation',
            'monthlyPurchases',
            'openMaxDaysPastDue',
          ],
          properties: {
            current: moneySchema,
            target: moneySchema,
            recommended: moneySchema,
            rule: { type: 'string' },
            explanation: { type: 'string' },
            monthlyPurchases: moneySchema,
            openMaxDaysPastDue: { type: 'number' },
          },
        },
      },
    },
  },
} as const satisfies JsonSchema;

function scoreJson(r: CreditScoreRecord) {
  const { factors, evidence, limit, modelVersion } = r.result;
  return {
    id: r.id,
    retailerId: r.retailerId,
    score: r.score,
    band: r.band,
    trigger: r.trigger,
    calculatedAt: r.calculatedAt.toISOString(),
    modelVersion,
    explanation: {
      factors: factors.map((f) => ({
        key: f.key,
        label: f.label,
        raw: f.raw,
        observed: f.observed,
        prior: f.prior,
        evidence: f.evidence,
        normalised: f.normalised,
        weight: f.weight,
        points: f.points,
      })),
      evidence: { invoices: evidence.invoices, orders: evidence.orders, thinFile: evidence.thinFile },
      limit: {
        current: limit.current.toJSON(),
        target: limit.target.toJSON(),
        recommended: limit.recommended.toJSON(),
        rule: limit.rule,
        explanation: limit.explanation,
        monthlyPurchases: limit.monthlyPurchases.toJSON(),
        openMaxDaysPastDue: limit.openMaxDaysPastDue,
      },
    },
  };
}

export const getCreditScoreRoute = defineRoute<Record<string, never>, { retailerId?: RetailerId }>({
  method: 'get',
  path: '/credit/score',
  operationId: 'getCreditScore',
  summary:
    "A retailer's latest credit score (300-900, band A-E) with its explanation: every factor's value, evidence and " +
    'points, and the limit rule applied. 404 until it has been scored. A retailer sees its own.',
  tag: 'scoring',
  access: READERS,
  query: { type: 'object', additionalProperties: false, properties: { retailerId: uuid } },
  responses: { 200: { description: 'the latest score', schema: scoreSchema }, ...COMMON_ERRORS },
  async handle({ query, principal, get }) {
    const retailerId = creditRetailer(principal, query.retailerId);
    return { status: 200, body: scoreJson(unwrap(await get(USE_CASE_TOKENS.getCreditScore).execute({ retailerId }))) };
  },
});

export const recalculateCreditScoreRoute = defineRoute<
  Record<string, never>,
  Record<string, never>,
  { retailerId: RetailerId }
>({
  method: 'post',
  path: '/credit/score/recalculate',
  operationId: 'recalculateCreditScore',
  auditTarget: { type: 'retailer', body: 'retailerId' },
  summary:
    'Score a retailer now (trigger MANUAL): the new score is stored with its explanation and, unless the limit was ' +
    'set by hand, the credit limit follows the recommendation, in one transaction. Staff only.',
  tag: 'scoring',
  access: ['ADMIN', 'OPERATOR'],
  body: { type: 'object', additionalProperties: false, required: ['retailerId'], properties: { retailerId: uuid } },
  responses: { 200: { description: 'the new score', schema: scoreSchema }, ...COMMON_ERRORS },
  async handle({ body, principal, get }) {
    const record = unwrap(
      await get(USE_CASE_TOKENS.recalculateCreditScore).execute({
        retailerId: body.retailerId,
        trigger: 'MANUAL',
        actor: actorOf(principal),
      }),
    );
    return { status: 200, body: scoreJson(record) };
  },
});

export const creditScoreHistoryRoute = defineRoute<Record<string, never>, { retailerId?: RetailerId; limit: number }>({
  method: 'get',
  path: '/credit/score/history',
  operationId: 'getCreditScoreHistory',
  summary: "A retailer's scores, newest first (limit 1-200, default 50). A retailer sees its own.",
  tag: 'scoring',
  access: READERS,
  query: {
    type: 'object',
    additionalProperties: false,
    properties: { retailerId: uuid, limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
  },
  responses: {
    200: {
      description: 'the scores',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['items'],
        properties: { items: { type: 'array', items: scoreSchema } },
      },
    },
    ...COMMON_ERRORS,
  },
  async handle({ query, principal, get }) {
    const retailerId = creditRetailer(principal, query.retailerId);
    const records = unwrap(
      await get(USE_CASE_TOKENS.listCreditScoreHistory).execute({ retailerId, limit: query.limit }),
    );
    return { status: 200, body: { items: records.map(scoreJson) } };
  },
});

export const SCORING_ROUTES: readonly AnyRoute[] = [
  getCreditScoreRoute,
  recalculateCreditScoreRoute,
  creditScoreHistoryRoute,
] as AnyRoute[];

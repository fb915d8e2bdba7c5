import {
  MAX_LEDGER_AMOUNT,
  type OrderId,
  type RetailerId,
  RISK_ACTIONS,
  RISK_RULE_TYPES,
  type RiskEvent,
  type RiskRule,
  type RuleVerdict,
  USE_CASE_TOKENS,
  unwrap,
  ValidationError,
} from '@khaacho/core';
import { actorOf } from '../../http/principal.js';
import { errorSchema, uuid } from '../common-schemas.js';
import { type AnyRoute, defineRoute, type JsonSchema } from '../route.js';

const error = (description: string) => ({ description, schema: errorSchema });
const COMMON_ERRORS = {
  401: error('not authenticated'),
  403: error('the role may not do this'),
  422: error('the request is invalid'),
};
const STAFF = ['ADMIN', 'OPERATOR'] as const;

const moneyIn = {
  type: 'object',
  additionalProperties: false,
  required: ['amount', 'currency'],
  properties: {
    amount: { type: 'integer', minimum: 0, maximum: MAX_LEDGER_AMOUNT, description: 'integer minor units' },
    currency: { type: 'string', enum: ['NPR'] },
  },
} as const;
const count = (max: number) => ({ type: 'number', minimum: 0, maximum: max }) as const;

/** Every parameter any rule type takes; which ones a type needs is checked by core's parser. */
const paramsIn = {
  type: 'object',
  additionalProperties: false,
  properties: {
    max: moneyIn,
    maxOrderValue: moneyIn,
    maxOverdueAmount: { anyOf: [moneyIn, { type: 'null' }] },
    multiplier: count(1_000),
    minOrders: count(100_000),
    withinDays: count(3_650),
    withinOrders: count(100_000),
    maxDaysPastDue: count(3_650),
    maxOrders: count(100_000),
    windowMinutes: count(525_600),
    maxPercent: count(1_000),
    minScore: count(900),
  },
} as const;

const ruleOut = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'type', 'params', 'action', 'enabled', 'reasonTemplate'],
  properties: {
    id: { type: 'string' },
    type: { type: 'string', enum: RISK_RULE_TYPES },
    params: { type: 'object', description: 'per type; money as { amount, currency } in minor units' },
    action: { type: 'string', enum: RISK_ACTIONS },
    enabled: { type: 'boolean' },
    reasonTemplate: { type: 'string' },
  },
} as const satisfies JsonSchema;

function ruleJson(rule: RiskRule) {
  return JSON.parse(JSON.stringify(rule)) as Record<string, unknown>;
}

const verdictOut = {
  type: 'object',
  additionalProperties: false,
  required: ['ruleId', 'ruleType', 'action', 'outcome', 'triggered', 'reason', 'values'],
  properties: {
    ruleId: { type: 'string' },
    ruleType: { type: 'string', enum: RISK_RULE_TYPES },
    action: { type: 'string', enum: RISK_ACTIONS },
    outcome: { type: 'string', enum: [...RISK_ACTIONS, 'SKIPPED'] },
    triggered: { type: 'boolean' },
    reason: { type: 'string' },
    values: { type: 'object', additionalProperties: { type: 'string' } },
  },
} as const satisfies JsonSchema;

const verdictJson = (v: RuleVerdict) => ({
  ruleId: v.ruleId,
  ruleType: v.ruleType,
  action: v.action,
  outcome: v.outcome,
  triggered: v.triggered,
  reason: v.reason,
  values: { ...v.values },
});

export const assessOrderRiskRoute = defineRoute<Record<string, never>, Record<string, never>, { orderId: OrderId }>({
  method: 'post',
  path: '/risk/assess',
  operationId: 'assessOrderRisk',
  auditTarget: { type: 'order', body: 'orderId' },
  summary:
    "Assess an order against the rules in force now and the retailer's history now (e.g. a held order under " +
    'review): the verdict, every rule’s outcome and the reasons. A dry run: nothing is recorded, the order does ' +
    'not move. Staff only.',
  tag: 'risk',
  access: STAFF,
  body: { type: 'object', additionalProperties: false, required: ['orderId'], properties: { orderId: uuid } },
  responses: {
    200: {
      description: 'the assessment',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['orderId', 'rulesSource', 'asOf', 'verdict', 'decidingRuleIds', 'reasons', 'verdicts'],
        properties: {
          orderId: { type: 'string', format: 'uuid' },
          rulesSource: { type: 'string', enum: ['stored', 'defaults'] },
          asOf: { type: 'string', format: 'date-time' },
          verdict: { type: 'string', enum: RISK_ACTIONS },
          decidingRuleIds: { type: 'array', items: { type: 'string' } },
          reasons: { type: 'array', items: { type: 'string' } },
          verdicts: { type: 'array', items: verdictOut },
        },
      },
    },
    ...COMMON_ERRORS,
    404: error('no such order'),
  },
  async handle({ body, get }) {
    const review = unwrap(await get(USE_CASE_TOKENS.assessOrderRisk).execute({ orderId: body.orderId }));
    const a = review.assessment;
    return {
      status: 200,
      body: {
        orderId: review.orderId,
        rulesSource: review.source,
        asOf: a.asOf.toISOString(),
        verdict: a.verdict,
        decidingRuleIds: [...a.decidingRuleIds],
        reasons: [...a.reasons],
        verdicts: a.verdicts.map(verdictJson),
      },
    };
  },
});

export const listRiskRulesRoute = defineRoute({
  method: 'get',
  path: '/risk/rules',
  operationId: 'listRiskRules',
  summary: 'The risk rules in force, by id: the stored set, or the documented defaults while none is stored.',
  tag: 'risk',
  access: STAFF,
  responses: {
    200: {
      description: 'the rules',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['source', 'rules'],
        properties: {
          source: { type: 'string', enum: ['stored', 'defaults'] },
          rules: { type: 'array', items: ruleOut },
        },
      },
    },
    ...COMMON_ERRORS,
  },
  async handle({ get }) {
    const inForce = unwrap(await get(USE_CASE_TOKENS.listRiskRules).execute({}));
    return { status: 200, body: { source: inForce.source, rules: inForce.rules.map(ruleJson) } };
  },
});

interface RuleBody {
  readonly type: string;
  readonly params: Record<string, unknown>;
  readonly action: string;
  readonly enabled?: boolean;
  readonly reasonTemplate?: string;
}

export const saveRiskRuleRoute = defineRoute<{ ruleId: string }, Record<string, never>, RuleBody>({
  method: 'put',
  path: '/risk/rules/:ruleId',
  operationId: 'saveRiskRule',
  summary:
    'Create or replace one risk rule (the first save stores the default set beside it, so the rules in force never ' +
    'shrink to one). Rules are not deleted: `enabled: false` retires one and keeps it for the events that name ' +
    'it. The reason template may use only its type’s placeholders. Staff only; audited through the outbox.',
  tag: 'risk',
  access: STAFF,
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['ruleId'],
    properties: { ruleId: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', maxLength: 64 } },
  },
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'params', 'action'],
    properties: {
      type: { type: 'string', enum: RISK_RULE_TYPES },
      params: paramsIn,
      action: { type: 'string', enum: RISK_ACTIONS },
      enabled: { type: 'boolean' },
      reasonTemplate: { type: 'string', minLength: 1, maxLength: 300 },
    },
  },
  responses: { 200: { description: 'the rule as stored', schema: ruleOut }, ...COMMON_ERRORS },
  async handle({ params, body, principal, get }) {
    const rule = unwrap(
      await get(USE_CASE_TOKENS.manageRiskRules).execute({
        rule: { ...body, id: params.ruleId },
        actor: actorOf(principal),
      }),
    );
    return { status: 200, body: ruleJson(rule) };
  },
});

const eventOut = {
  type: 'object',
  additionalProperties: false,
  required: [...verdictOut.required, 'id', 'orderId', 'retailerId', 'assessedAt', 'assessmentVerdict'],
  properties: {
    ...verdictOut.properties,
    id: { type: 'string' },
    orderId: { type: 'string', format: 'uuid' },
    retailerId: { type: 'string', format: 'uuid' },
    assessedAt: { type: 'string', format: 'date-time' },
    assessmentVerdict: { type: 'string', enum: RISK_ACTIONS },
  },
} as const satisfies JsonSchema;

const eventJson = (e: RiskEvent) => ({
  ...verdictJson(e),
  id: e.id,
  orderId: e.orderId,
  retailerId: e.retailerId,
  assessedAt: e.assessedAt.toISOString(),
  assessmentVerdict: e.assessmentVerdict,
});

export const listRiskEventsRoute = defineRoute<
  Record<string, never>,
  { orderId?: OrderId; retailerId?: RetailerId; limit: number }
>({
  method: 'get',
  path: '/risk/events',
  operationId: 'listRiskEvents',
  summary:
    'What the risk rules said, as recorded when orders were placed: one event per rule per order. Name an `orderId` ' +
    '(oldest first) or a `retailerId` (newest first, `limit` 1-200). Staff only.',
  tag: 'risk',
  access: STAFF,
  query: {
    type: 'object',
    additionalProperties: false,
    properties: { orderId: uuid, retailerId: uuid, limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
  },
  responses: {
    200: {
      description: 'the events',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['items'],
        properties: { items: { type: 'array', items: eventOut } },
      },
    },
    ...COMMON_ERRORS,
    404: error('no such order or retailer'),
  },
  async handle({ query, get }) {
    if ((query.orderId === undefined) === (query.retailerId === undefined)) {
      throw new ValidationError('name either an orderId or a retailerId');
    }
    const events = unwrap(
      await get(USE_CASE_TOKENS.listRiskEvents).execute(
        query.orderId ? { orderId: query.orderId } : { retailerId: query.retailerId as RetailerId, limit: query.limit },
      ),
    );
    return { status: 200, body: { items: events.map(eventJson) } };
  },
});

export const RISK_ROUTES: readonly AnyRoute[] = [
  assessOrderRiskRoute,
  listRiskRulesRoute,
  saveRiskRuleRoute,
  listRiskEventsRoute,
] as AnyRoute[];

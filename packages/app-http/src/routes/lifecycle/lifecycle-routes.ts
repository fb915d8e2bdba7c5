import {
  ErrorCodes,
  IllegalStateError,
  NotFoundError,
  type Order,
  type OrderId,
  REASON_MAX_LENGTH,
  ROUTING_EXCLUSION_REASONS,
  type RoutingDecisionRecord,
  USE_CASE_TOKENS,
  unwrap,
  type VendorId,
} from '@khaacho/core';
import { actorOf, isStaff, type Principal } from '../../http/principal.js';
import { errorSchema, moneySchema, orderIdParams, uuid } from '../common-schemas.js';
import { orderJson } from '../orders/order-json.js';
import { ownOrder } from '../orders/order-routes.js';
import { orderSchema } from '../orders/order-schemas.js';
import { type AnyRoute, defineRoute, type JsonSchema, type RouteInput } from '../route.js';

interface OrderIdParams {
  readonly orderId: OrderId;
}

const error = (description: string) => ({ description, schema: errorSchema });
const COMMON_ERRORS = {
  401: error('not authenticated'),
  403: error('the role may not do this'),
  404: error('no such order (or not yours)'),
  422: error('the request is invalid'),
};
const STAFF = ['ADMIN', 'OPERATOR'] as const;
const FULFILERS = ['ADMIN', 'OPERATOR', 'VENDOR'] as const;

const factorsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['price', 'coverage', 'reliability', 'distance', 'load'],
  properties: Object.fromEntries(
    ['price', 'coverage', 'reliability', 'distance', 'load'].map((f) => [f, { type: 'number' }]),
  ),
} as const satisfies JsonSchema;

const uncoveredLineSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['lineIndex', 'productId', 'sku'],
  properties: { lineIndex: { type: 'integer' }, productId: { type: 'string' }, sku: { type: 'string' } },
} as const satisfies JsonSchema;

const decisionSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'attempt',
    'decidedAt',
    'weights',
    'selectedVendorId',
    'candidates',
    'excluded',
    'fullCoverage',
    'uncoveredLines',
    'linesCoveredByNoCandidate',
  ],
  properties: {
    attempt: { type: 'integer', description: 'the offer attempt this decision chose the vendor for (1-based)' },
    decidedAt: { type: 'string', format: 'date-time' },
    weights: { ...factorsSchema, description: 'normalised weights of the factors' },
    selectedVendorId: { type: ['string', 'null'], description: 'null: no candidate left (manual assignment)' },
    candidates: {
      type: 'array',
      description: 'ranked best first',
      items: {
        type: 'object',
        additionalProperties: false,
        required: [
          'rank',
          'vendorId',
          'score',
          'factors',
          'fullCoverage',
          'coveredLines',
          'uncoveredLineIndexes',
          'estimatedCost',
          'distanceKm',
          'confirmedToday',
          'dailyCapacity',
          'reliabilitySamples',
        ],
        properties: {
          rank: { type: 'integer' },
          vendorId: { type: 'string', format: 'uuid' },
          score: { type: 'number', description: 'Σ weight × factor, 0..1' },
          factors: { ...factorsSchema, description: 'each 0..1, 1 = best' },
          fullCoverage: { type: 'boolean' },
          coveredLines: { type: 'integer' },
          uncoveredLineIndexes: { type: 'array', items: { type: 'integer' } },
          estimatedCost: moneySchema,
          distanceKm: { type: ['number', 'null'] },
          confirmedToday: { type: 'integer' },
          dailyCapacity: { type: 'integer' },
          reliabilitySamples: { type: 'integer' },
        },
      },
    },
    excluded: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['vendorId', 'reason', 'detail'],
        properties: {
          vendorId: { type: 'string', format: 'uuid' },
          reason: { type: 'string', enum: ROUTING_EXCLUSION_REASONS },
          detail: { type: 'string' },
        },
      },
    },
    fullCoverage: { type: 'boolean' },
    uncoveredLines: { type: 'array', items: uncoveredLineSchema },
    linesCoveredByNoCandidate: { type: 'array', items: uncoveredLineSchema },
  },
} as const satisfies JsonSchema;

function decisionJson(record: RoutingDecisionRecord) {
  const d = record.decision;
  return {
    attempt: record.attempt,
    decidedAt: d.decidedAt.toISOString(),
    weights: { ...d.weights },
    selectedVendorId: d.selectedVendorId,
    candidates: d.candidates.map((c) => ({
      rank: c.rank,
      vendorId: c.vendorId,
      score: c.score,
      factors: { ...c.factors },
      fullCoverage: c.fullCoverage,
      coveredLines: c.coveredLines,
      uncoveredLineIndexes: [...c.uncoveredLineIndexes],
      estimatedCost: c.estimatedCost.toJSON(),
      distanceKm: c.distanceKm,
      confirmedToday: c.confirmedToday,
      dailyCapacity: c.dailyCapacity,
      reliabilitySamples: c.reliabilitySamples,
    })),
    excluded: d.excluded.map((e) => ({ vendorId: e.vendorId, reason: e.reason, detail: e.detail })),
    fullCoverage: d.fullCoverage,
    uncoveredLines: d.uncoveredLines.map((l) => ({ ...l })),
    linesCoveredByNoCandidate: d.linesCoveredByNoCandidate.map((l) => ({ ...l })),
  };
}

/**
 * A vendor fulfils only the order it holds; one it was merely offered (and another vendor
 * took) is none of its business any more, so it is told the order does not exist.
 */
async function fulfillableOrder(input: RouteInput<OrderIdParams, unknown, unknown>): Promise<Order> {
  const order = await ownOrder(input);
  if (input.principal.role === 'VENDOR' && order.vendorId !== input.principal.vendorId) {
    // Offered to it and not yet answered: the order exists for it, it is just too early.
    if (order.vendorId === null && order.pendingOffer()?.vendorId === input.principal.vendorId) {
      throw new IllegalStateError(ErrorCodes.ORDER_ILLEGAL_TRANSITION, 'accept the offer first', { orderId: order.id });
    }
    throw new NotFoundError('order', input.params.orderId);
  }
  return order;
}

/**
 * Which vendor's offer is being answered: a vendor answers for itself; staff answer the
 * offer that is waiting (or, repeating an accept, the vendor that already holds the order).
 */
function answeringVendor(order: Order, principal: Principal): VendorId {
  if (!isStaff(principal)) return principal.vendorId as VendorId;
  const vendorId = order.pendingOffer()?.vendorId ?? order.vendorId;
  if (!vendorId) {
    throw new IllegalStateError(ErrorCodes.ORDER_NO_PENDING_OFFER, 'no offer is waiting for an answer', {
      orderId: order.id,
    });
  }
  return vendorId;
}

export const routedSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['outcome', 'order', 'vendorId', 'reason'],
  properties: {
    outcome: { type: 'string', enum: ['OFFERED', 'NEEDS_MANUAL_ASSIGNMENT', 'SKIPPED'] },
    order: orderSchema,
    vendorId: { type: ['string', 'null'], description: 'the vendor offered the order (OFFERED)' },
    reason: { type: ['string', 'null'], description: 'why nothing was done (SKIPPED)' },
  },
} as const satisfies JsonSchema;

export const routeOrderRoute = defineRoute<OrderIdParams>({
  method: 'post',
  path: '/orders/:orderId/route',
  operationId: 'routeOrder',
  summary:
    'Run routing now: offer a ROUTING order to the best vendor not yet tried (the decision is stored), or flag it ' +
    'for manual assignment when none is left. SKIPPED (200) when the order is not ROUTING or an offer is waiting.',
  tag: 'lifecycle',
  access: STAFF,
  params: orderIdParams,
  responses: { 200: { description: 'what routing did', schema: routedSchema }, ...COMMON_ERRORS },
  async handle({ params, principal, get }) {
    const routed = unwrap(
      await get(USE_CASE_TOKENS.routeOrder).execute({ orderId: params.orderId, actor: actorOf(principal) }),
    );
    return {
      status: 200,
      body: {
        outcome: routed.outcome,
        order: orderJson(routed.order),
        vendorId: routed.outcome === 'OFFERED' ? routed.vendorId : null,
        reason: routed.outcome === 'SKIPPED' ? routed.reason : null,
      },
    };
  },
});

export const listRoutingDecisionsRoute = defineRoute<OrderIdParams>({
  method: 'get',
  path: '/orders/:orderId/routing-decisions',
  operationId: 'listRoutingDecisions',
  summary:
    "Why each offer went where it did: every routing decision of the order, by attempt, with every candidate's " +
    'factor scores and the vendors left out. Staff only (it shows the vendors’ prices to each other).',
  tag: 'lifecycle',
  access: STAFF,
  params: orderIdParams,
  responses: {
    200: {
      description: 'the decisions, oldest attempt first',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['items'],
        properties: { items: { type: 'array', items: decisionSchema } },
      },
    },
    ...COMMON_ERRORS,
  },
  async handle({ params, get }) {
    const records = unwrap(await get(USE_CASE_TOKENS.listRoutingDecisions).execute({ orderId: params.orderId }));
    return { status: 200, body: { items: records.map(decisionJson) } };
  },
});

export const assignOrderRoute = defineRoute<OrderIdParams, Record<string, never>, { vendorId: VendorId }>({
  method: 'post',
  path: '/orders/:orderId/assign',
  operationId: 'assignOrder',
  summary:
    'Manual assignment: offer a ROUTING order to the vendor an operator chose (it does not count against the ' +
    'automatic attempts). The vendor still accepts or rejects it. 409 when an offer is waiting, the vendor was ' +
    'already tried or is not active, or the order is not ROUTING.',
  tag: 'lifecycle',
  access: STAFF,
  params: orderIdParams,
  body: { type: 'object', additionalProperties: false, required: ['vendorId'], properties: { vendorId: uuid } },
  responses: {
    200: { description: 'the order, offered to the vendor', schema: orderSchema },
    ...COMMON_ERRORS,
    404: error('no such order or vendor'),
    409: error('the order cannot be offered to this vendor now'),
  },
  async handle({ params, body, principal, get }) {
    const order = unwrap(
      await get(USE_CASE_TOKENS.offerOrderToVendor).execute({
        orderId: params.orderId,
        vendorId: body.vendorId,
        manual: true,
        actor: actorOf(principal),
      }),
    );
    return { status: 200, body: orderJson(order) };
  },
});

export const acceptOfferRoute = defineRoute<OrderIdParams>({
  method: 'post',
  path: '/orders/:orderId/accept',
  operationId: 'acceptOffer',
  summary:
    "Accept the offer: the order is CONFIRMED and its value held on the retailer's credit, in one transaction. " +
    'The vendor it was offered to (staff may answer for it); repeating it changes nothing. 409 when no offer is ' +
    "waiting for this vendor. Another vendor's order answers 404.",
  tag: 'lifecycle',
  access: FULFILERS,
  params: orderIdParams,
  responses: {
    200: { description: 'the confirmed order', schema: orderSchema },
    ...COMMON_ERRORS,
    409: error('no offer of this vendor is waiting, or the order moved on'),
  },
  async handle(input) {
    const order = await ownOrder(input);
    const accepted = unwrap(
      await input.get(USE_CASE_TOKENS.acceptVendorOffer).execute({
        orderId: order.id,
        vendorId: answeringVendor(order, input.principal),
        actor: actorOf(input.principal),
      }),
    );
    return { status: 200, body: orderJson(accepted) };
  },
});

export const rejectOfferRoute = defineRoute<OrderIdParams, Record<string, never>, { reason?: string }>({
  method: 'post',
  path: '/orders/:orderId/reject',
  operationId: 'rejectOffer',
  summary:
    'Reject the offer (with an optional reason): the order goes back to routing for the next vendor, or to manual ' +
    "assignment. The vendor it was offered to, or staff for it. Another vendor's order answers 404.",
  tag: 'lifecycle',
  access: FULFILERS,
  params: orderIdParams,
  body: {
    type: 'object',
    additionalProperties: false,
    properties: { reason: { type: 'string', minLength: 1, maxLength: REASON_MAX_LENGTH } },
  },
  responses: {
    200: { description: 'the order, routing again', schema: orderSchema },
    ...COMMON_ERRORS,
    409: error('no offer of this vendor is waiting'),
  },
  async handle(input) {
    const order = await ownOrder(input);
    const rejected = unwrap(
      await input.get(USE_CASE_TOKENS.rejectVendorOffer).execute({
        orderId: order.id,
        vendorId: answeringVendor(order, input.principal),
        reason: input.body?.reason ?? null,
        actor: actorOf(input.principal),
      }),
    );
    return { status: 200, body: orderJson(rejected) };
  },
});

export const dispatchOrderRoute = defineRoute<OrderIdParams>({
  method: 'post',
  path: '/orders/:orderId/dispatch',
  operationId: 'dispatchOrder',
  summary:
    'Mark a CONFIRMED order dispatched. The vendor holding it or staff; a second dispatch changes nothing; ' +
    '409 ORDER.ILLEGAL_TRANSITION before it is confirmed or once cancelled.',
  tag: 'lifecycle',
  access: FULFILERS,
  params: orderIdParams,
  responses: {
    200: { description: 'the dispatched order', schema: orderSchema },
    ...COMMON_ERRORS,
    409: error('the order cannot be dispatched now (ORDER.ILLEGAL_TRANSITION)'),
  },
  async handle(input) {
    await fulfillableOrder(input);
    const order = unwrap(
      await input
        .get(USE_CASE_TOKENS.dispatchOrder)
        .execute({ orderId: input.params.orderId, actor: actorOf(input.principal) }),
    );
    return { status: 200, body: orderJson(order) };
  },
});

export const deliverOrderRoute = defineRoute<OrderIdParams, Record<string, never>, { code?: string; reason?: string }>({
  method: 'post',
  path: '/orders/:orderId/deliver',
  operationId: 'deliverOrder',
  summary:
    "Mark a DISPATCHED order delivered: the credit hold becomes an invoice due after the retailer's net terms " +
    '(COMPLETED at once when prepaid credit covers it), in one transaction. The vendor holding it gives the ' +
    "shop's 4-digit `code`: a wrong one is 422 DELIVERY.WRONG_CODE (`details.attemptsLeft`); the third wrong " +
    'one, or no code, puts the delivery in dispute for an operator: 409 DELIVERY.DISPUTED, no invoice. Staff may ' +
    'deliver without the code with a `reason` (an audited override). Repeating a delivery changes nothing; ' +
    '409 ORDER.ILLEGAL_TRANSITION before dispatch.',
  tag: 'lifecycle',
  access: FULFILERS,
  params: orderIdParams,
  body: {
    type: 'object',
    additionalProperties: false,
    properties: {
      code: {
        type: 'string',
        maxLength: 4,
        pattern: '^[0-9]{4}$',
        description: 'the code the shop received on dispatch',
      },
      reason: {
        type: 'string',
        minLength: 1,
        maxLength: REASON_MAX_LENGTH,
        description: 'staff delivering without the code: why',
      },
    },
  },
  responses: {
    200: { description: 'the delivered (or completed) order', schema: orderSchema },
    ...COMMON_ERRORS,
    409: error('the order cannot be delivered now (ORDER.ILLEGAL_TRANSITION), or it is in dispute (DELIVERY.DISPUTED)'),
  },
  async handle(input) {
    await fulfillableOrder(input);
    const order = unwrap(
      await input.get(USE_CASE_TOKENS.deliverOrder).execute({
        orderId: input.params.orderId,
        actor: actorOf(input.principal),
        code: input.body?.code ?? null,
        reason: input.body?.reason ?? null,
      }),
    );
    return { status: 200, body: orderJson(order) };
  },
});

export const LIFECYCLE_ROUTES: readonly AnyRoute[] = [
  routeOrderRoute,
  listRoutingDecisionsRoute,
  assignOrderRoute,
  acceptOfferRoute,
  rejectOfferRoute,
  dispatchOrderRoute,
  deliverOrderRoute,
] as AnyRoute[];

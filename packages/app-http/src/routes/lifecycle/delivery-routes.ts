import { type DeliveryView, type OrderId, REASON_MAX_LENGTH, USE_CASE_TOKENS, unwrap } from '@khaacho/core';
import { actorOf } from '../../http/principal.js';
import { actorSchema, dateTime, errorSchema, orderIdParams, uuid } from '../common-schemas.js';
import { orderJson } from '../orders/order-json.js';
import { orderSchema } from '../orders/order-schemas.js';
import { type AnyRoute, defineRoute, type JsonSchema } from '../route.js';

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

const nullable = <S extends JsonSchema>(schema: S) => ({ anyOf: [schema, { type: 'null' }] }) as const;

/** A delivery as staff and the shop see it: never the code. */
const deliverySchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'orderId',
    'retailerId',
    'vendorId',
    'status',
    'failedAttempts',
    'issuedAt',
    'confirmedAs',
    'delivered',
    'dispute',
    'settled',
  ],
  properties: {
    orderId: uuid,
    retailerId: uuid,
    vendorId: uuid,
    status: { type: 'string', enum: ['AWAITING_CODE', 'CONFIRMED', 'DISPUTED', 'RESOLVED'] },
    failedAttempts: { type: 'integer', description: 'wrong codes entered by the vendor (3 open a dispute)' },
    issuedAt: dateTime,
    confirmedAs: { type: ['string', 'null'], enum: ['CODE', 'OVERRIDE', 'DISPUTE', null] },
    delivered: { type: ['boolean', 'null'] },
    dispute: nullable({
      type: 'object',
      additionalProperties: false,
      required: ['reason', 'at', 'by', 'note'],
      properties: {
        reason: { type: 'string', enum: ['WRONG_CODE_LIMIT', 'NO_CODE', 'NOT_RECEIVED'] },
        at: dateTime,
        by: actorSchema,
        note: { type: ['string', 'null'] },
      },
    }),
    settled: nullable({
      type: 'object',
      additionalProperties: false,
      required: ['at', 'by', 'note'],
      properties: { at: dateTime, by: actorSchema, note: { type: ['string', 'null'] } },
    }),
  },
} as const satisfies JsonSchema;

function deliveryJson(view: DeliveryView) {
  return {
    ...view,
    issuedAt: view.issuedAt.toISOString(),
    dispute: view.dispute ? { ...view.dispute, at: view.dispute.at.toISOString() } : null,
    settled: view.settled ? { ...view.settled, at: view.settled.at.toISOString() } : null,
  };
}

export const listDeliveryDisputesRoute = defineRoute<Record<string, never>, { cursor?: string; limit: number }>({
  method: 'get',
  path: '/deliveries/disputes',
  operationId: 'listDeliveryDisputes',
  summary:
    'Deliveries waiting for an operator, oldest dispute first (keyset cursor): [Delivered] without the code, ' +
    "three wrong codes, or the shop's not-received. Staff only.",
  tag: 'lifecycle',
  access: ['ADMIN', 'OPERATOR'],
  query: {
    type: 'object',
    additionalProperties: false,
    properties: {
      cursor: { type: 'string', maxLength: 64 },
      limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    },
  },
  responses: {
    200: {
      description: 'one page',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['items', 'nextCursor'],
        properties: { items: { type: 'array', items: deliverySchema }, nextCursor: { type: ['string', 'null'] } },
      },
    },
    ...COMMON_ERRORS,
  },
  async handle({ query, get, principal }) {
    const page = unwrap(
      await get(USE_CASE_TOKENS.listDeliveryDisputes).execute({
        actor: actorOf(principal),
        cursor: query.cursor ?? null,
        limit: query.limit,
      }),
    );
    return { status: 200, body: { items: page.items.map(deliveryJson), nextCursor: page.nextCursor } };
  },
});

export const reportDeliveryNotReceivedRoute = defineRoute<OrderIdParams, Record<string, never>, { note?: string }>({
  method: 'post',
  path: '/orders/:orderId/delivery/not-received',
  operationId: 'reportDeliveryNotReceived',
  summary:
    "The shop says a DISPATCHED order has not arrived: the delivery goes into dispute for an operator and the vendor's " +
    "code no longer settles it. The shop's own orders (another shop's answers 404) or staff for it; saying it again " +
    'is the same dispute; 409 DELIVERY.SETTLED once delivered, ORDER.ILLEGAL_TRANSITION before dispatch.',
  tag: 'lifecycle',
  access: ['ADMIN', 'OPERATOR', 'RETAILER'],
  params: orderIdParams,
  body: {
    type: 'object',
    additionalProperties: false,
    properties: { note: { type: 'string', minLength: 1, maxLength: 1000 } },
  },
  responses: {
    200: { description: 'the delivery, in dispute', schema: deliverySchema },
    ...COMMON_ERRORS,
    409: error('no delivery to dispute now (DELIVERY.SETTLED, ORDER.ILLEGAL_TRANSITION)'),
  },
  async handle({ params, body, get, principal }) {
    const actor = actorOf(principal);
    const view = unwrap(
      await get(USE_CASE_TOKENS.reportDeliveryNotReceived).execute({
        orderId: params.orderId,
        actor,
        note: body?.note ?? null,
      }),
    );
    return { status: 200, body: deliveryJson(view) };
  },
});

export const resolveDeliveryDisputeRoute = defineRoute<
  OrderIdParams,
  Record<string, never>,
  { delivered: boolean; reason: string }
>({
  method: 'post',
  path: '/orders/:orderId/delivery/resolve',
  operationId: 'resolveDeliveryDispute',
  summary:
    "An operator's decision on a delivery in dispute. `delivered: true`: DELIVERED and invoiced (COMPLETED when " +
    'prepaid); `false`: CANCELLED and the credit hold released. The reason is the audit. The same decision again ' +
    'answers the order as it is; 409 DELIVERY.NOT_DISPUTED or DELIVERY.SETTLED otherwise. Staff only.',
  tag: 'lifecycle',
  access: ['ADMIN', 'OPERATOR'],
  params: orderIdParams,
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['delivered', 'reason'],
    properties: {
      delivered: { type: 'boolean' },
      reason: { type: 'string', minLength: 1, maxLength: REASON_MAX_LENGTH },
    },
  },
  responses: {
    200: { description: 'the order, delivered or cancelled', schema: orderSchema },
    ...COMMON_ERRORS,
    409: error('the delivery is not in dispute, or was decided the other way'),
  },
  async handle({ params, body, get, principal }) {
    const order = unwrap(
      await get(USE_CASE_TOKENS.resolveDeliveryDispute).execute({
        orderId: params.orderId,
        delivered: body.delivered,
        reason: body.reason,
        actor: actorOf(principal),
      }),
    );
    return { status: 200, body: orderJson(order) };
  },
});

export const DELIVERY_ROUTES: readonly AnyRoute[] = [
  listDeliveryDisputesRoute,
  reportDeliveryNotReceivedRoute,
  resolveDeliveryDisputeRoute,
] as AnyRoute[];

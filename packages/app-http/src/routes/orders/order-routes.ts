import {
  type Order,
  type OrderFilter,
  type OrderId,
  type OrderStatus,
  NotFoundError,
  type RetailerId,
  USE_CASE_TOKENS,
  unwrap,
  ValidationError,
  type VendorId,
} from '@khaacho/core';
import { actorOf, isStaff, type Principal } from '../../http/principal.js';
import { errorSchema, orderIdParams } from '../common-schemas.js';
import { type AnyRoute, defineRoute, type RouteInput } from '../route.js';
import { orderJson, timelineJson } from './order-json.js';
import {
  cancelOrderBody,
  listOrdersQuery,
  orderPageSchema,
  orderSchema,
  placedOrderSchema,
  placeOrderBody,
  timelineSchema,
} from './order-schemas.js';

type Unit = 'piece' | 'kg' | 'g' | 'litre' | 'ml' | 'carton' | 'bag' | 'packet' | 'dozen' | 'bottle' | 'box';

interface PlaceOrderBody {
  readonly retailerId?: RetailerId;
  readonly lines: readonly { productId?: string; sku?: string; quantity: number; unit?: Unit }[];
  readonly note?: string | null;
}

interface ListOrdersQuery {
  readonly status?: string;
  readonly source?: 'whatsapp' | 'api' | 'admin';
  readonly retailerId?: RetailerId;
  readonly vendorId?: VendorId;
  readonly placedFrom?: string;
  readonly placedTo?: string;
  readonly needsManualAssignment?: boolean;
  readonly cursor?: string;
  readonly limit: number;
}

interface OrderIdParams {
  readonly orderId: OrderId;
}

const error = (description: string) => ({ description, schema: errorSchema });
const COMMON_ERRORS = {
  401: error('not authenticated'),
  403: error('the role may not do this'),
  422: error('the request is invalid'),
};

/** May this principal see this order? Anyone else is told it does not exist. */
export function visible(order: Order, principal: Principal): boolean {
  switch (principal.role) {
    case 'ADMIN':
    case 'OPERATOR':
      return true;
    case 'RETAILER':
      return order.retailerId === principal.retailerId;
    case 'VENDOR':
      // The vendor holding it, or one it was offered to (it saw the offer).
      return (
        order.vendorId === principal.vendorId || order.routingAttempts.some((a) => a.vendorId === principal.vendorId)
      );
  }
}

export async function ownOrder({
  get,
  params,
  principal,
}: Pick<RouteInput<OrderIdParams, unknown, unknown>, 'get' | 'params' | 'principal'>): Promise<Order> {
  const order = unwrap(await get(USE_CASE_TOKENS.getOrder).execute({ orderId: params.orderId }));
  if (!visible(order, principal)) throw new NotFoundError('order', params.orderId);
  return order;
}

const ALL_ROLES = ['ADMIN', 'OPERATOR', 'RETAILER', 'VENDOR'] as const;

export const placeOrderRoute = defineRoute<Record<string, never>, Record<string, never>, PlaceOrderBody>({
  method: 'post',
  path: '/orders',
  operationId: 'placeOrder',
  auditTarget: { type: 'order', result: ['order', 'id'] },
  summary:
    'Place an order. It is priced, credit- and risk-checked and committed in the request: 201 with the order, ' +
    'ROUTING (vendors are offered it in the background), ON_HOLD (an operator reviews it) or REJECTED (reasons say why).',
  tag: 'orders',
  access: ['RETAILER', 'OPERATOR', 'ADMIN'],
  idempotent: true,
  body: placeOrderBody,
  responses: {
    201: { description: 'the order as committed', schema: placedOrderSchema },
    ...COMMON_ERRORS,
    404: error('the retailer does not exist (or is not yours)'),
    409: error('the retailer is not active, or a request with this Idempotency-Key is still running'),
  },
  async handle({ body, principal, get }) {
    let retailerId: RetailerId;
    if (isStaff(principal)) {
      if (!body.retailerId) throw new ValidationError('staff must name the retailerId the order is for');
      retailerId = body.retailerId;
    } else {
      const own = principal.retailerId as RetailerId;
      if (body.retailerId !== undefined && body.retailerId !== own)
        throw new NotFoundError('retailer', body.retailerId);
      retailerId = own;
    }
    const placed = unwrap(
      await get(USE_CASE_TOKENS.placeOrder).execute({
        retailerId,
        lines: body.lines.map((l) => ({
          ...(l.productId === undefined ? {} : { productId: l.productId as never }),
          ...(l.sku === undefined ? {} : { sku: l.sku }),
          quantity: l.quantity,
          ...(l.unit === undefined ? {} : { unit: l.unit }),
        })),
        source: isStaff(principal) ? 'admin' : 'api',
        note: body.note ?? null,
        actor: actorOf(principal),
      }),
    );
    return {
      status: 201,
      body: { order: orderJson(placed.order), reasons: [...placed.reasons] },
      headers: { Location: `/api/v1/orders/${placed.order.id}` },
    };
  },
});

export const listOrdersRoute = defineRoute<Record<string, never>, ListOrdersQuery>({
  method: 'get',
  path: '/orders',
  operationId: 'listOrders',
  summary:
    'Orders, newest first, one page at a time (keyset cursor). A retailer sees its own, a vendor those it holds.',
  tag: 'orders',
  access: ALL_ROLES,
  query: listOrdersQuery,
  responses: { 200: { description: 'one page', schema: orderPageSchema }, ...COMMON_ERRORS },
  async handle({ query, principal, get }) {
    const filter: { -readonly [K in keyof OrderFilter]: OrderFilter[K] } = {};
    if (query.status) filter.statuses = query.status.split(',') as OrderStatus[];
    if (query.source) filter.source = query.source;
    if (query.placedFrom) filter.placedFrom = new Date(query.placedFrom);
    if (query.placedTo) filter.placedTo = new Date(query.placedTo);
    if (query.needsManualAssignment !== undefined) filter.needsManualAssignment = query.needsManualAssignment;
    if (query.retailerId) filter.retailerId = query.retailerId;
    if (query.vendorId) filter.vendorId = query.vendorId;
    if (principal.role === 'RETAILER') {
      if (query.retailerId && query.retailerId !== principal.retailerId)
        throw new NotFoundError('retailer', query.retailerId);
      filter.retailerId = principal.retailerId as RetailerId;
    }
    if (principal.role === 'VENDOR') {
      if (query.vendorId && query.vendorId !== principal.vendorId) throw new NotFoundError('vendor', query.vendorId);
      filter.vendorId = principal.vendorId as VendorId;
    }
    const page = unwrap(
      await get(USE_CASE_TOKENS.listOrders).execute({
        filter,
        page: { limit: query.limit, cursor: query.cursor ?? null },
      }),
    );
    return { status: 200, body: { items: page.items.map(orderJson), nextCursor: page.nextCursor } };
  },
});

export const getOrderRoute = defineRoute<OrderIdParams>({
  method: 'get',
  path: '/orders/:orderId',
  operationId: 'getOrder',
  summary: "One order. Another party's order answers 404.",
  tag: 'orders',
  access: ALL_ROLES,
  params: orderIdParams,
  responses: { 200: { description: 'the order', schema: orderSchema }, ...COMMON_ERRORS, 404: error('no such order') },
  async handle(input) {
    return { status: 200, body: orderJson(await ownOrder(input)) };
  },
});

export const cancelOrderRoute = defineRoute<OrderIdParams, Record<string, never>, { reason: string }>({
  method: 'post',
  path: '/orders/:orderId/cancel',
  operationId: 'cancelOrder',
  summary: "Cancel an order before dispatch; a confirmed order's credit hold is released in the same transaction.",
  tag: 'orders',
  access: ['RETAILER', 'OPERATOR', 'ADMIN'],
  params: orderIdParams,
  body: cancelOrderBody,
  responses: {
    200: { description: 'the cancelled order', schema: orderSchema },
    ...COMMON_ERRORS,
    404: error('no such order'),
    409: error('the order can no longer be cancelled (ORDER.ILLEGAL_TRANSITION)'),
  },
  async handle(input) {
    await ownOrder(input);
    const order = unwrap(
      await input.get(USE_CASE_TOKENS.cancelOrder).execute({
        orderId: input.params.orderId,
        reason: input.body.reason,
        actor: actorOf(input.principal),
      }),
    );
    return { status: 200, body: orderJson(order) };
  },
});

export const orderTimelineRoute = defineRoute<OrderIdParams>({
  method: 'get',
  path: '/orders/:orderId/timeline',
  operationId: 'getOrderTimeline',
  summary: 'What happened to an order: every status change (who, why) and every offer to a vendor with its answer.',
  tag: 'orders',
  access: ALL_ROLES,
  params: orderIdParams,
  responses: {
    200: { description: 'the timeline', schema: timelineSchema },
    ...COMMON_ERRORS,
    404: error('no such order'),
  },
  async handle(input) {
    return { status: 200, body: timelineJson(await ownOrder(input)) };
  },
});

export const ORDER_ROUTES: readonly AnyRoute[] = [
  placeOrderRoute,
  listOrdersRoute,
  getOrderRoute,
  cancelOrderRoute,
  orderTimelineRoute,
] as AnyRoute[];

import {
  HOLD_REASONS,
  type HeldOrder,
  type HoldReason,
  Money,
  ONBOARDING_STATUSES,
  type OnboardingRequest,
  type OnboardingRequestId,
  type OnboardingStatus,
  type OrderId,
  REASON_MAX_LENGTH,
  type Retailer,
  USE_CASE_TOKENS,
  unwrap,
} from '@khaacho/core';
import { actorOf } from '../../http/principal.js';
import { actorSchema, dateTime, errorSchema, moneySchema, orderIdParams, pageOf, uuid } from '../common-schemas.js';
import { orderJson } from '../orders/order-json.js';
import { orderSchema } from '../orders/order-schemas.js';
import { type AnyRoute, defineRoute, type JsonSchema } from '../route.js';

/*
 * The operators' approvals queue (issue 13): orders held ON_HOLD (over the shop's credit, or
 * for a risk review) and onboarding requests of unknown WhatsApp numbers, each with its
 * decision. Every decision is a staff write: the router audits it.
 */

const STAFF = ['ADMIN', 'OPERATOR'] as const;
const error = (description: string) => ({ description, schema: errorSchema });
const COMMON = {
  401: error('not authenticated'),
  403: error('the role may not do this'),
  422: error('invalid request'),
  429: error('over the admin rate limit: see Retry-After'),
};
const reason = { type: 'string', minLength: 1, maxLength: REASON_MAX_LENGTH } as const;
const pageQuery = {
  cursor: { type: 'string', maxLength: 200, description: "the previous page's nextCursor" },
  limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
} as const;

const heldOrderSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['order', 'holdReason', 'creditLimit', 'available', 'overBy'],
  properties: {
    order: orderSchema,
    holdReason: { type: 'string', enum: HOLD_REASONS },
    creditLimit: moneySchema,
    available: { ...moneySchema, description: "the shop's available credit now, without this order" },
    overBy: {
      ...moneySchema,
      description:
        'how far past the available credit approving goes: above zero, approving is an override and needs a reason',
    },
  },
} as const satisfies JsonSchema;

function heldOrderJson(h: HeldOrder) {
  return {
    order: orderJson(h.order),
    holdReason: h.order.holdReason ?? 'RISK_REVIEW',
    creditLimit: h.creditLimit.toJSON(),
    available: h.available.toJSON(),
    overBy: h.overBy.toJSON(),
  };
}

interface HeldOrdersQuery {
  readonly holdReason?: HoldReason;
  readonly cursor?: string;
  readonly limit: number;
}

export const listHeldOrdersRoute = defineRoute<Record<string, never>, HeldOrdersQuery>({
  method: 'get',
  path: '/admin/approvals/orders',
  operationId: 'listHeldOrders',
  summary:
    'The approvals queue of orders: ON_HOLD, newest first, by hold reason (CREDIT_LIMIT: over the shop’s credit; RISK_REVIEW), each with the shop’s credit now.',
  tag: 'approvals',
  access: STAFF,
  rateLimit: 'admin',
  query: {
    type: 'object',
    additionalProperties: false,
    properties: { holdReason: { type: 'string', enum: HOLD_REASONS }, ...pageQuery },
  },
  responses: {
    200: {
      description: 'one page',
      schema: pageOf(heldOrderSchema),
    },
    ...COMMON,
  },
  async handle({ query, principal, get }) {
    const page = unwrap(
      await get(USE_CASE_TOKENS.listHeldOrders).execute({
        ...(query.holdReason ? { holdReason: query.holdReason } : {}),
        page: { limit: query.limit, cursor: query.cursor ?? null },
        actor: actorOf(principal),
      }),
    );
    return { status: 200, body: { items: page.items.map(heldOrderJson), nextCursor: page.nextCursor } };
  },
});

export const approveHeldOrderRoute = defineRoute<{ orderId: OrderId }, Record<string, never>, { reason?: string }>({
  method: 'post',
  path: '/admin/approvals/orders/:orderId/approve',
  operationId: 'approveHeldOrder',
  summary:
    'Approve a held order: on to routing, the shop told in its language. Past the available credit it is an override: `reason` required (else 422 CREDIT.LIMIT_EXCEEDED, details: requested and available), recorded as credit.limit_overridden. Again: the same answer.',
  tag: 'approvals',
  access: STAFF,
  rateLimit: 'admin',
  idempotent: true,
  params: orderIdParams,
  body: { type: 'object', additionalProperties: false, properties: { reason } },
  responses: {
    200: { description: 'the order now', schema: orderSchema },
    404: error('no such order'),
    409: error('the order is not held (ORDER.ILLEGAL_TRANSITION)'),
    ...COMMON,
    422: error('invalid request, or past the available credit without a reason (CREDIT.LIMIT_EXCEEDED)'),
  },
  async handle({ params, body, principal, get }) {
    const order = unwrap(
      await get(USE_CASE_TOKENS.reviewHeldOrder).execute({
        orderId: params.orderId,
        decision: 'APPROVE',
        reason: body.reason ?? null,
        actor: actorOf(principal),
      }),
    );
    return { status: 200, body: orderJson(order) };
  },
});

export const rejectHeldOrderRoute = defineRoute<{ orderId: OrderId }, Record<string, never>, { reason: string }>({
  method: 'post',
  path: '/admin/approvals/orders/:orderId/reject',
  operationId: 'rejectHeldOrder',
  summary: 'Reject a held order (a reason is required; the shop is told it, in its language). Again: the same answer.',
  tag: 'approvals',
  access: STAFF,
  rateLimit: 'admin',
  idempotent: true,
  params: orderIdParams,
  body: { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason } },
  responses: {
    200: { description: 'the order now', schema: orderSchema },
    404: error('no such order'),
    409: error('the order is not held (ORDER.ILLEGAL_TRANSITION)'),
    ...COMMON,
  },
  async handle({ params, body, principal, get }) {
    const order = unwrap(
      await get(USE_CASE_TOKENS.reviewHeldOrder).execute({
        orderId: params.orderId,
        decision: 'REJECT',
        reason: body.reason,
        actor: actorOf(principal),
      }),
    );
    return { status: 200, body: orderJson(order) };
  },
});

const onboardingSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'phone',
    'shopName',
    'area',
    'language',
    'status',
    'messages',
    'createdAt',
    'lastMessageAt',
    'decidedAt',
    'decidedBy',
    'reason',
    'retailerId',
  ],
  properties: {
    id: uuid,
    phone: { type: 'string', description: 'E.164' },
    shopName: { type: ['string', 'null'], description: 'as the person wrote it ("Shop: …"), or null' },
    area: { type: ['string', 'null'] },
    language: { type: 'string', enum: ['en', 'ne-Latn', 'ne'], description: 'the decision is told in it' },
    status: { type: 'string', enum: ONBOARDING_STATUSES },
    messages: { type: 'integer', description: 'messages sent while pending' },
    createdAt: dateTime,
    lastMessageAt: dateTime,
    decidedAt: { type: ['string', 'null'], format: 'date-time' },
    decidedBy: { anyOf: [actorSchema, { type: 'null' }] },
    reason: { type: ['string', 'null'] },
    retailerId: { type: ['string', 'null'], description: 'the retailer an approval created' },
  },
} as const satisfies JsonSchema;

function onboardingJson(r: OnboardingRequest) {
  return {
    id: r.id,
    phone: r.phone.value,
    shopName: r.shopName,
    area: r.area,
    language: r.language,
    status: r.status,
    messages: r.messages,
    createdAt: r.createdAt.toISOString(),
    lastMessageAt: r.lastMessageAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
    decidedBy: r.decidedBy,
    reason: r.reason,
    retailerId: r.retailerId,
  };
}

const requestIdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['requestId'],
  properties: { requestId: uuid },
} as const satisfies JsonSchema;

interface OnboardingQuery {
  readonly status?: OnboardingStatus;
  readonly cursor?: string;
  readonly limit: number;
}

export const listOnboardingRequestsRoute = defineRoute<Record<string, never>, OnboardingQuery>({
  method: 'get',
  path: '/admin/approvals/onboarding',
  operationId: 'listOnboardingRequests',
  summary:
    'Onboarding requests of unknown WhatsApp numbers, newest first, by status (PENDING: the queue), with the shop name and area they gave.',
  tag: 'approvals',
  access: STAFF,
  rateLimit: 'admin',
  query: {
    type: 'object',
    additionalProperties: false,
    properties: { status: { type: 'string', enum: ONBOARDING_STATUSES }, ...pageQuery },
  },
  responses: {
    200: {
      description: 'one page',
      schema: pageOf(onboardingSchema),
    },
    ...COMMON,
  },
  async handle({ query, principal, get }) {
    const page = unwrap(
      await get(USE_CASE_TOKENS.listOnboardingRequests).execute({
        ...(query.status ? { status: query.status } : {}),
        page: { limit: query.limit, cursor: query.cursor ?? null },
        actor: actorOf(principal),
      }),
    );
    return { status: 200, body: { items: page.items.map(onboardingJson), nextCursor: page.nextCursor } };
  },
});

const decisionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['request', 'retailerId', 'retailerStatus'],
  properties: {
    request: onboardingSchema,
    retailerId: { type: ['string', 'null'] },
    retailerStatus: { type: ['string', 'null'], description: 'PENDING_KYC unless kycVerified' },
  },
} as const satisfies JsonSchema;

function decisionJson(d: { request: OnboardingRequest; retailer: Retailer | null }) {
  return {
    request: onboardingJson(d.request),
    retailerId: d.retailer?.id ?? null,
    retailerStatus: d.retailer?.status ?? null,
  };
}

interface ApproveOnboardingBody {
  readonly shopName?: string;
  readonly area?: string;
  readonly district: string;
  readonly kycVerified?: boolean;
  readonly creditLimit?: number;
  readonly note?: string;
}

export const approveOnboardingRoute = defineRoute<
  { requestId: OnboardingRequestId },
  Record<string, never>,
  ApproveOnboardingBody
>({
  method: 'post',
  path: '/admin/approvals/onboarding/:requestId/approve',
  operationId: 'approveOnboardingRequest',
  summary:
    'Approve an onboarding request: the retailer and its credit account are created (PENDING_KYC unless kycVerified), the person told in its language. shopName and area default to what the person wrote. Again: the same retailer.',
  tag: 'approvals',
  access: STAFF,
  rateLimit: 'admin',
  idempotent: true,
  params: requestIdParams,
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['district'],
    properties: {
      shopName: { type: 'string', minLength: 1, maxLength: 120 },
      area: { type: 'string', minLength: 1, maxLength: 120 },
      district: { type: 'string', minLength: 1, maxLength: 120 },
      kycVerified: { type: 'boolean', default: false },
      creditLimit: {
        type: 'integer',
        minimum: 0,
        maximum: 1_000_000_000_000,
        description: 'starting limit, NPR minor units (default: the new-retailer limit)',
      },
      note: reason,
    },
  },
  responses: {
    200: { description: 'the decision', schema: decisionSchema },
    404: error('no such request'),
    409: error('rejected already (ONBOARDING.DECIDED), or the number is a retailer already (ENTITY.DUPLICATE)'),
    ...COMMON,
  },
  async handle({ params, body, principal, get }) {
    const decision = unwrap(
      await get(USE_CASE_TOKENS.approveOnboardingRequest).execute({
        requestId: params.requestId,
        ...(body.shopName === undefined ? {} : { shopName: body.shopName }),
        ...(body.area === undefined ? {} : { area: body.area }),
        district: body.district,
        kycVerified: body.kycVerified === true,
        ...(body.creditLimit === undefined ? {} : { creditLimit: Money.of(body.creditLimit) }),
        note: body.note ?? null,
        actor: actorOf(principal),
      }),
    );
    return { status: 200, body: decisionJson(decision) };
  },
});

export const rejectOnboardingRoute = defineRoute<
  { requestId: OnboardingRequestId },
  Record<string, never>,
  { reason: string }
>({
  method: 'post',
  path: '/admin/approvals/onboarding/:requestId/reject',
  operationId: 'rejectOnboardingRequest',
  summary:
    'Reject an onboarding request (a reason is required and is told to the person, in its language). The number is not queued again.',
  tag: 'approvals',
  access: STAFF,
  rateLimit: 'admin',
  idempotent: true,
  params: requestIdParams,
  body: { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason } },
  responses: {
    200: { description: 'the decision', schema: decisionSchema },
    404: error('no such request'),
    409: error('approved already (ONBOARDING.DECIDED)'),
    ...COMMON,
  },
  async handle({ params, body, principal, get }) {
    const decision = unwrap(
      await get(USE_CASE_TOKENS.rejectOnboardingRequest).execute({
        requestId: params.requestId,
        reason: body.reason,
        actor: actorOf(principal),
      }),
    );
    return { status: 200, body: decisionJson(decision) };
  },
});

export const APPROVAL_ROUTES: readonly AnyRoute[] = [
  listHeldOrdersRoute,
  approveHeldOrderRoute,
  rejectHeldOrderRoute,
  listOnboardingRequestsRoute,
  approveOnboardingRoute,
  rejectOnboardingRoute,
];

import {
  HOLD_REASONS,
  type HeldOrder,
  type HoldReason,
  Money,
  ONBOARDING_ROLES,
  ONBOARDING_STATUSES,
  type OnboardingRequest,
  type OnboardingRequestId,
  type OnboardingRole,
  type OnboardingStatus,
  type OrderId,
  REASON_MAX_LENGTH,
  type Retailer,
  USE_CASE_TOKENS,
  unwrap,
  type Vendor,
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
    'requestedRole',
    'language',
    'status',
    'messages',
    'createdAt',
    'lastMessageAt',
    'decidedAt',
    'decidedBy',
    'reason',
    'retailerId',
    'vendorId',
  ],
  properties: {
    id: uuid,
    phone: { type: 'string', description: 'E.164' },
    shopName: {
      type: ['string', 'null'],
      description: 'the shop’s or supplier’s name as the person wrote it ("Shop: …", "Name: …"), or null',
    },
    area: { type: ['string', 'null'] },
    requestedRole: {
      anyOf: [{ type: 'string', enum: ONBOARDING_ROLES }, { type: 'null' }],
      description:
        'what the person said it is: RETAILER (tapped [Shop], or wrote "shop", "pasal", "पसल"…) or VENDOR ([Supplier], "distributor", "thok", "वितरक"…); null until it says',
    },
    language: { type: 'string', enum: ['en', 'ne-Latn', 'ne'], description: 'the decision is told in it' },
    status: { type: 'string', enum: ONBOARDING_STATUSES },
    messages: { type: 'integer', description: 'messages sent while pending' },
    createdAt: dateTime,
    lastMessageAt: dateTime,
    decidedAt: { type: ['string', 'null'], format: 'date-time' },
    decidedBy: { anyOf: [actorSchema, { type: 'null' }] },
    reason: { type: ['string', 'null'] },
    retailerId: { type: ['string', 'null'], description: 'the retailer an approval as RETAILER created' },
    vendorId: { type: ['string', 'null'], description: 'the vendor an approval as VENDOR created' },
  },
} as const satisfies JsonSchema;

function onboardingJson(r: OnboardingRequest) {
  return {
    id: r.id,
    phone: r.phone.value,
    shopName: r.shopName,
    area: r.area,
    requestedRole: r.requestedRole,
    language: r.language,
    status: r.status,
    messages: r.messages,
    createdAt: r.createdAt.toISOString(),
    lastMessageAt: r.lastMessageAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
    decidedBy: r.decidedBy,
    reason: r.reason,
    retailerId: r.retailerId,
    vendorId: r.vendorId,
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
  required: ['request', 'retailerId', 'retailerStatus', 'vendorId', 'vendorStatus'],
  properties: {
    request: onboardingSchema,
    retailerId: { type: ['string', 'null'] },
    retailerStatus: { type: ['string', 'null'], description: 'PENDING_KYC unless kycVerified' },
    vendorId: { type: ['string', 'null'] },
    vendorStatus: { type: ['string', 'null'], description: 'ACTIVE: the approval is its check' },
  },
} as const satisfies JsonSchema;

function decisionJson(d: { request: OnboardingRequest; retailer: Retailer | null; vendor: Vendor | null }) {
  return {
    request: onboardingJson(d.request),
    retailerId: d.retailer?.id ?? null,
    retailerStatus: d.retailer?.status ?? null,
    vendorId: d.vendor?.id ?? null,
    vendorStatus: d.vendor?.status ?? null,
  };
}

interface ApproveOnboardingBody {
  readonly role?: OnboardingRole;
  readonly shopName?: string;
  readonly area?: string;
  readonly district?: string;
  readonly serviceAreas?: string[];
  readonly dailyCapacity?: number;
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
    'Approve an onboarding request as RETAILER or VENDOR (`role`; default: what the person asked for, else RETAILER), the person told in its language. RETAILER: the retailer and its credit account (PENDING_KYC unless kycVerified; `district` required). VENDOR: the vendor, ACTIVE, serving `serviceAreas` (default: its area; `dailyCapacity` required). shopName (the shop’s or supplier’s name) and area default to what the person wrote; a missing one is 422 VALIDATION.INVALID naming `details.field` (and `details.role`). Again: the same party.',
  tag: 'approvals',
  access: STAFF,
  rateLimit: 'admin',
  idempotent: true,
  params: requestIdParams,
  body: {
    type: 'object',
    additionalProperties: false,
    properties: {
      role: {
        type: 'string',
        enum: ONBOARDING_ROLES,
        description: 'what to create; default: the requestedRole, else RETAILER',
      },
      shopName: { type: 'string', minLength: 1, maxLength: 120 },
      area: { type: 'string', minLength: 1, maxLength: 120 },
      district: { type: 'string', minLength: 1, maxLength: 120, description: 'RETAILER: required' },
      kycVerified: { type: 'boolean', default: false, description: 'RETAILER: starts ACTIVE' },
      creditLimit: {
        type: 'integer',
        minimum: 0,
        maximum: 1_000_000_000_000,
        description: 'RETAILER: starting limit, NPR minor units (default: the new-retailer limit)',
      },
      serviceAreas: {
        type: 'array',
        minItems: 1,
        maxItems: 50,
        items: { type: 'string', minLength: 1, maxLength: 120 },
        description: 'VENDOR: the areas it serves (default: its area)',
      },
      dailyCapacity: {
        type: 'integer',
        minimum: 0,
        maximum: 100_000,
        description: 'VENDOR: required; orders a day it can take',
      },
      note: reason,
    },
  },
  responses: {
    200: { description: 'the decision', schema: decisionSchema },
    404: error('no such request'),
    409: error(
      'rejected already (ONBOARDING.DECIDED), the number is a party of that kind already (ENTITY.DUPLICATE), or of the other kind (PARTY.PHONE_TAKEN: one number is a retailer or a vendor, never both)',
    ),
    ...COMMON,
  },
  async handle({ params, body, principal, get }) {
    const decision = unwrap(
      await get(USE_CASE_TOKENS.approveOnboardingRequest).execute({
        requestId: params.requestId,
        ...(body.role === undefined ? {} : { role: body.role }),
        ...(body.shopName === undefined ? {} : { shopName: body.shopName }),
        ...(body.area === undefined ? {} : { area: body.area }),
        ...(body.district === undefined ? {} : { district: body.district }),
        kycVerified: body.kycVerified === true,
        ...(body.creditLimit === undefined ? {} : { creditLimit: Money.of(body.creditLimit) }),
        ...(body.serviceAreas === undefined ? {} : { serviceAreas: body.serviceAreas }),
        ...(body.dailyCapacity === undefined ? {} : { dailyCapacity: body.dailyCapacity }),
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

import { NOTE_MAX_LENGTH, ORDER_STATUSES, REASON_MAX_LENGTH, UNITS } from '@khaacho/core';
import { actorSchema, dateTime, moneySchema, pageOf, quantitySchema, uuid } from '../common-schemas.js';
import type { JsonSchema } from '../route.js';

export const ORDER_SOURCES = ['whatsapp', 'api', 'admin'] as const;
/** What one list page holds at most; the default page is 20. */
export const MAX_LIST_LIMIT = 100;
/** Also bounded by core (MAX_ORDER_LINES); here so a request never reaches it unbounded. */
const MAX_LINES = 200;
const MAX_QUANTITY = 1_000_000;

const orderLineSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['productId', 'sku', 'name', 'quantity', 'unitPrice', 'priceUnit', 'lineTotal'],
  properties: {
    productId: { type: 'string' },
    sku: { type: 'string' },
    name: { type: 'string' },
    quantity: quantitySchema,
    unitPrice: moneySchema,
    priceUnit: { type: 'string', enum: UNITS },
    lineTotal: moneySchema,
  },
} as const satisfies JsonSchema;

export const orderSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'number',
    'retailerId',
    'vendorId',
    'status',
    'lines',
    'total',
    'source',
    'note',
    'placedAt',
    'updatedAt',
    'needsManualAssignment',
    'paidInFull',
    'version',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    number: { type: 'string', description: 'human-facing, e.g. KH-000042' },
    retailerId: { type: 'string', format: 'uuid' },
    vendorId: { type: ['string', 'null'], description: 'the vendor that accepted it; null until then' },
    status: { type: 'string', enum: ORDER_STATUSES },
    lines: { type: 'array', items: orderLineSchema },
    total: moneySchema,
    source: { type: 'string', enum: ORDER_SOURCES },
    note: { type: ['string', 'null'] },
    placedAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    needsManualAssignment: { type: 'boolean' },
    paidInFull: { type: 'boolean' },
    version: { type: 'integer' },
  },
} as const satisfies JsonSchema;

export const placeOrderBody = {
  type: 'object',
  additionalProperties: false,
  required: ['lines'],
  properties: {
    retailerId: { ...uuid, description: 'staff only: the retailer ordering; a retailer orders for itself' },
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_LINES,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['quantity'],
        description: 'names a productId or a sku',
        properties: {
          productId: uuid,
          sku: { type: 'string', minLength: 2, maxLength: 40 },
          quantity: { type: 'number', exclusiveMinimum: 0, maximum: MAX_QUANTITY },
          unit: { type: 'string', enum: UNITS, description: "default: the product's base unit" },
        },
      },
    },
    note: { type: ['string', 'null'], maxLength: NOTE_MAX_LENGTH },
  },
} as const satisfies JsonSchema;

export const placedOrderSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['order', 'reasons'],
  properties: {
    order: orderSchema,
    reasons: {
      type: 'array',
      items: { type: 'string' },
      description: 'why it was held or refused (credit, risk rules); empty when routed',
    },
  },
} as const satisfies JsonSchema;

const STATUS_LIST = `^(${ORDER_STATUSES.join('|')})(,(${ORDER_STATUSES.join('|')}))*$`;

export const listOrdersQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: {
      type: 'string',
      maxLength: 200,
      pattern: STATUS_LIST,
      description: 'one or more statuses, comma-separated',
    },
    source: { type: 'string', enum: ORDER_SOURCES },
    retailerId: { ...uuid, description: 'staff only (a retailer sees its own orders)' },
    vendorId: { ...uuid, description: 'staff only (a vendor sees the orders it holds)' },
    placedFrom: { ...dateTime, description: 'inclusive' },
    placedTo: { ...dateTime, description: 'exclusive' },
    needsManualAssignment: { type: 'boolean' },
    cursor: { type: 'string', maxLength: 64, description: "the previous page's nextCursor" },
    limit: { type: 'integer', minimum: 1, maximum: MAX_LIST_LIMIT, default: 20 },
  },
} as const satisfies JsonSchema;

export const orderPageSchema = pageOf(orderSchema);

export const cancelOrderBody = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: { reason: { type: 'string', minLength: 1, maxLength: REASON_MAX_LENGTH } },
} as const satisfies JsonSchema;

export const TIMELINE_KINDS = ['status_changed', 'offered', 'offer_answered'] as const;

export const timelineSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['orderId', 'number', 'status', 'entries'],
  properties: {
    orderId: { type: 'string', format: 'uuid' },
    number: { type: 'string' },
    status: { type: 'string', enum: ORDER_STATUSES },
    entries: {
      type: 'array',
      description: 'oldest first: status changes, offers to vendors and their answers',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['at', 'kind'],
        properties: {
          at: { type: 'string', format: 'date-time' },
          kind: { type: 'string', enum: TIMELINE_KINDS },
          from: { type: ['string', 'null'], enum: [...ORDER_STATUSES, null] },
          to: { type: 'string', enum: ORDER_STATUSES },
          actor: actorSchema,
          reason: { type: ['string', 'null'] },
          vendorId: { type: 'string', format: 'uuid' },
          attempt: { type: 'integer' },
          deadline: { type: 'string', format: 'date-time' },
          outcome: { type: 'string', enum: ['PENDING', 'ACCEPTED', 'REJECTED', 'EXPIRED', 'WITHDRAWN'] },
          manual: { type: 'boolean' },
        },
      },
    },
  },
} as const satisfies JsonSchema;

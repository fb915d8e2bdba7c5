import { UNITS } from '@khaacho/core';
import type { JsonSchema } from './route.js';

export const uuid = { type: 'string', format: 'uuid', maxLength: 36 } as const;
export const dateTime = { type: 'string', format: 'date-time', maxLength: 40 } as const;

/** One page of a cursor-paginated list: its items and the cursor of the next page. */
export function pageOf<const Item extends JsonSchema>(item: Item) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['items', 'nextCursor'],
    properties: {
      items: { type: 'array', items: item },
      nextCursor: { type: ['string', 'null'], description: 'null on the last page' },
    },
  } as const satisfies JsonSchema;
}

export const moneySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['amount', 'currency'],
  properties: {
    amount: { type: 'integer', description: 'integer minor units (paisa)' },
    currency: { type: 'string' },
  },
} as const satisfies JsonSchema;

export const quantitySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['value', 'unit'],
  properties: { value: { type: 'number' }, unit: { type: 'string', enum: UNITS } },
} as const satisfies JsonSchema;

export const actorSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'id'],
  properties: {
    type: { type: 'string', enum: ['system', 'retailer', 'vendor', 'operator', 'admin'] },
    id: { type: ['string', 'null'] },
  },
} as const satisfies JsonSchema;

/** The one error shape every failure is answered with. */
export const errorSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'message', 'errorId'],
      properties: {
        code: { type: 'string', description: 'stable, e.g. ORDER.ILLEGAL_TRANSITION; branch on this' },
        message: { type: 'string' },
        details: { type: 'object' },
        errorId: { type: 'string', description: 'quote it when reporting a problem: it is in the server log' },
      },
    },
  },
} as const satisfies JsonSchema;

export const orderIdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['orderId'],
  properties: { orderId: uuid },
} as const satisfies JsonSchema;

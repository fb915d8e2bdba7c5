import { type MessageIntent, UNITS, type Unit } from '@khaacho/core';
import { Ajv } from 'ajv';
import { InvalidAiAnswer } from './ai-errors.js';

const INTENTS = [
  'order',
  'status',
  'balance',
  'help',
  'greeting',
  'cancel',
  'repeat',
  'unknown',
] as const satisfies readonly MessageIntent[];

/** The model's choice for one open line: a candidate's SKU, or null when none fits. */
export interface AnswerLine {
  readonly line: number;
  readonly sku: string | null;
  readonly quantity: number;
  readonly unit: Unit | null;
  /** False when the model itself would ask: the line stays a question. */
  readonly certain: boolean;
  /** The words of the message that name this product rather than the others offered. */
  readonly evidence: string;
}

export interface OrderAnswer {
  readonly intent: MessageIntent;
  readonly orderNumber: string | null;
  readonly lines: readonly AnswerLine[];
}

/**
 * The structured-output schema sent with every request (OpenAI's strict mode: every
 * property required, no additional ones, null through a type union) and checked again
 * with ajv on the way back, since a compatible endpoint may ignore it.
 */
export const ORDER_ANSWER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['intent', 'orderNumber', 'lines'],
  properties: {
    intent: { type: 'string', enum: [...INTENTS] },
    orderNumber: { type: ['string', 'null'], maxLength: 40 },
    lines: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['line', 'sku', 'quantity', 'unit', 'certain', 'evidence'],
        properties: {
          line: { type: 'integer', minimum: 0 },
          sku: { type: ['string', 'null'], maxLength: 80 },
          quantity: { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000 },
          unit: { type: ['string', 'null'], enum: [...UNITS, null] },
          certain: { type: 'boolean' },
          evidence: { type: 'string', maxLength: 200 },
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: false, allowUnionTypes: true });
const validate = ajv.compile<OrderAnswer>(ORDER_ANSWER_SCHEMA);

/** The model's message content read as an `OrderAnswer`, or `InvalidAiAnswer`. */
export function readOrderAnswer(content: string | null | undefined): OrderAnswer {
  if (!content) throw new InvalidAiAnswer('no content');
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    throw new InvalidAiAnswer('not JSON');
  }
  if (!validate(json)) {
    const first = validate.errors?.[0];
    throw new InvalidAiAnswer(`schema: ${first?.instancePath || '/'} ${first?.message ?? ''}`.trim());
  }
  return json;
}

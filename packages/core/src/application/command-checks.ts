import { normalizeSku } from '../catalog/product.js';
import { MAX_ORDER_LINES, type OrderSource } from '../order/order.js';
import type { Actor } from '../shared/domain-event.js';
import { type ErrorCode, ErrorCodes, ValidationError } from '../shared/errors.js';
import { type Id, isUuid, type ProductId } from '../shared/ids.js';
import { isUnit, QUANTITY_SCALE } from '../shared/quantity.js';
import { decimalsWithin } from '../shared/decimals.js';
import { reasonText } from '../shared/text.js';
import type { OrderLineRequest } from './order-pricing.js';

/*
 * The shape of a command is checked before any transaction opens: commands come from
 * HTTP bodies, WhatsApp parsing and the CLI, typed or not. A malformed one is refused with
 * one code per case, never by a TypeError, a store constraint or the store's own text, and
 * before anything is consumed (a connection, an order number).
 */

export const ORDER_SOURCES = ['whatsapp', 'api', 'admin'] as const satisfies readonly OrderSource[];
export const ACTOR_TYPES = [
  'system',
  'retailer',
  'vendor',
  'operator',
  'admin',
] as const satisfies readonly Actor['type'][];

// Both lists must name every member of their union: adding one to the type alone fails here.
type Missing<All, Listed> = Exclude<All, Listed> extends never ? true : never;
const _everySource: Missing<OrderSource, (typeof ORDER_SOURCES)[number]> = true;
const _everyActorType: Missing<Actor['type'], (typeof ACTOR_TYPES)[number]> = true;
void _everySource;
void _everyActorType;

function refuse(code: ErrorCode, message: string, details: Record<string, unknown> = {}): never {
  throw new ValidationError(message, details, code);
}

/** A command or query is one object; anything else is a caller's bug. */
export function checkCommand(command: unknown): void {
  if (typeof command !== 'object' || command === null) refuse(ErrorCodes.INVALID_COMMAND, 'a command is required');
}

/** An id from outside: a lowercase UUID, or VALIDATION.INVALID_ID (the value itself is not echoed). */
export function checkId<T extends Id<string>>(value: unknown, field: string): T {
  if (typeof value !== 'string' || !isUuid(value)) refuse(ErrorCodes.INVALID_ID, `${field} must be a UUID`, { field });
  return value as T;
}

export function checkActor(actor: unknown): Actor {
  if (typeof actor !== 'object' || actor === null) refuse(ErrorCodes.INVALID_COMMAND, 'actor is required');
  const { type, id } = actor as { type?: unknown; id?: unknown };
  if (typeof type !== 'string' || !(ACTOR_TYPES as readonly string[]).includes(type)) {
    refuse(ErrorCodes.UNKNOWN_ACTOR_TYPE, `actor type must be one of ${ACTOR_TYPES.join(', ')}`);
  }
  if (id !== null && (typeof id !== 'string' || id.length === 0 || id.length > 100)) {
    refuse(ErrorCodes.INVALID_COMMAND, 'actor id must be null or 1-100 characters');
  }
  return actor as Actor;
}

export function checkOrderSource(source: unknown): OrderSource {
  if (typeof source !== 'string' || !(ORDER_SOURCES as readonly string[]).includes(source)) {
    refuse(ErrorCodes.UNKNOWN_ORDER_SOURCE, `source must be one of ${ORDER_SOURCES.join(', ')}`);
  }
  return source as OrderSource;
}

/** The lines of an order: a list of 1..MAX_ORDER_LINES well-formed requests. */
export function checkOrderLines(lines: unknown): readonly OrderLineRequest[] {
  if (!Array.isArray(lines)) refuse(ErrorCodes.INVALID_COMMAND, 'lines must be a list', { field: 'lines' });
  if (lines.length === 0) refuse(ErrorCodes.NO_LINES, 'an order needs at least one line');
  if (lines.length > MAX_ORDER_LINES) {
    refuse(ErrorCodes.TOO_MANY_LINES, `an order has at most ${MAX_ORDER_LINES} lines`, {
      max: MAX_ORDER_LINES,
      lines: lines.length,
    });
  }
  lines.forEach(checkLine);
  return lines as readonly OrderLineRequest[];
}

function checkLine(line: unknown, index: number): void {
  if (typeof line !== 'object' || line === null)
    refuse(ErrorCodes.INVALID_COMMAND, 'a line must be an object', { index });
  const { productId, sku, quantity, unit } = line as Record<string, unknown>;
  if (productId !== undefined) checkId<ProductId>(productId, `lines[${index}].productId`);
  if (sku !== undefined) {
    if (typeof sku !== 'string') refuse(ErrorCodes.INVALID_SKU, 'sku must be text', { index });
    try {
      normalizeSku(sku);
    } catch {
      refuse(ErrorCodes.INVALID_SKU, 'sku must be 2-40 of A-Z, 0-9, . _ -', { index });
    }
  }
  if (productId === undefined && sku === undefined) {
    refuse(ErrorCodes.INVALID_COMMAND, 'a line names a productId or a sku', { index });
  }
  if (typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity <= 0) {
    refuse(ErrorCodes.INVALID_QUANTITY, 'quantity must be a positive number', { index });
  }
  if (!decimalsWithin(quantity, 3) || !Number.isSafeInteger(Math.round(quantity * QUANTITY_SCALE))) {
    refuse(ErrorCodes.TOO_MANY_DECIMALS, 'quantity allows at most three decimals', { index, quantity });
  }
  if (unit !== undefined && unit !== null && (typeof unit !== 'string' || !isUnit(unit))) {
    refuse(ErrorCodes.UNKNOWN_UNIT, 'unknown unit', {
      index,
      unit: typeof unit === 'string' ? unit.slice(0, 20) : null,
    });
  }
}

/** A person's reason for a decision (cancel, reject, a manual limit): required, at most 500 characters. */
export function requiredReason(value: unknown): string {
  const reason = reasonText(value as string | null | undefined);
  if (reason === null) refuse(ErrorCodes.TEXT_REQUIRED, 'a reason is required', { field: 'reason' });
  return reason;
}

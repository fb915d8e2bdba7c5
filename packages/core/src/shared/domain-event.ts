import { DomainError, ErrorCodes } from './errors.js';

/** What raises events; the event catalog (`events/event-catalog.ts`) maps each type to one. */
export type AggregateType =
  | 'order'
  | 'credit_account'
  | 'retailer'
  | 'vendor'
  | 'product'
  | 'vendor_offer'
  | 'risk_rule'
  | 'conversation';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Who did something: every status log entry and ledger entry names one. */
export interface Actor {
  readonly type: 'system' | 'retailer' | 'vendor' | 'operator' | 'admin';
  readonly id: string | null;
}

export const SYSTEM_ACTOR: Actor = Object.freeze({ type: 'system', id: null });

/** Credit decisions by hand (limits, notes) are for staff only: operators and admins. */
export function requireStaff(actor: Actor, action: string): void {
  if (actor.type !== 'operator' && actor.type !== 'admin') {
    throw new DomainError('forbidden', ErrorCodes.FORBIDDEN, `only operators and admins may ${action}`, {
      actor: actor.type,
    });
  }
}

/** A copy with exactly the two stored fields, whatever else the caller's object carries. */
export function actorToJson(actor: Actor): Actor {
  return { type: actor.type, id: actor.id };
}

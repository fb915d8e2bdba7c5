// Compile-time tests: `npm run lint` type-checks this file; each `@ts-expect-error` line
// must fail to compile, or the check itself fails ("unused @ts-expect-error").
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { OrderId, RetailerId, VendorId } from '../shared/ids.js';
import {
  assertNever,
  type DomainEvent,
  domainEvent,
  type EventPayload,
  type EventType,
  EventTypes,
} from './event-catalog.js';

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** true when T, once stored as JSON and read back, is still T (no Date, Money, function…). */
type IsJson<T> = T extends string | number | boolean | null | undefined
  ? true
  : T extends (...args: never[]) => unknown
    ? false
    : T extends readonly (infer E)[]
      ? IsJson<E>
      : T extends object
        ? { [K in keyof T]-?: IsJson<T[K]> }[keyof T] extends true
          ? true
          : false
        : false;

type NotJson = { [K in EventType]: [IsJson<EventPayload<K>>] extends [true] ? never : K }[EventType];

export const everyPayloadIsJson: Equals<NotJson, never> = true;
// @ts-expect-error the JSON check can fail: a Date does not survive JSON
export const aDateIsNotJson: IsJson<{ at: Date }> = true;
export const everyTypeHasANamedConstant: Equals<(typeof EventTypes)[keyof typeof EventTypes], EventType> = true;

/** Never called: the body only has to compile (or, on the marked lines, not compile). */
export function raisingWithTheWrongPayloadDoesNotCompile(
  orderId: OrderId,
  retailerId: RetailerId,
  vendorId: VendorId,
  at: Date,
  flag: boolean,
): DomainEvent[] {
  // Outside the array below, so only the payload can be what fails here.
  // @ts-expect-error a choice of types cannot tell which payload it needs
  void domainEvent(flag ? EventTypes.ORDER_OFFER_EXPIRED : EventTypes.ORDER_NEEDS_MANUAL_ASSIGNMENT, orderId, at, {
    vendorId,
  });
  return [
    domainEvent(EventTypes.ORDER_OFFER_EXPIRED, orderId, at, { vendorId }),
    // @ts-expect-error a misspelt field
    domainEvent(EventTypes.ORDER_OFFER_EXPIRED, orderId, at, { vendorID: vendorId }),
    // @ts-expect-error a field too many
    domainEvent(EventTypes.ORDER_OFFER_EXPIRED, orderId, at, { vendorId, reason: 'late' }),
    // @ts-expect-error a required field missing
    domainEvent(EventTypes.CREDIT_TERMS_CHANGED, retailerId, at, { retailerId, previous: 15 }),
    // @ts-expect-error another event's payload
    domainEvent(EventTypes.ORDER_OFFER_EXPIRED, orderId, at, { attempts: 5, reason: 'no vendor' }),
    // @ts-expect-error a field of the wrong type
    domainEvent(EventTypes.ORDER_NEEDS_MANUAL_ASSIGNMENT, orderId, at, { attempts: '5', reason: 'no vendor' }),
    // @ts-expect-error a string where the payload wants a vendor id
    domainEvent(EventTypes.ORDER_OFFER_EXPIRED, orderId, at, { vendorId: 'v-1' }),
    // @ts-expect-error the id of another kind of aggregate
    domainEvent(EventTypes.ORDER_OFFER_EXPIRED, retailerId, at, { vendorId }),
    // @ts-expect-error a type that is not in the catalog
    domainEvent('order.teleported', orderId, at, {}),
    // @ts-expect-error an event written by hand is checked against the union too
    { type: 'order.offer_expired', aggregateType: 'order', aggregateId: orderId, occurredAt: at, payload: {} },
    // @ts-expect-error and its aggregate type must be the catalog's
    {
      type: 'order.offer_expired',
      aggregateType: 'vendor',
      aggregateId: orderId,
      occurredAt: at,
      payload: { vendorId },
    },
  ];
}

/** Never called: a switch that forgets a type does not compile at its `assertNever`. */
export function aSwitchThatForgetsATypeDoesNotCompile(event: DomainEvent): string {
  switch (event.type) {
    case EventTypes.ORDER_PLACED:
      return event.payload.number;
    case EventTypes.ORDER_STATUS_CHANGED:
      // @ts-expect-error a payload field of another event type
      return event.payload.number;
    default:
      // @ts-expect-error every other catalog type can still reach here
      return assertNever(event);
  }
}

test('the compile-time checks are exported, so they are type-checked and not dead code', () => {
  assert.is(everyPayloadIsJson, true);
  assert.is(everyTypeHasANamedConstant, true);
  assert.type(raisingWithTheWrongPayloadDoesNotCompile, 'function');
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { anOrder } from '../testing/builders.js';
import { deterministicIds } from '../testing/deterministic-ids.js';
import { ManualClock } from '../testing/manual-clock.js';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { DomainError, ErrorCodes, InvariantError } from '../shared/errors.js';
import type { VendorId } from '../shared/ids.js';
import type { Order } from './order.js';
import { type OrderTransitionName, orderLifecycle } from './order-lifecycle.js';
import { ORDER_STATUSES, type OrderStatus } from './order-status.js';
import { StateMachine, validateDefinition } from './state-machine.js';

/** The lifecycle drawn in SPEC.md, written out by hand (not derived from the table under test). */
const EXPECTED: Record<OrderStatus, Partial<Record<OrderTransitionName, OrderStatus>>> = {
  PENDING: { route: 'ROUTING', hold: 'ON_HOLD', reject: 'REJECTED', cancel: 'CANCELLED' },
  ON_HOLD: { approve: 'ROUTING', reject: 'REJECTED', cancel: 'CANCELLED' },
  ROUTING: { confirm: 'CONFIRMED', cancel: 'CANCELLED' },
  CONFIRMED: { dispatch: 'DISPATCHED', cancel: 'CANCELLED' },
  // Added with proof of delivery: an operator finds a disputed delivery never arrived.
  DISPATCHED: { deliver: 'DELIVERED', cancel_undelivered: 'CANCELLED' },
  DELIVERED: { complete: 'COMPLETED' },
  COMPLETED: {},
  REJECTED: {},
  CANCELLED: {},
};
const TRANSITIONS: OrderTransitionName[] = [
  'route',
  'hold',
  'approve',
  'reject',
  'confirm',
  'dispatch',
  'deliver',
  'complete',
  'cancel',
  'cancel_undelivered',
];

const clock = new ManualClock();
const ids = deterministicIds(clock, 5);
const vendor = ids.next() as VendorId;

/** Drive the aggregate through its public method for a transition. */
function apply(order: Order, name: OrderTransitionName): void {
  const at = clock.now();
  switch (name) {
    case 'route':
      order.route(SYSTEM_ACTOR, at);
      return;
    case 'hold':
      order.hold(SYSTEM_ACTOR, at, 'review please');
      return;
    case 'approve':
      order.approve(SYSTEM_ACTOR, at);
      return;
    case 'reject':
      order.reject(SYSTEM_ACTOR, at, 'no');
      return;
    case 'confirm':
      if (order.status === 'ROUTING') order.offerTo(vendor, at, new Date(at.getTime() + 60_000));
      order.acceptOffer(vendor, at);
      return;
    case 'dispatch':
      order.dispatch(SYSTEM_ACTOR, at);
      return;
    case 'deliver':
      order.deliver(SYSTEM_ACTOR, at);
      return;
    case 'complete':
      order.complete(SYSTEM_ACTOR, at, true);
      return;
    case 'cancel':
      order.cancel(SYSTEM_ACTOR, at, 'changed mind');
      return;
    case 'cancel_undelivered':
      order.cancelUndelivered(SYSTEM_ACTOR, at, 'never arrived');
      return;
  }
}

for (const from of ORDER_STATUSES) {
  for (const name of TRANSITIONS) {
    const to = EXPECTED[from][name];
    test(`${from} --${name}--> ${to ?? 'refused'}`, () => {
      const order = anOrder(ids, clock.now()).withVendor(vendor).inStatus(from).build();
      order.pullEvents();
      const logBefore = order.statusLog.length;
      if (to) {
        apply(order, name);
        assert.is(order.status, to);
        const last = order.statusLog[order.statusLog.length - 1];
        assert.equal([last?.from, last?.to], [from, to], 'logged');
        assert.is(order.statusLog.length, logBefore + 1);
        const changed = order.pullEvents().filter((e) => e.type === 'order.status_changed');
        assert.equal(
          changed.map((e) => [e.payload.from, e.payload.to]),
          [[from, to]],
          'one event per transition',
        );
      } else {
        let error: unknown;
        try {
          apply(order, name);
        } catch (e) {
          error = e;
        }
        assert.ok(DomainError.is(error), `expected a domain error, got ${String(error)}`);
        assert.ok(
          [ErrorCodes.ORDER_ILLEGAL_TRANSITION, ErrorCodes.ORDER_NO_PENDING_OFFER].includes(
            (error as DomainError).code as never,
          ),
          (error as DomainError).code,
        );
        assert.is(order.status, from, 'status unchanged');
        assert.is(order.statusLog.length, logBefore, 'nothing logged');
      }
    });
  }
}

test('the table itself matches the drawing exactly', () => {
  for (const from of ORDER_STATUSES) {
    const legal = Object.fromEntries(orderLifecycle.transitionsFrom(from).map((t) => [t.name, t.to]));
    assert.equal(legal, EXPECTED[from], from);
  }
});

test('guards: reasons are required to hold, reject and cancel; completion needs payment', () => {
  const pending = anOrder(ids, clock.now()).build();
  assert.throws(() => pending.hold(SYSTEM_ACTOR, clock.now(), '  '), /reason is required/);
  assert.throws(() => pending.cancel(SYSTEM_ACTOR, clock.now(), ''), /reason is required/);
  const delivered = anOrder(ids, clock.now()).inStatus('DELIVERED').build();
  assert.throws(() => delivered.complete(SYSTEM_ACTOR, clock.now(), false), /not paid in full/);
  assert.is(delivered.status, 'DELIVERED');
});

test('a broken table is refused when it loads', () => {
  const base = {
    states: ['A', 'B', 'C'] as const,
    initial: 'A' as const,
    terminal: ['C'] as const,
  };
  const ok = {
    ...base,
    transitions: [
      { name: 'ab', from: ['A'], to: 'B' },
      { name: 'bc', from: ['B'], to: 'C' },
    ] as const,
  };
  validateDefinition(ok as never);
  const unreachable = { ...base, transitions: [{ name: 'ac', from: ['A'], to: 'C' }] };
  assert.throws(
    () => new StateMachine(unreachable as never),
    (e: unknown) => InvariantError.is(e) && /B is/.test(String(e)),
  );
  const deadEnd = {
    ...base,
    transitions: [
      { name: 'ab', from: ['A'], to: 'B' },
      { name: 'ac', from: ['A'], to: 'C' },
    ],
  };
  assert.throws(() => new StateMachine(deadEnd as never), /dead end/);
  const terminalExit = {
    ...base,
    transitions: [...ok.transitions, { name: 'ca', from: ['C'], to: 'A' }],
  };
  assert.throws(() => new StateMachine(terminalExit as never), /terminal state C has an exit/);
  const dup = { ...base, transitions: [...ok.transitions, { name: 'ab', from: ['B'], to: 'C' }] };
  assert.throws(() => new StateMachine(dup as never), /duplicate/);
});

test.run();

import { type DomainEvent, domainEvent, EventTypes } from '../events/event-catalog.js';
import { type Actor, actorToJson } from '../shared/domain-event.js';
import { ErrorCodes, IllegalStateError, ValidationError } from '../shared/errors.js';
import type { OrderId, RetailerId, VendorId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { noteText } from '../shared/text.js';
import { type OrderLine, orderLineToJSON } from './order-line.js';
import { type OrderGuardContext, type OrderTransitionName, orderLifecycle } from './order-lifecycle.js';
import type { OrderSource } from './order-source.js';
import type { HoldReason, OrderStatus } from './order-status.js';
import { MAX_ROUTING_ATTEMPTS, type RoutingAttempt } from './routing-attempt.js';

export type { OrderSource };

/** A bound the use case checks before it opens a transaction, and the aggregate again. */
export const MAX_ORDER_LINES = 200;

export interface StatusLogEntry {
  readonly from: OrderStatus | null;
  readonly to: OrderStatus;
  readonly actor: Actor;
  readonly reason: string | null;
  readonly at: Date;
}

/** Everything an order is, as plain data: what repositories store and restore. */
export interface OrderSnapshot {
  readonly id: OrderId;
  readonly number: string;
  readonly retailerId: RetailerId;
  readonly vendorId: VendorId | null;
  readonly status: OrderStatus;
  readonly lines: readonly OrderLine[];
  readonly total: Money;
  readonly source: OrderSource;
  readonly note: string | null;
  readonly placedAt: Date;
  readonly updatedAt: Date;
  readonly needsManualAssignment: boolean;
  readonly paidInFull: boolean;
  /** Why it is ON_HOLD; null in every other status. */
  readonly holdReason: HoldReason | null;
  readonly routingAttempts: readonly RoutingAttempt[];
  readonly statusLog: readonly StatusLogEntry[];
  /** Optimistic-concurrency version: 0 before the first save. */
  readonly version: number;
}

export interface PlaceOrderProps {
  readonly id: OrderId;
  readonly number: string;
  readonly retailerId: RetailerId;
  readonly lines: readonly OrderLine[];
  readonly source: OrderSource;
  readonly note?: string | null;
  readonly actor: Actor;
  readonly at: Date;
}

/**
 * The Order aggregate. Every status change goes through `transition`, which checks the
 * lifecycle table and its guard, appends a status log entry and raises an event. An
 * illegal change throws `ORDER.ILLEGAL_TRANSITION`; nothing is ever silently skipped.
 */
export class Order {
  private state: OrderSnapshot;
  private events: DomainEvent[] = [];

  private constructor(state: OrderSnapshot) {
    this.state = state;
  }

  static place(props: PlaceOrderProps): Order {
    if (props.lines.length === 0)
      throw new ValidationError('an order needs at least one line', {}, ErrorCodes.NO_LINES);
    if (props.lines.length > MAX_ORDER_LINES) {
      throw new ValidationError(`an order has at most ${MAX_ORDER_LINES} lines`, {}, ErrorCodes.TOO_MANY_LINES);
    }
    const currency = props.lines[0]?.lineTotal.currency;
    const total = Money.sum(
      props.lines.map((l) => l.lineTotal),
      currency,
    );
    const note = noteText(props.note);
    const order = new Order({
      id: props.id,
      number: props.number,
      retailerId: props.retailerId,
      vendorId: null,
      status: 'PENDING',
      lines: props.lines,
      total,
      source: props.source,
      note,
      placedAt: props.at,
      updatedAt: props.at,
      needsManualAssignment: false,
      paidInFull: false,
      holdReason: null,
      routingAttempts: [],
      statusLog: [{ from: null, to: 'PENDING', actor: props.actor, reason: null, at: props.at }],
      version: 0,
    });
    order.raise(
      domainEvent(EventTypes.ORDER_PLACED, props.id, props.at, {
        number: props.number,
        retailerId: props.retailerId,
        total: total.toJSON(),
        lines: props.lines.map(orderLineToJSON),
        source: props.source,
      }),
    );
    return order;
  }

  static restore(snapshot: OrderSnapshot): Order {
    return new Order(snapshot);
  }

  snapshot(): OrderSnapshot {
    return this.state;
  }

  /** For repositories: the stored version after a successful save. */
  markPersisted(version: number): void {
    this.state = { ...this.state, version };
  }

  /** Events raised since the last call; the unit of work writes them to the outbox. */
  pullEvents(): DomainEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  get id(): OrderId {
    return this.state.id;
  }
  get number(): string {
    return this.state.number;
  }
  get retailerId(): RetailerId {
    return this.state.retailerId;
  }
  get vendorId(): VendorId | null {
    return this.state.vendorId;
  }
  get status(): OrderStatus {
    return this.state.status;
  }
  get total(): Money {
    return this.state.total;
  }
  get lines(): readonly OrderLine[] {
    return this.state.lines;
  }
  get version(): number {
    return this.state.version;
  }
  get routingAttempts(): readonly RoutingAttempt[] {
    return this.state.routingAttempts;
  }
  get needsManualAssignment(): boolean {
    return this.state.needsManualAssignment;
  }
  get holdReason(): HoldReason | null {
    return this.state.holdReason;
  }
  get statusLog(): readonly StatusLogEntry[] {
    return this.state.statusLog;
  }

  isTerminal(): boolean {
    return orderLifecycle.isTerminal(this.state.status);
  }

  pendingOffer(): RoutingAttempt | undefined {
    return this.state.routingAttempts.find((a) => a.outcome === 'PENDING');
  }

  triedVendorIds(): VendorId[] {
    return [...new Set(this.state.routingAttempts.map((a) => a.vendorId))];
  }

  automaticAttempts(): number {
    return this.state.routingAttempts.filter((a) => !a.manual).length;
  }

  /** Can another automatic offer be made? (ROUTING, nothing pending, under the attempt limit.) */
  /** Flagged orders wait for an operator: automatic routing does not race them. */
  canOfferAutomatically(): boolean {
    return (
      this.state.status === 'ROUTING' &&
      !this.state.needsManualAssignment &&
      !this.pendingOffer() &&
      this.automaticAttempts() < MAX_ROUTING_ATTEMPTS
    );
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /** Credit and risk passed: start looking for a vendor. */
  route(actor: Actor, at: Date, reason: string | null = null): void {
    this.transition('route', actor, at, reason);
  }

  /**
   * Wait for an operator: risk said REVIEW (`RISK_REVIEW`), or the order is over the shop's
   * available credit (`CREDIT_LIMIT`: held, not rejected, so the sale is not lost).
   */
  hold(actor: Actor, at: Date, reason: string, holdReason: HoldReason = 'RISK_REVIEW'): void {
    this.transition('hold', actor, at, reason, {}, null, holdReason);
  }

  approve(actor: Actor, at: Date, reason: string | null = null): void {
    this.transition('approve', actor, at, reason);
  }

  reject(actor: Actor, at: Date, reason: string): void {
    this.transition('reject', actor, at, reason);
  }

  offerTo(
    vendorId: VendorId,
    at: Date,
    deadline: Date,
    options: { manual?: boolean; actor?: Actor } = {},
  ): RoutingAttempt {
    const manual = options.manual ?? false;
    if (this.state.status !== 'ROUTING') {
      throw this.illegal(`cannot offer an order in ${this.state.status}`, 'offer');
    }
    const pending = this.pendingOffer();
    if (pending) {
      throw new IllegalStateError(ErrorCodes.ORDER_OFFER_PENDING, 'an offer is already waiting for an answer', {
        orderId: this.id,
        vendorId: pending.vendorId,
      });
    }
    if (!manual && this.automaticAttempts() >= MAX_ROUTING_ATTEMPTS) {
      throw new IllegalStateError(ErrorCodes.ORDER_ROUTING_EXHAUSTED, 'automatic routing attempts are used up', {
        orderId: this.id,
      });
    }
    if (!manual && this.triedVendorIds().includes(vendorId)) {
      throw new IllegalStateError(ErrorCodes.ORDER_VENDOR_ALREADY_TRIED, 'vendor was already tried for this order', {
        orderId: this.id,
        vendorId,
      });
    }
    if (deadline.getTime() <= at.getTime()) throw new ValidationError('offer deadline must be in the future');
    const attempt: RoutingAttempt = {
      attempt: this.state.routingAttempts.length + 1,
      vendorId,
      offeredAt: at,
      deadline,
      outcome: 'PENDING',
      respondedAt: null,
      reason: null,
      manual,
    };
    this.state = {
      ...this.state,
      routingAttempts: [...this.state.routingAttempts, attempt],
      needsManualAssignment: manual ? false : this.state.needsManualAssignment,
      updatedAt: at,
    };
    this.raise(
      domainEvent(EventTypes.ORDER_OFFERED, this.id, at, {
        vendorId,
        attempt: attempt.attempt,
        deadline: deadline.toISOString(),
        manual,
        total: this.state.total.toJSON(),
        ...(options.actor ? { actor: actorToJson(options.actor) } : {}),
      }),
    );
    return attempt;
  }

  /**
   * The vendor said yes before the deadline: the order is CONFIRMED with that vendor. The
   * offer window is half-open, [offeredAt, deadline): at the deadline it has expired, so an
   * answer and the expiry sweep can never both win.
   */
  acceptOffer(vendorId: VendorId, at: Date, actor: Actor = { type: 'vendor', id: vendorId }): void {
    const pending = this.requirePendingOffer(vendorId);
    if (at.getTime() >= pending.deadline.getTime()) {
      throw new IllegalStateError(ErrorCodes.ORDER_NO_PENDING_OFFER, 'the offer expired before it was accepted', {
        orderId: this.id,
        vendorId,
      });
    }
    this.settleAttempt('ACCEPTED', at, null);
    this.transition('confirm', actor, at, null, { acceptedOfferVendorId: vendorId }, vendorId);
  }

  rejectOffer(vendorId: VendorId, at: Date, reason: string | null, actor?: Actor): void {
    const pending = this.requirePendingOffer(vendorId);
    this.settleAttempt('REJECTED', at, reason ?? 'rejected by vendor');
    this.raise(
      domainEvent(EventTypes.ORDER_OFFER_REJECTED, this.id, at, {
        vendorId,
        reason: reason ?? null,
        ...(actor ? { actor: actorToJson(actor) } : {}),
      }),
    );
    this.flagIfExhausted(at, pending);
  }

  /** The deadline passed without an answer. Refused before the deadline. */
  expireOffer(at: Date, actor?: Actor): void {
    const pending = this.pendingOffer();
    if (!pending) {
      throw new IllegalStateError(ErrorCodes.ORDER_NO_PENDING_OFFER, 'no offer is waiting', { orderId: this.id });
    }
    if (at.getTime() < pending.deadline.getTime()) {
      throw new IllegalStateError(ErrorCodes.ORDER_NO_PENDING_OFFER, 'the offer has not expired yet', {
        orderId: this.id,
        deadline: pending.deadline.toISOString(),
      });
    }
    this.settleAttempt('EXPIRED', at, 'no answer before the deadline');
    this.raise(
      domainEvent(EventTypes.ORDER_OFFER_EXPIRED, this.id, at, {
        vendorId: pending.vendorId,
        ...(actor ? { actor: actorToJson(actor) } : {}),
      }),
    );
    this.flagIfExhausted(at, pending);
  }

  /** No candidate vendor is left (or none existed): hand the order to an operator. */
  flagForManualAssignment(at: Date, reason: string): void {
    if (this.state.status !== 'ROUTING') throw this.illegal('only a routing order can need manual assignment', 'flag');
    if (this.state.needsManualAssignment) return;
    this.state = { ...this.state, needsManualAssignment: true, updatedAt: at };
    this.raise(
      domainEvent(EventTypes.ORDER_NEEDS_MANUAL_ASSIGNMENT, this.id, at, {
        attempts: this.automaticAttempts(),
        reason,
      }),
    );
  }

  dispatch(actor: Actor, at: Date): void {
    this.transition('dispatch', actor, at, null);
  }

  deliver(actor: Actor, at: Date): void {
    this.transition('deliver', actor, at, null);
  }

  /** Close a delivered order once the ledger says its invoice is settled. */
  complete(actor: Actor, at: Date, invoiceSettled: boolean): void {
    this.transition('complete', actor, at, 'paid in full', { paidInFull: invoiceSettled });
    this.state = { ...this.state, paidInFull: true };
  }

  cancel(actor: Actor, at: Date, reason: string): void {
    const pending = this.pendingOffer();
    this.transition('cancel', actor, at, reason);
    if (pending) this.settleAttempt('WITHDRAWN', at, 'order cancelled');
  }

  // ---- internals -------------------------------------------------------------------------

  /** An operator found a dispatched order never delivered (a resolved delivery dispute). */
  cancelUndelivered(actor: Actor, at: Date, reason: string): void {
    this.transition('cancel_undelivered', actor, at, reason);
  }

  private transition(
    name: OrderTransitionName,
    actor: Actor,
    at: Date,
    reason: string | null,
    overrides: Partial<OrderGuardContext> = {},
    assignVendor: VendorId | null = null,
    holdReason: HoldReason | null = null,
  ): void {
    const from = this.state.status;
    const context: OrderGuardContext = {
      lineCount: this.state.lines.length,
      vendorId: this.state.vendorId,
      acceptedOfferVendorId: null,
      reason,
      paidInFull: this.state.paidInFull,
      ...overrides,
    };
    const check = orderLifecycle.check(from, name, context);
    if (!check.allowed) throw this.illegal(check.reason, name);
    const entry: StatusLogEntry = { from, to: check.to, actor, reason, at };
    this.state = {
      ...this.state,
      vendorId: assignVendor ?? this.state.vendorId,
      status: check.to,
      statusLog: [...this.state.statusLog, entry],
      needsManualAssignment: check.to === 'ROUTING' ? this.state.needsManualAssignment : false,
      holdReason: check.to === 'ON_HOLD' ? holdReason : null,
      updatedAt: at,
    };
    this.raise(
      domainEvent(EventTypes.ORDER_STATUS_CHANGED, this.id, at, {
        from,
        to: check.to,
        transition: name,
        actor: actorToJson(actor),
        reason,
        retailerId: this.state.retailerId,
        vendorId: this.state.vendorId,
        total: this.state.total.toJSON(),
        ...(check.to === 'ON_HOLD' && holdReason !== null ? { holdReason } : {}),
      }),
    );
  }

  private requirePendingOffer(vendorId: VendorId): RoutingAttempt {
    const pending = this.pendingOffer();
    if (!pending || this.state.status !== 'ROUTING') {
      throw new IllegalStateError(ErrorCodes.ORDER_NO_PENDING_OFFER, 'no offer is waiting for an answer', {
        orderId: this.id,
        vendorId,
      });
    }
    if (pending.vendorId !== vendorId) {
      throw new IllegalStateError(ErrorCodes.ORDER_OFFER_MISMATCH, 'the offer was made to another vendor', {
        orderId: this.id,
        vendorId,
      });
    }
    return pending;
  }

  private settleAttempt(outcome: RoutingAttempt['outcome'], at: Date, reason: string | null): void {
    this.state = {
      ...this.state,
      routingAttempts: this.state.routingAttempts.map((a) =>
        a.outcome === 'PENDING' ? { ...a, outcome, respondedAt: at, reason } : a,
      ),
      updatedAt: at,
    };
  }

  /** An operator's own choice failing goes back to the operator, not to automatic routing. */
  private flagIfExhausted(at: Date, settled: RoutingAttempt): void {
    if (settled.manual) {
      this.flagForManualAssignment(at, 'the manually assigned vendor did not accept');
    } else if (this.automaticAttempts() >= MAX_ROUTING_ATTEMPTS) {
      this.flagForManualAssignment(at, `${MAX_ROUTING_ATTEMPTS} vendors did not accept`);
    }
  }

  private illegal(reason: string, transition: string): IllegalStateError {
    return new IllegalStateError(
      ErrorCodes.ORDER_ILLEGAL_TRANSITION,
      `order ${this.state.number}: ${transition} refused (${reason})`,
      { orderId: this.state.id, status: this.state.status, transition, reason },
    );
  }

  private raise(event: DomainEvent): void {
    this.events.push(event);
  }
}

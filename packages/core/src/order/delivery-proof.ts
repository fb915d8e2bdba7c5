import { type DomainEvent, domainEvent, EventTypes } from '../events/event-catalog.js';
import type { DeliveryDisputeReason } from '../events/delivery-events.js';
import { type Actor, actorToJson } from '../shared/domain-event.js';
import { DomainError, ErrorCodes, InvariantError } from '../shared/errors.js';
import type { OrderId, RandomSource, RetailerId, VendorId } from '../shared/ids.js';

export type { DeliveryDisputeReason };

/** Wrong codes a vendor may enter before the delivery goes to an operator. */
export const MAX_DELIVERY_CODE_ATTEMPTS = 3;

export const DELIVERY_PROOF_STATUSES = ['AWAITING_CODE', 'CONFIRMED', 'DISPUTED', 'RESOLVED'] as const;
/**
 * AWAITING_CODE: dispatched, the shop holds the code. CONFIRMED: delivered with the code or by a
 * staff override. DISPUTED: waiting for an operator. RESOLVED: an operator decided a dispute
 * (`delivered` says which way).
 */
export type DeliveryProofStatus = (typeof DELIVERY_PROOF_STATUSES)[number];

export const DELIVERY_DISPUTE_REASONS: readonly DeliveryDisputeReason[] = [
  'WRONG_CODE_LIMIT',
  'NO_CODE',
  'NOT_RECEIVED',
];

/** How a delivery came to count as delivered. */
export type DeliveryConfirmation = 'CODE' | 'OVERRIDE' | 'DISPUTE';

export interface DeliveryProofSnapshot {
  readonly orderId: OrderId;
  readonly retailerId: RetailerId;
  readonly vendorId: VendorId;
  /**
   * The 4-digit code, kept in clear until the delivery is settled, then erased. Not hashed on
   * purpose: 10,000 codes make any unkeyed hash a lookup table, so a hash would only look like
   * protection; what protects the code is the attempt limit, its short life, and that the shop
   * can be sent it again. It also travels in the shop's message, which the outbox holds anyway.
   */
  readonly code: string | null;
  readonly status: DeliveryProofStatus;
  readonly failedAttempts: number;
  readonly issuedAt: Date;
  readonly confirmedAs: DeliveryConfirmation | null;
  /** For a RESOLVED dispute: whether the operator found the goods delivered. */
  readonly delivered: boolean | null;
  readonly disputeReason: DeliveryDisputeReason | null;
  readonly disputedAt: Date | null;
  readonly disputedBy: Actor | null;
  readonly disputeNote: string | null;
  /** Who confirmed (code or override) or resolved it, when, and the override's or resolution's reason. */
  readonly settledAt: Date | null;
  readonly settledBy: Actor | null;
  readonly settlementNote: string | null;
  readonly updatedAt: Date;
  /** Optimistic-concurrency version: 0 before the first save. */
  readonly version: number;
}

/** What a code entered by the vendor did. */
export type CodeCheck =
  | { readonly result: 'MATCHED' }
  | { readonly result: 'WRONG'; readonly attemptsLeft: number }
  | { readonly result: 'DISPUTED' };

/**
 * A uniformly random 4-digit code ("0000"–"9999"). Rejection sampling: 2³² is not a multiple
 * of 10,000, so a plain modulo would favour the low codes.
 */
export function newDeliveryCode(random: RandomSource): string {
  const limit = 2 ** 32 - (2 ** 32 % 10_000);
  for (;;) {
    const b = random.fill(new Uint8Array(4));
    const n = ((b[0] ?? 0) * 2 ** 24 + ((b[1] ?? 0) << 16) + ((b[2] ?? 0) << 8) + (b[3] ?? 0)) >>> 0;
    if (n < limit) return String(n % 10_000).padStart(4, '0');
  }
}

export function isDeliveryCode(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9]{4}$/.test(value);
}

/**
 * The proof of an order's delivery: the code the shop got on dispatch, the vendor's attempts
 * at it, and a dispute when the code cannot settle it. One per dispatched order.
 */
export class DeliveryProof {
  private state: DeliveryProofSnapshot;
  private events: DomainEvent[] = [];

  private constructor(state: DeliveryProofSnapshot) {
    this.state = state;
  }

  static issue(props: {
    orderId: OrderId;
    retailerId: RetailerId;
    vendorId: VendorId;
    code: string;
    at: Date;
  }): DeliveryProof {
    if (!isDeliveryCode(props.code)) throw new InvariantError('a delivery code has 4 digits');
    const proof = new DeliveryProof({
      orderId: props.orderId,
      retailerId: props.retailerId,
      vendorId: props.vendorId,
      code: props.code,
      status: 'AWAITING_CODE',
      failedAttempts: 0,
      issuedAt: props.at,
      confirmedAs: null,
      delivered: null,
      disputeReason: null,
      disputedAt: null,
      disputedBy: null,
      disputeNote: null,
      settledAt: null,
      settledBy: null,
      settlementNote: null,
      updatedAt: props.at,
      version: 0,
    });
    proof.raise(
      domainEvent(EventTypes.ORDER_DELIVERY_CODE_ISSUED, props.orderId, props.at, {
        retailerId: props.retailerId,
        vendorId: props.vendorId,
      }),
    );
    return proof;
  }

  static restore(snapshot: DeliveryProofSnapshot): DeliveryProof {
    return new DeliveryProof(snapshot);
  }

  snapshot(): DeliveryProofSnapshot {
    return this.state;
  }

  markPersisted(version: number): void {
    this.state = { ...this.state, version };
  }

  pullEvents(): DomainEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  get orderId(): OrderId {
    return this.state.orderId;
  }
  get retailerId(): RetailerId {
    return this.state.retailerId;
  }
  get vendorId(): VendorId {
    return this.state.vendorId;
  }
  get status(): DeliveryProofStatus {
    return this.state.status;
  }
  get code(): string | null {
    return this.state.code;
  }
  get failedAttempts(): number {
    return this.state.failedAttempts;
  }
  get version(): number {
    return this.state.version;
  }

  /**
   * The vendor's code. Right: CONFIRMED. Wrong: one attempt fewer; the last wrong one opens a
   * dispute. Call only while AWAITING_CODE.
   */
  checkCode(code: string, actor: Actor, at: Date): CodeCheck {
    this.expect('AWAITING_CODE', 'check a code');
    // Four digits and a hard attempt limit: a timing difference could tell nothing worth having.
    if (code === this.state.code) {
      this.settle('CONFIRMED', 'CODE', true, actor, at, null);
      return { result: 'MATCHED' };
    }
    const failedAttempts = this.state.failedAttempts + 1;
    this.state = { ...this.state, failedAttempts, updatedAt: at };
    if (failedAttempts >= MAX_DELIVERY_CODE_ATTEMPTS) {
      this.dispute('WRONG_CODE_LIMIT', actor, at, null);
      return { result: 'DISPUTED' };
    }
    return { result: 'WRONG', attemptsLeft: MAX_DELIVERY_CODE_ATTEMPTS - failedAttempts };
  }

  /** Into dispute for an operator: [Delivered] without a code, too many wrong codes, or the shop's "not received". */
  dispute(reason: DeliveryDisputeReason, actor: Actor, at: Date, note: string | null): void {
    this.expect('AWAITING_CODE', 'open a dispute');
    this.state = {
      ...this.state,
      status: 'DISPUTED',
      disputeReason: reason,
      disputedAt: at,
      disputedBy: actorToJson(actor),
      disputeNote: note,
      updatedAt: at,
    };
    this.raise(
      domainEvent(EventTypes.ORDER_DELIVERY_DISPUTED, this.state.orderId, at, {
        retailerId: this.state.retailerId,
        vendorId: this.state.vendorId,
        reason,
        actor: actorToJson(actor),
        note,
      }),
    );
  }

  /** Staff confirm the delivery without the code; the reason is the audit. */
  override(actor: Actor, at: Date, reason: string): void {
    if (this.state.status !== 'AWAITING_CODE' && this.state.status !== 'DISPUTED') {
      this.expect('AWAITING_CODE', 'override the code');
    }
    this.settle('CONFIRMED', 'OVERRIDE', true, actor, at, reason);
    this.raise(
      domainEvent(EventTypes.ORDER_DELIVERY_OVERRIDDEN, this.state.orderId, at, {
        retailerId: this.state.retailerId,
        vendorId: this.state.vendorId,
        actor: actorToJson(actor),
        reason,
      }),
    );
  }

  /** An operator's decision on a dispute. */
  resolve(delivered: boolean, actor: Actor, at: Date, note: string): void {
    this.expect('DISPUTED', 'resolve a dispute');
    this.settle('RESOLVED', 'DISPUTE', delivered, actor, at, note);
    this.raise(
      domainEvent(EventTypes.ORDER_DELIVERY_DISPUTE_RESOLVED, this.state.orderId, at, {
        retailerId: this.state.retailerId,
        vendorId: this.state.vendorId,
        delivered,
        actor: actorToJson(actor),
        note,
      }),
    );
  }

  private settle(
    status: DeliveryProofStatus,
    confirmedAs: DeliveryConfirmation,
    delivered: boolean,
    actor: Actor,
    at: Date,
    note: string | null,
  ): void {
    // Once settled the code proves nothing more: it is not kept.
    this.state = {
      ...this.state,
      status,
      code: null,
      confirmedAs: delivered ? confirmedAs : null,
      delivered,
      settledAt: at,
      settledBy: actorToJson(actor),
      settlementNote: note,
      updatedAt: at,
    };
  }

  private expect(status: DeliveryProofStatus, action: string): void {
    if (this.state.status !== status) {
      throw new DomainError(
        'illegal_state',
        this.state.status === 'DISPUTED'
          ? ErrorCodes.DELIVERY_DISPUTED
          : status === 'DISPUTED'
            ? ErrorCodes.DELIVERY_NOT_DISPUTED
            : ErrorCodes.DELIVERY_SETTLED,
        `cannot ${action}: the delivery is ${this.state.status}`,
        { orderId: this.state.orderId, status: this.state.status },
      );
    }
  }

  private raise(event: DomainEvent): void {
    this.events.push(event);
  }
}

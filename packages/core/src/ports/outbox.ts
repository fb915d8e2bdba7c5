import type { DomainEvent } from '../events/event-catalog.js';
import { type Token, token } from '../shared/token.js';

export interface OutboxWriter {
  /**
   * Add events to the outbox, inside the caller's transaction. The payload is stored as
   * JSON; an event that is not its catalog entry (forced past the types) is refused
   * with `INTERNAL.INVARIANT_VIOLATED`, and the transaction with it.
   */
  append(events: readonly DomainEvent[]): Promise<void>;
}

export interface OutboxMessage {
  /** Unique, time-ordered: also the deterministic id of the job published from it. */
  readonly id: string;
  readonly event: DomainEvent;
  /** When the row was written, by the writer's clock: not the event's `occurredAt`, which may be historic (seeded data). */
  readonly createdAt: Date;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly publishedAt: Date | null;
}

/** A claimed row that does not parse as a catalog event: what a relay may log about it (no payload). */
export interface UnreadableOutboxMessage {
  readonly id: string;
  /** As stored (at most 100 characters). */
  readonly type: string;
  readonly attempts: number;
  /** Why it cannot be read: names the type and the field, never a payload value. */
  readonly error: string;
}

export interface OutboxClaim {
  readonly limit: number;
  /** The claimed messages are invisible to other relays for this long. */
  readonly leaseMs: number;
  readonly now: Date;
  /** Told of each unreadable row this claim parked (after the claim is stored), so it can be logged. */
  readonly onUnreadable?: (message: UnreadableOutboxMessage) => void;
  /**
   * A phone's messages leave one at a time, in order: a `message.send_requested` is not
   * claimed while an earlier one (in the outbox's order) to the same aggregate (the phone) is
   * unpublished — not yet sent, for a relay that publishes on completion — unless that one is
   * unreadable (it may never become readable). The relay always sets it; without it, claim
   * hands out every free message (a test reading what was written).
   */
  readonly phoneOrder?: boolean;
}

export interface OutboxStats {
  readonly pending: number;
  /** The oldest unpublished row's `createdAt` (when it was written, not when its event occurred). */
  readonly oldestPendingAt: Date | null;
  readonly failing: number;
  /** Of the failing, rows parked because they do not parse as a catalog event. */
  readonly unreadable: number;
}

/** What `markPublished` tells its caller. */
export interface OutboxPublished {
  /**
   * One of the ids is a `message.send_requested` with a later unpublished send to the same
   * phone: with phone order, that one may be claimable now, so a relay looks at once
   * (otherwise a pass would find nothing it could not have found before). Read in the
   * marking statement's snapshot: a send committed while it ran is not seen, and is left to
   * its own NOTIFY or the poll.
   */
  readonly heldBehind: boolean;
}

/**
 * The relay side of the transactional outbox. Several relays may claim concurrently:
 * a message is handed to one relay at a time (FOR UPDATE SKIP LOCKED plus a lease),
 * and returns to the pool if its relay dies before marking it.
 */
export interface Outbox extends OutboxWriter {
  /**
   * Unpublished messages, oldest first, whose lease is free; each claimed one's attempts
   * goes up. A stored event that does not parse as a catalog event (a type from a newer
   * version, a payload edited by hand) is not returned: it keeps its lease, gets
   * `lastError` "unreadable event: …" and so counts as failing, and is tried again after
   * the lease (by a relay that may know its type). With `phoneOrder`, a phone's messages
   * are handed out one at a time, in order.
   */
  claim(claim: OutboxClaim): Promise<OutboxMessage[]>;
  /** Marks them published (again: the first time is kept) and frees their leases. */
  markPublished(ids: readonly string[], at: Date): Promise<OutboxPublished>;
  /** Record the failure and make the message claimable again at `retryAt`. */
  markFailed(id: string, error: string, retryAt: Date): Promise<void>;
  stats(now: Date): Promise<OutboxStats>;
}

export const OUTBOX: Token<Outbox> = token('Outbox');

/**
 * Wake-ups for a relay when outbox messages have been committed (PostgreSQL LISTEN/NOTIFY).
 * Hints only, at most once: one may be lost (a reconnect), so a relay still polls, only
 * less often. Where there is none bound, a relay just polls.
 */
export interface OutboxWakeup {
  /** `listener` runs after a commit that appended messages; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

export const OUTBOX_WAKEUP: Token<OutboxWakeup> = token('OutboxWakeup');

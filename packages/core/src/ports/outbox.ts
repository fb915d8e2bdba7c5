import type { DomainEvent } from '../shared/domain-event.js';

export interface OutboxWriter {
  /** Add events to the outbox, inside the caller's transaction. */
  append(events: readonly DomainEvent[]): Promise<void>;
}

export interface OutboxMessage {
  /** Unique, time-ordered: also the deterministic id of the job published from it. */
  readonly id: string;
  readonly event: DomainEvent;
  readonly createdAt: Date;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly publishedAt: Date | null;
}

export interface OutboxClaim {
  readonly limit: number;
  /** The claimed messages are invisible to other relays for this long. */
  readonly leaseMs: number;
  readonly now: Date;
}

export interface OutboxStats {
  readonly pending: number;
  readonly oldestPendingAt: Date | null;
  readonly failing: number;
}

/**
 * The relay side of the transactional outbox. Several relays may claim concurrently:
 * a message is handed to one relay at a time (FOR UPDATE SKIP LOCKED plus a lease),
 * and returns to the pool if its relay dies before marking it.
 */
export interface Outbox extends OutboxWriter {
  /** Unpublished messages, oldest first, whose lease is free; each claimed one's attempts goes up. */
  claim(claim: OutboxClaim): Promise<OutboxMessage[]>;
  markPublished(ids: readonly string[], at: Date): Promise<void>;
  /** Record the failure and make the message claimable again at `retryAt`. */
  markFailed(id: string, error: string, retryAt: Date): Promise<void>;
  stats(now: Date): Promise<OutboxStats>;
}

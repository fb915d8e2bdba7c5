import type { JsonValue } from '../shared/domain-event.js';
import { type Token, token } from '../shared/token.js';
import type { OutboxWakeup } from './outbox.js';

export type InboxStatus = 'RECEIVED' | 'PROCESSING' | 'PROCESSED' | 'FAILED';

export interface InboxEvent {
  readonly id: string;
  readonly provider: string;
  /** The provider's message id: unique per provider, so redeliveries are dropped. */
  readonly externalId: string;
  readonly payload: JsonValue;
  readonly receivedAt: Date;
  readonly status: InboxStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly processedAt: Date | null;
  /** The chat whose events are handled one at a time in inbox order; null: no order. */
  readonly chatKey: string | null;
}

export interface InboxRecord {
  readonly provider: string;
  readonly externalId: string;
  readonly payload: JsonValue;
  readonly receivedAt: Date;
  /**
   * The chat the event belongs to (a message's sender). Events of one chat are claimed in
   * inbox order: none while an earlier one of the chat is unfinished. Absent or null: the event
   * has no order (status callbacks, which never move a message backwards anyway).
   */
  readonly chatKey?: string | null;
}

/** One claim of an event: the attempt it was claimed for identifies it, as a later claim counts up. */
export interface InboxClaim {
  readonly id: string;
  readonly attempts: number;
}

/** What the recovery sweep reports about the inbox (with the caller's attempt limit). */
export interface InboxStats {
  /** RECEIVED, or FAILED with attempts left: what a processor's next `claim` would take. */
  readonly waiting: number;
  readonly oldestWaitingAt: Date | null;
  /** PROCESSING, lease still running. */
  readonly processing: number;
  /** PROCESSING whose lease ran out: its worker stopped before marking it. */
  readonly leaseExpired: number;
  /** FAILED with no attempts left: an operator's to look at. */
  readonly dead: number;
}

/** Inbound webhooks are stored before they are processed, once per provider message id. */
export interface WebhookInbox {
  /** Store the raw event; `duplicate` is true (and nothing changes) when it was seen before. */
  record(event: InboxRecord): Promise<{ readonly event: InboxEvent; readonly duplicate: boolean }>;
  /**
   * Store the events of one delivery, all or none: one answer per event, in the given order
   * (an id seen before, or earlier in the same list, is a duplicate). Stored in that order,
   * so `claim` hands them out in it.
   */
  recordAll(
    events: readonly InboxRecord[],
  ): Promise<readonly { readonly event: InboxEvent; readonly duplicate: boolean }[]>;
  get(id: string): Promise<InboxEvent | null>;
  /**
   * Events to (re)process, oldest first: RECEIVED, FAILED with attempts < maxAttempts,
   * or PROCESSING whose lease ran out (a crashed worker) with attempts < maxAttempts.
   * A final attempt whose lease ran out (PROCESSING, or FAILED with INBOX_LEASE_EXPIRED_ERROR,
   * at attempts = maxAttempts) is claimed once more, as attempt maxAttempts + 1, so that a
   * worker dying on the last attempt still leaves the shop answered; that one lapsing too is
   * dead (a poison event that kills its worker stops there).
   * Claimed events become PROCESSING and their attempts go up by one.
   *
   * Chat order: an event with a chat key is taken only when every earlier event of its chat
   * (by receivedAt, id) is finished, dead, or taken in this same claim. Unfinished: RECEIVED,
   * PROCESSING with a live lease, or claimable again as above.
   */
  claim(options: { limit: number; leaseMs: number; maxAttempts: number; now: Date }): Promise<InboxEvent[]>;
  /**
   * Extend the leases of events still held by the given claims (PROCESSING at that attempt) to
   * now + leaseMs: a handler that runs long keeps its events. Returns the ids renewed; a claim
   * missing from it was lost (its lease ran out and another claim took the event, or it ended).
   */
  renewLeases(claims: readonly InboxClaim[], options: { leaseMs: number; now: Date }): Promise<string[]>;
  /**
   * Give back claimed events unworked (still PROCESSING at that attempt): the claim's attempt is
   * undone, they are claimable again at once and keep their place. RECEIVED when no attempt is
   * left counted, else FAILED with the last error kept (a reclaimed lapsed final attempt stays
   * reclaimable). Used when an earlier event of the chat failed in the same batch.
   */
  release(claims: readonly InboxClaim[], options: { maxAttempts: number }): Promise<void>;
  markProcessed(id: string, at: Date): Promise<void>;
  /**
   * `markProcessed` of many events at once (one write: a processor's group commit of the events
   * it finished together). An unknown id is skipped; an empty list changes nothing.
   */
  markAllProcessed(ids: readonly string[], at: Date): Promise<void>;
  markFailed(id: string, error: string, at: Date): Promise<void>;
  /**
   * Hand back events whose worker stopped: PROCESSING with a lease that ran out (≤ now)
   * become FAILED with `lastError` saying so, attempts unchanged. Those with attempts left
   * (or at exactly maxAttempts: the one reclaim of a lapsed final attempt) are claimable as
   * any failure is; those beyond are dead, and counted so, instead of staying PROCESSING for ever. Returns the events as they are now, oldest first; a second
   * call finds nothing.
   */
  releaseExpiredLeases(options: { limit: number; now: Date }): Promise<InboxEvent[]>;
  stats(options: { maxAttempts: number; now: Date }): Promise<InboxStats>;
  /** FAILED events with no attempts left (the dead ones `stats` counts), oldest first: an operator's list. */
  listDead(options: { maxAttempts: number; limit: number }): Promise<InboxEvent[]>;
  /**
   * Give a FAILED event fresh attempts (RECEIVED, attempts 0, its last error kept) so the next
   * `claim` takes it again. Any other status is left as it is, so a repeat changes nothing.
   * Returns the event as it is now; null when there is no such event.
   */
  retry(id: string): Promise<InboxEvent | null>;
}

/** The `lastError` of an event handed back by `releaseExpiredLeases`. */
export const INBOX_LEASE_EXPIRED_ERROR = 'lease expired: the worker processing it stopped before marking it';

/**
 * Dead: FAILED with no claim left. A final attempt that lapsed (attempts = maxAttempts, failed
 * by INBOX_LEASE_EXPIRED_ERROR) is not dead yet: it is claimed once more as the answering attempt.
 */
export function isDeadInboxEvent(
  event: Pick<InboxEvent, 'status' | 'attempts' | 'lastError'>,
  maxAttempts: number,
): boolean {
  if (event.status !== 'FAILED' || event.attempts < maxAttempts) return false;
  return event.attempts > maxAttempts || event.lastError !== INBOX_LEASE_EXPIRED_ERROR;
}

export const WEBHOOK_INBOX: Token<WebhookInbox> = token('WebhookInbox');

/**
 * Wake-ups for an inbox processor when webhook events have been committed (PostgreSQL
 * LISTEN/NOTIFY on the server): hints only, as OUTBOX_WAKEUP is for relays, so a processor
 * still polls, less often. Where none is bound, a processor just polls.
 */
export const INBOX_WAKEUP: Token<OutboxWakeup> = token('InboxWakeup');

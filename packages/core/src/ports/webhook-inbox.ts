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
}

export interface InboxRecord {
  readonly provider: string;
  readonly externalId: string;
  readonly payload: JsonValue;
  readonly receivedAt: Date;
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
   * Claimed events become PROCESSING and their attempts go up by one.
   */
  claim(options: { limit: number; leaseMs: number; maxAttempts: number; now: Date }): Promise<InboxEvent[]>;
  markProcessed(id: string, at: Date): Promise<void>;
  markFailed(id: string, error: string, at: Date): Promise<void>;
  /**
   * Hand back events whose worker stopped: PROCESSING with a lease that ran out (≤ now)
   * become FAILED with `lastError` saying so, attempts unchanged. Those with attempts left
   * are claimable as any failure is; those without are dead, and counted so, instead of
   * staying PROCESSING for ever. Returns the events as they are now, oldest first; a second
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

export const WEBHOOK_INBOX: Token<WebhookInbox> = token('WebhookInbox');

/**
 * Wake-ups for an inbox processor when webhook events have been committed (PostgreSQL
 * LISTEN/NOTIFY on the server): hints only, as OUTBOX_WAKEUP is for relays, so a processor
 * still polls, less often. Where none is bound, a processor just polls.
 */
export const INBOX_WAKEUP: Token<OutboxWakeup> = token('InboxWakeup');

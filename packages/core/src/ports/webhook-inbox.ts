import type { JsonValue } from '../shared/domain-event.js';
import { type Token, token } from '../shared/token.js';

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

/** Inbound webhooks are stored before they are processed, once per provider message id. */
export interface WebhookInbox {
  /** Store the raw event; `duplicate` is true (and nothing changes) when it was seen before. */
  record(event: InboxRecord): Promise<{ readonly event: InboxEvent; readonly duplicate: boolean }>;
  get(id: string): Promise<InboxEvent | null>;
  /**
   * Events to (re)process, oldest first: RECEIVED, FAILED with attempts < maxAttempts,
   * or PROCESSING whose lease ran out (a crashed worker) with attempts < maxAttempts.
   * Claimed events become PROCESSING and their attempts go up by one.
   */
  claim(options: { limit: number; leaseMs: number; maxAttempts: number; now: Date }): Promise<InboxEvent[]>;
  markProcessed(id: string, at: Date): Promise<void>;
  markFailed(id: string, error: string, at: Date): Promise<void>;
}

export const WEBHOOK_INBOX: Token<WebhookInbox> = token('WebhookInbox');

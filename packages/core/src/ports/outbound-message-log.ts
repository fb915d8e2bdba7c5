import type { DeliveryStatus, MessageStatusUpdate, ProviderErrorInfo } from '../messaging/inbound-message.js';
import { type Token, type TokenMap, token, tokenMap } from '../shared/token.js';
import type { Page, PageRequest } from './pagination.js';
import type { OutboundMessage } from './message-sender.js';

/** A message the provider accepted from us (what `MessageSender.send` returned). */
export interface SentMessageRecord {
  readonly providerMessageId: string;
  /** The recipient's number, E.164 as we sent it. */
  readonly recipient: string;
  readonly kind: OutboundMessage['kind'];
  readonly sentAt: Date;
}

/** One outbound message and how far its delivery got. */
export interface OutboundMessageEntry {
  readonly providerMessageId: string;
  readonly recipient: string;
  /**
   * Null while only a status callback is known: the provider can report a message before the
   * sender's own record of it is written (the callback overtakes the send's answer).
   */
  readonly kind: OutboundMessage['kind'] | null;
  readonly sentAt: Date | null;
  readonly status: DeliveryStatus;
  /** When the current status was reached (the provider's time for a callback). */
  readonly statusAt: Date;
  /** The errors of the `failed` callback that set the status; kept when a later `read` moves past it. */
  readonly errors: readonly ProviderErrorInfo[];
}

/** What a status callback tells the log. */
export type StatusCallback = Pick<MessageStatusUpdate, 'messageId' | 'recipient' | 'status' | 'at' | 'errors'>;

export interface AppliedStatus {
  /** False when the callback was older than (or equal to) what is known: nothing changed. */
  readonly advanced: boolean;
  readonly entry: OutboundMessageEntry;
}

/**
 * What was sent and what became of it. Both writes are idempotent and commute: callbacks come
 * out of order, more than once, and possibly before `record`; the status only ever moves
 * forward (`advanceDeliveryStatus`), whatever order the writes land in.
 */
export interface OutboundMessageLog {
  /** Note a sent message (status `accepted` unless a callback already moved it). A repeat changes nothing. */
  record(message: SentMessageRecord): Promise<void>;
  /** Apply a provider status callback. */
  applyStatus(update: StatusCallback): Promise<AppliedStatus>;
  /**
   * Apply many callbacks at once (one write on a database; all or none), ending where applying
   * them one by one in the given order ends. One answer per update, in order: `advanced` is
   * whether that update moved the status when applied one by one after the ones before it
   * (so of several updates of one message at most one per rank is true); `entry` is the
   * message's entry after the whole list.
   */
  applyStatuses(updates: readonly StatusCallback[]): Promise<readonly AppliedStatus[]>;
  get(providerMessageId: string): Promise<OutboundMessageEntry | null>;
}

export const OUTBOUND_MESSAGE_LOG: Token<OutboundMessageLog> = token('OutboundMessageLog');

/**
 * The outbound message log as personal data (a repository, so an erasure changes it in its
 * own transaction). A recipient is matched in both forms it is stored in: E.164 as we sent it
 * ("+977…") and the provider's digits of a status callback that overtook the send ("977…").
 */
export interface OutboundMessagePersonalData {
  /** The entries to this number, by provider message id; the cursor is the last id of a page. */
  listToRecipient(phone: string, page: PageRequest): Promise<Page<OutboundMessageEntry>>;
  /** Replace the recipient of every entry to this number by `placeholder`; how many changed. */
  replaceRecipient(phone: string, placeholder: string): Promise<number>;
}

export interface OutboundMessageRepositories {
  readonly outboundMessages: OutboundMessagePersonalData;
}

export const OUTBOUND_MESSAGE_REPOSITORY_TOKENS: TokenMap<OutboundMessageRepositories> =
  tokenMap<OutboundMessageRepositories>({ outboundMessages: 'OutboundMessagePersonalData' });

/** Both forms a number is stored in (see `OutboundMessagePersonalData`). */
export function recipientForms(phone: string): string[] {
  return phone.startsWith('+') ? [phone, phone.slice(1)] : [phone];
}

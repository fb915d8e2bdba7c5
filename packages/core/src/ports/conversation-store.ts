import type { DraftId, OrderId, RetailerId, VendorId } from '../shared/ids.js';
import type { PhoneNumber } from '../shared/phone-number.js';
import { type Token, type TokenMap, tokenMap } from '../shared/token.js';

/** The language a party wrote in, and so the one replies use. */
export const CONVERSATION_LANGUAGES = ['en', 'ne-Latn', 'ne'] as const;
export type ConversationLanguage = (typeof CONVERSATION_LANGUAGES)[number];

export type ConversationParty =
  | { readonly kind: 'retailer'; readonly id: RetailerId }
  | { readonly kind: 'vendor'; readonly id: VendorId }
  | { readonly kind: 'unknown'; readonly id: null };

/** What the conversation waits for next. Plain JSON: adapters store it as it is. */
export type ConversationStep =
  | { readonly kind: 'idle' }
  /** A draft reply with [Confirm][Edit][Cancel] was sent. */
  | { readonly kind: 'awaiting-draft-confirm'; readonly draftId: DraftId }
  /** [Edit] was tapped: the next text revises this draft. */
  | { readonly kind: 'awaiting-draft-edit'; readonly draftId: DraftId }
  /** A list of choices was sent for this line of the draft. */
  | { readonly kind: 'awaiting-choice'; readonly draftId: DraftId; readonly lineIndex: number }
  /** The shop asked to cancel this order; [Yes][No] were sent. */
  | { readonly kind: 'awaiting-cancel-confirm'; readonly orderId: OrderId }
  /** A vendor tapped [Delivered]; its next message should be the shop's 4-digit code. */
  | { readonly kind: 'awaiting-delivery-code'; readonly orderId: OrderId }
  /** A vendor's price message would change a price beyond ×2 or ÷2; [Update][Keep] were sent. */
  | { readonly kind: 'awaiting-price-confirm'; readonly text: string };

export const CONVERSATION_STEP_KINDS = [
  'idle',
  'awaiting-draft-confirm',
  'awaiting-draft-edit',
  'awaiting-choice',
  'awaiting-cancel-confirm',
  'awaiting-delivery-code',
  'awaiting-price-confirm',
] as const satisfies readonly ConversationStep['kind'][];

export interface ConversationState {
  readonly phone: PhoneNumber;
  readonly party: ConversationParty;
  readonly language: ConversationLanguage;
  readonly step: ConversationStep;
  /**
   * The provider event ids of the most recent messages answered, oldest first, at most
   * `MAX_HANDLED_MESSAGE_IDS`: a redelivery of one of them is answered by nothing.
   */
  readonly handledMessageIds: readonly string[];
  readonly updatedAt: Date;
  readonly expiresAt: Date;
  /** 0 when never stored; each save adds one. */
  readonly version: number;
}

/** How many answered message ids a conversation remembers (redeliveries come within minutes). */
export const MAX_HANDLED_MESSAGE_IDS = 50;

/** How long a conversation waits for the next message before it starts over. */
export const DEFAULT_CONVERSATION_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Conversation state per phone number, so any worker instance can continue a conversation.
 * Saves use optimistic concurrency on `version`.
 */
export interface ConversationStore {
  /**
   * The state of this number at `now`. Absent → a fresh conversation with version 0. Expired
   * (expiresAt ≤ now) → a fresh conversation too (idle, party unknown, English), but with the
   * stored version, so a save still checks against the row, and with the handled message ids
   * kept: a late redelivery is still recognised.
   */
  get(phone: PhoneNumber, now: Date): Promise<ConversationState>;
  /**
   * Store `state` if the stored version is still `state.version` (0: no row yet); returns it
   * with the version one up. Otherwise `ConcurrencyError` (ENTITY.CONCURRENT_MODIFICATION).
   * Handled message ids beyond the last `MAX_HANDLED_MESSAGE_IDS` are dropped.
   */
  save(state: ConversationState): Promise<ConversationState>;
  /** Forget this number's conversation (personal-data erasure); true when there was one. */
  delete(phone: PhoneNumber): Promise<boolean>;
  /** Housekeeping: delete conversations expired before `before`, at most `limit`; returns how many. */
  purgeExpired(before: Date, limit: number): Promise<number>;
}

export interface ConversationRepositories {
  readonly conversations: ConversationStore;
}

export const CONVERSATION_REPOSITORY_TOKENS: TokenMap<ConversationRepositories> = tokenMap<ConversationRepositories>({
  conversations: 'ConversationStore',
});

export const CONVERSATION_STORE: Token<ConversationStore> = CONVERSATION_REPOSITORY_TOKENS.conversations;

/** A conversation that has not started (or has expired): what `get` returns for one. */
export function freshConversation(
  phone: PhoneNumber,
  now: Date,
  keep: { readonly version: number; readonly handledMessageIds: readonly string[] } = {
    version: 0,
    handledMessageIds: [],
  },
): ConversationState {
  return {
    phone,
    party: { kind: 'unknown', id: null },
    language: 'en',
    step: { kind: 'idle' },
    handledMessageIds: keep.handledMessageIds,
    updatedAt: now,
    expiresAt: now,
    version: keep.version,
  };
}

/** The ids a save keeps: the last `MAX_HANDLED_MESSAGE_IDS`, without repeats. */
export function trimHandledMessageIds(ids: readonly string[]): string[] {
  const unique = [...new Set(ids)];
  return unique.slice(Math.max(0, unique.length - MAX_HANDLED_MESSAGE_IDS));
}

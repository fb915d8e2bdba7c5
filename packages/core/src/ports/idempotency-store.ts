import type { JsonValue } from '../shared/domain-event.js';
import { type Token, token } from '../shared/token.js';

export interface StoredResponse {
  readonly status: number;
  readonly body: JsonValue;
}

export type IdempotencyBegin =
  /** First time (or a crashed holder's lease ran out): go ahead, then `complete`. */
  | { readonly outcome: 'started' }
  /** Done before with the same request: answer with the stored response. */
  | { readonly outcome: 'replay'; readonly response: StoredResponse }
  /** Another request with this key is running now. */
  | { readonly outcome: 'in_progress' }
  /** The key was used for a different request (fingerprint differs). */
  | { readonly outcome: 'mismatch' };

export interface IdempotencyBeginInput {
  /** Who owns the key (a user id, a route) so two clients' keys never meet. */
  readonly scope: string;
  readonly key: string;
  /** A hash of the request (method, path, body). */
  readonly fingerprint: string;
  readonly now: Date;
  readonly leaseMs: number;
}

export interface IdempotencyStore {
  begin(input: IdempotencyBeginInput): Promise<IdempotencyBegin>;
  complete(input: { scope: string; key: string; response: StoredResponse; now: Date }): Promise<void>;
  /** Give the key back after a failure that should be retryable with the same key. */
  abandon(input: { scope: string; key: string }): Promise<void>;
}

export const IDEMPOTENCY_STORE: Token<IdempotencyStore> = token('IdempotencyStore');

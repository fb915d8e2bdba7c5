import { type Token, token } from '../shared/token.js';

/** A provider's media file, fetched by the id an inbound message carries. */
export interface FetchedMedia {
  readonly kind: 'media';
  readonly bytes: Uint8Array;
  readonly mimeType: string;
}

/**
 * Why a media file could not be had:
 * - `GONE`: the provider no longer has it (expired, deleted, or never existed);
 * - `TOO_LARGE`: larger than the cap, so it was not read to the end;
 * - `CORRUPT`: what arrived does not match the provider's sha256 (or its announced size);
 * - `UNAUTHORIZED`: our access token was refused (it expired or was revoked);
 * - `UNAVAILABLE`: the provider failed or was too slow (5xx, 429, timeout, network).
 */
export type MediaFailureReason = 'GONE' | 'TOO_LARGE' | 'CORRUPT' | 'UNAUTHORIZED' | 'UNAVAILABLE';

export interface MediaFailure {
  readonly kind: 'failed';
  readonly reason: MediaFailureReason;
  /** True when the same fetch may work later (a new token, the provider back): worth retrying. */
  readonly transient: boolean;
  /** For logs: never the media's content or the token. */
  readonly detail: string;
}

export type MediaFetchResult = FetchedMedia | MediaFailure;

/** Whether a failure of this reason may go away by itself or by an operator's fix. */
export function isTransientMediaFailure(reason: MediaFailureReason): boolean {
  return reason === 'UNAVAILABLE' || reason === 'UNAUTHORIZED';
}

export function mediaFailure(reason: MediaFailureReason, detail: string): MediaFailure {
  return { kind: 'failed', reason, transient: isTransientMediaFailure(reason), detail };
}

/**
 * Fetches inbound media (the WhatsApp Graph API media endpoint in production). Failures are
 * typed answers, never exceptions, so the caller decides between a retry and a reply.
 */
export interface MediaFetcher {
  fetch(mediaId: string): Promise<MediaFetchResult>;
}

export const MEDIA_FETCHER: Token<MediaFetcher> = token('MediaFetcher');

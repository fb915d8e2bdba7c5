import { type Token, token } from '../shared/token.js';

/** A provider's media file, fetched by the id an inbound message carries. */
export interface FetchedMedia {
  readonly bytes: Uint8Array;
  readonly mimeType: string;
}

/**
 * Fetches inbound media (the WhatsApp Graph API media endpoint in production). Throws for a
 * transient failure, so the inbox retries the message.
 */
export interface MediaFetcher {
  fetch(mediaId: string): Promise<FetchedMedia>;
}

export const MEDIA_FETCHER: Token<MediaFetcher> = token('MediaFetcher');

import {
  type MediaFailureReason,
  type MediaFetcher,
  type MediaFetchResult,
  mediaFailure,
} from '../ports/media-fetcher.js';

/**
 * An in-memory `MediaFetcher`: it serves what the test put with `put`; an unknown id is
 * `GONE`, as the Graph API answers for expired media; `failNext` makes the next fetches fail.
 */
export class ScriptedMediaFetcher implements MediaFetcher {
  private readonly files = new Map<string, { bytes: Uint8Array; mimeType: string }>();
  private readonly failures: MediaFailureReason[] = [];
  /** Every id asked for, in order. */
  readonly fetched: string[] = [];

  put(mediaId: string, bytes: Uint8Array, mimeType = 'audio/ogg; codecs=opus'): this {
    this.files.set(mediaId, { bytes, mimeType });
    return this;
  }

  failNext(...reasons: MediaFailureReason[]): this {
    this.failures.push(...reasons);
    return this;
  }

  fetch(mediaId: string): Promise<MediaFetchResult> {
    this.fetched.push(mediaId);
    const failure = this.failures.shift();
    if (failure !== undefined) return Promise.resolve(mediaFailure(failure, 'scripted'));
    const file = this.files.get(mediaId);
    if (!file) return Promise.resolve(mediaFailure('GONE', `no media ${mediaId}`));
    return Promise.resolve({ kind: 'media', bytes: file.bytes, mimeType: file.mimeType });
  }
}

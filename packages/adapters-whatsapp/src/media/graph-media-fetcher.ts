import { createHash } from 'node:crypto';
import {
  type Logger,
  type MediaFailureReason,
  type MediaFetcher,
  type MediaFetchResult,
  mediaFailure,
  NOOP_LOGGER,
} from '@khaacho/core';
import type { WhatsAppConfig } from '../whatsapp-config.js';

/** WhatsApp's cap on audio (voice notes included): larger files are not read. */
export const MAX_AUDIO_BYTES = 16 * 1024 * 1024;
/** Downloading the file may take longer than one Graph call on a slow link. */
export const DEFAULT_MEDIA_DOWNLOAD_TIMEOUT_MS = 30_000;

export interface GraphMediaFetcherOptions {
  readonly config: WhatsAppConfig;
  /** Bytes above this are not read: the download is aborted (default 16 MiB, WhatsApp's audio cap). */
  readonly maxBytes?: number;
  /** The whole download, body included (default 30 s); the metadata call takes `config.timeoutMs`. */
  readonly downloadTimeoutMs?: number;
  readonly logger?: Logger;
}

/** Graph error codes that mean our token is not (or no longer) good enough: an operator's fix, then a retry. */
const AUTH_CODES = new Set([190, 102, 10, 200]);
/** Rate limits (app, account, business number): another try later. */
const THROTTLE_CODES = new Set([4, 17, 32, 613, 80007, 130429]);
/** A media id is digits at Meta; anything else is refused before it reaches a URL path. */
const MEDIA_ID = /^[A-Za-z0-9._-]{1,128}$/;

type Obj = Readonly<Record<string, unknown>>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface MediaInfo {
  readonly url: URL;
  readonly mimeType: string;
  readonly sha256: string | null;
  readonly fileSize: number | null;
}

/**
 * Core's `MediaFetcher` on the Graph API, the two steps Meta documents: `GET /{version}/{media-id}`
 * with the bearer token answers `url`, `mime_type`, `sha256` and `file_size`; then `GET url`
 * with the same token gives the bytes (the URL lives about five minutes). The size cap is
 * checked on `file_size`, on `content-length` and while the body streams, so an oversized
 * file is never held whole; the bytes are checked against `file_size` and `sha256`. Every
 * failure is a typed answer: expired media is `GONE`, a refused token `UNAUTHORIZED`,
 * Meta failing or slow `UNAVAILABLE`.
 */
export class GraphMediaFetcher implements MediaFetcher {
  private readonly config: WhatsAppConfig;
  private readonly maxBytes: number;
  private readonly downloadTimeoutMs: number;
  private readonly logger: Logger;

  constructor(options: GraphMediaFetcherOptions) {
    this.config = options.config;
    this.maxBytes = options.maxBytes ?? MAX_AUDIO_BYTES;
    this.downloadTimeoutMs = options.downloadTimeoutMs ?? DEFAULT_MEDIA_DOWNLOAD_TIMEOUT_MS;
    this.logger = options.logger ?? NOOP_LOGGER;
  }

  async fetch(mediaId: string): Promise<MediaFetchResult> {
    const result = await this.fetchOnce(mediaId);
    if (result.kind === 'failed') {
      (result.reason === 'UNAUTHORIZED' ? this.logger.error : this.logger.warn).call(
        this.logger,
        'whatsapp media not fetched',
        { mediaId, reason: result.reason, detail: result.detail },
      );
    }
    return result;
  }

  private async fetchOnce(mediaId: string): Promise<MediaFetchResult> {
    if (!MEDIA_ID.test(mediaId)) return mediaFailure('GONE', 'not a media id');
    const info = await this.info(mediaId);
    if ('kind' in info) return info;
    if (info.fileSize !== null && info.fileSize > this.maxBytes) {
      return mediaFailure('TOO_LARGE', `file_size ${info.fileSize} is over ${this.maxBytes}`);
    }
    return this.download(info);
  }

  private async info(mediaId: string): Promise<MediaInfo | ReturnType<typeof mediaFailure>> {
    const { baseUrl, graphApiVersion, accessToken, timeoutMs } = this.config;
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/${graphApiVersion}/${mediaId}`, {
        headers: { authorization: `Bearer ${accessToken}` },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      return mediaFailure('UNAVAILABLE', `Graph API unreachable: ${(cause as Error).message}`);
    }
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) return failureOfGraph(response.status, body);
    if (!isObj(body) || typeof body.url !== 'string') {
      return mediaFailure('UNAVAILABLE', 'Graph API answered the media without a url');
    }
    let url: URL;
    try {
      url = new URL(body.url);
    } catch {
      return mediaFailure('UNAVAILABLE', 'Graph API answered a media url that is not a URL');
    }
    // The token goes with the download: only over TLS, to the configured Graph origin itself,
    // or from a loopback Graph (a local stub) to loopback.
    if (!mayCarryToken(url, new URL(baseUrl))) {
      return mediaFailure('UNAVAILABLE', `refusing to send the token to ${url.protocol}//${url.host}`);
    }
    const size = typeof body.file_size === 'string' ? Number(body.file_size) : body.file_size;
    return {
      url,
      mimeType: typeof body.mime_type === 'string' ? body.mime_type : 'application/octet-stream',
      sha256: typeof body.sha256 === 'string' && body.sha256 !== '' ? body.sha256 : null,
      fileSize: typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 ? size : null,
    };
  }

  private async download(info: MediaInfo): Promise<MediaFetchResult> {
    const abort = new AbortController();
    const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(this.downloadTimeoutMs)]);
    let response: Response;
    try {
      response = await fetch(info.url, {
        headers: { authorization: `Bearer ${this.config.accessToken}` },
        signal,
      });
    } catch (cause) {
      return mediaFailure('UNAVAILABLE', `media download failed: ${(cause as Error).message}`);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return failureOfDownload(response.status);
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > this.maxBytes) {
      abort.abort();
      return mediaFailure('TOO_LARGE', `content-length ${declared} is over ${this.maxBytes}`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      const reader = response.body?.getReader();
      for (;;) {
        const next = await reader?.read();
        if (!next || next.done) break;
        size += next.value.byteLength;
        if (size > this.maxBytes) {
          abort.abort();
          return mediaFailure('TOO_LARGE', `more than ${this.maxBytes} bytes`);
        }
        chunks.push(next.value);
      }
    } catch (cause) {
      return mediaFailure('UNAVAILABLE', `media download broke off: ${(cause as Error).message}`);
    }
    const bytes = concat(chunks, size);
    if (info.fileSize !== null && size !== info.fileSize) {
      return mediaFailure('CORRUPT', `${size} bytes arrived, file_size says ${info.fileSize}`);
    }
    if (info.sha256 !== null && !sameDigest(bytes, info.sha256)) {
      return mediaFailure('CORRUPT', 'the bytes do not match the sha256 Meta gave');
    }
    const mimeType =
      info.mimeType !== 'application/octet-stream' ? info.mimeType : (contentType(response) ?? info.mimeType);
    return { kind: 'media', bytes, mimeType };
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function mayCarryToken(url: URL, graph: URL): boolean {
  if (url.protocol === 'https:' || url.origin === graph.origin) return true;
  return url.protocol === 'http:' && LOOPBACK.has(graph.hostname) && LOOPBACK.has(url.hostname);
}

function contentType(response: Response): string | null {
  const value = response.headers.get('content-type');
  return value === null || value === '' ? null : value;
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** Meta gives the digest as hex on the media endpoint and as base64 in webhooks: either matches. */
function sameDigest(bytes: Uint8Array, expected: string): boolean {
  const digest = createHash('sha256').update(bytes).digest();
  const given = expected.trim();
  return given.toLowerCase() === digest.toString('hex') || given === digest.toString('base64');
}

/** A Graph error answer of the media endpoint as a typed failure. */
function failureOfGraph(status: number, body: unknown): ReturnType<typeof mediaFailure> {
  const error = isObj(body) && isObj(body.error) ? body.error : {};
  const code = typeof error.code === 'number' ? error.code : null;
  const detail = `HTTP ${status}${code === null ? '' : `, code ${code}`}${
    typeof error.message === 'string' ? `: ${error.message.slice(0, 200)}` : ''
  }`;
  const reason: MediaFailureReason =
    status === 401 || (code !== null && AUTH_CODES.has(code))
      ? 'UNAUTHORIZED'
      : status === 429 || status === 408 || status >= 500 || (code !== null && THROTTLE_CODES.has(code))
        ? 'UNAVAILABLE'
        : // 404, and 400 code 100 ("Object with ID … does not exist"): the media expired or never was.
          'GONE';
  return mediaFailure(reason, detail);
}

/** The download URL's answer: it has no Graph error body, only a status. */
function failureOfDownload(status: number): ReturnType<typeof mediaFailure> {
  const detail = `media download answered HTTP ${status}`;
  if (status === 401 || status === 403) return mediaFailure('UNAUTHORIZED', detail);
  if (status === 408 || status === 429 || status >= 500) return mediaFailure('UNAVAILABLE', detail);
  return mediaFailure('GONE', detail);
}

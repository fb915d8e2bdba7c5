/** Why a send failed, by what the caller should do about it. */
export type WhatsAppFailureReason =
  /** 130429 (throughput), 131056 (pair rate), our own rate wait ran out, 5xx or the network: retry after `retryAfterMs`. */
  | 'throttled'
  | 'unavailable'
  /** 131047: the 24-hour window is closed and the message had no fallback template. */
  | 'outside_window'
  /** 131026: the number cannot receive it (not on WhatsApp, old app, terms not accepted): mark it, raise an alert. */
  | 'undeliverable'
  /** 190: the access token expired or was revoked: nothing goes out until an operator replaces it. */
  | 'token_expired'
  /** Any other Graph error, kept with its code. */
  | 'rejected';

const BRAND = Symbol.for('@khaacho/adapters-whatsapp/WhatsAppSendError');

export class WhatsAppSendError extends Error {
  readonly [BRAND] = true as const;
  constructor(
    readonly reason: WhatsAppFailureReason,
    message: string,
    /** The Graph error code; null when there was no Graph answer (network, our own rate wait). */
    readonly code: number | null,
    /** How long to wait before trying again; null when trying again cannot help. */
    readonly retryAfterMs: number | null,
    readonly httpStatus: number | null = null,
    readonly fbtraceId: string | null = null,
  ) {
    super(message);
    this.name = 'WhatsAppSendError';
  }

  get retryable(): boolean {
    return this.retryAfterMs !== null;
  }

  /** An operator must hear of it (undeliverable number, dead token). */
  get needsAlert(): boolean {
    return this.reason === 'undeliverable' || this.reason === 'token_expired';
  }

  static is(value: unknown): value is WhatsAppSendError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

export const GraphErrorCodes = Object.freeze({
  THROUGHPUT: 130429,
  PAIR_RATE: 131056,
  OUTSIDE_WINDOW: 131047,
  UNDELIVERABLE: 131026,
  TOKEN_EXPIRED: 190,
});

/** First waits: 130429 is a per-second throughput cap; 131056 allows about one message per 6 s to the same user. */
const FIRST_WAIT_MS: Readonly<Record<number, number>> = { 130429: 1_000, 131056: 6_000 };
const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * How long to wait before attempt `attempt` (1 = the first retry) of a send that failed
 * with `error`: its own first wait, doubled per attempt, at most 5 minutes. Deterministic, so
 * a job queue's retry delay can be computed from the attempt count alone.
 */
export function backoffMs(error: WhatsAppSendError, attempt: number): number | null {
  if (error.retryAfterMs === null) return null;
  const n = Math.max(1, Math.floor(attempt));
  return Math.min(MAX_BACKOFF_MS, error.retryAfterMs * 2 ** Math.min(n - 1, 20));
}

interface GraphErrorBody {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly fbtrace_id?: unknown;
  readonly error_data?: { readonly details?: unknown };
}

/** The typed error for a Graph error answer (`{ error: { code, message, error_data, fbtrace_id } }`). */
export function errorFromGraph(httpStatus: number, body: unknown): WhatsAppSendError {
  const e = (typeof body === 'object' && body !== null ? (body as { error?: GraphErrorBody }).error : undefined) ?? {};
  const code = typeof e.code === 'number' ? e.code : null;
  const details = typeof e.error_data?.details === 'string' ? e.error_data.details : null;
  const text = [typeof e.message === 'string' ? e.message : `HTTP ${httpStatus}`, details].filter(Boolean).join(': ');
  const trace = typeof e.fbtrace_id === 'string' ? e.fbtrace_id : null;
  const make = (reason: WhatsAppFailureReason, retryAfterMs: number | null) =>
    new WhatsAppSendError(reason, text, code, retryAfterMs, httpStatus, trace);
  switch (code) {
    case GraphErrorCodes.THROUGHPUT:
    case GraphErrorCodes.PAIR_RATE:
      return make('throttled', FIRST_WAIT_MS[code] ?? 1_000);
    case GraphErrorCodes.OUTSIDE_WINDOW:
      return make('outside_window', null);
    case GraphErrorCodes.UNDELIVERABLE:
      return make('undeliverable', null);
    case GraphErrorCodes.TOKEN_EXPIRED:
      return make('token_expired', null);
    default:
      // Meta's side failing is worth another try; anything else it refused will be refused again.
      return httpStatus >= 500 ? make('unavailable', 2_000) : make('rejected', null);
  }
}

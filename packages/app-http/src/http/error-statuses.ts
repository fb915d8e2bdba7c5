import { DomainError, type ErrorKind } from '@khaacho/core';

/** Codes app-http raises itself (transport and access), beside core's. */
export const HttpErrorCodes = {
  ROUTE_NOT_FOUND: 'HTTP.ROUTE_NOT_FOUND',
  METHOD_NOT_ALLOWED: 'HTTP.METHOD_NOT_ALLOWED',
  MALFORMED_BODY: 'HTTP.MALFORMED_BODY',
  BODY_TOO_LARGE: 'HTTP.BODY_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'HTTP.UNSUPPORTED_MEDIA_TYPE',
  INVALID_REQUEST: 'HTTP.INVALID_REQUEST',
  RATE_LIMITED: 'HTTP.RATE_LIMITED',
  UNAUTHENTICATED: 'AUTH.UNAUTHENTICATED',
  FORBIDDEN_ROLE: 'AUTH.FORBIDDEN_ROLE',
  INTERNAL: 'INTERNAL.ERROR',
} as const;

/** An error of the HTTP layer itself: its status is part of it. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/*
 * THE table from a domain error to an HTTP status. A code listed here wins over its kind;
 * every other domain error gets its kind's status. Another party's resource is answered
 * with 404 by the routes (they ask core for it and find it is not the principal's), so
 * `forbidden` here is a role refusing an action it may never do.
 */
const BY_CODE: Readonly<Record<string, number>> = {
  'IDEMPOTENCY.KEY_REUSED': 422,
  'IDEMPOTENCY.IN_PROGRESS': 409,
  'CREDIT.LIMIT_EXCEEDED': 422,
  'ORDER.INVALID_LINES': 422,
  'PARTY.INACTIVE': 409,
  'STORAGE.LOCK_TIMEOUT': 503,
  'STORAGE.QUERY_CANCELLED': 503,
  'STORAGE.POOL_EXHAUSTED': 503,
  'STORAGE.CONNECTION_LOST': 503,
  'STORAGE.SERIALIZATION_FAILURE': 503,
  'STORAGE.DEADLOCK': 503,
  'QUEUE.UNAVAILABLE': 503,
  // Authentication (branch auth raises these; see seam-auth-http.md).
  'AUTH.UNAUTHENTICATED': 401,
  'AUTH.INVALID_CREDENTIALS': 401,
  'AUTH.TOKEN_EXPIRED': 401,
  'AUTH.TOKEN_INVALID': 401,
  'AUTH.FORBIDDEN_ROLE': 403,
  'AUTH.LOCKED': 429,
  'AUTH.TOTP_STATE': 409,
};

const BY_KIND: Readonly<Record<ErrorKind, number>> = {
  validation: 422,
  not_found: 404,
  conflict: 409,
  illegal_state: 409,
  forbidden: 403,
  unavailable: 503,
  invariant: 500,
  unauthenticated: 401,
};

/** The status a domain error (or a failure value of the same shape) is answered with. */
export function statusForDomain(code: string, kind: ErrorKind): number {
  return BY_CODE[code] ?? BY_KIND[kind];
}

export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly details?: Readonly<Record<string, unknown>>;
    readonly errorId: string;
  };
}

export interface MappedError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
  /** False for a 500: its message and details stay in the log, never in the answer. */
  readonly expose: boolean;
}

/** Any thrown value → what the client is told. Anything unknown is a 500 that says nothing. */
export function mapError(error: unknown): MappedError {
  if (error instanceof HttpError) {
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
      expose: true,
    };
  }
  if (DomainError.is(error)) {
    const status = statusForDomain(error.code, error.kind);
    if (status >= 500 && status !== 503) return internal();
    return {
      status,
      code: error.code,
      message: error.message,
      ...(status === 503 || Object.keys(error.details).length === 0 ? {} : { details: error.details }),
      expose: true,
    };
  }
  const transport = transportError(error);
  return transport ?? internal();
}

function internal(): MappedError {
  return { status: 500, code: HttpErrorCodes.INTERNAL, message: 'internal error', expose: false };
}

/**
 * What the body parser and the router raise: http-errors with a 4xx `status` (co-body's JSON
 * SyntaxError carries `status: 400` and no `expose`). Only our own messages are sent.
 */
function transportError(error: unknown): MappedError | null {
  if (typeof error !== 'object' || error === null) return null;
  const { status, expose, type } = error as { status?: unknown; expose?: unknown; type?: unknown };
  if (status === 501) {
    return { status, code: HttpErrorCodes.METHOD_NOT_ALLOWED, message: 'method not implemented', expose: true };
  }
  if (typeof status !== 'number' || status < 400 || status >= 500 || expose === false) return null;
  if (status === 405) {
    return {
      status,
      code: HttpErrorCodes.METHOD_NOT_ALLOWED,
      message: 'method not allowed on this path',
      expose: true,
    };
  }
  if (status === 413) {
    return { status, code: HttpErrorCodes.BODY_TOO_LARGE, message: 'request body too large', expose: true };
  }
  if (status === 415) {
    return {
      status,
      code: HttpErrorCodes.UNSUPPORTED_MEDIA_TYPE,
      message: 'send the body as application/json',
      expose: true,
    };
  }
  if (status === 400 || type === 'entity.parse.failed') {
    return { status: 400, code: HttpErrorCodes.MALFORMED_BODY, message: 'the body is not valid JSON', expose: true };
  }
  return { status, code: HttpErrorCodes.INVALID_REQUEST, message: 'invalid request', expose: true };
}

const RESPONSE_HEADERS = Symbol('khaacho.responseHeaders');

/** Marks an error with headers its answer carries (a 429's Retry-After): requestContext sets them. */
export function withResponseHeaders<E extends Error>(error: E, headers: Readonly<Record<string, string>>): E {
  Object.defineProperty(error, RESPONSE_HEADERS, { value: headers, enumerable: false });
  return error;
}

export function responseHeadersOf(error: unknown): Readonly<Record<string, string>> {
  if (error === null || typeof error !== 'object') return {};
  return ((error as Record<symbol, unknown>)[RESPONSE_HEADERS] as Record<string, string> | undefined) ?? {};
}

import {
  ConcurrencyError,
  ConflictError,
  DomainError,
  type ErrorCode,
  ErrorCodes,
  UnavailableError,
  ValidationError,
} from '@khaacho/core';
import { isStalePreparedStatement } from './prepared-statements.js';

/*
 * The one place where PostgreSQL / driver failures become core errors (ARCHITECTURE
 * rule 6), one stable code per condition, after MikroORM's PostgreSqlExceptionConverter.
 * Messages are our own: the database's text never reaches a caller (details carry the
 * SQLSTATE and constraint). A SQLSTATE not listed becomes STORAGE.UNEXPECTED carrying only
 * the code; an error without one passes through unchanged, so errors thrown by the caller's
 * own work reach it as they were.
 */

/** A real SQLSTATE: its class is 00-58, F0, HV, P0 or XX (Node's own codes, EPERM…, are not). */
const SQLSTATE = /^(?:[0-5][0-9A-Z]|F0|HV|P0|XX)[0-9A-Z]{3}$/;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** `party_phones`' primary key: one phone, one party (Migration20261206091000_phone_one_party). */
const PARTY_PHONES_KEY = 'party_phones_pkey';

const SESSION_ENDED = new Set(['25P03', '25P04', '53300']);

/** pg-pool's words when no client became free within `connectionTimeoutMillis`. */
const POOL_TIMEOUT = /timeout exceeded when trying to connect/i;
/** pg's words for a socket that closed, timed out while connecting, or already failed. */
const CONNECTION_GONE =
  /Connection terminated|connection timeout|Client has encountered a connection error|not queryable|Client was closed|timeout expired/i;

interface PgLikeError {
  readonly code?: unknown;
  readonly constraint?: unknown;
  readonly table?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
  readonly errors?: unknown;
}

export function translatePgError(error: unknown): unknown {
  if (DomainError.is(error)) return error;
  const found = findCode(error);
  if (!found) return translateByMessage(error);
  const { code, source } = found;
  const details = {
    sqlState: code,
    ...(typeof source.constraint === 'string' ? { constraint: source.constraint } : {}),
    ...(typeof source.table === 'string' ? { table: source.table } : {}),
  };
  switch (code) {
    case '23505':
      // The phone registry's key: the number is a party's of the other kind (see party_phones).
      if (details.constraint === PARTY_PHONES_KEY) {
        return new ConflictError(
          'this phone belongs to a party of the other kind',
          { constraint: PARTY_PHONES_KEY },
          ErrorCodes.PARTY_PHONE_TAKEN,
        );
      }
      return new ConflictError('a unique value is already taken', details, ErrorCodes.DUPLICATE);
    case '23503':
      return new ConflictError('a referenced record does not exist', details, ErrorCodes.REFERENCE_MISSING);
    case '23502':
      return new ValidationError('a required value is missing', details, ErrorCodes.REQUIRED_VALUE_MISSING);
    case '23514':
      return new ValidationError('a value breaks a stored rule', details, ErrorCodes.CONSTRAINT_VIOLATED);
    case '55P03':
      return new UnavailableError(
        'a lock was not granted in time',
        { ...details, retryable: true },
        ErrorCodes.LOCK_TIMEOUT,
      );
    case '57014':
      return new UnavailableError('the statement was cancelled', details, ErrorCodes.QUERY_CANCELLED);
    case '40001':
      return concurrency('the transaction conflicted with a concurrent one', details, ErrorCodes.SERIALIZATION_FAILURE);
    case '40P01':
      return concurrency('the transaction deadlocked with a concurrent one', details, ErrorCodes.DEADLOCK);
    case '3D000':
      return new UnavailableError('the configured database does not exist', details, ErrorCodes.DATABASE_MISSING);
  }
  // A prepared statement a migration changed under this connection: the connection was closed
  // (orm/create-orm.ts), so the next call runs on a fresh one.
  if (isStalePreparedStatement(source)) return connectionLost(details);
  if (code.startsWith('22')) {
    return new ValidationError('a value breaks a stored rule', details, ErrorCodes.CONSTRAINT_VIOLATED);
  }
  // 08xxx connection exceptions, 57P01-04 shutdowns, 25P03/25P04 sessions ended by the idle-in-transaction
  // or transaction timeout, 53300 too many connections, socket errors.
  if (NETWORK_CODES.has(code) || code.startsWith('08') || code.startsWith('57P') || SESSION_ENDED.has(code)) {
    return connectionLost(details);
  }
  if (!SQLSTATE.test(code)) return error;
  // Unexpected means a fault on our side (a program limit, a schema or query bug): the
  // `invariant` kind, not `unavailable`, because a retry of the same call meets it again.
  return new DomainError('invariant', ErrorCodes.STORAGE_UNEXPECTED, 'the database refused the operation', {
    sqlState: code,
  });
}

/** True for a translated serialization failure or deadlock: the unit of work may run again. */
export function isRetryable(error: unknown): boolean {
  return (
    ConcurrencyError.is(error) &&
    error.details.retryable === true &&
    (error.code === ErrorCodes.SERIALIZATION_FAILURE || error.code === ErrorCodes.DEADLOCK)
  );
}

function concurrency(message: string, details: Record<string, unknown>, code: ErrorCode): ConcurrencyError {
  return new ConcurrencyError(message, { ...details, retryable: true }, code);
}

function connectionLost(details: Record<string, unknown> = {}): UnavailableError {
  return new UnavailableError('the database connection was lost', details, ErrorCodes.CONNECTION_LOST);
}

function translateByMessage(error: unknown): unknown {
  const message = messagesOf(error);
  if (POOL_TIMEOUT.test(message)) {
    return new UnavailableError('no database connection became free in time', {}, ErrorCodes.POOL_EXHAUSTED);
  }
  if (CONNECTION_GONE.test(message)) return connectionLost();
  return error;
}

/** The messages along a `cause` chain: pg-pool wraps a connect timeout in its own error. */
function messagesOf(error: unknown, depth = 0): string {
  if (!(error instanceof Error) || depth > 5) return '';
  return `${error.message}\n${messagesOf(error.cause, depth + 1)}`;
}

/** Walk `cause` chains and AggregateErrors (pg's connect can throw one per address). */
function findCode(error: unknown, depth = 0): { code: string; source: PgLikeError } | null {
  if (typeof error !== 'object' || error === null || depth > 5) return null;
  const e = error as PgLikeError;
  if (typeof e.code === 'string' && (/^[0-9A-Z]{5}$/.test(e.code) || NETWORK_CODES.has(e.code))) {
    return { code: e.code, source: e };
  }
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const hit = findCode(inner, depth + 1);
      if (hit) return hit;
    }
  }
  return findCode(e.cause, depth + 1);
}

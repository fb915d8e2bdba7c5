import { ConcurrencyError, ConflictError, DomainError, UnavailableError, ValidationError } from '@khaacho/core';

/*
 * The one place where PostgreSQL / driver failures become core errors (ARCHITECTURE
 * rule 6). Anything not recognised passes through unchanged, so errors thrown by the
 * caller's own work reach it as they were.
 */

/** SQLSTATEs worth running the whole transaction again for. */
const RETRYABLE = new Set(['40001', '40P01']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);

interface PgLikeError {
  readonly code?: unknown;
  readonly constraint?: unknown;
  readonly table?: unknown;
  readonly detail?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
  readonly errors?: unknown;
}

export function translatePgError(error: unknown): unknown {
  if (DomainError.is(error)) return error;
  const found = findCode(error);
  if (!found) {
    const message = error instanceof Error ? error.message : '';
    if (/Connection terminated|connection timeout|Client has encountered a connection error/i.test(message)) {
      return new UnavailableError('database connection lost', { reason: message });
    }
    return error;
  }
  const { code, source } = found;
  const details = {
    sqlState: code,
    ...(typeof source.constraint === 'string' ? { constraint: source.constraint } : {}),
    ...(typeof source.table === 'string' ? { table: source.table } : {}),
  };
  if (code === '23505')
    return new ConflictError(`duplicate value violates ${String(source.constraint ?? 'a unique constraint')}`, details);
  if (code === '23503')
    return new ConflictError(`referenced row missing (${String(source.constraint ?? 'foreign key')})`, details);
  if (code === '23514' || code === '23502' || code.startsWith('22')) {
    return new ValidationError(`value rejected by the database: ${String(source.message ?? code)}`, details);
  }
  if (RETRYABLE.has(code)) {
    return new ConcurrencyError('transaction conflicted with a concurrent one', { ...details, retryable: true });
  }
  if (code === '55P03') return new ConcurrencyError('row is locked by another transaction', details);
  if (NETWORK_CODES.has(code) || code.startsWith('08') || code === '53300' || code.startsWith('57P')) {
    return new UnavailableError('database unavailable', { ...details, reason: String(source.message ?? code) });
  }
  return error;
}

/** True for a translated serialization failure or deadlock: the unit of work may run again. */
export function isRetryable(error: unknown): boolean {
  return ConcurrencyError.is(error) && error.details.retryable === true;
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

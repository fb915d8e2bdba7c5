import { createHash } from 'node:crypto';
import {
  type Clock,
  ConflictError,
  ErrorCodes,
  type IdempotencyStore,
  type JsonValue,
  ValidationError,
} from '@khaacho/core';
import type { RouteResult } from './route.js';

const KEY = /^[\x21-\x7e]{1,255}$/;
/** A request holding a key longer than this is presumed dead and the key is handed on. */
export const IDEMPOTENCY_LEASE_MS = 60_000;

export interface IdempotentRequest {
  /** Whose key it is and which operation: two clients' keys never meet. */
  readonly scope: string;
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

/**
 * Runs `work` at most once per (scope, key): a replay answers the stored response with
 * `Idempotent-Replayed: true`; the same key with another request is a 422; a key whose
 * first request is still running is a 409. A request that fails gives its key back, so a
 * retry with the same key runs again.
 */
export async function runIdempotent(
  store: IdempotencyStore,
  clock: Clock,
  request: IdempotentRequest,
  work: () => Promise<RouteResult>,
): Promise<RouteResult> {
  if (!KEY.test(request.key)) {
    throw new ValidationError('Idempotency-Key must be 1-255 printable ASCII characters', {}, ErrorCodes.VALIDATION);
  }
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([request.method, request.path, canonical(request.body)]))
    .digest('hex');
  const begun = await store.begin({
    scope: request.scope,
    key: request.key,
    fingerprint,
    now: clock.now(),
    leaseMs: IDEMPOTENCY_LEASE_MS,
  });
  switch (begun.outcome) {
    case 'replay':
      return {
        status: begun.response.status,
        body: begun.response.body,
        headers: { 'Idempotent-Replayed': 'true' },
      };
    case 'mismatch':
      throw new ValidationError(
        'this Idempotency-Key was used with a different request',
        {},
        ErrorCodes.IDEMPOTENCY_KEY_REUSED,
      );
    case 'in_progress':
      throw new ConflictError(
        'a request with this Idempotency-Key is still running; retry later',
        {},
        ErrorCodes.IDEMPOTENCY_IN_PROGRESS,
      );
    case 'started':
      break;
  }
  let result: RouteResult;
  try {
    result = await work();
  } catch (error) {
    // The caller must see the request's own error; a key not given back only waits out its lease.
    await store.abandon({ scope: request.scope, key: request.key }).catch(() => undefined);
    throw error;
  }
  const body = JSON.parse(JSON.stringify(result.body ?? null)) as JsonValue;
  await store.complete({
    scope: request.scope,
    key: request.key,
    response: { status: result.status, body },
    now: clock.now(),
  });
  return result;
}

/** Key order does not change what was asked. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

import { type ErrorCode, ErrorCodes, UnavailableError } from '@khaacho/core';

/** Server replies that mean "not now" rather than "never". */
const TRANSIENT_REPLIES = ['LOADING', 'READONLY', 'OOM', 'MASTERDOWN', 'BUSY', 'CLUSTERDOWN', 'NOSCRIPT', 'TRYAGAIN'];

/**
 * Every Redis failure as a core error: the adapters' callers see `UnavailableError` with
 * one code per port and the reason in `details`, never the client's own error class or text.
 */
export function translateRedisError(
  error: unknown,
  what: string,
  code: ErrorCode = ErrorCodes.UNAVAILABLE,
): UnavailableError {
  if (UnavailableError.is(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const reply = /^([A-Z]+) /.exec(message)?.[1];
  const reason =
    error instanceof Error && error.name === 'ReplyError'
      ? TRANSIENT_REPLIES.includes(reply ?? '')
        ? 'server_busy'
        : 'server_error'
      : /timed out|timeout/i.test(message)
        ? 'timeout'
        : 'connection';
  return new UnavailableError(
    `${what}: Redis is unavailable (${reason})`,
    {
      dependency: 'redis',
      reason,
      ...(reply ? { reply } : {}),
    },
    code,
  );
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Settle `promise` within `ms` or reject; the timer never outlives the race. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

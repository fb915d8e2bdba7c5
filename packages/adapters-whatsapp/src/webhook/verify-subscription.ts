import { timingSafeEqual } from 'node:crypto';

/** A query string as frameworks hand it over (Koa's `ctx.query`, `URLSearchParams`, a plain object). */
export type QueryInput = URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface HttpAnswer {
  readonly status: 200 | 403;
  /** `text/plain`: the challenge on success. */
  readonly body: string;
}

function one(query: QueryInput, name: string): string | null {
  const value = query instanceof URLSearchParams ? query.getAll(name) : query[name];
  if (typeof value === 'string') return value;
  // A repeated parameter is not what Meta sends: refuse rather than guess which one counts.
  if (Array.isArray(value) && value.length === 1) return value[0] as string;
  return null;
}

/** Equal strings, compared in time that does not depend on where they differ. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The webhook's GET: Meta subscribes with `hub.mode=subscribe`, our verify token and a
 * challenge to echo. Anything else (wrong token, other mode, no challenge) is 403.
 */
export function verifySubscription(query: QueryInput, verifyToken: string): HttpAnswer {
  const mode = one(query, 'hub.mode');
  const token = one(query, 'hub.verify_token');
  const challenge = one(query, 'hub.challenge');
  if (mode !== 'subscribe' || token === null || challenge === null || challenge === '' || challenge.length > 256) {
    return { status: 403, body: 'Forbidden' };
  }
  if (!sameSecret(token, verifyToken)) return { status: 403, body: 'Forbidden' };
  return { status: 200, body: challenge };
}

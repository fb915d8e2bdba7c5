import { ValidationError } from '../shared/errors.js';

export interface PageRequest {
  /** Opaque cursor from a previous page's `nextCursor`. */
  readonly cursor?: string | null;
  readonly limit: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export const MAX_PAGE_SIZE = 200;

export function pageLimit(request: PageRequest): number {
  if (!Number.isSafeInteger(request.limit) || request.limit < 1 || request.limit > MAX_PAGE_SIZE) {
    throw new ValidationError(`limit must be 1-${MAX_PAGE_SIZE}`, { limit: request.limit });
  }
  return request.limit;
}

/** Keyset cursor over (timestamp desc, id desc): stable under concurrent inserts. */
export interface TimeIdCursor {
  readonly at: Date;
  readonly id: string;
}

export function encodeCursor(cursor: TimeIdCursor): string {
  return `${cursor.at.getTime().toString(36)}.${cursor.id}`;
}

export function decodeCursor(cursor: string): TimeIdCursor {
  const m = /^([0-9a-z]{1,12})\.([0-9a-f-]{36})$/.exec(cursor);
  const ms = m ? Number.parseInt(m[1] ?? '', 36) : Number.NaN;
  if (!m || !Number.isSafeInteger(ms)) throw new ValidationError('invalid cursor', { cursor });
  return { at: new Date(ms), id: m[2] as string };
}

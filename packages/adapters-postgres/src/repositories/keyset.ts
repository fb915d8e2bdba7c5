import { decodeCursor, encodeCursor, type Page, type PageRequest, pageLimit } from '@khaacho/core';

/**
 * Newest-first keyset pagination over (timestamp, id): `where (ts, id) < (cursor)` walks
 * the (ts, id) index backwards and stays stable under concurrent inserts.
 */
export function keysetClause(
  page: PageRequest,
  columns: { at: string; id: string },
  param: (value: unknown) => string,
): { where: string | null; limit: number } {
  const limit = pageLimit(page);
  if (!page.cursor) return { where: null, limit };
  const cursor = decodeCursor(page.cursor);
  return { where: `(${columns.at}, ${columns.id}) < (${param(cursor.at)}, ${param(cursor.id)}::uuid)`, limit };
}

export function keysetPage<T>(rows: readonly T[], limit: number, key: (item: T) => { at: Date; id: string }): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}

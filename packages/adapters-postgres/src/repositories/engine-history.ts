import { type HistoryQuery, ValidationError } from '@khaacho/core';

/** 1..200, default 50 (the engine ports' pagination rule). */
export function historyLimit(query: HistoryQuery | undefined): number {
  const limit = query?.limit ?? 50;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 200) {
    throw new ValidationError('limit must be 1-200', { limit });
  }
  return limit;
}

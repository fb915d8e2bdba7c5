import type { JsonValue } from '../shared/domain-event.js';
import { type Token, token } from '../shared/token.js';

/** A best-effort cache: a miss or an outage must only cost time, never correctness. */
export interface Cache {
  get<T extends JsonValue>(key: string): Promise<T | null>;
  set(key: string, value: JsonValue, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export const CACHE: Token<Cache> = token('Cache');

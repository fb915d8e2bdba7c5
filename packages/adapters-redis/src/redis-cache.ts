import { type Cache, type JsonValue, type Logger, NOOP_LOGGER } from '@khaacho/core';
import { messageOf, within } from './redis-errors.js';
import type { RedisConnection } from './redis-connection.js';

export interface RedisCacheConfig {
  readonly connection: RedisConnection;
  /** Namespace for every key, e.g. `khaacho:`. */
  readonly prefix: string;
  /** An answer slower than this counts as a miss. Default 200 ms. */
  readonly timeoutMs?: number;
  readonly logger?: Logger;
}

export const DEFAULT_CACHE_TIMEOUT_MS = 200;

/**
 * Core's `Cache` on Redis (JSON values, PX expiry). Best effort by contract: while Redis
 * is down or slow, `get` answers null and `set`/`delete` log and return, so an outage
 * costs a database read and never an error. Nothing waits for a reconnect.
 */
export class RedisCache implements Cache {
  private readonly logger: Logger;
  private readonly timeoutMs: number;

  constructor(private readonly config: RedisCacheConfig) {
    this.logger = config.logger ?? NOOP_LOGGER;
    this.timeoutMs = config.timeoutMs ?? DEFAULT_CACHE_TIMEOUT_MS;
  }

  async get<T extends JsonValue>(key: string): Promise<T | null> {
    const raw = await this.attempt('get', key, (c) => c.get(this.key(key)));
    if (raw === null || raw === undefined) return null;
    try {
      return JSON.parse(raw) as T;
    } catch {
      this.logger.warn('cache entry is not JSON; treated as a miss', { key });
      return null;
    }
  }

  async set(key: string, value: JsonValue, ttlMs: number): Promise<void> {
    if (!(ttlMs > 0)) return;
    await this.attempt('set', key, (c) => c.set(this.key(key), JSON.stringify(value), 'PX', Math.ceil(ttlMs)));
  }

  async delete(key: string): Promise<void> {
    await this.attempt('delete', key, (c) => c.del(this.key(key)));
  }

  private key(key: string): string {
    return `${this.config.prefix}cache:${key}`;
  }

  /** Runs one command, or gives up at once when the connection is not ready. */
  private async attempt<R>(
    op: string,
    key: string,
    command: (client: RedisConnection['client']) => Promise<R>,
  ): Promise<R | undefined> {
    const { connection } = this.config;
    if (!connection.ready) return undefined;
    try {
      return await within(this.timeoutMs, `cache ${op}`, command(connection.client));
    } catch (error) {
      this.logger.warn('cache unavailable; treated as a miss', { op, key, error: messageOf(error) });
      return undefined;
    }
  }
}

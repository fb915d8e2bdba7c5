import { randomUUID } from 'node:crypto';
import type { Lease, LeaseLock } from '@khaacho/core';
import { translateRedisError } from './redis-errors.js';
import type { RedisConnection } from './redis-connection.js';

export interface RedisLeaseLockConfig {
  readonly connection: RedisConnection;
  /** Namespace for every key, e.g. `khaacho:`. */
  readonly prefix: string;
}

// Only the holder's token may release or extend: compare and act in one step on the server.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * Core's `LeaseLock` on one Redis server: `SET key token NX PX ttl`, released and
 * extended by Lua scripts that check the token. A holder that dies frees the lock when
 * its TTL lapses. While Redis is down `acquire` fails with `DEPENDENCY.UNAVAILABLE`
 * (nobody gets the lock); `release`/`extend` fail the same way.
 */
export class RedisLeaseLock implements LeaseLock {
  constructor(private readonly config: RedisLeaseLockConfig) {}

  async acquire(name: string, ttlMs: number): Promise<Lease | null> {
    const token = randomUUID();
    const key = `${this.config.prefix}lock:${name}`;
    const client = this.config.connection.client;
    let ok: string | null;
    try {
      ok = await client.set(key, token, 'PX', Math.ceil(ttlMs), 'NX');
    } catch (error) {
      throw translateRedisError(error, `lock ${name}`);
    }
    if (ok !== 'OK') return null;
    let expiresAt = new Date(Date.now() + ttlMs);
    const run = async (script: string, args: (string | number)[]): Promise<boolean> => {
      try {
        return Number(await client.eval(script, 1, key, token, ...args)) === 1;
      } catch (error) {
        throw translateRedisError(error, `lock ${name}`);
      }
    };
    return {
      name,
      get expiresAt() {
        return expiresAt;
      },
      async extend(ms: number) {
        const extended = await run(EXTEND, [Math.ceil(ms)]);
        if (extended) expiresAt = new Date(Date.now() + ms);
        return extended;
      },
      release: () => run(RELEASE, []),
    };
  }
}

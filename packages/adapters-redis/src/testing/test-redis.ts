import { randomUUID } from 'node:crypto';
import { RedisConnection } from '../redis-connection.js';

/** The machine's Redis (REDIS_URL, default redis://127.0.0.1:6379); tests only use keys under their own prefix. */
export function redisUrl(): string {
  return process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
}

/** A key prefix no other run or case shares. */
export function uniquePrefix(what: string): string {
  return `khaacho-test:${what}:${randomUUID().slice(0, 8)}`;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits for the connection's first 'ready' (bounded), so a case starts connected. */
export async function connected(url = redisUrl()): Promise<RedisConnection> {
  const connection = new RedisConnection({ url });
  for (let i = 0; i < 200 && !connection.ready; i++) await sleep(10);
  if (!connection.ready) {
    await connection.close();
    throw new Error(`no Redis at ${url}`);
  }
  return connection;
}

/** Deletes every key under `prefix` (SCAN, not KEYS, on a shared server). */
export async function deleteKeys(connection: RedisConnection, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await connection.client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await connection.client.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

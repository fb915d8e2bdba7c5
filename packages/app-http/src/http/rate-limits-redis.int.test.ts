// The rate limits on Redis: two API instances on one Redis share each budget.
import { REDIS_CONNECTION, RedisRateLimiter } from '@khaacho/adapters-redis';
import { uniquePhone } from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp } from '../testing/test-app.js';
import { DEFAULT_RATE_LIMITS, rateLimitersFor } from './rate-limits.js';

const REDIS = process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
const prefix = `khaacho-test:http-rl:${process.pid}`;

test('two instances on one Redis spend one auth budget per address; the limiters are the Redis adapter', async () => {
  const options = {
    redis: { url: REDIS, prefix },
    rateLimits: { ...DEFAULT_RATE_LIMITS, auth: { points: 3, durationMs: 60_000 } },
  };
  const one = await startTestApp(options);
  const two = await startTestApp(options);
  try {
    const redis = one.composition.get(REDIS_CONNECTION);
    for (let i = 0; i < 200 && !redis.ready; i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(rateLimitersFor(one.composition, DEFAULT_RATE_LIMITS, prefix).auth instanceof RedisRateLimiter);
    const login = (app: typeof one) =>
      app.request('POST', '/api/v1/auth/login', {
        body: { identifier: uniquePhone().value, password: 'not the password' },
      });
    const statuses = [await login(one), await login(two), await login(one), await login(two)].map((r) => r.status);
    assert.equal(statuses, [401, 401, 401, 429]);
  } finally {
    // The command client is internal to adapters-redis (stripped from its types); a test may clean up with it.
    const { client } = one.composition.get(REDIS_CONNECTION) as unknown as {
      client: {
        scan(cursor: string, ...args: (string | number)[]): Promise<[string, string[]]>;
        del(...keys: string[]): Promise<number>;
      };
    };
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
    await one.close();
    await two.close();
  }
});

test.run();

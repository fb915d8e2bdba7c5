import { REDIS_CONNECTION } from '@khaacho/adapters-redis';
import { test } from 'uvu';
import { runFuzz } from '../testing/fuzz-run.js';
import { scratchDatabase } from '../testing/scratch-database.js';
import { startTestApp } from '../testing/test-app.js';

/**
 * The fuzz run on PostgreSQL (own database) with the queue, rate limits and cache on Redis
 * (own key prefix). Fewer requests than in memory to keep the suite's time: every request
 * here costs real round trips. FUZZ_PG_REQUESTS sets the count (default 1,000).
 */
const REQUESTS = Number(process.env.FUZZ_PG_REQUESTS ?? 1_000);
const REDIS = process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
const prefix = `khaacho-test:http-fuzz:${process.pid}`;

test(`${REQUESTS} generated requests on PostgreSQL + Redis: never a 5xx, and a rejected request writes nothing`, async () => {
  const database = scratchDatabase('khaacho_http_fuzz');
  await database.create();
  const app = await startTestApp({
    databaseUrl: database.url.toString(),
    redis: { url: REDIS, prefix },
    bodyLimitBytes: 4_096,
  });
  try {
    const redis = app.composition.get(REDIS_CONNECTION);
    for (let i = 0; i < 200 && !redis.ready; i++) await new Promise((r) => setTimeout(r, 10));
    await runFuzz(app, REQUESTS);
  } finally {
    // The command client is internal to adapters-redis (stripped from its types); a test may clean up with it.
    const { client } = app.composition.get(REDIS_CONNECTION) as unknown as {
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
    await app.close();
    await database.drop();
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RedisLeasedRateLimiter } from './redis-leased-rate-limiter.js';
import type { RedisConnection } from './redis-connection.js';
import { connected, deleteKeys, sleep, uniquePrefix } from './testing/test-redis.js';

/** Counts the lease scripts a connection runs (its round trips for the limiter). */
function countLeases(connection: RedisConnection): { readonly count: () => number } {
  const client = connection.client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  let n = 0;
  for (const name of ['evalsha', 'eval']) {
    const original = client[name]?.bind(client);
    if (!original) throw new Error(`no ${name} on the client`);
    client[name] = (...args: unknown[]) => {
      n += 1;
      return original(...args);
    };
  }
  return { count: () => n };
}

async function withProcesses(
  run: (a: RedisConnection, b: RedisConnection, prefix: string) => Promise<void>,
): Promise<void> {
  const [a, b] = [await connected(), await connected()];
  const prefix = uniquePrefix('rl-leased');
  try {
    await run(a, b, prefix);
  } finally {
    await deleteKeys(a, prefix);
    await a.close();
    await b.close();
  }
}

test('two processes spending one budget concurrently never take more than the window allows, in few round trips', () =>
  withProcesses(async (a, b, prefix) => {
    const policy = { prefix, points: 40, durationMs: 60_000, maxLease: 8 };
    const [la, lb] = [
      new RedisLeasedRateLimiter({ connection: a, ...policy }),
      new RedisLeasedRateLimiter({ connection: b, ...policy }),
    ];
    const [tripsA, tripsB] = [countLeases(a), countLeases(b)];
    const calls = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? la : lb).consume('number-1'));
    const decisions = await Promise.all(calls);
    const allowed = decisions.filter((d) => d.allowed).length;
    const counted = Number(await a.client.get(`${prefix}:number-1`));
    assert.ok(allowed <= 40, `allowed ${allowed} of a budget of 40`);
    assert.ok(counted <= 40, `Redis counted ${counted} of 40`);
    // What was leased and not spent is lost, at most maxLease - 1 per process.
    assert.ok(allowed >= 40 - 2 * 7, `allowed ${allowed}: too little of the budget was usable`);
    for (const d of decisions.filter((x) => !x.allowed)) assert.ok(d.retryAfterMs > 0 && d.retryAfterMs <= 60_000);
    const roundTrips = tripsA.count() + tripsB.count();
    assert.ok(roundTrips < allowed / 2, `${roundTrips} round trips for ${allowed} points`);
  }));

test('points leased in a window that ended are not spent in the next one', () =>
  withProcesses(async (a, b, prefix) => {
    const policy = { prefix, points: 10, durationMs: 1_000, maxLease: 5 };
    const la = new RedisLeasedRateLimiter({ connection: a, ...policy });
    const lb = new RedisLeasedRateLimiter({ connection: b, ...policy });
    // A leases 1, then 2 (one of them left over), then 4 (three left over).
    for (let i = 0; i < 4; i++) assert.ok((await la.consume('n')).allowed, `A's call ${i}`);
    assert.is(Number(await a.client.get(`${prefix}:n`)), 7, 'leased by A in the first window');
    await sleep(1_200);
    // The next window: B spends all of it.
    for (let i = 0; i < 10; i++) assert.ok((await lb.consume('n')).allowed, `B's call ${i} in the new window`);
    const refused = await la.consume('n');
    assert.is(refused.allowed, false, "A's left-over points of the old window are gone");
    assert.ok(refused.retryAfterMs > 0 && refused.retryAfterMs <= 1_000);
  }));

test('Redis not ready: the in-memory insurance decides with the same policy', async () => {
  const closed = await connected();
  const limiter = new RedisLeasedRateLimiter({
    connection: closed,
    prefix: uniquePrefix('rl-down'),
    points: 2,
    durationMs: 60_000,
  });
  await closed.close();
  assert.ok((await limiter.consume('k')).allowed);
  assert.ok((await limiter.consume('k')).allowed);
  assert.is((await limiter.consume('k')).allowed, false);
});

test.run();

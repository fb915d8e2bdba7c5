/*
 * The per-number send rate as the WhatsApp sender spends it (80 points a second, one point
 * per send, the sends of one process spread evenly): CPU and Redis round trips per send of
 * `RedisRateLimiter` (one script per send) and `RedisLeasedRateLimiter` (leases), in the same
 * run, interleaved. Uses REDIS_URL (default redis://127.0.0.1:6379) under a throwaway prefix.
 *   npx tsx bench/send-rate-limiter.bench.ts [--sends 400] [--rate 40] [--rounds 3]
 */
import { parseArgs } from 'node:util';
import type { RateLimiter } from '@khaacho/core';
import { RedisLeasedRateLimiter } from '../src/redis-leased-rate-limiter.js';
import { RedisRateLimiter } from '../src/redis-rate-limiter.js';
import { connected, deleteKeys, sleep, uniquePrefix } from '../src/testing/test-redis.js';

const { values } = parseArgs({
  options: {
    sends: { type: 'string', default: '400' },
    rate: { type: 'string', default: '40' },
    rounds: { type: 'string', default: '3' },
  },
});
const SENDS = Number(values.sends);
const RATE = Number(values.rate);
const ROUNDS = Number(values.rounds);

const connection = await connected();
const prefix = uniquePrefix('rl-bench');
const client = connection.client as unknown as { sendCommand: (...args: unknown[]) => unknown };
let commands = 0;
const original = client.sendCommand.bind(client);
client.sendCommand = (...args: unknown[]) => {
  commands += 1;
  return original(...args);
};

async function measure(name: string, limiter: RateLimiter): Promise<{ cpuUs: number; trips: number; allowed: number }> {
  const gap = 1_000 / RATE;
  commands = 0;
  let cpuUs = 0;
  let allowed = 0;
  for (let i = 0; i < SENDS; i++) {
    const cpu = process.cpuUsage();
    const d = await limiter.consume(`whatsapp:send:${name}`);
    const used = process.cpuUsage(cpu);
    cpuUs += used.user + used.system;
    if (d.allowed) allowed += 1;
    await sleep(gap);
  }
  return { cpuUs: cpuUs / SENDS, trips: commands / SENDS, allowed };
}

try {
  const policy = { connection, points: 80, durationMs: 1_000 };
  for (let round = 1; round <= ROUNDS; round++) {
    const perSend = new RedisRateLimiter({ ...policy, prefix: `${prefix}:flexible:${round}` });
    const leased = new RedisLeasedRateLimiter({ ...policy, prefix: `${prefix}:leased:${round}` });
    const a = await measure(`a${round}`, perSend);
    const b = await measure(`b${round}`, leased);
    console.log(
      `round ${round}: RedisRateLimiter ${a.cpuUs.toFixed(0)} µs CPU, ${a.trips.toFixed(2)} Redis commands per send` +
        ` (${a.allowed}/${SENDS} allowed) | RedisLeasedRateLimiter ${b.cpuUs.toFixed(0)} µs, ${b.trips.toFixed(2)}` +
        ` (${b.allowed}/${SENDS}) | CPU ratio ${(b.cpuUs / a.cpuUs).toFixed(2)}×`,
    );
  }
} finally {
  await deleteKeys(connection, prefix);
  await connection.close();
}

import { ManualClock } from '@khaacho/core/testing';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { suite } from 'uvu';
import { composeContainer } from '../composition/compose-container.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { type FlowComposition, flowScenarios } from '../testing/flow-scenarios.js';
import { relayScenarios } from '../testing/relay-scenarios.js';
import { scratchDatabase } from '../testing/scratch-database.js';

const database = scratchDatabase('khaacho_flow');
const { url } = database;

// The machine's Redis, under a prefix of this run's own (its keys are deleted at the end).
const redisUrl = process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
const redisPrefix = `khaacho-test:flow:${process.pid}:${randomBytes(4).toString('hex')}`;

async function deleteRedisKeys(): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Each composition the flow runs on. With Redis the relay's ack point is `enqueue` (a durable queue owns the job). */
const compositions: FlowComposition[] = [
  {
    name: 'postgres + memory queue',
    make: (clock) =>
      composeContainer(
        workerConfigFromEnv({
          DATABASE_URL: url.toString(),
          KHAACHO_DB_MIGRATE: 'true',
          KHAACHO_MESSAGE_SENDER: 'memory',
          LOG_LEVEL: 'silent',
        }),
        { clock },
      ),
  },
  {
    name: 'postgres + redis queue',
    make: (clock) =>
      composeContainer(
        workerConfigFromEnv({
          DATABASE_URL: url.toString(),
          REDIS_URL: redisUrl,
          KHAACHO_REDIS_PREFIX: redisPrefix,
          KHAACHO_MESSAGE_SENDER: 'memory',
          LOG_LEVEL: 'silent',
        }),
        { clock },
      ),
  },
];

// One database for the run: each suite leaves the outbox drained for the next.
const setup = suite('database');
setup('create the database', async () => {
  await database.create();
});
setup.run();

for (const composition of compositions) {
  const flow = suite(composition.name);
  flowScenarios(flow, composition);
  flow.run();
}

// The relay over the PostgreSQL outbox (SKIP LOCKED and leases for real).
const relay = suite('outbox relay on PostgreSQL');
relayScenarios(relay, compositions[0] as FlowComposition, new ManualClock('2026-03-02T04:00:00.000Z'));
relay.run();

const teardown = suite('database');
teardown('drop the database and the Redis keys', async () => {
  await deleteRedisKeys();
  await database.drop();
});
teardown.run();

import { REDIS_CONNECTION, type RedisDurability } from '@khaacho/adapters-redis';
import { LOGGER } from '@khaacho/core';
import type { Composition } from '../composition/compose-container.js';

/**
 * The outbox relay publishes a message only when its job has succeeded, so a Redis that
 * restarts without its data loses no message: the jobs that were waiting in it are enqueued
 * again once their outbox lease (30 s) lapses (faults/conversation-killed.int.test.ts). It
 * costs latency, and delayed retries start over: said once at startup, where an operator looks.
 */
export async function warnUnlessRedisDurable(app: Composition): Promise<RedisDurability | null> {
  if (app.adapters.jobQueue !== 'redis') return null;
  const durability = await app.get(REDIS_CONNECTION).durability();
  const logger = app.get(LOGGER);
  if (durability === 'none') {
    logger.warn(
      'Redis keeps no append-only file (appendonly no): after a restart the jobs that were waiting in it are enqueued again from the outbox only when their lease lapses (up to 30 s late). Run Redis with appendonly yes for prompt recovery',
      { durability },
    );
  } else if (durability === 'unknown') {
    logger.info(
      'Redis persistence could not be checked (CONFIG GET refused); without appendonly yes a restart delays waiting jobs by up to a lease',
      { durability },
    );
  }
  return durability;
}

import { REDIS_CONNECTION, type RedisDurability } from '@khaacho/adapters-redis';
import { LOGGER } from '@khaacho/core';
import type { Composition } from '../composition/compose-container.js';

/**
 * With Redis queues the outbox relay acks a message once its job is enqueued (the queue owns
 * it from there), so a Redis that restarts without its data loses the jobs that were waiting
 * in it: a conversation's replies, never sent (measured in
 * faults/conversation-killed.int.test.ts). Said once at startup, where an operator looks.
 */
export async function warnUnlessRedisDurable(app: Composition): Promise<RedisDurability | null> {
  if (app.adapters.jobQueue !== 'redis') return null;
  const durability = await app.get(REDIS_CONNECTION).durability();
  const logger = app.get(LOGGER);
  if (durability === 'none') {
    logger.warn(
      'Redis keeps no append-only file (appendonly no): jobs waiting in it when it restarts are lost, and their outbox events count as published. Run Redis with appendonly yes',
      { durability },
    );
  } else if (durability === 'unknown') {
    logger.info('Redis persistence could not be checked (CONFIG GET refused); the queues need appendonly yes', {
      durability,
    });
  }
  return durability;
}

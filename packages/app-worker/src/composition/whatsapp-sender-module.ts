import { REDIS_CONNECTION, RedisRateLimiter } from '@khaacho/adapters-redis';
import {
  WHATSAPP_SEND_RATE_LIMITER,
  type WhatsAppConfig,
  whatsappModule,
  whatsappSendRatePolicy,
} from '@khaacho/adapters-whatsapp';
import { LOGGER } from '@khaacho/core';
import { ContainerModule } from 'inversify';
import { provide } from './bindings.js';
import { inMemoryRateLimiterModule } from './in-memory-module.js';

/**
 * MESSAGE_SENDER on the WhatsApp Cloud API, with its per-number send rate
 * (`whatsappSendRatePolicy`) on Redis when the process has it, so every worker sending from
 * the number shares one budget; otherwise in this process's memory. Needs LOGGER, CLOCK, and
 * with Redis the `redisModule`'s REDIS_CONNECTION.
 */
export function whatsappSenderModules(
  config: WhatsAppConfig,
  limiter: { readonly redisPrefix: string } | 'memory',
): ContainerModule[] {
  const policy = whatsappSendRatePolicy(config);
  const rate =
    limiter === 'memory'
      ? inMemoryRateLimiterModule(WHATSAPP_SEND_RATE_LIMITER, policy)
      : new ContainerModule(({ bind }) => {
          provide(
            bind,
            WHATSAPP_SEND_RATE_LIMITER,
            [REDIS_CONNECTION, LOGGER],
            (connection, logger) =>
              new RedisRateLimiter({ connection, prefix: `${limiter.redisPrefix}:rl:whatsapp`, logger, ...policy }),
          );
        });
  return [rate, whatsappModule(config)];
}

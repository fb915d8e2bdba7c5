import { REDIS_CONNECTION, RedisLeasedRateLimiter } from '@khaacho/adapters-redis';
import {
  WHATSAPP_SEND_RATE_LIMITER,
  type WhatsAppConfig,
  whatsappModule,
  whatsappSendRatePolicy,
} from '@khaacho/adapters-whatsapp';
import {
  CLOCK,
  LOGGER,
  LoggedMessageSender,
  MESSAGE_SENDER,
  type MessageSender,
  OUTBOUND_MESSAGE_LOG,
} from '@khaacho/core';
import { ContainerModule } from 'inversify';
import { provide } from './bindings.js';
import { inMemoryRateLimiterModule } from './in-memory-module.js';

/**
 * MESSAGE_SENDER on the WhatsApp Cloud API (wrapped in a LoggedMessageSender: needs OUTBOUND_MESSAGE_LOG), with its per-number send rate
 * (`whatsappSendRatePolicy`) on Redis when the process has it, so every worker sending from
 * the number shares one budget (leased from Redis in batches: most sends cost no Redis round
 * trip); otherwise in this process's memory. Needs LOGGER, CLOCK, and
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
              new RedisLeasedRateLimiter({
                connection,
                prefix: `${limiter.redisPrefix}:rl:whatsapp`,
                logger,
                ...policy,
              }),
          );
        });
  // Every message the Cloud API accepted goes in the OutboundMessageLog, so the webhook's
  // status callbacks (sent, delivered, read, failed) have a message to advance.
  const logged = new ContainerModule(({ onActivation }) => {
    onActivation<MessageSender>(
      MESSAGE_SENDER,
      (context, sender) =>
        new LoggedMessageSender(sender, context.get(OUTBOUND_MESSAGE_LOG), context.get(CLOCK), context.get(LOGGER)),
    );
  });
  return [rate, whatsappModule(config), logged];
}

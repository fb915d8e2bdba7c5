import {
  LOGGER,
  type Logger,
  MEDIA_FETCHER,
  type MediaFetcher,
  MESSAGE_SENDER,
  type MessageSender,
  type RateLimiter,
  type Token,
  token,
} from '@khaacho/core';
import { ContainerModule } from 'inversify';
import { GraphMediaFetcher } from './media/graph-media-fetcher.js';
import { WhatsAppCloudSender } from './send/cloud-sender.js';
import type { WhatsAppConfig } from './whatsapp-config.js';

/**
 * The rate limiter of the send rate, which the app binds (its policy from
 * `whatsappSendRatePolicy(config)`): a Redis one when several workers send from one number.
 * A token of its own, because core's RATE_LIMITER carries another policy (logins).
 */
export const WHATSAPP_SEND_RATE_LIMITER: Token<RateLimiter> = token('WhatsAppSendRateLimiter');

/** An Inversify module binding `MESSAGE_SENDER` to a `WhatsAppCloudSender`. Needs `WHATSAPP_SEND_RATE_LIMITER` and `LOGGER`. */
export function whatsappModule(config: WhatsAppConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<MessageSender>(MESSAGE_SENDER)
      .toResolvedValue(
        (rateLimiter: RateLimiter, logger: Logger) => new WhatsAppCloudSender({ config, rateLimiter, logger }),
        [WHATSAPP_SEND_RATE_LIMITER, LOGGER],
      )
      .inSingletonScope();
  });
}

/** An Inversify module binding `MEDIA_FETCHER` to a `GraphMediaFetcher` (inbound voice notes). Needs `LOGGER`. */
export function whatsappMediaModule(config: WhatsAppConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<MediaFetcher>(MEDIA_FETCHER)
      .toResolvedValue((logger: Logger) => new GraphMediaFetcher({ config, logger }), [LOGGER])
      .inSingletonScope();
  });
}

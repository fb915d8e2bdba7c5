// @khaacho/adapters-whatsapp — the public API. Named exports only.
export {
  DEFAULT_MEDIA_DOWNLOAD_TIMEOUT_MS,
  GraphMediaFetcher,
  type GraphMediaFetcherOptions,
  MAX_AUDIO_BYTES,
} from './media/graph-media-fetcher.js';
export { WhatsAppCloudSender, type WhatsAppCloudSenderOptions, whatsappSendRatePolicy } from './send/cloud-sender.js';
export { graphPayload, LIMITS, templatePayload, WhatsAppPayloadError } from './send/payloads.js';
export {
  backoffMs,
  errorFromGraph,
  GraphErrorCodes,
  type WhatsAppFailureReason,
  WhatsAppSendError,
} from './send/send-errors.js';
export { inboundEventOf, inboxRecordOf, WHATSAPP_PROVIDER } from './webhook/inbox-codec.js';
export { type ParsedDelivery, parseDelivery, storableText } from './webhook/parse-delivery.js';
export { SIGNATURE_HEADER, signBody, verifySignature } from './webhook/signature.js';
export { type HttpAnswer, type QueryInput, sameSecret, verifySubscription } from './webhook/verify-subscription.js';
export {
  DEFAULT_GRAPH_API_VERSION,
  DEFAULT_GRAPH_BASE_URL,
  DEFAULT_SEND_RATE_PER_SECOND,
  type WhatsAppConfig,
  type WhatsAppConfigInput,
  whatsappConfig,
  whatsappConfigFromEnv,
} from './whatsapp-config.js';
export { WHATSAPP_SEND_RATE_LIMITER, whatsappMediaModule, whatsappModule } from './whatsapp-module.js';

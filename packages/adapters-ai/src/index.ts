// @khaacho/adapters-ai — the public API. Named exports only.
export {
  type AiConfig,
  type AiConfigInput,
  aiConfig,
  aiConfigFromEnv,
  type BreakerConfig,
  DEFAULT_AI_MODEL,
  DEFAULT_AI_TIMEOUT_MS,
  DEFAULT_BREAKER,
  DEFAULT_TRANSCRIPTION_MODEL,
  DEFAULT_TRANSCRIPTION_TIMEOUT_MS,
} from './ai-config.js';
export type { ProviderFailure } from './ai-errors.js';
export {
  AI_GROUNDING,
  AI_METRICS,
  type AiGrounding,
  type AiMetrics,
  type AiMetricsSnapshot,
  aiModule,
} from './ai-module.js';
export {
  OpenAiOrderTextParser,
  type OpenAiOrderTextParserOptions,
  type OrderParserMetrics,
} from './openai-order-text-parser.js';
export { OpenAiSpeechToText } from './openai-speech-to-text.js';
export { ORDER_ANSWER_SCHEMA } from './order-answer.js';
export type { BreakerState, LatencySnapshot, ProviderMetrics } from './provider-breaker.js';

import {
  NoSpeechToText,
  ORDER_TEXT_PARSER,
  type OrderTextParser,
  type Product,
  type ProductId,
  SPEECH_TO_TEXT,
  type SpeechToText,
  type Token,
  token,
} from '@khaacho/core';
import { ContainerModule } from 'inversify';
import type { AiConfig } from './ai-config.js';
import { OpenAiOrderTextParser, type OrderParserMetrics } from './openai-order-text-parser.js';
import { OpenAiSpeechToText } from './openai-speech-to-text.js';
import type { ProviderMetrics } from './provider-breaker.js';

/** What the app gives the AI parser: core's local parser (grounding and fallback) and the live catalog. */
export interface AiGrounding {
  readonly local: OrderTextParser;
  readonly productById: (id: ProductId) => Product | undefined;
}
export const AI_GROUNDING: Token<AiGrounding> = token('AiGrounding');

export interface AiMetricsSnapshot {
  /** False when no API key is configured: nothing is sent, both metrics are null. */
  readonly enabled: boolean;
  readonly parser: OrderParserMetrics | null;
  readonly speech: ProviderMetrics | null;
}
/** A snapshot of the AI adapters' counters (for a metrics endpoint). */
export type AiMetrics = () => AiMetricsSnapshot;
export const AI_METRICS: Token<AiMetrics> = token('AiMetrics');

/**
 * An Inversify module binding `ORDER_TEXT_PARSER`, `SPEECH_TO_TEXT` and `AI_METRICS`. It
 * needs `AI_GROUNDING` bound by the app. With an API key: `OpenAiOrderTextParser` and
 * `OpenAiSpeechToText`, each behind its breaker; without one: the local parser itself and
 * `NoSpeechToText` ("please type your order"), and nothing is ever sent.
 */
export function aiModule(config: AiConfig): ContainerModule {
  let parser: OpenAiOrderTextParser | null = null;
  let speech: OpenAiSpeechToText | null = null;
  return new ContainerModule(({ bind }) => {
    if (config.apiKey === null) {
      bind<OrderTextParser>(ORDER_TEXT_PARSER).toResolvedValue((g: AiGrounding) => g.local, [AI_GROUNDING]);
      bind<SpeechToText>(SPEECH_TO_TEXT).toConstantValue(new NoSpeechToText());
    } else {
      bind<OrderTextParser>(ORDER_TEXT_PARSER)
        .toResolvedValue(
          (g: AiGrounding) => {
            parser = new OpenAiOrderTextParser({ config, local: g.local, productById: g.productById });
            return parser;
          },
          [AI_GROUNDING],
        )
        .inSingletonScope()
        .onDeactivation((p) => (p as OpenAiOrderTextParser).close());
      bind<SpeechToText>(SPEECH_TO_TEXT)
        .toResolvedValue(() => {
          speech = new OpenAiSpeechToText(config);
          return speech;
        })
        .inSingletonScope()
        .onDeactivation((s) => (s as OpenAiSpeechToText).close());
    }
    bind<AiMetrics>(AI_METRICS).toConstantValue(() => ({
      enabled: config.apiKey !== null,
      parser: parser?.metrics() ?? null,
      speech: speech?.metrics() ?? null,
    }));
  });
}

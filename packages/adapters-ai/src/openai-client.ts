import OpenAI from 'openai';
import type { AiConfig } from './ai-config.js';

/**
 * The SDK client for a config with a key. Retries are off: the breaker decides what a
 * failure means, and a retry would spend the time budget the timeout promises.
 */
export function openAiClient(config: AiConfig & { readonly apiKey: string }): OpenAI {
  return new OpenAI({
    apiKey: config.apiKey,
    ...(config.baseUrl === null ? {} : { baseURL: config.baseUrl }),
    maxRetries: 0,
    timeout: Math.max(config.timeoutMs, config.transcriptionTimeoutMs),
  });
}

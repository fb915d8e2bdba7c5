// Provider answers shaped like the documented OpenAI API objects: the Chat Completions
// `chat.completion` object (a structured-output answer is the JSON text in
// `choices[0].message.content`, `refusal` null), the transcription JSON object
// (`{ text, usage }`), and the error envelope `{ error: { message, type, param, code } }`.
import nock from 'nock';
import { type AiConfig, aiConfig } from '../ai-config.js';

export const BASE_URL = 'http://openai.test/v1';

export function testConfig(overrides: Parameters<typeof aiConfig>[0] = {}): AiConfig {
  return aiConfig({
    apiKey: 'sk-test-not-a-real-key',
    baseUrl: BASE_URL,
    model: 'gpt-4o-mini-2024-07-18',
    timeoutMs: 2_000,
    ...overrides,
    breaker: { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 60_000, ...overrides.breaker },
  });
}

let sequence = 0;

/** A `chat.completion` whose message content is `answer` as JSON text. */
export function chatCompletion(answer: unknown, overrides: { refusal?: string; finishReason?: string } = {}) {
  sequence += 1;
  const refused = overrides.refusal !== undefined;
  return {
    id: `chatcmpl-test${String(sequence).padStart(6, '0')}`,
    object: 'chat.completion',
    created: 1_764_979_200 + sequence,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: refused ? null : typeof answer === 'string' ? answer : JSON.stringify(answer),
          refusal: refused ? overrides.refusal : null,
          annotations: [],
        },
        logprobs: null,
        finish_reason: overrides.finishReason ?? 'stop',
      },
    ],
    usage: {
      prompt_tokens: 412,
      completion_tokens: 38,
      total_tokens: 450,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_test0001',
  };
}

/** The transcription object for `response_format: 'json'`. */
export function transcription(text: string) {
  return {
    text,
    usage: {
      type: 'tokens',
      input_tokens: 118,
      input_token_details: { text_tokens: 0, audio_tokens: 118 },
      output_tokens: 14,
      total_tokens: 132,
    },
  };
}

export const RATE_LIMITED = {
  error: {
    message:
      'Rate limit reached for gpt-4o-mini in organization org-test on requests per min (RPM): Limit 500, Used 500, Requested 1.',
    type: 'requests',
    param: null,
    code: 'rate_limit_exceeded',
  },
};

export const SERVER_ERROR = {
  error: {
    message: 'The server had an error while processing your request. Sorry about that!',
    type: 'server_error',
    param: null,
    code: null,
  },
};

/** The provider: every test sets the replies it expects; anything else is refused, never sent out. */
export function provider(): nock.Scope {
  nock.disableNetConnect();
  return nock(BASE_URL.replace(/\/v1$/, ''));
}

/** The JSON body of each chat request the provider received, in order. */
export function recordChatRequests(scope: nock.Scope, replies: ReadonlyArray<unknown>): Record<string, unknown>[] {
  const bodies: Record<string, unknown>[] = [];
  for (const reply of replies) {
    // nock 15 hands the request body to a body matcher already parsed; the reply stays a fixture.
    scope
      .post('/v1/chat/completions', (body: Record<string, unknown>) => {
        bodies.push(body);
        return true;
      })
      .reply(200, reply as nock.Body);
  }
  return bodies;
}

export function resetProvider(): void {
  nock.cleanAll();
  nock.enableNetConnect();
}

import { ValidationError } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { aiConfig, aiConfigFromEnv, DEFAULT_AI_MODEL, DEFAULT_BREAKER } from './ai-config.js';
import { classifyFailure, InvalidAiAnswer } from './ai-errors.js';

test('aiConfig: defaults, no key means null, a blank key too', () => {
  const config = aiConfig();
  assert.is(config.apiKey, null);
  assert.is(config.baseUrl, null);
  assert.is(config.model, DEFAULT_AI_MODEL);
  assert.equal(config.breaker, DEFAULT_BREAKER);
  assert.is(aiConfig({ apiKey: '   ' }).apiKey, null);
});

test('aiConfigFromEnv: every variable read; a malformed one refused, naming it', () => {
  const config = aiConfigFromEnv({
    OPENAI_API_KEY: 'sk-x',
    KHAACHO_AI_BASE_URL: 'http://llm.internal:8080/v1',
    KHAACHO_AI_MODEL: 'gpt-4.1-mini',
    KHAACHO_AI_TRANSCRIPTION_MODEL: 'whisper-1',
    KHAACHO_AI_TIMEOUT_MS: '2500',
    KHAACHO_AI_BREAKER_ERROR_PERCENT: '40',
    KHAACHO_AI_BREAKER_VOLUME: '8',
    KHAACHO_AI_BREAKER_RESET_MS: '10000',
  });
  assert.equal(
    [config.apiKey, config.baseUrl, config.model, config.transcriptionModel, config.timeoutMs],
    ['sk-x', 'http://llm.internal:8080/v1', 'gpt-4.1-mini', 'whisper-1', 2500],
  );
  assert.equal(config.breaker, {
    ...DEFAULT_BREAKER,
    errorThresholdPercentage: 40,
    volumeThreshold: 8,
    resetTimeoutMs: 10_000,
  });
  for (const [env, variable] of [
    [{ KHAACHO_AI_TIMEOUT_MS: '1.5' }, 'KHAACHO_AI_TIMEOUT_MS'],
    [{ KHAACHO_AI_TIMEOUT_MS: '0' }, 'KHAACHO_AI_TIMEOUT_MS'],
    [{ KHAACHO_AI_BREAKER_ERROR_PERCENT: '150' }, 'KHAACHO_AI_BREAKER_ERROR_PERCENT'],
    [{ KHAACHO_AI_BASE_URL: 'ftp://x' }, 'KHAACHO_AI_BASE_URL'],
    [{ KHAACHO_AI_MODEL: 'gpt 4o; rm' }, 'KHAACHO_AI_MODEL'],
  ] as const) {
    try {
      aiConfigFromEnv(env);
      assert.unreachable(variable);
    } catch (error) {
      assert.ok(ValidationError.is(error), variable);
      assert.is((error as ValidationError).details.variable, variable);
    }
  }
});

test('classifyFailure: breaker codes, invalid answers and anything else', () => {
  assert.is(classifyFailure(Object.assign(new Error('Timed out'), { code: 'ETIMEDOUT' })), 'timeout');
  assert.is(classifyFailure(Object.assign(new Error('Breaker is open'), { code: 'EOPENBREAKER' })), 'breaker_open');
  assert.is(classifyFailure(new InvalidAiAnswer('not JSON')), 'invalid_answer');
  assert.is(classifyFailure(new Error('boom')), 'other');
});

test.run();

import { ValidationError } from '@khaacho/core';

export const DEFAULT_AI_MODEL = 'gpt-4o-mini';
export const DEFAULT_TRANSCRIPTION_MODEL = 'gpt-4o-mini-transcribe';
export const DEFAULT_AI_TIMEOUT_MS = 4_000;
export const DEFAULT_TRANSCRIPTION_TIMEOUT_MS = 15_000;

/** When the breaker opens and how long it stays open (opossum's options, named by what they do). */
export interface BreakerConfig {
  /** Failed share of the calls in the rolling window, in percent, that opens the breaker (default 50). */
  readonly errorThresholdPercentage: number;
  /** Calls in the window before the share counts at all (default 5). */
  readonly volumeThreshold: number;
  /** How long the breaker stays open before one trial call (half-open) (default 30 s). */
  readonly resetTimeoutMs: number;
  /** The rolling window the share is counted over (default 60 s). */
  readonly rollingWindowMs: number;
}

export const DEFAULT_BREAKER: BreakerConfig = Object.freeze({
  errorThresholdPercentage: 50,
  volumeThreshold: 5,
  resetTimeoutMs: 30_000,
  rollingWindowMs: 60_000,
});

export interface AiConfig {
  /** Without a key nothing is sent anywhere: the local parser answers, voice notes get "please type your order". */
  readonly apiKey: string | null;
  /** An OpenAI-compatible endpoint; null is the SDK's default. */
  readonly baseUrl: string | null;
  /** The chat model that must support structured outputs (JSON schema). */
  readonly model: string;
  readonly transcriptionModel: string;
  /** No parse waits longer than this for the provider: the call is aborted and the local answer used. */
  readonly timeoutMs: number;
  readonly transcriptionTimeoutMs: number;
  /** Candidates per open line offered to the model (the local matcher's best, default 5). */
  readonly candidatesPerLine: number;
  readonly breaker: BreakerConfig;
}

export type AiConfigInput = Partial<Omit<AiConfig, 'breaker'>> & { readonly breaker?: Partial<BreakerConfig> };

function positiveInt(value: number, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value <= 0 || value > max) {
    throw new ValidationError(`${name} must be a whole number from 1 to ${max}`, { variable: name, value });
  }
  return value;
}

/** The config with defaults filled in and every value checked; refuses a bad one naming it. */
export function aiConfig(input: AiConfigInput = {}): AiConfig {
  const breaker = { ...DEFAULT_BREAKER, ...input.breaker };
  const apiKey = input.apiKey?.trim() ? input.apiKey.trim() : null;
  const baseUrl = input.baseUrl?.trim() ? input.baseUrl.trim() : null;
  if (baseUrl !== null && !/^https?:\/\/[^\s/]+/.test(baseUrl)) {
    throw new ValidationError('baseUrl must be an http(s) URL', { variable: 'baseUrl' });
  }
  for (const [name, value] of [
    ['model', input.model],
    ['transcriptionModel', input.transcriptionModel],
  ] as const) {
    if (value !== undefined && !/^[\w.:/-]{1,100}$/.test(value)) {
      throw new ValidationError(`${name} is not a model name`, { variable: name });
    }
  }
  return Object.freeze({
    apiKey,
    baseUrl,
    model: input.model ?? DEFAULT_AI_MODEL,
    transcriptionModel: input.transcriptionModel ?? DEFAULT_TRANSCRIPTION_MODEL,
    timeoutMs: positiveInt(input.timeoutMs ?? DEFAULT_AI_TIMEOUT_MS, 'timeoutMs', 120_000),
    transcriptionTimeoutMs: positiveInt(
      input.transcriptionTimeoutMs ?? DEFAULT_TRANSCRIPTION_TIMEOUT_MS,
      'transcriptionTimeoutMs',
      300_000,
    ),
    candidatesPerLine: positiveInt(input.candidatesPerLine ?? 5, 'candidatesPerLine', 20),
    breaker: Object.freeze({
      errorThresholdPercentage: positiveInt(breaker.errorThresholdPercentage, 'breaker.errorThresholdPercentage', 100),
      volumeThreshold: positiveInt(breaker.volumeThreshold, 'breaker.volumeThreshold', 10_000),
      resetTimeoutMs: positiveInt(breaker.resetTimeoutMs, 'breaker.resetTimeoutMs'),
      rollingWindowMs: positiveInt(breaker.rollingWindowMs, 'breaker.rollingWindowMs'),
    }),
  });
}

const ENV = {
  apiKey: 'OPENAI_API_KEY',
  baseUrl: 'KHAACHO_AI_BASE_URL',
  model: 'KHAACHO_AI_MODEL',
  transcriptionModel: 'KHAACHO_AI_TRANSCRIPTION_MODEL',
  timeoutMs: 'KHAACHO_AI_TIMEOUT_MS',
  transcriptionTimeoutMs: 'KHAACHO_AI_TRANSCRIPTION_TIMEOUT_MS',
  errorThresholdPercentage: 'KHAACHO_AI_BREAKER_ERROR_PERCENT',
  volumeThreshold: 'KHAACHO_AI_BREAKER_VOLUME',
  resetTimeoutMs: 'KHAACHO_AI_BREAKER_RESET_MS',
} as const;

/** `aiConfig` from environment variables (`OPENAI_API_KEY`, `KHAACHO_AI_*`); a malformed one is refused, naming it. */
export function aiConfigFromEnv(env: Readonly<Record<string, string | undefined>>): AiConfig {
  const int = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    if (!/^\d+$/.test(raw)) throw new ValidationError(`${name} must be a whole number`, { variable: name });
    return Number(raw);
  };
  const text = (name: string): string | undefined => (env[name] === '' ? undefined : env[name]);
  const breaker: Partial<Record<keyof BreakerConfig, number>> = {};
  for (const key of ['errorThresholdPercentage', 'volumeThreshold', 'resetTimeoutMs'] as const) {
    const value = int(ENV[key]);
    if (value !== undefined) breaker[key] = value;
  }
  const input: Record<string, unknown> = { breaker };
  for (const key of ['apiKey', 'baseUrl', 'model', 'transcriptionModel'] as const) {
    const value = text(ENV[key]);
    if (value !== undefined) input[key] = value;
  }
  for (const key of ['timeoutMs', 'transcriptionTimeoutMs'] as const) {
    const value = int(ENV[key]);
    if (value !== undefined) input[key] = value;
  }
  try {
    return aiConfig(input as AiConfigInput);
  } catch (error) {
    if (!ValidationError.is(error)) throw error;
    const field = String(error.details.variable ?? '').replace(/^breaker\./, '');
    const variable = (ENV as Record<string, string>)[field] ?? field;
    throw new ValidationError(error.message, { variable });
  }
}

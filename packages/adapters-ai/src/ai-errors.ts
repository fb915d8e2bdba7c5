import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, RateLimitError } from 'openai';

/** Why a provider call failed, as the metrics and the logs name it (never the provider's text). */
export type ProviderFailure =
  | 'timeout'
  | 'rate_limited'
  | 'server_error'
  | 'client_error'
  | 'connection'
  | 'invalid_answer'
  | 'breaker_open'
  | 'other';

/** A provider answer that arrived but is not usable: not JSON, not the schema, refused, cut off. */
export class InvalidAiAnswer extends Error {
  constructor(readonly reason: string) {
    super(`the provider's answer is not usable: ${reason}`);
    this.name = 'InvalidAiAnswer';
  }
}

/** The breaker's own timeout and its short-circuit carry these codes (opossum 10). */
const OPOSSUM_CODES: Readonly<Record<string, ProviderFailure>> = {
  ETIMEDOUT: 'timeout',
  EOPENBREAKER: 'breaker_open',
};

export function classifyFailure(error: unknown): ProviderFailure {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && OPOSSUM_CODES[code]) return OPOSSUM_CODES[code];
  if (error instanceof InvalidAiAnswer) return 'invalid_answer';
  if (error instanceof APIConnectionTimeoutError || error instanceof APIUserAbortError) return 'timeout';
  if (error instanceof RateLimitError) return 'rate_limited';
  if (error instanceof APIConnectionError) return 'connection';
  if (error instanceof APIError && typeof error.status === 'number') {
    return error.status >= 500 ? 'server_error' : 'client_error';
  }
  return 'other';
}

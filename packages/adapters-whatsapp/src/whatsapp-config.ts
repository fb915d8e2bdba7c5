import { ValidationError } from '@khaacho/core';

export const DEFAULT_GRAPH_API_VERSION = 'v23.0';
export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';
/** Cloud API's default throughput per business number. */
export const DEFAULT_SEND_RATE_PER_SECOND = 80;

export interface WhatsAppConfig {
  /** Graph API base; a local stub in the simulator and tests. */
  readonly baseUrl: string;
  /** e.g. "v23.0": the path prefix of every Graph call. */
  readonly graphApiVersion: string;
  /** The business number's id (not the number itself): `POST /{version}/{phoneNumberId}/messages`. */
  readonly phoneNumberId: string;
  readonly accessToken: string;
  /** Keys the `X-Hub-Signature-256` HMAC of every webhook delivery. */
  readonly appSecret: string;
  /** Echoed back by Meta on webhook verification. */
  readonly verifyToken: string;
  /** Messages per second from this number; bursts above it wait. */
  readonly sendRatePerSecond: number;
  /** A send waiting longer than this for the rate gives up as throttled (and is retried by its job). */
  readonly maxRateWaitMs: number;
  /** One Graph call is aborted after this. */
  readonly timeoutMs: number;
}

export type WhatsAppConfigInput = Pick<WhatsAppConfig, 'phoneNumberId' | 'accessToken' | 'appSecret' | 'verifyToken'> &
  Partial<WhatsAppConfig>;

function positiveInt(value: number, name: string, max: number): number {
  if (!Number.isInteger(value) || value <= 0 || value > max) {
    throw new ValidationError(`${name} must be a whole number from 1 to ${max}`, { variable: name, value });
  }
  return value;
}

function secret(value: string | undefined, name: string): string {
  const v = value?.trim() ?? '';
  if (v === '' || /\s/.test(v)) throw new ValidationError(`${name} is required (no spaces)`, { variable: name });
  return v;
}

/** The config with defaults filled in and every value checked; a bad one is refused, naming it. */
export function whatsappConfig(input: WhatsAppConfigInput): WhatsAppConfig {
  const baseUrl = (input.baseUrl ?? DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+$/.test(baseUrl)) {
    throw new ValidationError('baseUrl must be an http(s) origin', { variable: 'baseUrl' });
  }
  const graphApiVersion = input.graphApiVersion ?? DEFAULT_GRAPH_API_VERSION;
  if (!/^v\d{1,3}\.\d{1,2}$/.test(graphApiVersion)) {
    throw new ValidationError('graphApiVersion must look like v23.0', { variable: 'graphApiVersion' });
  }
  if (!/^\d{1,32}$/.test(input.phoneNumberId ?? '')) {
    throw new ValidationError('phoneNumberId must be the numeric id of the business number', {
      variable: 'phoneNumberId',
    });
  }
  return Object.freeze({
    baseUrl,
    graphApiVersion,
    phoneNumberId: input.phoneNumberId,
    accessToken: secret(input.accessToken, 'accessToken'),
    appSecret: secret(input.appSecret, 'appSecret'),
    verifyToken: secret(input.verifyToken, 'verifyToken'),
    sendRatePerSecond: positiveInt(
      input.sendRatePerSecond ?? DEFAULT_SEND_RATE_PER_SECOND,
      'sendRatePerSecond',
      10_000,
    ),
    maxRateWaitMs: positiveInt(input.maxRateWaitMs ?? 30_000, 'maxRateWaitMs', 600_000),
    timeoutMs: positiveInt(input.timeoutMs ?? 10_000, 'timeoutMs', 120_000),
  });
}

const ENV = {
  baseUrl: 'WHATSAPP_GRAPH_BASE_URL',
  graphApiVersion: 'WHATSAPP_GRAPH_API_VERSION',
  phoneNumberId: 'WHATSAPP_PHONE_NUMBER_ID',
  accessToken: 'WHATSAPP_ACCESS_TOKEN',
  appSecret: 'WHATSAPP_APP_SECRET',
  verifyToken: 'WHATSAPP_VERIFY_TOKEN',
  sendRatePerSecond: 'WHATSAPP_SEND_RATE_PER_SECOND',
  maxRateWaitMs: 'WHATSAPP_MAX_RATE_WAIT_MS',
  timeoutMs: 'WHATSAPP_TIMEOUT_MS',
} as const satisfies Record<keyof WhatsAppConfig, string>;

/** `whatsappConfig` from `WHATSAPP_*` environment variables; a missing or malformed one is refused, naming it. */
export function whatsappConfigFromEnv(env: Readonly<Record<string, string | undefined>>): WhatsAppConfig {
  const input: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(ENV)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    if (key === 'sendRatePerSecond' || key === 'maxRateWaitMs' || key === 'timeoutMs') {
      if (!/^\d+$/.test(raw)) throw new ValidationError(`${name} must be a whole number`, { variable: name });
      input[key] = Number(raw);
    } else {
      input[key] = raw;
    }
  }
  try {
    return whatsappConfig(input as WhatsAppConfigInput);
  } catch (error) {
    if (!ValidationError.is(error)) throw error;
    const field = String(error.details.variable ?? '');
    throw new ValidationError(error.message, { variable: (ENV as Record<string, string>)[field] ?? field });
  }
}

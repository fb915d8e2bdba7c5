/**
 * Field paths pino censors on every line: phone numbers, tokens, secrets, credentials.
 * pino's `*` stands for one level, so each key is listed at the top level and one and two
 * levels down (`{ phone }`, `{ retailer: { phone } }`, `{ message: { to: { phone } } }`).
 */
const SENSITIVE_KEYS = [
  'phone',
  'phoneNumber',
  'msisdn',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'password',
  'secret',
  'appSecret',
  'authorization',
  'cookie',
  'databaseUrl',
  'redisUrl',
] as const;

export const REDACT_PATHS: readonly string[] = [
  ...SENSITIVE_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  // Outbound messages carry the recipient as `to`; only there is `to` a phone number.
  'message.to',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers["x-hub-signature-256"]',
];

export const REDACTED = '[redacted]';

/**
 * A phone number in free text: E.164 (`+9779841234567`) or a Nepali mobile written
 * locally (`9841234567`, `977-9841234567`). Structured fields are censored by path; this
 * catches a number pasted into a message or a string field.
 */
const PHONE_IN_TEXT = /\+[1-9]\d{7,14}\b|\b(?:977[-\s]?)?9[678]\d{8}\b/g;

export function scrubPhones(text: string): string {
  return text.replace(PHONE_IN_TEXT, '[phone]');
}

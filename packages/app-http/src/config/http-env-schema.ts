/**
 * The HTTP app's own environment, one JSON schema (ajv strict), on top of the worker's
 * composition variables. `description` is what an error says was expected.
 */
export const HTTP_ENV_SCHEMA = {
  type: 'object',
  properties: {
    KHAACHO_HTTP_PORT: {
      type: 'integer',
      minimum: 0,
      maximum: 65_535,
      default: 3000,
      description: 'a TCP port 0–65535 (0: any free port)',
    },
    KHAACHO_HTTP_HOST: {
      type: 'string',
      pattern: '^[A-Za-z0-9.:_\\[\\]-]{1,255}$',
      default: '127.0.0.1',
      description: 'an interface to listen on, e.g. 127.0.0.1, 0.0.0.0 or ::',
    },
    KHAACHO_HTTP_CORS_ORIGINS: {
      type: 'string',
      pattern: '^\\s*https?://[^\\s,]+\\s*(,\\s*https?://[^\\s,]+\\s*)*$',
      description:
        'origins allowed by CORS, comma-separated (e.g. https://shop.example.com,http://localhost:5173); unset: none',
    },
    KHAACHO_HTTP_BODY_LIMIT_BYTES: {
      type: 'integer',
      minimum: 1_024,
      maximum: 10_485_760,
      default: 1_048_576,
      description: 'the largest request body in bytes, 1024–10485760',
    },
    KHAACHO_HTTP_TRUST_PROXY: {
      type: 'boolean',
      default: false,
      description: 'true behind a reverse proxy (X-Forwarded-For/-Proto trusted), else false',
    },
    KHAACHO_METRICS_TOKEN: {
      type: 'string',
      minLength: 16,
      maxLength: 256,
      description:
        'bearer token /metrics requires (at least 16 characters); unset: /metrics answers loopback callers only',
    },
    KHAACHO_HTTP_SHUTDOWN_TIMEOUT_MS: {
      type: 'integer',
      minimum: 0,
      maximum: 600_000,
      default: 10_000,
      description: 'whole milliseconds 0–600000 in-flight requests get to finish on shutdown',
    },
    KHAACHO_JWT_SECRET: {
      type: 'string',
      minLength: 32,
      maxLength: 1024,
      description:
        'the HS256 key of access tokens (and TOTP sealing), ≥ 32 bytes, the same on every API instance; required with DATABASE_URL (embedded: generated once into the data dir)',
    },
    KHAACHO_JWT_ISSUER: {
      type: 'string',
      pattern: '^[A-Za-z0-9._:/-]{1,100}$',
      default: 'khaacho',
      description: 'the iss of every token, 1–100 of A-Za-z0-9._:/-',
    },
    KHAACHO_ACCESS_TOKEN_TTL_SECONDS: {
      type: 'integer',
      minimum: 60,
      maximum: 86_400,
      default: 900,
      description: 'access token lifetime, 60–86400 s',
    },
    KHAACHO_REFRESH_TOKEN_TTL_SECONDS: {
      type: 'integer',
      minimum: 3_600,
      maximum: 31_536_000,
      default: 1_209_600,
      description: 'refresh token lifetime, 3600–31536000 s (longer than the access token)',
    },
    KHAACHO_RATE_LIMIT_API: {
      type: 'integer',
      minimum: 1,
      maximum: 1_000_000,
      default: 600,
      description: 'requests per minute per user on the API routes, 1–1000000',
    },
    KHAACHO_RATE_LIMIT_AUTH: {
      type: 'integer',
      minimum: 1,
      maximum: 1_000_000,
      default: 30,
      description: 'requests per minute per IP on the /auth sign-in routes, 1–1000000',
    },
    KHAACHO_RATE_LIMIT_WEBHOOK: {
      type: 'integer',
      minimum: 1,
      maximum: 1_000_000,
      default: 1_200,
      description: 'requests per minute per caller on webhook routes, 1–1000000',
    },
    KHAACHO_RATE_LIMIT_ADMIN: {
      type: 'integer',
      minimum: 1,
      maximum: 1_000_000,
      default: 120,
      description: 'requests per minute per user on the admin routes, 1–1000000',
    },
    KHAACHO_DEMO_DATA: {
      type: 'boolean',
      description:
        'true or false: load the demo catalog, parties and orders at start (default: true embedded, false otherwise)',
    },
  },
} as const;

export type HttpEnvVariable = keyof typeof HTTP_ENV_SCHEMA.properties;

/** The environment after validation, coercion and defaults. */
export interface HttpEnv {
  readonly KHAACHO_HTTP_PORT: number;
  readonly KHAACHO_HTTP_HOST: string;
  readonly KHAACHO_HTTP_CORS_ORIGINS?: string;
  readonly KHAACHO_HTTP_BODY_LIMIT_BYTES: number;
  readonly KHAACHO_HTTP_TRUST_PROXY: boolean;
  readonly KHAACHO_METRICS_TOKEN?: string;
  readonly KHAACHO_HTTP_SHUTDOWN_TIMEOUT_MS: number;
  readonly KHAACHO_JWT_SECRET?: string;
  readonly KHAACHO_JWT_ISSUER: string;
  readonly KHAACHO_ACCESS_TOKEN_TTL_SECONDS: number;
  readonly KHAACHO_REFRESH_TOKEN_TTL_SECONDS: number;
  readonly KHAACHO_RATE_LIMIT_API: number;
  readonly KHAACHO_RATE_LIMIT_AUTH: number;
  readonly KHAACHO_RATE_LIMIT_WEBHOOK: number;
  readonly KHAACHO_RATE_LIMIT_ADMIN: number;
  readonly KHAACHO_DEMO_DATA?: boolean;
}

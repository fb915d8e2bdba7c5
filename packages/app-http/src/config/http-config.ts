import { ConfigError, type ConfigProblem, type WorkerConfig, workerConfigFromEnv } from '@khaacho/app-worker';
import { Ajv, type ErrorObject } from 'ajv';
import type { RateLimitPolicies } from '../http/rate-limits.js';
import { HTTP_ENV_SCHEMA, type HttpEnv, type HttpEnvVariable } from './http-env-schema.js';

/** What the HTTP server needs beyond the shared composition. */
export interface HttpConfig {
  readonly port: number;
  readonly host: string;
  /** Exact origins CORS allows; empty: no cross-origin browser access. */
  readonly corsOrigins: readonly string[];
  readonly bodyLimitBytes: number;
  readonly trustProxy: boolean;
  /** Bearer token of /metrics; null: loopback callers only. */
  readonly metricsToken: string | null;
  readonly shutdownTimeoutMs: number;
  /** Load the demo data set at start (embedded and postgres stores only). */
  readonly demoData: boolean;
  readonly auth: {
    /**
     * null only for the embedded and memory stores, where `main` generates one (embedded:
     * persisted in the data dir, so sessions survive a restart).
     */
    readonly jwtSecret: string | null;
    readonly issuer: string;
    readonly accessTtlSeconds: number;
    readonly refreshTtlSeconds: number;
  };
  readonly rateLimits: RateLimitPolicies;
  /**
   * /webhooks/whatsapp: mounted when WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN are both
   * set (whatever KHAACHO_MESSAGE_SENDER is: receiving does not need the sender), else null.
   */
  readonly whatsappWebhook: { readonly appSecret: string; readonly verifyToken: string } | null;
}

/** The whole process: the composition and worker settings, plus the HTTP server's. */
export interface AppConfig {
  readonly worker: WorkerConfig;
  readonly http: HttpConfig;
}

type Env = Readonly<Record<string, string | undefined>>;

const ajv = new Ajv({ strict: true, allErrors: true, coerceTypes: true, useDefaults: true });
const validate = ajv.compile<HttpEnv>(HTTP_ENV_SCHEMA);
const KNOWN = Object.keys(HTTP_ENV_SCHEMA.properties) as HttpEnvVariable[];

/**
 * Reads the HTTP variables and hands every other one to the worker's reader, which refuses
 * unknown `KHAACHO_*` names: a typo in either set is reported, all problems in one ConfigError.
 */
export function appConfigFromEnv(env: Env): AppConfig {
  const problems: ConfigProblem[] = [];
  const input: Record<string, string> = {};
  const rest: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) {
    if ((KNOWN as string[]).includes(name)) {
      const trimmed = value?.trim();
      if (trimmed) input[name] = trimmed;
    } else rest[name] = value;
  }
  let worker: WorkerConfig | null = null;
  try {
    worker = workerConfigFromEnv(rest);
  } catch (error) {
    if (!ConfigError.is(error)) throw error;
    problems.push(...error.problems);
  }
  const raw = { ...input };
  if (!validate(input)) {
    for (const error of validate.errors ?? []) {
      const problem = describe(error, raw);
      if (!problems.some((p) => p.variable === problem.variable)) problems.push(problem);
    }
  }
  const parsed = input as unknown as HttpEnv;
  if (
    worker?.store === 'postgres' &&
    !parsed.KHAACHO_JWT_SECRET &&
    !problems.some((p) => p.variable === 'KHAACHO_JWT_SECRET')
  ) {
    // A shared server gets no made-up key: every instance must sign and verify with the same one.
    problems.push({
      variable: 'KHAACHO_JWT_SECRET',
      problem: `got nothing; expected ${HTTP_ENV_SCHEMA.properties.KHAACHO_JWT_SECRET.description}`,
    });
  }
  if (
    typeof parsed.KHAACHO_REFRESH_TOKEN_TTL_SECONDS === 'number' &&
    parsed.KHAACHO_REFRESH_TOKEN_TTL_SECONDS <= parsed.KHAACHO_ACCESS_TOKEN_TTL_SECONDS
  ) {
    problems.push({
      variable: 'KHAACHO_REFRESH_TOKEN_TTL_SECONDS',
      problem: 'must be longer than KHAACHO_ACCESS_TOKEN_TTL_SECONDS',
    });
  }
  const webhookSecret = env.WHATSAPP_APP_SECRET?.trim() ?? '';
  const webhookToken = env.WHATSAPP_VERIFY_TOKEN?.trim() ?? '';
  if ((webhookSecret === '') !== (webhookToken === '')) {
    // One without the other is a half-configured webhook: Meta could not subscribe, or nothing could be verified.
    problems.push({
      variable: webhookSecret === '' ? 'WHATSAPP_APP_SECRET' : 'WHATSAPP_VERIFY_TOKEN',
      problem: 'got nothing; the WhatsApp webhook needs both WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN',
    });
  }
  if (problems.length > 0 || worker === null) throw new ConfigError(problems);
  const perMinute = (points: number) => ({ points, durationMs: 60_000 });
  return {
    worker,
    http: {
      port: parsed.KHAACHO_HTTP_PORT,
      host: parsed.KHAACHO_HTTP_HOST,
      corsOrigins: (parsed.KHAACHO_HTTP_CORS_ORIGINS ?? '')
        .split(',')
        .map((origin) => origin.trim().replace(/\/+$/, ''))
        .filter(Boolean),
      bodyLimitBytes: parsed.KHAACHO_HTTP_BODY_LIMIT_BYTES,
      trustProxy: parsed.KHAACHO_HTTP_TRUST_PROXY,
      metricsToken: parsed.KHAACHO_METRICS_TOKEN ?? null,
      shutdownTimeoutMs: parsed.KHAACHO_HTTP_SHUTDOWN_TIMEOUT_MS,
      demoData: parsed.KHAACHO_DEMO_DATA ?? worker.store === 'embedded',
      auth: {
        jwtSecret: parsed.KHAACHO_JWT_SECRET ?? null,
        issuer: parsed.KHAACHO_JWT_ISSUER,
        accessTtlSeconds: parsed.KHAACHO_ACCESS_TOKEN_TTL_SECONDS,
        refreshTtlSeconds: parsed.KHAACHO_REFRESH_TOKEN_TTL_SECONDS,
      },
      rateLimits: {
        api: perMinute(parsed.KHAACHO_RATE_LIMIT_API),
        auth: perMinute(parsed.KHAACHO_RATE_LIMIT_AUTH),
        webhook: perMinute(parsed.KHAACHO_RATE_LIMIT_WEBHOOK),
        admin: perMinute(parsed.KHAACHO_RATE_LIMIT_ADMIN),
      },
      whatsappWebhook:
        webhookSecret !== '' && webhookToken !== '' ? { appSecret: webhookSecret, verifyToken: webhookToken } : null,
    },
  };
}

function describe(error: ErrorObject, raw: Readonly<Record<string, string>>): ConfigProblem {
  const variable = error.instancePath.split('/')[1] ?? '(environment)';
  const property = HTTP_ENV_SCHEMA.properties[variable as HttpEnvVariable];
  const given = variable in raw ? ` "${raw[variable]}"` : ' nothing';
  const expected = property ? `; expected ${property.description}` : '';
  return { variable, problem: `got${given}, which ${error.message ?? 'is invalid'}${expected}` };
}

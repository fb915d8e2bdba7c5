import { type AiConfig, aiConfig } from '@khaacho/adapters-ai';
import type { PostgresModuleConfig } from '@khaacho/adapters-postgres';
import { type WhatsAppConfig, whatsappConfig } from '@khaacho/adapters-whatsapp';
import {
  DEFAULT_QUEUE_CONCURRENCY,
  parseReminderRules,
  type QueueName,
  type ReminderRule,
  ValidationError,
} from '@khaacho/core';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { LogLevel } from '../logging/pino-logger.js';
import { type ConfigProblem, ConfigError } from './config-error.js';
import {
  type EnvVariable,
  MIN_PROGRESS_INTERVAL_MS,
  type MessageSenderChoice,
  type RiskPolicyChoice,
  SECRET_VARIABLES,
  type Store,
  WHATSAPP_REQUIRED,
  WORKER_ENV_SCHEMA,
  WORKER_QUEUES,
  type WorkerEnv,
} from './env-schema.js';

/** What the composition needs to choose and configure its adapters. */
export interface CompositionConfig {
  readonly store: Store;
  /** Embedded and postgres stores: everything but the ids (the container provides them). */
  readonly postgres: PostgresModuleConfig;
  readonly logLevel: LogLevel;
  readonly risk: RiskPolicyChoice;
  /** Outbound messages: logged, kept in memory (tests) or sent through the WhatsApp Cloud API. */
  readonly messageSender: MessageSenderChoice;
  /** The Cloud API settings: set exactly when `messageSender` is `whatsapp`. */
  readonly whatsapp: WhatsAppConfig | null;
  /** The AI parser's settings; `apiKey: null` (no OPENAI_API_KEY) keeps the local parser and sends nothing. */
  readonly ai: AiConfig;
  /** The draft use cases' settings. */
  readonly drafts: { readonly ttlMs: number };
  /** Where operator alerts go (as typed; parsed by the worker); null: logged only. */
  readonly operatorPhone: string | null;
  /** Set: the queue, cache, rate limiter and lease lock are on Redis; null: in memory. */
  readonly redisUrl: string | null;
  readonly redis: {
    /** Every key starts with `<prefix>:`. */
    readonly prefix: string;
    readonly commandTimeoutMs: number;
  };
  readonly queues: {
    /** Jobs one process runs at once, per named queue (core's defaults unless KHAACHO_QUEUE_CONCURRENCY says otherwise). */
    readonly concurrency: Readonly<Record<QueueName, number>>;
    /** A run longer than this is a failed attempt. */
    readonly jobTimeoutMs: number;
  };
}

/** Health endpoints, progress lines and the recovery sweep's thresholds. */
export interface OpsConfig {
  /** null: no health server (`KHAACHO_WORKER_HEALTH_PORT=0`). */
  readonly healthPort: number | null;
  /** null: no progress lines (`KHAACHO_PROGRESS_INTERVAL_MS=0`). */
  readonly progressIntervalMs: number | null;
  readonly sweep: {
    readonly orderIdleMs: number;
    readonly outboxLagWarnMs: number;
    /** = inbox.maxAttempts: the sweep's idea of a dead inbox event is the processor's. */
    readonly inboxMaxAttempts: number;
  };
  /** Payment reminders: the rules from KHAACHO_REMINDER_DAYS. */
  readonly reminderRules: readonly ReminderRule[];
  /** The webhook inbox processor (KHAACHO_INBOX_*). */
  readonly inbox: { readonly maxAttempts: number; readonly leaseMs: number };
}

/** The worker's whole configuration (the worker loop will add its own settings here). */
export type WorkerConfig = CompositionConfig & { readonly ops: OpsConfig };

const MAX_QUEUE_CONCURRENCY = 100;

type Env = Readonly<Record<string, string | undefined>>;

// ajv-formats' default export is typed as a CommonJS module under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: true, allErrors: true, coerceTypes: true, useDefaults: true }));
const validate = ajv.compile<WorkerEnv>(WORKER_ENV_SCHEMA);
const KNOWN = Object.keys(WORKER_ENV_SCHEMA.properties) as EnvVariable[];
/** Variables read as numbers: ajv's coercion is `Number()`, which also takes `0x10`, `1e4`, ` 12 `. */
const INTEGER_VARIABLES = KNOWN.filter((name) => WORKER_ENV_SCHEMA.properties[name].type === 'integer');
const DECIMAL_INTEGER = /^[0-9]+$/;

/**
 * Reads and checks the worker's environment variables. Throws a ConfigError listing every
 * bad variable with what was expected; an unknown `KHAACHO_*` variable counts as bad (a
 * typo would otherwise be ignored silently).
 */
export function workerConfigFromEnv(env: Env): WorkerConfig {
  const input: Record<string, string> = {};
  for (const name of KNOWN) {
    const value = env[name]?.trim();
    if (value) input[name] = value;
  }
  const problems: ConfigProblem[] = [];
  // A blank URL is most likely a secret that failed to arrive; reading it as "unset" would
  // quietly run a money system on a local embedded database or an in-process queue.
  for (const name of ['DATABASE_URL', 'REDIS_URL'] as const) {
    if (env[name] !== undefined && !env[name]?.trim()) {
      problems.push({
        variable: name,
        problem: 'set but empty; unset it to run without one (embedded storage / in-process queue), or give a URL',
      });
    }
  }
  for (const name of Object.keys(env)) {
    if (name.startsWith('KHAACHO_') && !(KNOWN as string[]).includes(name)) {
      problems.push({ variable: name, problem: `unknown variable; the known KHAACHO_* ones are ${knownKhaacho()}` });
    }
  }
  const raw = { ...input };
  for (const name of INTEGER_VARIABLES) {
    const value = input[name];
    if (value === undefined || DECIMAL_INTEGER.test(value)) continue;
    problems.push({
      variable: name,
      problem: `got "${value}", which must be integer (plain decimal digits only); expected ${WORKER_ENV_SCHEMA.properties[name].description}`,
    });
    delete input[name]; // one line per variable: the schema would only repeat it
  }
  if (!validate(input)) {
    for (const error of validate.errors ?? []) {
      const problem = describe(error, raw);
      // One line per variable: a bad URL fails both its format and its pattern.
      if (!problems.some((p) => p.variable === problem.variable)) problems.push(problem);
    }
  }
  // Named even beside other problems: one restart should fix them all.
  if (raw.KHAACHO_MESSAGE_SENDER === 'whatsapp') {
    for (const variable of WHATSAPP_REQUIRED) {
      if (raw[variable] !== undefined) continue;
      problems.push({
        variable,
        problem: `required when KHAACHO_MESSAGE_SENDER=whatsapp; expected ${WORKER_ENV_SCHEMA.properties[variable].description}`,
      });
    }
  }
  if (problems.length === 0) {
    const parsed = input as unknown as WorkerEnv;
    if (parsed.KHAACHO_STORE === 'postgres' && !parsed.DATABASE_URL) {
      problems.push({
        variable: 'DATABASE_URL',
        problem: 'required when KHAACHO_STORE=postgres; expected a postgres:// URL',
      });
    }
    const progress = parsed.KHAACHO_PROGRESS_INTERVAL_MS;
    if (progress > 0 && progress < MIN_PROGRESS_INTERVAL_MS) {
      problems.push({
        variable: 'KHAACHO_PROGRESS_INTERVAL_MS',
        problem: `got "${progress}", which would flood the logs; expected ${WORKER_ENV_SCHEMA.properties.KHAACHO_PROGRESS_INTERVAL_MS.description}`,
      });
    }
    const concurrency = parseConcurrency(parsed.KHAACHO_QUEUE_CONCURRENCY, problems);
    const reminderRules = parseReminderDays(parsed.KHAACHO_REMINDER_DAYS, problems);
    const whatsapp = parsed.KHAACHO_MESSAGE_SENDER === 'whatsapp' ? whatsappFrom(parsed, problems) : null;
    const ai = aiFrom(parsed, problems);
    if (problems.length === 0 && ai !== null && reminderRules !== null) {
      return toConfig(parsed, concurrency, whatsapp, ai, reminderRules);
    }
  }
  throw new ConfigError(problems);
}

/** `ORDER_ROUTING=3,NOTIFICATIONS=5` over core's defaults; the shape was checked by the schema's pattern. */
function parseConcurrency(raw: string | undefined, problems: ConfigProblem[]): Record<QueueName, number> {
  const concurrency: Record<QueueName, number> = { ...DEFAULT_QUEUE_CONCURRENCY };
  if (raw === undefined) return concurrency;
  const bad: string[] = [];
  const seen = new Set<string>();
  for (const pair of raw.split(',')) {
    const [name = '', value = ''] = pair.split('=').map((part) => part.trim());
    const n = Number(value);
    if (!(WORKER_QUEUES as readonly string[]).includes(name)) bad.push(`${name} is not a queue this worker consumes`);
    else if (seen.has(name)) bad.push(`${name} is given twice`);
    else if (!(Number.isSafeInteger(n) && n >= 1 && n <= MAX_QUEUE_CONCURRENCY)) {
      bad.push(`${name}=${value} is not 1–${MAX_QUEUE_CONCURRENCY}`);
    } else concurrency[name as QueueName] = n;
    seen.add(name);
  }
  if (bad.length > 0) {
    problems.push({
      variable: 'KHAACHO_QUEUE_CONCURRENCY',
      problem: `got "${raw}": ${bad.join('; ')}; expected ${WORKER_ENV_SCHEMA.properties.KHAACHO_QUEUE_CONCURRENCY.description}`,
    });
  }
  return concurrency;
}

/** The reminder rules of `-3,0,3,7`, or null with the refusal added. */
function parseReminderDays(raw: string, problems: ConfigProblem[]): readonly ReminderRule[] | null {
  try {
    return parseReminderRules(raw);
  } catch (error) {
    if (!ValidationError.is(error)) throw error;
    problems.push({
      variable: 'KHAACHO_REMINDER_DAYS',
      problem: `got "${raw}": ${error.message}; expected ${WORKER_ENV_SCHEMA.properties.KHAACHO_REMINDER_DAYS.description}`,
    });
    return null;
  }
}

/**
 * The Cloud API config through the adapter's own check, or null with its refusal added. The
 * required variables are present: their absence was a problem already (a sender without them
 * could only fail at the first message).
 */
function whatsappFrom(env: WorkerEnv, problems: ConfigProblem[]): WhatsAppConfig | null {
  return adapterConfig(problems, WHATSAPP_FIELDS, () =>
    whatsappConfig({
      phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID ?? '',
      accessToken: env.WHATSAPP_ACCESS_TOKEN ?? '',
      appSecret: env.WHATSAPP_APP_SECRET ?? '',
      verifyToken: env.WHATSAPP_VERIFY_TOKEN ?? '',
      ...defined({
        baseUrl: env.WHATSAPP_GRAPH_BASE_URL,
        graphApiVersion: env.WHATSAPP_GRAPH_API_VERSION,
        sendRatePerSecond: env.WHATSAPP_SEND_RATE_PER_SECOND,
        maxRateWaitMs: env.WHATSAPP_MAX_RATE_WAIT_MS,
        timeoutMs: env.WHATSAPP_TIMEOUT_MS,
      }),
    }),
  );
}

function aiFrom(env: WorkerEnv, problems: ConfigProblem[]): AiConfig | null {
  return adapterConfig(problems, AI_FIELDS, () =>
    aiConfig({
      ...defined({
        apiKey: env.OPENAI_API_KEY,
        baseUrl: env.KHAACHO_AI_BASE_URL,
        model: env.KHAACHO_AI_MODEL,
        transcriptionModel: env.KHAACHO_AI_TRANSCRIPTION_MODEL,
        timeoutMs: env.KHAACHO_AI_TIMEOUT_MS,
        transcriptionTimeoutMs: env.KHAACHO_AI_TRANSCRIPTION_TIMEOUT_MS,
      }),
      breaker: defined({
        errorThresholdPercentage: env.KHAACHO_AI_BREAKER_ERROR_PERCENT,
        volumeThreshold: env.KHAACHO_AI_BREAKER_VOLUME,
        resetTimeoutMs: env.KHAACHO_AI_BREAKER_RESET_MS,
      }),
    }),
  );
}

/** The adapters name their config fields; the operator needs the variable. */
const WHATSAPP_FIELDS: Readonly<Record<string, EnvVariable>> = {
  baseUrl: 'WHATSAPP_GRAPH_BASE_URL',
  graphApiVersion: 'WHATSAPP_GRAPH_API_VERSION',
  phoneNumberId: 'WHATSAPP_PHONE_NUMBER_ID',
  accessToken: 'WHATSAPP_ACCESS_TOKEN',
  appSecret: 'WHATSAPP_APP_SECRET',
  verifyToken: 'WHATSAPP_VERIFY_TOKEN',
  sendRatePerSecond: 'WHATSAPP_SEND_RATE_PER_SECOND',
  maxRateWaitMs: 'WHATSAPP_MAX_RATE_WAIT_MS',
  timeoutMs: 'WHATSAPP_TIMEOUT_MS',
};
const AI_FIELDS: Readonly<Record<string, EnvVariable>> = {
  apiKey: 'OPENAI_API_KEY',
  baseUrl: 'KHAACHO_AI_BASE_URL',
  model: 'KHAACHO_AI_MODEL',
  transcriptionModel: 'KHAACHO_AI_TRANSCRIPTION_MODEL',
  timeoutMs: 'KHAACHO_AI_TIMEOUT_MS',
  transcriptionTimeoutMs: 'KHAACHO_AI_TRANSCRIPTION_TIMEOUT_MS',
  'breaker.errorThresholdPercentage': 'KHAACHO_AI_BREAKER_ERROR_PERCENT',
  'breaker.volumeThreshold': 'KHAACHO_AI_BREAKER_VOLUME',
  'breaker.resetTimeoutMs': 'KHAACHO_AI_BREAKER_RESET_MS',
};

/** Runs an adapter's own check (the last word on its values); its refusal becomes a problem naming the variable. */
function adapterConfig<T>(
  problems: ConfigProblem[],
  fields: Readonly<Record<string, EnvVariable>>,
  build: () => T,
): T | null {
  try {
    return build();
  } catch (error) {
    if (!ValidationError.is(error)) throw error;
    const field = String(error.details.variable ?? '');
    problems.push({ variable: fields[field] ?? field, problem: error.message });
    return null;
  }
}

/** The entries whose value is set (exactOptionalPropertyTypes: an absent field, not `undefined`). */
function defined<T extends Record<string, unknown>>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

function toConfig(
  env: WorkerEnv,
  concurrency: Record<QueueName, number>,
  whatsapp: WhatsAppConfig | null,
  ai: AiConfig,
  reminderRules: readonly ReminderRule[],
): WorkerConfig {
  const store: Store = env.KHAACHO_STORE ?? (env.DATABASE_URL ? 'postgres' : 'embedded');
  return {
    store,
    postgres: {
      databaseUrl: store === 'postgres' ? (env.DATABASE_URL ?? null) : null,
      dataDir: env.KHAACHO_DATA_DIR,
      poolMax: env.KHAACHO_DB_POOL_MAX,
      ...(env.KHAACHO_DB_MIGRATE === undefined ? {} : { migrate: env.KHAACHO_DB_MIGRATE }),
      timeouts: {
        statementMs: env.KHAACHO_DB_STATEMENT_TIMEOUT_MS,
        lockMs: env.KHAACHO_DB_LOCK_TIMEOUT_MS,
        idleInTransactionMs: env.KHAACHO_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
        connectMs: env.KHAACHO_DB_CONNECT_TIMEOUT_MS,
        acquireMs: env.KHAACHO_DB_ACQUIRE_TIMEOUT_MS,
      },
    },
    logLevel: env.LOG_LEVEL,
    risk: env.KHAACHO_RISK_POLICY,
    messageSender: env.KHAACHO_MESSAGE_SENDER,
    whatsapp,
    ai,
    drafts: { ttlMs: env.KHAACHO_DRAFT_TTL_MS },
    operatorPhone: env.KHAACHO_OPERATOR_PHONE ?? null,
    redisUrl: env.REDIS_URL ?? null,
    ops: {
      healthPort: env.KHAACHO_WORKER_HEALTH_PORT || null,
      progressIntervalMs: env.KHAACHO_PROGRESS_INTERVAL_MS || null,
      sweep: {
        orderIdleMs: env.KHAACHO_SWEEP_ORDER_IDLE_MS,
        outboxLagWarnMs: env.KHAACHO_SWEEP_OUTBOX_LAG_MS,
        inboxMaxAttempts: env.KHAACHO_INBOX_MAX_ATTEMPTS,
      },
      reminderRules,
      inbox: { maxAttempts: env.KHAACHO_INBOX_MAX_ATTEMPTS, leaseMs: env.KHAACHO_INBOX_LEASE_MS },
    },
    redis: { prefix: env.KHAACHO_REDIS_PREFIX, commandTimeoutMs: env.KHAACHO_REDIS_COMMAND_TIMEOUT_MS },
    queues: { concurrency, jobTimeoutMs: env.KHAACHO_JOB_TIMEOUT_MS },
  };
}

function describe(error: ErrorObject, raw: Readonly<Record<string, string>>): ConfigProblem {
  const variable = error.instancePath.split('/')[1] ?? '(environment)';
  const property = WORKER_ENV_SCHEMA.properties[variable as EnvVariable];
  const given = variable in raw ? (SECRET_VARIABLES.has(variable) ? ' (value hidden)' : ` "${raw[variable]}"`) : '';
  const expected = property ? `; expected ${property.description}` : '';
  return { variable, problem: `got${given || ' nothing'}, which ${error.message ?? 'is invalid'}${expected}` };
}

function knownKhaacho(): string {
  return KNOWN.filter((name) => name.startsWith('KHAACHO_')).join(', ');
}

import { DEFAULT_DATA_DIR, DEFAULT_TIMEOUTS } from '@khaacho/adapters-postgres';
import { DEFAULT_COMMAND_TIMEOUT_MS, DEFAULT_REDIS_PREFIX } from '@khaacho/adapters-redis';
import { DEFAULT_DRAFT_TTL_MS, type QueueName, QueueNames } from '@khaacho/core';
import { LOG_LEVELS } from '../logging/pino-logger.js';

export const DEFAULT_JOB_TIMEOUT_MS = 60_000;
/** `NAME=N` pairs; names and bounds are checked after the pattern (one message per variable). */
const QUEUE_CONCURRENCY_PATTERN = '^\\s*[A-Z_]+\\s*=\\s*[0-9]+\\s*(,\\s*[A-Z_]+\\s*=\\s*[0-9]+\\s*)*$';

/**
 * The queues this worker consumes: the event consumers' (ORDER_PROCESSING, ORDER_ROUTING,
 * NOTIFICATIONS, CREDIT_SCORE, REPORT_GENERATION: the snapshot refreshes) and the
 * scheduler's (SCHEDULER, PAYMENT_REMINDER). A concurrency for any
 * other queue would configure nothing, so it is refused as a likely typo.
 */
export const WORKER_QUEUES: readonly QueueName[] = [
  QueueNames.ORDER_PROCESSING,
  QueueNames.ORDER_ROUTING,
  QueueNames.NOTIFICATIONS,
  QueueNames.CREDIT_SCORE,
  QueueNames.SCHEDULER,
  QueueNames.PAYMENT_REMINDER,
  QueueNames.REPORT_GENERATION,
];

/** Draft lifetime bounds: under a minute a shop cannot answer; over a day prices have moved. */
export const MIN_DRAFT_TTL_MS = 60_000;
export const MAX_DRAFT_TTL_MS = 86_400_000;

/** Required with `KHAACHO_MESSAGE_SENDER=whatsapp` (the rest have the adapter's defaults). */
export const WHATSAPP_REQUIRED: readonly EnvVariable[] = [
  'WHATSAPP_PHONE_NUMBER_ID',
  'WHATSAPP_ACCESS_TOKEN',
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_VERIFY_TOKEN',
];

/** The shortest progress interval: a smaller one would flood the logs. */
export const MIN_PROGRESS_INTERVAL_MS = 1_000;

export const STORES = ['memory', 'embedded', 'postgres'] as const;
export type Store = (typeof STORES)[number];
export const RISK_POLICIES = ['rules', 'allow-all'] as const;
export type RiskPolicyChoice = (typeof RISK_POLICIES)[number];
export const MESSAGE_SENDERS = ['log', 'memory', 'whatsapp'] as const;
export type MessageSenderChoice = (typeof MESSAGE_SENDERS)[number];

const ms = (fallback: number, what: string) =>
  ({
    type: 'integer',
    minimum: 0,
    maximum: 3_600_000,
    default: fallback,
    description: `${what}: whole milliseconds 0–3600000, 0 turns it off`,
  }) as const;

/**
 * The worker's environment, one JSON schema (ajv, strict). Values arrive as strings and are
 * coerced; an empty value counts as unset. `description` is what an error says was expected.
 */
export const WORKER_ENV_SCHEMA = {
  type: 'object',
  properties: {
    KHAACHO_STORE: {
      type: 'string',
      enum: STORES,
      description: 'one of memory, embedded, postgres (default: postgres when DATABASE_URL is set, else embedded)',
    },
    DATABASE_URL: {
      type: 'string',
      format: 'uri',
      pattern: '^postgres(ql)?://',
      description: 'a postgres:// or postgresql:// URL',
    },
    KHAACHO_DATA_DIR: {
      type: 'string',
      minLength: 1,
      default: DEFAULT_DATA_DIR,
      description: 'a folder for embedded PostgreSQL, or memory://',
    },
    KHAACHO_DB_POOL_MAX: {
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      default: 10,
      description: 'a whole number of connections, 1–1000',
    },
    KHAACHO_DB_MIGRATE: {
      type: 'boolean',
      description: 'true or false (default: true embedded, false on a server)',
    },
    KHAACHO_DB_STATEMENT_TIMEOUT_MS: ms(DEFAULT_TIMEOUTS.statementMs, 'statement timeout'),
    KHAACHO_DB_LOCK_TIMEOUT_MS: ms(DEFAULT_TIMEOUTS.lockMs, 'lock timeout'),
    KHAACHO_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: ms(DEFAULT_TIMEOUTS.idleInTransactionMs, 'idle-in-transaction timeout'),
    KHAACHO_DB_CONNECT_TIMEOUT_MS: ms(DEFAULT_TIMEOUTS.connectMs, 'connect timeout'),
    KHAACHO_DB_ACQUIRE_TIMEOUT_MS: ms(DEFAULT_TIMEOUTS.acquireMs, 'pool acquire timeout'),
    KHAACHO_RISK_POLICY: {
      type: 'string',
      enum: RISK_POLICIES,
      default: 'rules',
      description: 'rules (the stored risk rules, or the defaults) or allow-all',
    },
    KHAACHO_MESSAGE_SENDER: {
      type: 'string',
      enum: MESSAGE_SENDERS,
      default: 'log',
      description:
        'log (log each outbound message, phone masked), memory (keep them, for tests) or whatsapp (the Cloud API; needs the WHATSAPP_* variables)',
    },
    // WhatsApp Cloud API (adapters-whatsapp's variables, checked here so every problem is
    // listed at once; the adapter's own check runs after and has the last word).
    WHATSAPP_PHONE_NUMBER_ID: {
      type: 'string',
      pattern: '^[0-9]{1,32}$',
      description: 'the numeric id of the business number (digits, not the phone number)',
    },
    WHATSAPP_ACCESS_TOKEN: { type: 'string', pattern: '^\\S+$', description: 'the Graph API access token (no spaces)' },
    WHATSAPP_APP_SECRET: { type: 'string', pattern: '^\\S+$', description: 'the Meta app secret (no spaces)' },
    WHATSAPP_VERIFY_TOKEN: {
      type: 'string',
      pattern: '^\\S+$',
      description: 'the webhook verify token (no spaces)',
    },
    WHATSAPP_GRAPH_BASE_URL: {
      type: 'string',
      pattern: '^https?://[^\\s/]+/*$',
      description: 'an http(s) origin, e.g. https://graph.facebook.com',
    },
    WHATSAPP_GRAPH_API_VERSION: {
      type: 'string',
      pattern: '^v[0-9]{1,3}\\.[0-9]{1,2}$',
      description: 'a Graph API version like v23.0',
    },
    WHATSAPP_SEND_RATE_PER_SECOND: {
      type: 'integer',
      minimum: 1,
      maximum: 10_000,
      description: 'messages per second from the number, 1–10000',
    },
    WHATSAPP_MAX_RATE_WAIT_MS: {
      type: 'integer',
      minimum: 1,
      maximum: 600_000,
      description: 'whole milliseconds 1–600000 a send may wait for the rate',
    },
    WHATSAPP_TIMEOUT_MS: {
      type: 'integer',
      minimum: 1,
      maximum: 120_000,
      description: 'whole milliseconds 1–120000 for one Graph call',
    },
    // AI parser (adapters-ai's variables); without OPENAI_API_KEY nothing is sent anywhere.
    OPENAI_API_KEY: { type: 'string', pattern: '^\\S+$', description: 'an API key (no spaces)' },
    KHAACHO_AI_BASE_URL: {
      type: 'string',
      pattern: '^https?://[^\\s/]+',
      description: 'an http(s) URL of an OpenAI-compatible endpoint',
    },
    KHAACHO_AI_MODEL: {
      type: 'string',
      pattern: '^[\\w.:/-]{1,100}$',
      description: 'a chat model name supporting structured outputs',
    },
    KHAACHO_AI_TRANSCRIPTION_MODEL: {
      type: 'string',
      pattern: '^[\\w.:/-]{1,100}$',
      description: 'a transcription model name',
    },
    KHAACHO_AI_TIMEOUT_MS: {
      type: 'integer',
      minimum: 1,
      maximum: 120_000,
      description: 'whole milliseconds 1–120000 a parse waits for the provider',
    },
    KHAACHO_AI_TRANSCRIPTION_TIMEOUT_MS: {
      type: 'integer',
      minimum: 1,
      maximum: 300_000,
      description: 'whole milliseconds 1–300000 a transcription waits',
    },
    KHAACHO_AI_BREAKER_ERROR_PERCENT: {
      type: 'integer',
      minimum: 1,
      maximum: 100,
      description: 'the failed share (1–100 %) that opens the breaker',
    },
    KHAACHO_AI_BREAKER_VOLUME: {
      type: 'integer',
      minimum: 1,
      maximum: 10_000,
      description: 'calls (1–10000) in the window before the share counts',
    },
    KHAACHO_AI_BREAKER_RESET_MS: {
      type: 'integer',
      minimum: 1,
      maximum: 3_600_000,
      description: 'whole milliseconds 1–3600000 the breaker stays open',
    },
    KHAACHO_DRAFT_TTL_MS: {
      type: 'integer',
      minimum: MIN_DRAFT_TTL_MS,
      maximum: MAX_DRAFT_TTL_MS,
      default: DEFAULT_DRAFT_TTL_MS,
      description: `how long an order draft can be confirmed: whole milliseconds ${MIN_DRAFT_TTL_MS}–${MAX_DRAFT_TTL_MS}`,
    },
    KHAACHO_OPERATOR_PHONE: {
      type: 'string',
      pattern: '^\\+?[0-9][0-9 -]{6,18}$',
      description: 'a phone number for operator alerts (e.g. 9851000000)',
    },
    LOG_LEVEL: {
      type: 'string',
      enum: LOG_LEVELS,
      default: 'info',
      description: `one of ${LOG_LEVELS.join(', ')}`,
    },
    REDIS_URL: {
      type: 'string',
      format: 'uri',
      // The path selects the database: digits only (ioredis turns `/abc` into `SELECT NaN` and dies).
      pattern: '^rediss?://[^/?#]*(/[0-9]*)?([?#].*)?$',
      description:
        'a redis:// or rediss:// URL whose path, if any, is a database number (e.g. redis://127.0.0.1:6379/0)',
    },
    // Operations (worker-ops): health endpoints, progress lines, recovery sweep thresholds.
    KHAACHO_WORKER_HEALTH_PORT: {
      type: 'integer',
      minimum: 0,
      maximum: 65_535,
      default: 9464,
      description: 'a TCP port 1–65535 for /health and /ready, or 0 to serve none',
    },
    KHAACHO_PROGRESS_INTERVAL_MS: {
      type: 'integer',
      minimum: 0,
      maximum: 3_600_000,
      default: 30_000,
      description: `time between progress log lines: whole milliseconds ${MIN_PROGRESS_INTERVAL_MS}–3600000, 0 turns it off`,
    },
    KHAACHO_INBOX_MAX_ATTEMPTS: {
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 8,
      description: 'claims of one webhook inbox event before it is dead (listed for an operator): a whole number 1–100',
    },
    KHAACHO_INBOX_LEASE_MS: {
      type: 'integer',
      minimum: 1_000,
      maximum: 3_600_000,
      default: 60_000,
      description:
        'how long a claimed webhook inbox event stays with its worker before another may take it: whole milliseconds 1000–3600000',
    },
    KHAACHO_SWEEP_ORDER_IDLE_MS: {
      type: 'integer',
      minimum: 1_000,
      maximum: 86_400_000,
      default: 300_000,
      description:
        'how long a ROUTING order with nothing pending waits before the sweep routes it again: ms 1000–86400000',
    },
    KHAACHO_SWEEP_OUTBOX_LAG_MS: {
      type: 'integer',
      minimum: 1_000,
      maximum: 86_400_000,
      default: 60_000,
      description: 'the age of the oldest unpublished outbox row that makes the sweep warn: ms 1000–86400000',
    },
    KHAACHO_REDIS_PREFIX: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9:_.-]{0,63}$',
      default: DEFAULT_REDIS_PREFIX,
      description: 'a key prefix of letters, digits and : _ . - (at most 64 characters)',
    },
    KHAACHO_REDIS_COMMAND_TIMEOUT_MS: {
      type: 'integer',
      minimum: 1,
      maximum: 60_000,
      default: DEFAULT_COMMAND_TIMEOUT_MS,
      description: 'whole milliseconds 1–60000 a Redis command may take',
    },
    KHAACHO_REMINDER_DAYS: {
      type: 'string',
      default: '-3,0,3,7',
      description:
        "days from an invoice's due date on which a payment reminder goes, separated by commas (negative before it, 0 on it), each -90..365 once, at most 10, e.g. -3,0,3,7",
    },
    KHAACHO_QUEUE_CONCURRENCY: {
      type: 'string',
      pattern: QUEUE_CONCURRENCY_PATTERN,
      description: `QUEUE=N pairs separated by commas (N 1–100), queues among the worker's ${WORKER_QUEUES.join(', ')}, e.g. ORDER_ROUTING=3,NOTIFICATIONS=5`,
    },
    KHAACHO_JOB_TIMEOUT_MS: {
      type: 'integer',
      minimum: 1_000,
      maximum: 3_600_000,
      default: DEFAULT_JOB_TIMEOUT_MS,
      description: 'whole milliseconds 1000–3600000 a job may run before the attempt counts as failed',
    },
  },
} as const;

export type EnvVariable = keyof typeof WORKER_ENV_SCHEMA.properties;

/** Values never echoed in an error message: they may hold a password. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set<EnvVariable>([
  'DATABASE_URL',
  'REDIS_URL',
  'KHAACHO_OPERATOR_PHONE',
  'WHATSAPP_ACCESS_TOKEN',
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_VERIFY_TOKEN',
  'OPENAI_API_KEY',
  'KHAACHO_AI_BASE_URL',
]);

/** The environment after validation, coercion and defaults. */
export interface WorkerEnv {
  readonly KHAACHO_STORE?: Store;
  readonly DATABASE_URL?: string;
  readonly KHAACHO_DATA_DIR: string;
  readonly KHAACHO_DB_POOL_MAX: number;
  readonly KHAACHO_DB_MIGRATE?: boolean;
  readonly KHAACHO_DB_STATEMENT_TIMEOUT_MS: number;
  readonly KHAACHO_DB_LOCK_TIMEOUT_MS: number;
  readonly KHAACHO_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: number;
  readonly KHAACHO_DB_CONNECT_TIMEOUT_MS: number;
  readonly KHAACHO_DB_ACQUIRE_TIMEOUT_MS: number;
  readonly KHAACHO_RISK_POLICY: RiskPolicyChoice;
  readonly KHAACHO_MESSAGE_SENDER: MessageSenderChoice;
  readonly KHAACHO_OPERATOR_PHONE?: string;
  readonly WHATSAPP_PHONE_NUMBER_ID?: string;
  readonly WHATSAPP_ACCESS_TOKEN?: string;
  readonly WHATSAPP_APP_SECRET?: string;
  readonly WHATSAPP_VERIFY_TOKEN?: string;
  readonly WHATSAPP_GRAPH_BASE_URL?: string;
  readonly WHATSAPP_GRAPH_API_VERSION?: string;
  readonly WHATSAPP_SEND_RATE_PER_SECOND?: number;
  readonly WHATSAPP_MAX_RATE_WAIT_MS?: number;
  readonly WHATSAPP_TIMEOUT_MS?: number;
  readonly OPENAI_API_KEY?: string;
  readonly KHAACHO_AI_BASE_URL?: string;
  readonly KHAACHO_AI_MODEL?: string;
  readonly KHAACHO_AI_TRANSCRIPTION_MODEL?: string;
  readonly KHAACHO_AI_TIMEOUT_MS?: number;
  readonly KHAACHO_AI_TRANSCRIPTION_TIMEOUT_MS?: number;
  readonly KHAACHO_AI_BREAKER_ERROR_PERCENT?: number;
  readonly KHAACHO_AI_BREAKER_VOLUME?: number;
  readonly KHAACHO_AI_BREAKER_RESET_MS?: number;
  readonly KHAACHO_DRAFT_TTL_MS: number;
  readonly LOG_LEVEL: (typeof LOG_LEVELS)[number];
  readonly REDIS_URL?: string;
  readonly KHAACHO_WORKER_HEALTH_PORT: number;
  readonly KHAACHO_PROGRESS_INTERVAL_MS: number;
  readonly KHAACHO_INBOX_MAX_ATTEMPTS: number;
  readonly KHAACHO_INBOX_LEASE_MS: number;
  readonly KHAACHO_SWEEP_ORDER_IDLE_MS: number;
  readonly KHAACHO_SWEEP_OUTBOX_LAG_MS: number;
  readonly KHAACHO_REDIS_PREFIX: string;
  readonly KHAACHO_REDIS_COMMAND_TIMEOUT_MS: number;
  readonly KHAACHO_REMINDER_DAYS: string;
  readonly KHAACHO_QUEUE_CONCURRENCY?: string;
  readonly KHAACHO_JOB_TIMEOUT_MS: number;
}

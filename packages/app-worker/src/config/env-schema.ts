import { DEFAULT_DATA_DIR, DEFAULT_TIMEOUTS } from '@khaacho/adapters-postgres';
import { DEFAULT_COMMAND_TIMEOUT_MS, DEFAULT_REDIS_PREFIX } from '@khaacho/adapters-redis';
import { type QueueName, QueueNames } from '@khaacho/core';
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

/** The shortest progress interval: a smaller one would flood the logs. */
export const MIN_PROGRESS_INTERVAL_MS = 1_000;

export const STORES = ['memory', 'embedded', 'postgres'] as const;
export type Store = (typeof STORES)[number];
export const RISK_POLICIES = ['rules', 'allow-all'] as const;
export type RiskPolicyChoice = (typeof RISK_POLICIES)[number];
export const MESSAGE_SENDERS = ['log', 'memory'] as const;
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
      description: 'log (log each outbound message, phone masked) or memory (keep them, for tests)',
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
      pattern: '^rediss?://',
      description: 'a redis:// or rediss:// URL',
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
  readonly LOG_LEVEL: (typeof LOG_LEVELS)[number];
  readonly REDIS_URL?: string;
  readonly KHAACHO_WORKER_HEALTH_PORT: number;
  readonly KHAACHO_PROGRESS_INTERVAL_MS: number;
  readonly KHAACHO_SWEEP_ORDER_IDLE_MS: number;
  readonly KHAACHO_SWEEP_OUTBOX_LAG_MS: number;
  readonly KHAACHO_REDIS_PREFIX: string;
  readonly KHAACHO_REDIS_COMMAND_TIMEOUT_MS: number;
  readonly KHAACHO_QUEUE_CONCURRENCY?: string;
  readonly KHAACHO_JOB_TIMEOUT_MS: number;
}

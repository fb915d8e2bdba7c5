import { DEFAULT_DATA_DIR, DEFAULT_TIMEOUTS } from '@khaacho/adapters-postgres';
import { LOG_LEVELS } from '../logging/pino-logger.js';

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
}

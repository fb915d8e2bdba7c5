// @khaacho/adapters-postgres — PostgreSQL persistence for every core persistence port.
// Only what a program needs to open, migrate and close it: no ORM or driver type is part
// of this API (the package's own CLI, tests and benchmarks reach the rest by path).

export { createPostgresPersistence, type PoolStats, type PostgresPersistence } from './create-postgres-persistence.js';
export {
  type MigrateOptions,
  type MigrationStatus,
  migrateDown,
  migrateUp,
  migrationStatus,
  schemaDrift,
} from './migrations.js';
export {
  DEFAULT_DATA_DIR,
  DEFAULT_DATABASE_URL,
  DEFAULT_TIMEOUTS,
  type PostgresPersistenceConfig,
  type PostgresTimeouts,
  persistenceConfigFromEnv,
} from './postgres-config.js';
export {
  INBOX_CHANNEL,
  OUTBOX_CHANNEL,
  PgOutboxListener,
  type PgOutboxListenerOptions,
  type PgOutboxListenerStatus,
} from './messaging/pg-outbox-listener.js';
export { POSTGRES_PERSISTENCE, type PostgresModuleConfig, postgresModule } from './postgres-module.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
export { runSeed, type SeedReport } from './seed/run-seed.js';
export type { SeedOptions } from './seed/seed-data.js';
export { isRetryable, translatePgError } from './sql/pg-exception-translator.js';

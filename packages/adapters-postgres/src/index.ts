// @khaacho/adapters-postgres — PostgreSQL persistence for every core persistence port.

export {
  createPostgresPersistence,
  type PostgresPersistence,
  systemUuidV7,
} from './create-postgres-persistence.js';
export { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded/embedded-postgres.js';
export { PgIdempotencyStore } from './messaging/pg-idempotency-store.js';
export { PgOutbox, PgOutboxWriter } from './messaging/pg-outbox.js';
export { PgWebhookInbox } from './messaging/pg-webhook-inbox.js';
export {
  type MigrateOptions,
  type MigrationStatus,
  migrateDown,
  migrateUp,
  migrationStatus,
  schemaDrift,
} from './migrations-runner.js';
export { createOrm, MIGRATIONS_DIR } from './orm/create-orm.js';
export { DEFAULT_RETRY_POLICY, PgUnitOfWork, type RetryPolicy } from './pg-unit-of-work.js';
export {
  DEFAULT_DATA_DIR,
  DEFAULT_DATABASE_URL,
  DEFAULT_TIMEOUTS,
  type PostgresPersistenceConfig,
  type PostgresTimeouts,
  persistenceConfigFromEnv,
} from './postgres-config.js';
export { createPgRepositories, type PgRepositories } from './repositories/pg-repositories.js';
export { isRetryable, translatePgError } from './sql/pg-exception-translator.js';
export { ENTITIES, TABLE_NAMES } from './schema/entities.js';

// @khaacho/app-worker/composition — the composition root every Khaacho app shares.
export { provide, resolve } from './bindings.js';
export {
  type AdapterChoices,
  type Composition,
  type CompositionOptions,
  composeContainer,
  type ReadinessCheck,
  type ReadinessProbe,
  type ReadinessReport,
  READINESS,
  STORAGE_READINESS,
} from './compose-container.js';
export {
  IN_MEMORY_PERSISTENCE,
  inMemoryMessageSenderModule,
  inMemoryPersistenceModule,
  inMemoryQueueModule,
  inMemoryRateLimiterModule,
} from './in-memory-module.js';
export { aiParserModules } from './ai-parser-module.js';
export {
  CATALOG_PARSER,
  type CatalogCacheModuleOptions,
  type CatalogParser,
  catalogCacheModule,
} from './catalog-cache-module.js';
export { whatsappSenderModules } from './whatsapp-sender-module.js';
export { loggingModule } from './logging-module.js';
export { processProvidersModule } from './process-providers.js';
export { useCasesModule } from './use-cases-module.js';
export { ConfigError, type ConfigProblem } from '../config/config-error.js';
export {
  MESSAGE_SENDERS,
  type MessageSenderChoice,
  RISK_POLICIES,
  type RiskPolicyChoice,
  STORES,
  type Store,
  WORKER_ENV_SCHEMA,
} from '../config/env-schema.js';
export {
  type CompositionConfig,
  type OpsConfig,
  type WorkerConfig,
  workerConfigFromEnv,
} from '../config/worker-config.js';
export { currentLogContext, type LogContext, withLogContext } from '../logging/log-context.js';
export { LOG_LEVELS, type LogLevel, PinoLogger, type PinoLoggerOptions } from '../logging/pino-logger.js';

// @khaacho/app-worker — the worker process: `startWorker` (outbox relay and consumers) and
// what its callers need. The composition root every app shares is the `./composition` entry.
export {
  type AdapterChoices,
  type Composition,
  ConfigError,
  type ConfigProblem,
  type CompositionConfig,
  type OpsConfig,
  composeContainer,
  currentLogContext,
  type LogContext,
  PinoLogger,
  type WorkerConfig,
  withLogContext,
  workerConfigFromEnv,
} from './composition/index.js';
export {
  type CheckResult,
  DEFAULT_CHECK_TIMEOUT_MS,
  type HealthCheck,
  type HealthServer,
  type HealthServerOptions,
  startHealthServer,
  stateCheck,
} from './health/health-server.js';
export {
  type ProgressLine,
  type ProgressReporter,
  type ProgressReporterOptions,
  startProgressReporter,
} from './progress/progress-reporter.js';
export {
  DEFAULT_SWEEP_THRESHOLDS,
  type RecoverySweepDeps,
  runRecoverySweep,
  type SweepReport,
  type SweepStep,
  type SweepThresholds,
} from './recovery/recovery-sweep.js';
export { recoverySweepDeps, type TokenResolver } from './recovery/sweep-deps.js';
export {
  type EventRoute,
  eventFromJobPayload,
  eventToJobPayload,
  type JobKind,
  routeEvent,
} from './consumers/event-routes.js';
export { createEventConsumer, type EventConsumerDeps } from './consumers/event-consumers.js';
export {
  DEFAULT_REFRESH_COALESCE_MS,
  REFRESH_PRICE_INTELLIGENCE_JOB,
  REFRESH_VENDOR_PERFORMANCE_JOB,
  snapshotRefreshEnqueuer,
  snapshotRefreshHandlers,
  type SnapshotTargets,
  snapshotTargets,
} from './consumers/snapshot-refresh.js';
export { LoggingMessageSender } from './messaging/logging-message-sender.js';
export {
  type AckPoint,
  ackPointFor,
  OutboxRelay,
  type OutboxRelayDeps,
  type OutboxRelayOptions,
  type OutboxRelayStatus,
} from './relay/outbox-relay.js';
export {
  EVENT_QUEUES,
  type QueueStatus,
  type StartWorkerOptions,
  startWorker,
  type WorkerHandle,
  type WorkerStatus,
} from './worker/start-worker.js';
export {
  DEFAULT_INBOX_LEASE_MS,
  DEFAULT_INBOX_MAX_ATTEMPTS,
  InboxProcessor,
  type InboxProcessorDeps,
  type InboxProcessorOptions,
  type InboxProcessorStatus,
  TOKEN_EXPIRED_CODE,
  UNDELIVERABLE_CODE,
} from './inbox/inbox-processor.js';

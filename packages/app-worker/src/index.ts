// @khaacho/app-worker — the worker process. The composition root every app shares is the
// `./composition` entry; the worker loop (consumers, relay, scheduler) comes next.
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

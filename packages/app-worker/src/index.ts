// @khaacho/app-worker — the worker process. The composition root every app shares is the
// `./composition` entry; the worker loop (consumers, relay, scheduler) comes next.
export {
  type AdapterChoices,
  type Composition,
  ConfigError,
  type ConfigProblem,
  type CompositionConfig,
  composeContainer,
  currentLogContext,
  type LogContext,
  PinoLogger,
  type WorkerConfig,
  withLogContext,
  workerConfigFromEnv,
} from './composition/index.js';

// The worker process after its signal handlers are up (see main.ts): config from the
// environment, the container, a readiness check, the worker (relay and consumers), and on
// SIGTERM/SIGINT: stop the worker, close, exit 0.
import { DomainError, ErrorCodes, type JobHandler, LOGGER, PhoneNumber, type QueueName } from '@khaacho/core';
import { type Composition, composeContainer, READINESS } from '../composition/compose-container.js';
import { ConfigError } from '../config/config-error.js';
import { type WorkerConfig, workerConfigFromEnv } from '../config/worker-config.js';
import { type HealthServer, startHealthServer, stateCheck } from '../health/health-server.js';
import { startWorker, type WorkerHandle } from '../worker/start-worker.js';
import { warnUnlessRedisDurable } from './redis-durability.js';
import type { ShutdownSignals, StopSignal } from './shutdown-signals.js';

/** Running jobs get this long to finish on a signal. */
export const STOP_TIMEOUT_MS = 10_000;
/** After the drain, closing (queue, pools, logs) gets this long before a forced exit 1. */
const CLOSE_TIMEOUT_MS = 10_000;

export interface WorkerProcessOptions {
  /** Default `STOP_TIMEOUT_MS`. */
  readonly stopTimeoutMs?: number;
  /** More queue handlers (tests of the process itself: a slow job to drain). */
  readonly handlers?: Partial<Record<QueueName, JobHandler>>;
}

/**
 * Runs the worker until a signal stops it (then the process exits 0, or 1 when closing
 * failed or outlasted its bound). Resolves once the worker runs, with its composition and
 * handle; with null when it will not run (a config error: exit code 78 is set; or a signal
 * that arrived while composing, which closes what was opened).
 */
export async function runWorkerProcess(
  signals: ShutdownSignals,
  options: WorkerProcessOptions = {},
): Promise<{ app: Composition; worker: WorkerHandle } | null> {
  const stopTimeoutMs = options.stopTimeoutMs ?? STOP_TIMEOUT_MS;
  let config: WorkerConfig;
  try {
    config = workerConfigFromEnv(process.env);
  } catch (error) {
    if (!ConfigError.is(error)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 78; // EX_CONFIG: a supervisor should not restart into the same mistake
    // A signal has nothing to drain now; the process ends when the event loop empties.
    signals.listen(() => {});
    return null;
  }

  let app: Composition;
  try {
    app = await composeContainer(config);
  } catch (error) {
    // A database that does not exist is a wrong DATABASE_URL (or a missing provisioning
    // step): restarting will not create it, so it is a config error, not a crash.
    if (!(DomainError.is(error) && error.code === ErrorCodes.DATABASE_MISSING)) throw error;
    process.stderr.write(`invalid configuration (1 problem):\n  DATABASE_URL: ${error.message}\n`);
    process.exitCode = 78;
    signals.listen(() => {});
    return null;
  }
  const logger = app.get(LOGGER);
  let worker: WorkerHandle | null = null;
  let health: HealthServer | null = null;
  let stopping = false;
  const stop = (signal: StopSignal) => {
    stopping = true;
    logger.info('stopping', { signal });
    // A job that ignores the bound must not keep the process up forever.
    setTimeout(() => {
      process.stderr.write('shutdown did not finish in time\n');
      process.exit(1);
    }, stopTimeoutMs + CLOSE_TIMEOUT_MS).unref();
    // The health server goes last, so /ready answers 503 while the worker drains.
    Promise.resolve(worker?.stop())
      .then(() => health?.stop())
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`close failed: ${String(error)}\n`);
          process.exit(1);
        },
      );
  };
  // A signal received while loading or composing is replayed here: close what was opened.
  signals.listen((signal, count) => {
    if (count === 1) stop(signal);
    else logger.warn('already draining; one more signal exits at once', { signal, count, stopTimeoutMs });
  });
  if (stopping) return null;
  try {
    await app.ready();
  } catch (error) {
    // A dependency that answers but refuses what the config asks (Redis without the URL's
    // database) will refuse it again after a restart: a config error naming the variable.
    const variable = DomainError.is(error) && error.details.reason === 'config' ? error.details.variable : undefined;
    if (typeof variable !== 'string') throw error;
    process.stderr.write(`invalid configuration (1 problem):\n  ${variable}: ${(error as Error).message}\n`);
    process.exitCode = 78;
    await app.close();
    return null;
  }
  if (stopping) return null;
  logger.info('composed', { ...app.adapters, logLevel: config.logLevel, risk: config.risk });
  await warnUnlessRedisDurable(app);
  if (config.ops.healthPort !== null) {
    const readiness = app.get(READINESS);
    // Bound before the worker starts: a port already in use stops the process before it takes a job.
    health = await startHealthServer({
      port: config.ops.healthPort,
      logger,
      checks: {
        dependencies: async () => {
          const report = await readiness();
          if (!report.ready) throw new Error(JSON.stringify(report.checks));
        },
        consumers: stateCheck(() => worker?.status().state === 'running', 'the worker is not running'),
      },
    });
    logger.info('health endpoints listening', { port: health.port });
    if (stopping) return null; // the stop above closes it
  }
  worker = startWorker(app, {
    concurrency: config.queues.concurrency,
    stopTimeoutMs,
    operatorPhone: config.operatorPhone === null ? null : PhoneNumber.parse(config.operatorPhone),
    schedule: { sweep: config.ops.sweep, reminderRules: config.ops.reminderRules },
    progressIntervalMs: config.ops.progressIntervalMs,
    inbox: config.ops.inbox,
    ...(options.handlers ? { handlers: options.handlers } : {}),
  });

  // The relay's poll holds the event loop between passes; this keeps the process up regardless.
  setInterval(() => {}, 1 << 30);
  return { app, worker };
}

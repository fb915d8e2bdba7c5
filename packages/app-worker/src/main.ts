#!/usr/bin/env node
// The worker process: config from the environment, the container, a readiness check, the
// worker (relay and consumers), and on SIGTERM/SIGINT: stop the worker, close, exit 0.
import { LOGGER, PhoneNumber } from '@khaacho/core';
import { composeContainer, READINESS } from './composition/compose-container.js';
import { ConfigError } from './config/config-error.js';
import { type WorkerConfig, workerConfigFromEnv } from './config/worker-config.js';
import { type HealthServer, startHealthServer, stateCheck } from './health/health-server.js';
import { startWorker, type WorkerHandle } from './worker/start-worker.js';

/** Running jobs get this long to finish on a signal; closing gets as long again before a forced exit. */
const STOP_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  let config: WorkerConfig;
  try {
    config = workerConfigFromEnv(process.env);
  } catch (error) {
    if (!ConfigError.is(error)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 78; // EX_CONFIG: a supervisor should not restart into the same mistake
    return;
  }
  // Signal handlers first: a SIGTERM that arrives while composing (or right after the
  // "composed" line) must still close what was opened, not kill the process mid-way.
  let stopSignal: NodeJS.Signals | null = null;
  let stopNow: ((signal: NodeJS.Signals) => void) | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    stopSignal ??= signal;
    stopNow?.(signal);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);

  const app = await composeContainer(config);
  const logger = app.get(LOGGER);
  let worker: WorkerHandle | null = null;
  let health: HealthServer | null = null;
  stopNow = (signal) => {
    stopNow = null;
    logger.info('stopping', { signal });
    // A job that ignores the bound must not keep the process up forever.
    setTimeout(() => {
      process.stderr.write('shutdown did not finish in time\n');
      process.exit(1);
    }, 2 * STOP_TIMEOUT_MS).unref();
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
  // A signal during composition: close what was just opened.
  if (stopSignal) return stopNow(stopSignal);
  await app.ready();
  logger.info('composed', { ...app.adapters, logLevel: config.logLevel, risk: config.risk });
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
  }
  worker = startWorker(app, {
    concurrency: config.queues.concurrency,
    stopTimeoutMs: STOP_TIMEOUT_MS,
    operatorPhone: config.operatorPhone === null ? null : PhoneNumber.parse(config.operatorPhone),
    schedule: { sweep: config.ops.sweep },
    progressIntervalMs: config.ops.progressIntervalMs,
  });

  // The relay's poll holds the event loop between passes; this keeps the process up regardless.
  setInterval(() => {}, 1 << 30);
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

#!/usr/bin/env node
// The worker process: config from the environment, the container, a readiness check, and a
// clean close on SIGTERM/SIGINT. The consumers, relay and scheduler will start here.
import { LOGGER } from '@khaacho/core';
import { composeContainer } from './composition/compose-container.js';
import { ConfigError } from './config/config-error.js';
import { type WorkerConfig, workerConfigFromEnv } from './config/worker-config.js';

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
  stopNow = (signal) => {
    stopNow = null;
    logger.info('stopping', { signal });
    app.close().then(
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
  // Nothing else holds the event loop yet (embedded PostgreSQL does): keep the process up until a signal.
  setInterval(() => {}, 1 << 30);
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

#!/usr/bin/env node
// The HTTP process. `main.js` runs the API and the worker in one process (what `npm start`
// runs: embedded PostgreSQL and the in-process queue when nothing is configured);
// `main.js --http-only` runs the API alone, beside any number of separate workers.
import { ConfigError, startWorker, type WorkerHandle } from '@khaacho/app-worker';
import { LOGGER, PhoneNumber } from '@khaacho/core';
import { createHttpApp } from './app.js';
import { composeHttp } from './compose-http.js';
import { type AppConfig, appConfigFromEnv } from './config/http-config.js';
import type { ResolvedSecret } from './config/jwt-secret.js';
import { type DemoLogin, loadDemoData, loadDemoLogins } from './demo-data.js';
import type { HttpServer } from './http/http-server.js';
import { startHttpServer } from './http/http-server.js';
import { AUTHENTICATOR } from './http/principal.js';
import { readinessOf } from './http/readiness.js';
import { type Simulator, startSimulator } from './simulator/simulator-setup.js';

/** Running jobs get this long to finish on a signal. */
const WORKER_STOP_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  const httpOnly = process.argv.includes('--http-only');
  let config: AppConfig;
  try {
    config = appConfigFromEnv(process.env);
  } catch (error) {
    if (!ConfigError.is(error)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 78; // EX_CONFIG: a supervisor should not restart into the same mistake
    return;
  }
  // Handlers first: a Ctrl-C while composing (PGlite takes seconds) still closes what opened.
  // `on`, not `once`: under `npm start` a Ctrl-C arrives twice (from the terminal and
  // forwarded by npm), and a second SIGINT with no listener would kill the shutdown midway.
  let stopSignal: NodeJS.Signals | null = null;
  let stopNow: ((signal: NodeJS.Signals) => void) | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    stopSignal ??= signal;
    stopNow?.(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  // Before composing: the WhatsApp sender is composed pointing at the simulator's Graph stub.
  const simulator = await startSimulator(config, process.env);
  if (simulator) config = simulator.config;
  const { composition, secretSource } = await composeHttp(config);
  // Before the worker: the simulator's speech-to-text, when no real one is configured.
  simulator?.attach(composition);
  const logger = composition.get(LOGGER);
  let worker: WorkerHandle | null = null;
  let server: HttpServer | null = null;
  stopNow = (signal) => {
    stopNow = null;
    logger.info('stopping', { signal });
    const bound = config.http.shutdownTimeoutMs + WORKER_STOP_TIMEOUT_MS;
    setTimeout(() => {
      process.stderr.write('shutdown did not finish in time\n');
      process.exit(1);
    }, 2 * bound).unref();
    // Intake first (no new requests, in-flight ones drain), then the worker, then the pools.
    Promise.resolve(server?.close(config.http.shutdownTimeoutMs))
      .then(() => worker?.stop())
      .then(() => composition.close())
      .then(() => simulator?.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`close failed: ${String(error)}\n`);
          process.exit(1);
        },
      );
  };
  if (stopSignal) return stopNow(stopSignal);
  await composition.ready();
  logger.info('composed', { ...composition.adapters, mode: httpOnly ? 'http' : 'http+worker' });

  let logins: readonly DemoLogin[] = [];
  if (config.http.demoData) {
    const report = await loadDemoData(composition);
    if (report) logger.info('demo data', { created: report.created, alreadyThere: report.skipped });
    logins = await loadDemoLogins(composition, config.worker.postgres.dataDir ?? null);
  }
  if (!httpOnly) {
    worker = startWorker(composition, {
      stopTimeoutMs: WORKER_STOP_TIMEOUT_MS,
      operatorPhone: config.worker.operatorPhone === null ? null : PhoneNumber.parse(config.worker.operatorPhone),
      schedule: { sweep: config.worker.ops.sweep },
      progressIntervalMs: config.worker.ops.progressIntervalMs,
      inbox: config.worker.ops.inbox,
    });
  }
  const running = worker;
  const app = createHttpApp({
    composition,
    authenticator: composition.get(AUTHENTICATOR),
    rateLimits: config.http.rateLimits,
    redisPrefix: config.worker.redis.prefix,
    corsOrigins: config.http.corsOrigins,
    bodyLimitBytes: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    metrics: { token: config.http.metricsToken },
    simulator,
    whatsappWebhook: simulator?.webhook ?? config.http.whatsappWebhook,
    readiness: readinessOf(
      composition,
      running
        ? {
            worker: async () => {
              const status = running.status();
              if (status.state !== 'running') throw new Error(`worker is ${status.state}`);
              if (status.inbox && !status.inbox.running) throw new Error('the webhook inbox processor stopped');
            },
          }
        : {},
    ),
  });
  server = await startHttpServer(app.callback(), { port: config.http.port, host: config.http.host });
  simulator?.listening(server.url);
  logger.info('listening', { url: server.url, routes: app.routes.length, simulator: simulator !== null });
  if (stopSignal) return;
  process.stdout.write(banner(server.url, config, httpOnly, secretSource, logins, simulator));
}

function banner(
  url: string,
  config: AppConfig,
  httpOnly: boolean,
  secretSource: ResolvedSecret['source'],
  logins: readonly DemoLogin[],
  simulator: Simulator | null,
): string {
  const keyNote = {
    environment: 'KHAACHO_JWT_SECRET',
    'data-dir': `generated, kept in ${config.worker.postgres.dataDir}/jwt-secret (sessions survive a restart)`,
    process: 'generated for this process (sessions end with it)',
  }[secretSource];
  const loginLines =
    logins.length === 0
      ? ['  demo logins    none (KHAACHO_DEMO_DATA=false); create the first admin with `npm run create-admin`']
      : [
          `  demo logins    password for all: ${logins[0]?.password}  (POST ${url}/api/v1/auth/login)`,
          '                 ADMIN and OPERATOR also send "totpCode": the 6 digits an authenticator app shows for',
          '                 their TOTP secret (or `oathtool --totp -b <secret>`); a code counts once',
          ...logins.map(
            (l) =>
              `    ${l.role.padEnd(9)}${l.identifier.padEnd(30)}${l.totpSecret ? `TOTP secret ${l.totpSecret}` : l.note}`,
          ),
        ];
  const store =
    config.worker.store === 'embedded'
      ? `embedded PostgreSQL in ${config.worker.postgres.dataDir}`
      : config.worker.store === 'memory'
        ? 'in memory (lost on exit)'
        : 'PostgreSQL (DATABASE_URL)';
  return [
    '',
    `Khaacho is running at ${url}`,
    `  API reference  ${url}/docs`,
    `  OpenAPI        ${url}/api/v1/openapi.json`,
    `  readiness      ${url}/ready`,
    ...(simulator
      ? [
          `  chat simulator ${url}/simulator  (WhatsApp as a shop and a vendor; Graph API stub at ${simulator.graphBaseUrl})`,
        ]
      : []),
    `  storage        ${store}; queue ${config.worker.redisUrl ? 'Redis' : 'in process'}${httpOnly ? '' : '; worker in this process'}`,
    `  token key      ${keyNote}`,
    ...loginLines,
    'Ctrl-C stops it; the data stays for the next start.',
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`khaacho failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

/*
 * The webhook under test, in its own process: the built app (`dist/`, plain node) on the
 * PostgreSQL composition with `/webhooks/whatsapp` mounted, default log level (lines to
 * /dev/null). Reports its URL over IPC and stops on 'stop'. The rate limits (the shared one
 * and the signed deliveries' bucket) are set out of reach: they are not what is measured. 'profile-start' / 'profile-stop' bracket a CPU profile (of the
 * measured run only, `--profile`); the answer to the stop is the file's path.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeContainer } from '@khaacho/app-worker';
import { appConfigFromEnv, createHttpApp, readinessOf, startHttpServer } from '../dist/index.js';

const SECRET = process.env.BENCH_WEBHOOK_SECRET ?? '';
const config = appConfigFromEnv({ KHAACHO_JWT_SECRET: 'bench-secret-bench-secret-bench-secret!', ...process.env });
const composition = await composeContainer(config.worker);
await composition.ready();
const unreached = { points: 100_000_000, durationMs: 60_000 };
// For experiments: BENCH_WEBHOOK_COALESCE=off (one write per delivery) or =N (N writes in flight).
const coalesceEnv = process.env.BENCH_WEBHOOK_COALESCE?.trim();
const coalesce = coalesceEnv === 'off' ? false : coalesceEnv ? { maxInFlight: Number(coalesceEnv) } : undefined;
const app = createHttpApp({
  composition,
  authenticator: {
    authenticate: async () => {
      throw new Error('no API route is called in this bench');
    },
  },
  readiness: readinessOf(composition, {}),
  rateLimits: { api: unreached, auth: unreached, admin: unreached, webhook: unreached },
  whatsappWebhook: {
    appSecret: SECRET,
    verifyToken: 'bench-verify',
    signedRateLimit: unreached,
    ...(coalesce === undefined ? {} : { coalesce }),
  },
});
const server = await startHttpServer(app.callback(), { port: 0, host: '127.0.0.1' });
process.send?.({ url: server.url, pid: process.pid });
let profiler: Session | null = null;
process.on('message', async (message) => {
  if (message === 'profile-start') {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.setSamplingInterval', { interval: 500 });
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
    process.send?.({ profiling: true });
    return;
  }
  if (message === 'profile-stop' && profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    profiler.disconnect();
    profiler = null;
    const file = join(tmpdir(), `webhook-${process.pid}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    process.send?.({ profile: file });
    return;
  }
  if (message !== 'stop') return;
  await server.close(5_000);
  await composition.close();
  process.exit(0);
});

/*
 * Jobs/s through BeeJobQueue (trivial job, concurrency 50, the consuming worker in its
 * own child process) next to bare bee-queue 2.0.0 on ioredis doing the same, in the same
 * run, printed as a ratio (target ≥ 0.8×). The backlog is loaded first, then the child
 * processes it and reports how many jobs it finished in the measured window.
 * Uses REDIS_URL (default redis://127.0.0.1:6379) under a throwaway key prefix.
 *   npm run bench -w @khaacho/adapters-redis [-- --seconds 4]
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import BeeQueue from 'bee-queue';
import { Redis } from 'ioredis';
import { BeeJobQueue } from '../src/bee-job-queue.js';
import { connected, deleteKeys, redisUrl, uniquePrefix } from '../src/testing/test-redis.js';

type Mode = 'bee-job-queue' | 'bare-bee-queue';
const QUEUE = 'NOTIFICATIONS';
const CONCURRENCY = 50;

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '4' },
    worker: { type: 'string' },
    prefix: { type: 'string' },
    total: { type: 'string' },
  },
});
const SECONDS = Number(values.seconds);
if (!(SECONDS > 0)) throw new Error('--seconds must be > 0');

/** Bare bee-queue on its own ioredis client (the same client library as the adapter). */
function bareClient(): Redis {
  const client = new Redis(redisUrl());
  // Same constructor fix as RedisConnection: bee-queue 2 recognises ioredis by constructor.name.
  Object.defineProperty(client, 'constructor', { value: Redis, configurable: true });
  return client;
}

const beeSettings = (prefix: string, client: Redis) => ({
  prefix,
  redis: client as never,
  getEvents: false,
  sendEvents: false,
  storeJobs: false,
  removeOnSuccess: false,
  activateDelayedJobs: true,
});

/** The child: consume `total` jobs at concurrency 50, report {done, ms} for the measured window. */
async function worker(mode: Mode, prefix: string, total: number): Promise<void> {
  let done = 0;
  let t0 = 0;
  let finished: () => void = () => {};
  const allDone = new Promise<void>((r) => {
    finished = r;
  });
  const handle = async () => {
    if (done === 0) t0 = performance.now();
    done += 1;
    if (done === total) finished();
  };
  const window = allDone.then(() => 'drained' as const);
  let stop: () => Promise<void>;
  if (mode === 'bee-job-queue') {
    const connection = await connected();
    const queue = new BeeJobQueue({ connection, prefix });
    queue.process(QUEUE, handle, { concurrency: CONCURRENCY });
    stop = async () => {
      await queue.close();
      await connection.close();
    };
  } else {
    const client = bareClient();
    const bee = new BeeQueue(QUEUE, { ...beeSettings(prefix, client), isWorker: true });
    bee.on('error', () => {}); // bee-queue emits 'closed' while it shuts down
    bee.process(CONCURRENCY, handle);
    stop = async () => {
      await bee.close(1_000).catch(() => {});
      client.disconnect();
    };
  }
  // The window opens at the first job, so connection setup is not counted.
  while (done === 0) await new Promise((r) => setTimeout(r, 1));
  const ended = await Promise.race([window, new Promise((r) => setTimeout(() => r('time'), SECONDS * 1_000))]);
  const ms = performance.now() - t0;
  const count = done;
  process.stdout.write(`${JSON.stringify({ done: count, ms, ended })}\n`);
  await stop();
}

async function load(mode: Mode, prefix: string, total: number): Promise<void> {
  if (mode === 'bee-job-queue') {
    const connection = await connected();
    const queue = new BeeJobQueue({ connection, prefix });
    for (let i = 0; i < total; i += 500) {
      await Promise.all(
        Array.from({ length: Math.min(500, total - i) }, (_, k) =>
          queue.enqueue({ queue: QUEUE, name: 'noop', jobId: `j${i + k}`, payload: { n: i + k } }),
        ),
      );
    }
    await queue.close();
    await connection.close();
  } else {
    const client = bareClient();
    const bee = new BeeQueue(QUEUE, { ...beeSettings(prefix, client), isWorker: false });
    // saveAll needs node_redis' batch(); ioredis has none, so save in parallel chunks like the adapter.
    for (let i = 0; i < total; i += 500) {
      await Promise.all(
        Array.from({ length: Math.min(500, total - i) }, (_, k) =>
          bee
            .createJob({ name: 'noop', payload: { n: i + k } })
            .setId(`j${i + k}`)
            .retries(4)
            .backoff('exponential', 1_000)
            .save(),
        ),
      );
    }
    await bee.close(1_000);
    client.disconnect();
  }
}

async function round(mode: Mode): Promise<number> {
  const prefix = uniquePrefix(`bench-${mode}`);
  // Enough backlog that the worker does not run dry within the window at ~25k jobs/s.
  const total = Math.max(5_000, Math.ceil(SECONDS * 25_000));
  const admin = await connected();
  try {
    await load(mode, prefix, total);
    const child = spawn(
      process.execPath,
      [
        ...process.execArgv,
        fileURLToPath(import.meta.url),
        '--worker',
        mode,
        '--prefix',
        prefix,
        '--total',
        String(total),
        '--seconds',
        String(SECONDS),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`${mode} worker exited with ${code}`);
    const { done, ms } = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { done: number; ms: number };
    return (done / ms) * 1_000;
  } finally {
    await deleteKeys(admin, prefix);
    await admin.close();
  }
}

if (values.worker) {
  await worker(values.worker as Mode, values.prefix ?? '', Number(values.total));
} else {
  // Alternate the two, twice, so drift on a shared machine hits both alike.
  const rates: Record<Mode, number[]> = { 'bare-bee-queue': [], 'bee-job-queue': [] };
  for (let i = 0; i < 2; i++) {
    for (const mode of ['bare-bee-queue', 'bee-job-queue'] as const) rates[mode].push(await round(mode));
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const bare = mean(rates['bare-bee-queue']);
  const ours = mean(rates['bee-job-queue']);
  console.log(
    `job throughput, trivial job, concurrency ${CONCURRENCY}, worker in a child process, ${SECONDS} s per round, 2 rounds`,
  );
  console.log(`  bare bee-queue 2.0.0 (ioredis)  ${bare.toFixed(0).padStart(7)} jobs/s`);
  console.log(`  BeeJobQueue                     ${ours.toFixed(0).padStart(7)} jobs/s`);
  console.log(`  ratio                           ${(ours / bare).toFixed(2)}× (target ≥ 0.8×)`);
}

/*
 * Issue 11's API benchmarks, from one run, on the machine's PostgreSQL (its own database,
 * created, migrated and dropped). Three processes besides this one: the API (`api-server.ts`:
 * the built app with the auth module, real JWTs), the baseline (`raw-server.ts`: bare Koa
 * routes issuing the same SQL on a bare pg pool) and the load generator (`load.ts`:
 * autocannon), one target at a time:
 *  1. durable intake: authenticated `POST /api/v1/orders`, 4 lines, a unique Idempotency-Key
 *     per request, 50 connections; vs the baseline: throughput ratio ≥ 0.6×, p99 ratio ≤ 2×;
 *  2. read: `GET /api/v1/orders?limit=20` as a retailer with orders (those of step 1), 200
 *     connections; vs the baseline: p99 < 50 ms, and the ratio;
 *  3. the API process's peak RSS (VmHWM of /proc/<pid>/status) after the intake load: ≤ 250 MB.
 * A missed target is printed, not failed.
 *   npm run bench -w @khaacho/app-http [-- --seconds 10] [-- --profile]
 * `--profile` records a CPU profile of the API over the measured intake run only (the inspector's
 * Profiler, started and stopped around it) and prints its path; `bench/cpu-profile-summary.ts`
 * sums it by package and area.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { BenchWorld, LoadResult, LoadSpec, ServerReady, ServerWindow } from './protocol.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, profile: { type: 'boolean', default: false } },
});
const SECONDS = Number(values.seconds);
if (!(SECONDS > 0)) throw new Error('--seconds must be > 0');
// Warm both servers (JIT, pools, caches) before measuring; a smoke run skips it.
const WARMUP_SECONDS = SECONDS >= 5 ? 2 : 0;
const SERVER = process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

const dbName = `khaacho_http_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
const dbUrl = new URL(SERVER);
dbUrl.pathname = `/${dbName}`;
await admin(`create database "${dbName}"`);
const children: ChildProcess[] = [];
try {
  const profileDir = values.profile ? await mkdtemp(join(tmpdir(), 'khaacho-http-prof-')) : null;
  // Risk allow-all: thousands of orders a minute from 50 shops would trip the stored velocity
  // rules and hold orders for review, which measures the risk policy (and other SQL), not intake.
  const api = await server(
    'api-server.ts',
    {
      DATABASE_URL: dbUrl.toString(),
      KHAACHO_DB_MIGRATE: 'true',
      KHAACHO_RISK_POLICY: 'allow-all',
      // For experiments on the pool's size; the baseline's pool follows it.
      ...(process.env.KHAACHO_DB_POOL_MAX ? { KHAACHO_DB_POOL_MAX: process.env.KHAACHO_DB_POOL_MAX } : {}),
      ...(profileDir ? { BENCH_PROFILE_DIR: profileDir } : {}),
    },
    // For experiments, e.g. BENCH_API_NODE_FLAGS='--max-semi-space-size=16'.
    (process.env.BENCH_API_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
  );
  const raw = await server('raw-server.ts', {
    DATABASE_URL: dbUrl.toString(),
    ...(process.env.KHAACHO_DB_POOL_MAX ? { KHAACHO_DB_POOL_MAX: process.env.KHAACHO_DB_POOL_MAX } : {}),
  });
  const world = api.ready.world as BenchWorld;
  console.log(
    `api pid ${api.ready.pid}, baseline pid ${raw.ready.pid}; ${world.shops.length} shops, ${SECONDS} s per run`,
  );

  // Before any load: what composing, migrating and seeding cost, apart from serving.
  const idleRss = await rssMb(api.ready.pid);
  const idleHeap = JSON.parse(await api.ask('memory')) as HeapReport;
  const profiles: string[] = [];
  const measure = async (kind: LoadSpec['kind'], url: string, connections: number) => {
    if (WARMUP_SECONDS > 0) await load({ kind, url, connections, seconds: WARMUP_SECONDS, world });
    const target = kind.endsWith('api') ? api : raw;
    const profiled = profileDir !== null && target === api;
    if (profiled) await api.ask('profile-start');
    const pid = target.ready.pid;
    let cpu0 = 0;
    let queued0 = 0;
    let started = 0;
    const measured = await load({ kind, url, connections, seconds: SECONDS, world }, async () => {
      cpu0 = await cpuSeconds(pid);
      queued0 = await runQueueSeconds(pid);
      await target.ask('window-start');
      started = performance.now();
    });
    const window = JSON.parse(await target.ask('window-stop')) as ServerWindow;
    const wall = (performance.now() - started) / 1_000;
    // The server's CPU per answered request: what the ratio of throughputs becomes on a
    // machine whose cores are not shared with PostgreSQL, the load generator and others.
    const cpuMs = (((await cpuSeconds(pid)) - cpu0) * 1_000) / Math.max(1, measured.rps * SECONDS);
    // Seconds the main (JS) thread was runnable but waited for a core, per second of the run.
    const queuedShare = ((await runQueueSeconds(pid)) - queued0) / wall;
    const result = { ...measured, cpuMs, queuedShare };
    if (profiled) profiles.push(`${kind}: ${await api.ask('profile-stop')}`);
    console.log(
      `  ${kind.padEnd(10)} ${connections} conns: ${result.rps.toFixed(0)} req/s, ${result.cpuMs.toFixed(1)} ms CPU/request, p50 ${result.p50} ms, p99 ${result.p99} ms, max ${result.max} ms; statuses ${JSON.stringify(result.statuses)}${result.errors + result.timeouts > 0 ? `, ${result.errors} errors, ${result.timeouts} timeouts` : ''}`,
    );
    // Little's law on a closed loop: every connection always has one request out, so the mean
    // time in the system is connections / throughput; the pool's share of it is its own
    // Little's law (mean queued or checked out / throughput).
    const perRequest = (n: number) => (1_000 * n) / Math.max(1, result.rps);
    console.log(
      `${' '.repeat(14)}Little: ${connections} / ${result.rps.toFixed(0)} req/s = ${perRequest(connections).toFixed(0)} ms in the system; pool (max ${window.pool.max}): ${window.pool.meanInUse.toFixed(1)} in use → ${perRequest(window.pool.meanInUse).toFixed(0)} ms on a connection, ${window.pool.meanWaiting.toFixed(1)} queued (max ${window.pool.maxWaiting}) → ${perRequest(window.pool.meanWaiting).toFixed(0)} ms waiting for one`,
    );
    console.log(
      `${' '.repeat(14)}event loop: busy ${(window.loopUtilisation * 100).toFixed(0)} % of the run, delay p50 ${window.loopDelayMs.p50} / p99 ${window.loopDelayMs.p99} / max ${window.loopDelayMs.max} ms; its thread waited for a core ${(queuedShare * 100).toFixed(0)} % of the run (${((queuedShare * 1_000) / Math.max(1, result.rps / 1)).toFixed(2)} ms per request)`,
    );
    return result;
  };
  // The baseline first: the API then runs on the larger tables, which only disadvantages it.
  const intakeRaw = await measure('intake-raw', raw.ready.url, 50);
  const intakeApi = await measure('intake-api', api.ready.url, 50);
  const memory = await rssMb(api.ready.pid);
  const heap = JSON.parse(await api.ask('memory')) as HeapReport;
  const readRaw = await measure('read-raw', raw.ready.url, 200);
  const readApi = await measure('read-api', api.ready.url, 200);
  const after = await rssMb(api.ready.pid);

  await Promise.all([api.stop(), raw.stop()]);
  const throughput = intakeApi.rps / intakeRaw.rps;
  const p99Ratio = intakeApi.p99 / intakeRaw.p99;
  const readRatio = readApi.p99 / readRaw.p99;
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const x = (n: number) => `${n.toFixed(2)}×`;
  console.log('');
  console.log(`app-http benchmarks (issue 11), one run of ${SECONDS} s each, ${new Date().toISOString().slice(0, 10)}`);
  const row = (label: string, figure: string, target: string) =>
    console.log(`  ${label.padEnd(58)}${figure.padEnd(18)}${target}`);
  row('measure', 'figure', 'target');
  row(
    `intake throughput, API / bare pg (${intakeApi.rps.toFixed(0)} / ${intakeRaw.rps.toFixed(0)} orders/s)`,
    x(throughput),
    `≥ 0.6× ${verdict(throughput >= 0.6)}`,
  );
  row(
    `intake p99, API / bare pg (${intakeApi.p99} / ${intakeRaw.p99} ms)`,
    x(p99Ratio),
    `≤ 2× ${verdict(p99Ratio <= 2)}`,
  );
  row('read p99, API (GET /orders?limit=20, 200 conns)', `${readApi.p99} ms`, `< 50 ms ${verdict(readApi.p99 < 50)}`);
  row(
    `read p99, API / bare pg (${readApi.p99} / ${readRaw.p99} ms; ${readApi.rps.toFixed(0)} / ${readRaw.rps.toFixed(0)} req/s)`,
    x(readRatio),
    'report',
  );
  row(
    `server CPU per order, API / bare pg (${intakeApi.cpuMs.toFixed(1)} / ${intakeRaw.cpuMs.toFixed(1)} ms)`,
    x(intakeApi.cpuMs / intakeRaw.cpuMs),
    'report',
  );
  row(
    `server CPU per read, API / bare pg (${readApi.cpuMs.toFixed(1)} / ${readRaw.cpuMs.toFixed(1)} ms)`,
    x(readApi.cpuMs / readRaw.cpuMs),
    'report',
  );
  row(
    'API peak RSS (VmHWM) after the intake load',
    `${memory.peak.toFixed(0)} MB`,
    `≤ 250 MB ${verdict(memory.peak <= 250)}`,
  );
  const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;
  console.log(
    `    (idle, before any load: RSS ${idleRss.current.toFixed(0)} MB (peak ${idleRss.peak.toFixed(0)}), V8 heap ${mb(idleHeap.heapUsed)} used of ${mb(idleHeap.heapTotal)}${idleHeap.heapAfterGc === null ? '' : `, after a full GC ${mb(idleHeap.heapAfterGc)}`}; young generation ${mb(idleHeap.spaces.new_space ?? 0)}, old ${mb(idleHeap.spaces.old_space ?? 0)}, code ${mb(idleHeap.spaces.code_space ?? 0)})`,
  );
  console.log(
    `    (after the intake: RSS ${memory.current.toFixed(0)} MB, V8 heap ${mb(heap.heapUsed)} used of ${mb(heap.heapTotal)}, external ${mb(heap.external)}, array buffers ${mb(heap.arrayBuffers)}${heap.heapAfterGc === null ? '' : `, heap after a full GC ${mb(heap.heapAfterGc)}`}; young generation ${mb(heap.spaces.new_space ?? 0)}, old ${mb(heap.spaces.old_space ?? 0)}, code ${mb(heap.spaces.code_space ?? 0)}; after the reads too: peak ${after.peak.toFixed(0)} MB)`,
  );
  const failed = [intakeApi, intakeRaw, readApi, readRaw].some((r) => r.errors + r.timeouts + r.non2xx > 0);
  if (failed) console.log('  NOTE: some requests failed (see the statuses above): the figures are not comparable');
  for (const profile of profiles) {
    console.log(`  CPU profile of the API over the measured ${profile}`);
    console.log(`    summary: node bench/cpu-profile-summary.ts ${profile.slice(profile.indexOf(': ') + 2)}`);
  }
} finally {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await admin(`drop database if exists "${dbName}" with (force)`);
}

/** The API's 'memory' answer: process.memoryUsage(), the heap after a full GC (with --expose-gc), V8's spaces. */
type HeapReport = NodeJS.MemoryUsage & { heapAfterGc: number | null; spaces: Record<string, number> };

interface Server {
  readonly ready: ServerReady;
  /** Sends a command, resolves with the child's reply. */
  ask(command: string): Promise<string>;
  stop(): Promise<void>;
}

/** Forks a server file with plain node (type stripping only), waits for its IPC "listening". */
async function server(file: string, env: Record<string, string>, execArgv: string[] = []): Promise<Server> {
  const proc = fork(here(file), [], {
    execArgv,
    env: { PATH: process.env.PATH ?? '', ...env },
    // Its log lines are made (default level) and thrown away; stderr stays visible.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(proc);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
  const ready = await Promise.race([
    new Promise<ServerReady>((resolve) => proc.once('message', (m) => resolve(m as ServerReady))),
    exited.then((code) => {
      throw new Error(`${file} exited with ${code} before listening`);
    }),
  ]);
  return {
    ready,
    ask: (command) =>
      new Promise((resolve) => {
        proc.once('message', (m) => resolve(String(m)));
        proc.send(command);
      }),
    stop: async () => {
      proc.send('stop');
      const code = await exited;
      if (code !== 0) throw new Error(`${file} exited with ${code}`);
    },
  };
}

/** One autocannon run in the load child; `before` runs once the child is loaded, just before the run. */
async function load(spec: LoadSpec, before?: () => Promise<void>): Promise<LoadResult> {
  const proc = fork(here('load.ts'), [], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(proc);
  const exited = new Promise<never>((_, reject) => {
    proc.once('exit', (code) => reject(new Error(`the load generator exited with ${code}`)));
  });
  // Its normal exit after answering rejects `exited` too, which nothing awaits any more.
  exited.catch(() => {});
  const message = () => new Promise<unknown>((resolve) => proc.once('message', resolve));
  await Promise.race([message(), exited]);
  await before?.();
  const result = Promise.race([message() as Promise<LoadResult>, exited]);
  proc.send(spec);
  return result;
}

/** User + system CPU seconds a live process has used (/proc/<pid>/stat, in clock ticks of 1/100 s). */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Seconds a live process's main thread spent runnable but waiting for a core (/proc/<pid>/schedstat, ns). */
async function runQueueSeconds(pid: number): Promise<number> {
  const [, waited] = (await readFile(`/proc/${pid}/schedstat`, 'utf8')).trim().split(' ');
  return Number(waited) / 1e9;
}

/** Resident set now and at its peak (VmHWM), in MB, of a live process. */
async function rssMb(pid: number): Promise<{ current: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { current: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

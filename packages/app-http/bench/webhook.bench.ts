/*
 * Issue 13's webhook benchmark (its table's first row), from one run, on the machine's
 * PostgreSQL (a database of its own, created, migrated and dropped). Three processes besides
 * this one: the app (`webhook-server.ts`: the built app, `/webhooks/whatsapp` mounted), the
 * baseline (`webhook-raw-server.ts`: a bare Koa route doing one INSERT on raw pg) and the load
 * generator (`webhook-load.ts`: autocannon), one target at a time, 50 connections (`--connections`):
 *   signed webhook intake → signature checked on the raw bytes, parsed, stored in the inbox, 200;
 *   vs the baseline: throughput ratio ≥ 0.6×;
 * and, reported, a large delivery (a message and 20 status callbacks, 21 events stored)
 * against the same baseline storing its body in one row.
 * It then checks that every answered delivery is in the inbox (the 200 means stored).
 * Beside req/s it prints each server process's CPU per request (from /proc): the ratio of
 * those moves much less with the machine's load than the throughput ratio does.
 * A missed target is printed, not failed.
 *   node bench/webhook.bench.ts [--seconds 10] [--connections 50] [--profile]
 * BENCH_WEBHOOK_COALESCE=off|N: the app without the group commit of inbox writes, or with N
 * writes in flight (default 2), to see what it pays at a given concurrency.
 * `--profile`: a CPU profile of the app over the measured one-event run only; its path is
 * printed (read it with cpu-profile-summary.ts).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';

interface Ready {
  readonly url: string;
  readonly pid: number;
}
interface LoadResult {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
  readonly statuses: Record<string, number>;
}

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    profile: { type: 'boolean', default: false },
  },
});
const SECONDS = Number(values.seconds);
if (!(SECONDS > 0)) throw new Error('--seconds must be > 0');
const WARMUP_SECONDS = SECONDS >= 5 ? 2 : 0;
const CONNECTIONS = Number(values.connections);
if (!(Number.isSafeInteger(CONNECTIONS) && CONNECTIONS > 0))
  throw new Error('--connections must be a whole number > 0');
const LARGE_STATUSES = 20;
const SERVER = process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';
const SECRET = randomBytes(16).toString('hex');
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

const dbName = `khaacho_webhook_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
const dbUrl = new URL(SERVER);
dbUrl.pathname = `/${dbName}`;
await admin(SERVER, `create database "${dbName}"`);
const children: ChildProcess[] = [];
try {
  const app = await server(
    'webhook-server.ts',
    {
      DATABASE_URL: dbUrl.toString(),
      KHAACHO_DB_MIGRATE: 'true',
      BENCH_WEBHOOK_SECRET: SECRET,
      ...(process.env.BENCH_WEBHOOK_COALESCE ? { BENCH_WEBHOOK_COALESCE: process.env.BENCH_WEBHOOK_COALESCE } : {}),
    },
    // For experiments, e.g. BENCH_WEBHOOK_NODE_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/prof'.
    (process.env.BENCH_WEBHOOK_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
  );
  const raw = await server('webhook-raw-server.ts', { DATABASE_URL: dbUrl.toString() });
  console.log(
    `webhook pid ${app.ready.pid}, baseline pid ${raw.ready.pid}; ${SECONDS} s per run, ${CONNECTIONS} connections`,
  );
  const measure = async (
    label: string,
    url: string,
    path: string,
    pid: number,
    statuses = 0,
    profiled: { ask(message: string): Promise<Record<string, unknown>> } | null = null,
  ) => {
    if (WARMUP_SECONDS > 0)
      await load({ url, path, connections: CONNECTIONS, seconds: WARMUP_SECONDS, secret: SECRET, statuses });
    if (profiled) await profiled.ask('profile-start');
    const cpuBefore = await cpuMsOf(pid);
    const r = await load({ url, path, connections: CONNECTIONS, seconds: SECONDS, secret: SECRET, statuses });
    if (profiled)
      console.log(`  CPU profile of the app over this run: ${(await profiled.ask('profile-stop')).profile}`);
    const requests = Object.values(r.statuses).reduce((a, b) => a + b, 0);
    // The server process's own CPU per request: steadier than req/s on a shared machine.
    const cpuMsPerRequest = ((await cpuMsOf(pid)) - cpuBefore) / Math.max(1, requests);
    console.log(
      `  ${label.padEnd(9)} ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, server CPU ${(cpuMsPerRequest * 1000).toFixed(0)} µs/req; statuses ${JSON.stringify(r.statuses)}`,
    );
    return { ...r, cpuMsPerRequest };
  };
  // The baseline first: the inbox then runs on the fuller database, which only disadvantages it.
  const bare = await measure('bare', raw.ready.url, '/webhook', raw.ready.pid);
  const intake = await measure(
    'webhook',
    app.ready.url,
    '/webhooks/whatsapp',
    app.ready.pid,
    0,
    values.profile ? app : null,
  );
  const [stored] = await admin(dbUrl.toString(), 'select count(*)::int as n from webhook_inbox');
  const bareLarge = await measure('bare 21', raw.ready.url, '/webhook', raw.ready.pid, LARGE_STATUSES);
  const large = await measure('webhook 21', app.ready.url, '/webhooks/whatsapp', app.ready.pid, LARGE_STATUSES);
  await Promise.all([app.stop(), raw.stop()]);

  const answered = Object.entries(intake.statuses)
    .filter(([code]) => code === '200')
    .reduce((sum, [, n]) => sum + n, 0);
  const ratio = intake.rps / bare.rps;
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log('');
  console.log(
    `app-http webhook benchmark (issue 13), one run of ${SECONDS} s, ${new Date().toISOString().slice(0, 10)}`,
  );
  const row = (label: string, figure: string, target: string) =>
    console.log(`  ${label.padEnd(96)}${figure.padEnd(12)}${target}`);
  row('measure', 'figure', 'target');
  row(
    `signed webhook intake stored in the inbox, 200 / bare Koa + one INSERT (${intake.rps.toFixed(0)} / ${bare.rps.toFixed(0)} req/s)`,
    `${ratio.toFixed(2)}×`,
    `≥ 0.6× ${verdict(ratio >= 0.6)}`,
  );
  row(
    `server CPU per request, bare / webhook (${(bare.cpuMsPerRequest * 1000).toFixed(0)} / ${(intake.cpuMsPerRequest * 1000).toFixed(0)} µs): the ratio the machine's noise moves least`,
    `${(bare.cpuMsPerRequest / Math.max(1e-9, intake.cpuMsPerRequest)).toFixed(2)}×`,
    'report',
  );
  row(
    `webhook p99 / bare p99 (${intake.p99} / ${bare.p99} ms)`,
    `${(intake.p99 / Math.max(1, bare.p99)).toFixed(2)}×`,
    'report',
  );
  row(
    `a delivery of 21 events (1 message + ${LARGE_STATUSES} statuses) stored / bare storing it in one row (${large.rps.toFixed(0)} / ${bareLarge.rps.toFixed(0)} req/s)`,
    `${(large.rps / bareLarge.rps).toFixed(2)}×`,
    'report',
  );
  const count = (stored as { n: number } | undefined)?.n ?? 0;
  // Warm-up deliveries are stored too: at least every answered one of the measured run must be.
  row(
    `inbox rows / deliveries answered 200 in the measured run (${count} / ${answered})`,
    count >= answered ? 'all stored' : 'LOST',
    'all stored',
  );
  if (intake.failed + bare.failed + large.failed + bareLarge.failed > 0)
    console.log('  NOTE: some requests failed (see the statuses above): the figures are not comparable');
  if (count < answered) process.exitCode = 1;
} finally {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await admin(SERVER, `drop database if exists "${dbName}" with (force)`);
}

/** A process's CPU time so far (user + system, Linux /proc; 0 elsewhere). */
async function cpuMsOf(pid: number): Promise<number> {
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime in USER_HZ (100)
  } catch {
    return 0;
  }
}

async function admin(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

async function server(file: string, env: Record<string, string>, execArgv: string[] = []) {
  const proc = fork(here(file), [], {
    execArgv,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(proc);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
  const ready = await Promise.race([
    new Promise<Ready>((resolve) => proc.once('message', (m) => resolve(m as Ready))),
    exited.then((code) => {
      throw new Error(`${file} exited with ${code} before listening`);
    }),
  ]);
  return {
    ready,
    ask: (message: string) =>
      new Promise<Record<string, unknown>>((resolve) => {
        proc.once('message', (m) => resolve(m as Record<string, unknown>));
        proc.send(message);
      }),
    stop: async () => {
      proc.send('stop');
      const code = await exited;
      if (code !== 0) throw new Error(`${file} exited with ${code}`);
    },
  };
}

async function load(spec: {
  url: string;
  path: string;
  connections: number;
  seconds: number;
  secret: string;
  statuses: number;
}) {
  const proc = fork(here('webhook-load.ts'), [], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(proc);
  const result = new Promise<LoadResult>((resolve, reject) => {
    proc.once('message', (m) => resolve(m as LoadResult));
    proc.once('exit', (code) => reject(new Error(`the load generator exited with ${code}`)));
  });
  proc.send(spec);
  return result;
}

/*
 * Issue 10's worker measures, from one run, on the machine's PostgreSQL and Redis:
 *  1. outbox events relayed per second by 2 relays (2 child processes, each an OutboxRelay on
 *     its own composition) draining one pre-filled PostgreSQL outbox into Redis (BeeJobQueue);
 *  2. order placed → vendor offer sent, p50/p99 lag, with this process placing orders through
 *     `PlaceOrder` at a fixed rate (50/s, open loop) and the worker in its own process
 *     (the built `dist/main.js` on PostgreSQL + Redis, default settings). "Placed" is the moment
 *     `PlaceOrder` returned here (its transaction committed: the relay can see the event);
 *     "sent" is the `time` of the worker's `message sent (logged, not delivered)` line for
 *     that order's offer (joined to the order by its job id). Same machine, same clock;
 *  3. the worker process's peak RSS under that load (`VmHWM` of /proc/<pid>/status).
 * Its own database (created, migrated, dropped) and its own Redis key prefixes (deleted).
 *   npm run bench -w @khaacho/app-worker [-- --seconds 30 --rate 50 --events 20000]
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import {
  CLOCK,
  JOB_QUEUE,
  LOGGER,
  Money,
  OUTBOX,
  PhoneNumber,
  type RetailerId,
  SYSTEM_ACTOR,
  TIMER,
  USE_CASE_TOKENS,
  unwrap,
} from '@khaacho/core';
import { Redis } from 'ioredis';
import pg from 'pg';
import { type Composition, composeContainer } from '../src/composition/compose-container.js';
import { workerConfigFromEnv } from '../src/config/worker-config.js';
import { OutboxRelay, type OutboxRelayStatus } from '../src/relay/outbox-relay.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    rate: { type: 'string', default: '50' },
    events: { type: 'string' },
    'relay-child': { type: 'boolean', default: false },
  },
});
const SECONDS = Number(values.seconds);
const RATE = Number(values.rate);
if (!(SECONDS > 0) || !(RATE > 0)) throw new Error('--seconds and --rate must be > 0');
// Enough backlog that the drain lasts a few seconds on the full run; a smoke run keeps it small.
const EVENTS = Number(values.events ?? Math.min(20_000, Math.max(1_000, Math.round(SECONDS * 700))));
const RETAILERS = 50; // spread over shops: one shop's orders serialise on its credit account by design
// The built process, as deployed (`npm start`): under tsx it would carry the TypeScript loader,
// ~55 MB more resident. The `bench` script builds first.
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
// …with the Node options of the `start` script, exactly: the bench measures what `npm start` runs.
const START_NODE_FLAGS = await startScriptNodeFlags();
const SERVER = process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';

if (values['relay-child']) await relayChild();
else await main();

// ---------------------------------------------------------------- relay child process

/** One relay on its own composition: `ready`, then `go` starts it, `stop` stops it and prints its status. */
async function relayChild(): Promise<void> {
  const app = await composeContainer(
    workerConfigFromEnv({
      DATABASE_URL: process.env.DATABASE_URL,
      REDIS_URL: process.env.REDIS_URL,
      KHAACHO_REDIS_PREFIX: process.env.KHAACHO_REDIS_PREFIX,
      LOG_LEVEL: 'warn',
    }),
  );
  await app.ready();
  const relay = new OutboxRelay(
    {
      outbox: app.get(OUTBOX),
      queue: app.get(JOB_QUEUE),
      clock: app.get(CLOCK),
      timer: app.get(TIMER),
      logger: app.get(LOGGER),
    },
    // Claim + enqueue throughput: no consumer runs here to ack on completion.
    { ack: 'enqueue' },
  );
  const commands = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  process.stdout.write('ready\n');
  await commands.next(); // go
  relay.start();
  await commands.next(); // stop
  await relay.stop();
  process.stdout.write(`${JSON.stringify(relay.status())}\n`);
  await app.close();
  process.exit(0);
}

// ---------------------------------------------------------------- the bench

async function main(): Promise<void> {
  const tag = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const dbName = `khaacho_worker_bench_${tag}`;
  const dbUrl = new URL(SERVER);
  dbUrl.pathname = `/${dbName}`;
  const prefixes = [`khaacho-bench:relay:${tag}`, `khaacho-bench:lag:${tag}`] as const;
  await admin(`create database "${dbName}"`);
  let driver: Composition | null = null;
  try {
    // This process plays the API: it migrates, seeds and places orders. Risk allow-all: 1,500
    // orders in 30 s from 50 shops would trip the stored velocity rules and hold orders for
    // review, which measures the risk policy, not the worker.
    driver = await composeContainer(
      workerConfigFromEnv({
        DATABASE_URL: dbUrl.toString(),
        KHAACHO_DB_MIGRATE: 'true',
        KHAACHO_RISK_POLICY: 'allow-all',
        LOG_LEVEL: 'silent',
      }),
    );
    const relay = await relayThroughput(driver, dbUrl.toString(), prefixes[0]);
    const lag = await offerLag(driver, dbUrl.toString(), prefixes[1]);
    const ms = (n: number) => `${n.toFixed(0)} ms`;
    console.log('');
    console.log(`worker benchmarks (issue 10), one run, ${new Date().toISOString().slice(0, 10)}`);
    console.log(`  measure                                              figure              target`);
    console.log(
      `  outbox events relayed/s, 2 relays, ${String(relay.events).padStart(5)} events      ${`${relay.rate.toFixed(0)}/s`.padEnd(18)}  report`,
    );
    console.log(
      `    (${relay.split.join(' + ')} per relay; ${relay.withJob} became jobs, the rest needed none; drained in ${ms(relay.ms)})`,
    );
    console.log(
      `  order placed → offer sent, p50 / p99 (${RATE}/s × ${SECONDS} s)     ${`${ms(lag.p50)} / ${ms(lag.p99)}`.padEnd(18)}  p99 < 1 s ${lag.p99 < 1_000 ? 'met' : 'MISSED'}`,
    );
    console.log(
      `    (${lag.sent}/${lag.placed} offers sent, max ${ms(lag.max)}; place-order p50 ${ms(lag.placeP50)}, achieved ${lag.achievedRate.toFixed(1)} orders/s)`,
    );
    console.log(
      `    (placed → routed ${ms(lag.stages.routed[0])} / ${ms(lag.stages.routed[1])}, routed → sent ${ms(lag.stages.sent[0])} / ${ms(lag.stages.sent[1])}; worker CPU ${(lag.cpuShare * 100).toFixed(0)}% of a core)`,
    );
    console.log(
      `  peak RSS of the worker process (VmHWM)               ${`${lag.peakRssMb.toFixed(0)} MB`.padEnd(18)}  ≤ 250 MB ${lag.peakRssMb <= 250 ? 'met' : 'MISSED'}`,
    );
  } finally {
    await driver?.close();
    await admin(`drop database if exists "${dbName}" with (force)`);
    for (const prefix of prefixes) await deleteKeys(prefix);
  }
}

interface RelayFigures {
  readonly events: number;
  readonly ms: number;
  readonly rate: number;
  readonly split: number[];
  readonly withJob: number;
}

/** Pre-fills the outbox with `EVENTS` events, then times 2 relay processes draining it. */
async function relayThroughput(driver: Composition, databaseUrl: string, prefix: string): Promise<RelayFigures> {
  // Real events from placed orders (order and credit events: some become jobs, some need none),
  // replicated by SQL under new message ids to reach the size: placing thousands of orders
  // would take longer than the drain being measured.
  const world = await seedWorld(driver, 'r', 1);
  for (let i = 0; i < 10; i++) await world.place(0);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const pending = async () =>
      Number((await db.query('select count(*)::int as n from outbox where published_at is null')).rows[0].n);
    const seed = await pending();
    await db.query(
      `insert into outbox (id, event_type, aggregate_type, aggregate_id, payload, occurred_at, created_at, available_at, attempts)
       select gen_random_uuid(), event_type, aggregate_type, aggregate_id, payload, occurred_at, now(), now(), 0
       from outbox, generate_series(1, $1) where published_at is null`,
      [Math.max(0, Math.ceil(EVENTS / seed) - 1)],
    );
    const events = await pending();
    console.log(`relay: ${events} outbox events pre-filled; 2 relay processes draining them into Redis…`);
    const relays = [0, 1].map(() =>
      child(['--relay-child'], { DATABASE_URL: databaseUrl, REDIS_URL: REDIS, KHAACHO_REDIS_PREFIX: prefix }),
    );
    await Promise.all(relays.map((r) => r.waitFor((line) => line === 'ready')));
    const started = performance.now();
    for (const r of relays) r.process.stdin.write('go\n');
    while ((await pending()) > 0) await sleep(10);
    const ms = performance.now() - started;
    const statuses = relays.map((r) => r.waitFor((line) => line.startsWith('{"running"')));
    for (const r of relays) r.process.stdin.write('stop\n');
    const finals = (await Promise.all(statuses)).map((line) => JSON.parse(line) as OutboxRelayStatus);
    await Promise.all(relays.map((r) => r.exited));
    const published = finals.reduce((sum, s) => sum + s.published, 0);
    if (published !== events) throw new Error(`relays published ${published} of ${events} events`);
    return {
      events,
      ms,
      rate: (events / ms) * 1_000,
      split: finals.map((s) => s.published),
      withJob: published - finals.reduce((sum, s) => sum + s.withoutJob, 0),
    };
  } finally {
    await db.end();
  }
}

interface LagFigures {
  readonly placed: number;
  readonly sent: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly placeP50: number;
  readonly achievedRate: number;
  readonly peakRssMb: number;
  /** p50/p99 of the two legs: placed → routing job done (offer stored), and that → message sent. */
  readonly stages: { readonly routed: [number, number]; readonly sent: [number, number] };
  /** The worker's CPU time over wall time from the first order to the last offer (1 = one core). */
  readonly cpuShare: number;
}

/** The worker (`dist/main.js`) in its own process; this one places orders at `RATE`/s for `SECONDS`. */
async function offerLag(driver: Composition, databaseUrl: string, prefix: string): Promise<LagFigures> {
  const world = await seedWorld(driver, 'l', RETAILERS);
  // jobId → the send time, jobId → the order: the two lines of one notify-vendor-offer job.
  const sentAt = new Map<string, number>();
  const orderOfJob = new Map<string, string>();
  const offered = new Map<string, number>(); // orderId → send time
  const routed = new Map<string, number>(); // orderId → the end of its routing job (the offer stored)
  let started = false;
  let problems = 0;
  const onLine = (text: string) => {
    let line: { msg?: string; time?: string; jobId?: string; orderId?: string; level?: string };
    try {
      line = JSON.parse(text);
    } catch {
      return;
    }
    if (line.msg === 'worker started') started = true;
    if (line.level === 'error' || line.level === 'warn') problems += 1;
    if (!line.jobId) return;
    if (line.msg === 'order routed' && line.orderId && line.time) routed.set(line.orderId, Date.parse(line.time));
    if (line.msg === 'message sent (logged, not delivered)' && line.time) sentAt.set(line.jobId, Date.parse(line.time));
    if (line.msg === 'offer sent to vendor' && line.orderId) orderOfJob.set(line.jobId, line.orderId);
    const at = sentAt.get(line.jobId);
    const order = orderOfJob.get(line.jobId);
    if (at !== undefined && order !== undefined) offered.set(order, at);
  };
  let stderr = '';
  const spawnWorker = () => {
    const proc = spawn(process.execPath, [...START_NODE_FLAGS, MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: databaseUrl,
        REDIS_URL: REDIS,
        KHAACHO_REDIS_PREFIX: prefix,
        KHAACHO_WORKER_HEALTH_PORT: '0',
        // For profiling the worker: e.g. BENCH_WORKER_NODE_OPTIONS='--heapsnapshot-signal=SIGUSR2'.
        ...(process.env.BENCH_WORKER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS } : {}),
        // For experiments: e.g. KHAACHO_QUEUE_CONCURRENCY=ORDER_ROUTING=6 npm run bench …
        ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('KHAACHO_'))),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    createInterface({ input: proc.stdout }).on('line', onLine);
    return { proc, exited: new Promise<number | null>((resolve) => proc.on('close', resolve)) };
  };
  // The worker refuses to start when Redis does not answer within its 2 s connect bound; on a
  // busy shared machine that happens now and then, so the bench tries up to three times.
  let { proc: worker, exited } = spawnWorker();
  for (let attempt = 1; !started; ) {
    if (worker.exitCode === null) {
      await sleep(20);
      continue;
    }
    if (++attempt > 3) throw new Error(`the worker exited: ${stderr}`);
    console.log(`lag: the worker did not start (${stderr.split('\n')[0]}); trying again`);
    ({ proc: worker, exited } = spawnWorker());
  }
  try {
    const total = Math.max(1, Math.round(RATE * SECONDS));
    console.log(
      `lag: worker pid ${worker.pid} (node ${[...START_NODE_FLAGS, 'dist/main.js'].join(' ')}) started; placing ${total} orders at ${RATE}/s for ${SECONDS} s…`,
    );
    const placedAt = new Map<string, number>();
    const placeMs: number[] = [];
    const inFlight: Promise<void>[] = [];
    const t0 = performance.now();
    const cpu0 = await cpuSeconds(worker.pid);
    let nextReport = 5_000;
    // Open loop: order i starts at i/RATE seconds whether or not the earlier ones are done.
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1_000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      if (performance.now() - t0 >= nextReport) {
        console.log(
          `  ${(nextReport / 1_000).toFixed(0)} s: ${placedAt.size} placed, ${routed.size} routed, ${offered.size} offers sent, worker RSS ${(await rssMb(worker.pid)).current.toFixed(0)} MB`,
        );
        nextReport += 5_000;
      }
      inFlight.push(
        (async () => {
          const begun = performance.now();
          const orderId = await world.place(i % RETAILERS);
          placedAt.set(orderId, Date.now());
          placeMs.push(performance.now() - begun);
        })(),
      );
    }
    await Promise.all(inFlight);
    const elapsed = (performance.now() - t0) / 1_000;
    // A hang guard, not a measure: every offer normally follows within a second or two.
    const guard = Date.now() + 60_000;
    while (offered.size < placedAt.size && Date.now() < guard) await sleep(50);
    const memory = await rssMb(worker.pid);
    const cpu = (await cpuSeconds(worker.pid)) - cpu0;
    const wall = (performance.now() - t0) / 1_000;
    console.log(`  done: ${placedAt.size} placed, ${offered.size} offers sent, ${problems} warn/error lines`);
    const lags: number[] = [];
    const toRouted: number[] = [];
    const routedToSent: number[] = [];
    for (const [orderId, at] of placedAt) {
      const sent = offered.get(orderId);
      const stored = routed.get(orderId);
      if (sent !== undefined) lags.push(sent - at);
      if (stored !== undefined) toRouted.push(stored - at);
      if (sent !== undefined && stored !== undefined) routedToSent.push(sent - stored);
    }
    for (const xs of [lags, toRouted, routedToSent]) xs.sort((a, b) => a - b);
    placeMs.sort((a, b) => a - b);
    return {
      placed: placedAt.size,
      sent: lags.length,
      p50: quantile(lags, 0.5),
      p99: quantile(lags, 0.99),
      max: lags.at(-1) ?? Number.NaN,
      placeP50: quantile(placeMs, 0.5),
      achievedRate: total / elapsed,
      peakRssMb: memory.peak,
      stages: {
        routed: [quantile(toRouted, 0.5), quantile(toRouted, 0.99)],
        sent: [quantile(routedToSent, 0.5), quantile(routedToSent, 0.99)],
      },
      cpuShare: cpu / wall,
    };
  } finally {
    worker.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) console.error(`the worker exited with ${code}: ${stderr}`);
  }
}

// ---------------------------------------------------------------- helpers

/** The options between `node` and `dist/main.js` in this package's `start` script. */
async function startScriptNodeFlags(): Promise<string[]> {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    scripts: { start: string };
  };
  const words = pkg.scripts.start.trim().split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'dist/main.js') {
    throw new Error(`the start script is not "node [options] dist/main.js": ${pkg.scripts.start}`);
  }
  return words.slice(1, -1);
}

interface World {
  /** Places one order (2 cartons of noodles) for shop `shop`; returns its id. */
  place(shop: number): Promise<string>;
}

/** One product, three vendors offering it (cheapest first), `shops` active shops with room on credit. */
async function seedWorld(app: Composition, tag: string, shops: number): Promise<World> {
  const uc = USE_CASE_TOKENS;
  const sku = `BENCH-${tag}`;
  const area = `kathmandu-bench-${tag}`;
  const { product } = unwrap(
    await app.get(uc.upsertProduct).execute({
      sku,
      name: 'Wai Wai Noodles 75g',
      category: 'noodles',
      baseUnit: 'packet',
      conversions: [{ unit: 'carton', toBase: 30 }],
      actor: SYSTEM_ACTOR,
    }),
  );
  const code = String(tag.charCodeAt(0)).padStart(3, '0');
  for (let i = 0; i < 3; i++) {
    const vendor = unwrap(
      await app.get(uc.registerVendor).execute({
        name: `Bench Distributor ${i + 1}`,
        phone: PhoneNumber.parse(`98510${code}${String(i).padStart(2, '0')}`),
        serviceAreas: [area],
        dailyCapacity: 1_000_000,
        actor: SYSTEM_ACTOR,
      }),
    );
    unwrap(
      await app.get(uc.upsertVendorOffer).execute({
        vendorId: vendor.id,
        productId: product.id,
        unit: 'packet',
        unitPrice: Money.parse(String(20 + i)),
        stockOnHand: 100_000_000,
        actor: SYSTEM_ACTOR,
      }),
    );
  }
  const retailers: RetailerId[] = [];
  for (let i = 0; i < shops; i++) {
    const shop = unwrap(
      await app.get(uc.registerRetailer).execute({
        name: `Bench Kirana ${i}`,
        phone: PhoneNumber.parse(`9841${code}${String(i).padStart(3, '0')}`),
        area,
        district: 'kathmandu',
        creditLimit: Money.parse('10000000'),
        status: 'ACTIVE',
        actor: SYSTEM_ACTOR,
      }),
    );
    retailers.push(shop.id);
  }
  const placeOrder = app.get(uc.placeOrder);
  return {
    place: async (shop) => {
      const { order } = unwrap(
        await placeOrder.execute({
          retailerId: retailers[shop % retailers.length] as RetailerId,
          lines: [{ sku, quantity: 2, unit: 'carton' }],
          source: 'whatsapp',
          actor: SYSTEM_ACTOR,
        }),
      );
      if (order.status !== 'ROUTING') throw new Error(`order placed as ${order.status}, not ROUTING`);
      return order.id;
    },
  };
}

interface Child {
  readonly process: ChildProcessByStdio<Writable, Readable, null>;
  readonly exited: Promise<void>;
  /** The next stdout line (from now on, or already seen and not yet taken) matching `match`. */
  waitFor(match: (line: string) => boolean): Promise<string>;
}

function child(args: string[], env: Record<string, string>): Child {
  const proc = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const seen: string[] = [];
  const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  createInterface({ input: proc.stdout }).on('line', (line) => {
    const i = waiters.findIndex((w) => w.match(line));
    if (i >= 0) waiters.splice(i, 1)[0]?.resolve(line);
    else seen.push(line);
  });
  const exited = new Promise<void>((resolve, reject) =>
    proc.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`relay child exited with ${code}`)))),
  );
  exited.catch(() => {});
  return {
    process: proc,
    exited,
    waitFor: (match) => {
      const i = seen.findIndex(match);
      if (i >= 0) return Promise.resolve(seen.splice(i, 1)[0] as string);
      return new Promise((resolve, reject) => {
        waiters.push({ match, resolve });
        exited.then(() => reject(new Error('relay child exited early')), reject);
      });
    },
  };
}

/** Resident set now and at its peak (VmHWM), in MB, of a live process. */
async function rssMb(pid: number | undefined): Promise<{ current: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { current: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** User + system CPU seconds a live process has used (/proc/<pid>/stat, in clock ticks of 1/100 s). */
async function cpuSeconds(pid: number | undefined): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
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

/** Deletes every key under `prefix` (SCAN, not KEYS, on a shared server). */
async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

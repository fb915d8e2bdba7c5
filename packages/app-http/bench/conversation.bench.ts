/*
 * Issue 13's second benchmark row, from one run: inbound text → draft reply sent to the local
 * Graph stub, at 50 messages/s for 30 s from many shops; p50/p99 latency, target p99 < 1 s.
 * In process, as `npm start` composes it with the in-memory store (KHAACHO_DATA_DIR=memory://):
 * the app with its own /webhooks/whatsapp, the worker (inbox processor, relay, NOTIFICATIONS)
 * and the simulator's Graph stub. Each message is a signed delivery POSTed to the webhook;
 * its latency runs from the POST to the stub recording the shop's draft reply (the text).
 * A missed target is printed, not failed.
 *
 * Two things it does so that what it measures is the scenario:
 * - It starts only once the worker is idle: the demo data and the shops it registers leave a
 *   backlog (outbox events, routing, credit scores) that would otherwise be queued ahead of
 *   the first messages.
 * - The webhook keeps its production rate limit (per caller address, DEFAULT_RATE_LIMITS),
 *   and the deliveries come from several loopback addresses (127.0.0.x), as Meta's come from
 *   many: `--sources` of them (default: enough that each stays within the limit at `--rate`).
 *   All from one address, 50 messages/s is over the limit and a fifth of them are answered 429.
 *
 *   node bench/conversation.bench.ts [--seconds 30] [--rate 50] [--shops 100] [--sources n]
 * BENCH_CPU_PROFILE=<file.cpuprofile> profiles the measured messages only (not the start-up,
 * initdb and demo data, which would otherwise dominate): read it with cpu-profile-summary.ts.
 */
import { writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { startWorker } from '@khaacho/app-worker';
import {
  CLOCK,
  JOB_QUEUE,
  Money,
  OUTBOX,
  PhoneNumber,
  QUEUE_NAMES,
  SYSTEM_ACTOR,
  USE_CASE_TOKENS,
} from '@khaacho/core';
import { createHttpApp } from '../dist/app.js';
import { DEFAULT_RATE_LIMITS } from '../dist/http/rate-limits.js';
import { AUTHENTICATOR } from '../dist/auth/authenticator.js';
import { composeHttp } from '../dist/compose-http.js';
import { appConfigFromEnv } from '../dist/config/http-config.js';
import { loadDemoData } from '../dist/demo-data.js';
import { startHttpServer } from '../dist/http/http-server.js';
import { readinessOf } from '../dist/http/readiness.js';
import { signedDelivery } from '../dist/simulator/inbound-delivery.js';
import { startSimulator } from '../dist/simulator/simulator-setup.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    rate: { type: 'string', default: '50' },
    shops: { type: 'string', default: '100' },
    sources: { type: 'string' },
  },
});
const SECONDS = Number(values.seconds);
const RATE = Number(values.rate);
const SHOPS = Number(values.shops);
if (!(SECONDS > 0) || !(RATE > 0) || !(SHOPS > 0)) throw new Error('--seconds, --rate and --shops must be > 0');
const TARGET_P99_MS = 1_000;
const webhookPerSecond = (DEFAULT_RATE_LIMITS.webhook.points * 1000) / DEFAULT_RATE_LIMITS.webhook.durationMs;
// Half the per-address budget each, so a burst (timers firing late on a busy machine) stays under it.
const SOURCES = Number(values.sources ?? Math.min(250, Math.max(1, Math.ceil((2 * RATE) / webhookPerSecond))));
if (!(SOURCES >= 1 && SOURCES <= 250)) throw new Error('--sources must be 1..250');

const base = appConfigFromEnv({ KHAACHO_DATA_DIR: 'memory://bench', KHAACHO_HTTP_PORT: '0', LOG_LEVEL: 'error' });
const simulator = await startSimulator(base, {});
if (!simulator) throw new Error('the simulator refused the config');
const { composition } = await composeHttp(simulator.config);
await composition.ready();
await loadDemoData(composition);
const worker = startWorker(composition, {
  stopTimeoutMs: 5_000,
  operatorPhone: null,
  schedule: { sweep: simulator.config.worker.ops.sweep },
});
const app = createHttpApp({
  composition,
  authenticator: composition.get(AUTHENTICATOR),
  readiness: readinessOf(composition),
  simulator,
  whatsappWebhook: simulator.webhook,
});
const server = await startHttpServer(app.callback(), { port: 0, host: '127.0.0.1' });
simulator.listening(server.url);

// Many shops, ACTIVE with credit, in one area: numbers 97798100xxxxx.
const register = composition.get(USE_CASE_TOKENS.registerRetailer);
const phones: string[] = [];
for (let i = 0; i < SHOPS; i++) {
  const phone = `97798100${String(i).padStart(5, '0')}`;
  const done = await register.execute({
    name: `Bench Pasal ${i}`,
    phone: PhoneNumber.parse(`+${phone}`),
    area: 'kathmandu-22',
    district: 'kathmandu',
    creditLimit: Money.of(10_000_000),
    netTermsDays: 30,
    status: 'ACTIVE',
    actor: SYSTEM_ACTOR,
  });
  if (!done.ok) throw new Error(JSON.stringify(done.error));
  phones.push(phone);
}

// The setup's backlog drained: nothing unpublished in the outbox, no job waiting or running.
const idleSince = performance.now();
const outbox = composition.get(OUTBOX);
const queue = composition.get(JOB_QUEUE);
const clock = composition.get(CLOCK);
for (;;) {
  const pending = (await outbox.stats(clock.now())).pending;
  const queued = await Promise.all(QUEUE_NAMES.map((q) => queue.stats(q)));
  if (pending === 0 && queued.every((s) => s.waiting + s.active === 0)) break;
  if (performance.now() - idleSince > 300_000) throw new Error('the worker did not go idle after the setup');
  await new Promise((r) => setTimeout(r, 200));
}
console.log(`setup backlog drained in ${((performance.now() - idleSince) / 1000).toFixed(1)} s`);

// One keep-alive agent per source address.
const agents = Array.from(
  { length: SOURCES },
  (_, i) => new Agent({ keepAlive: true, localAddress: `127.0.0.${i + 1}` }),
);
const post = (i: number, body: Buffer, signature: string) =>
  new Promise<number>((resolve, reject) => {
    const req = request(
      `${server.url}/webhooks/whatsapp`,
      {
        method: 'POST',
        agent: agents[i % SOURCES],
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });

// The stub's record, watched: the first text reply to a phone answers its oldest open message.
const open = new Map<string, number[]>();
const latencies: number[] = [];
const append = simulator.log.append.bind(simulator.log);
simulator.log.append = (entry) => {
  const full = append(entry);
  if (entry.direction === 'out' && (entry.payload as { type?: string }).type === 'text') {
    const started = open.get(entry.phone)?.shift();
    if (started !== undefined) latencies.push(performance.now() - started);
  }
  return full;
};

const profileFile = process.env.BENCH_CPU_PROFILE?.trim();
const inspector = profileFile ? new Session() : null;
if (inspector) {
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.start');
}

const cpuAtStart = process.cpuUsage();
const total = Math.round(SECONDS * RATE);
let refused = 0;
const statuses: Record<number, number> = {};
const startedAt = performance.now();
const posts: Promise<void>[] = [];
for (let i = 0; i < total; i++) {
  const due = startedAt + (i * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const phone = phones[i % phones.length] as string;
  const d = signedDelivery(
    { from: phone, profileName: 'Bench', content: { text: 'chamal 2 bora, tel 1 peti' } },
    simulator.target,
  );
  const list = open.get(phone) ?? [];
  open.set(phone, list);
  list.push(performance.now());
  posts.push(
    post(i, d.body, d.signature).then((status) => {
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status !== 200) refused += 1;
    }),
  );
}
await Promise.all(posts);
const sentIn = (performance.now() - startedAt) / 1000;
const deadline = Date.now() + 60_000;
while (latencies.length < total - refused && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

// The whole pipeline runs in this process (PGlite included): its CPU time per message is the
// figure that does not depend on how busy the rest of the machine is.
const cpu = process.cpuUsage(cpuAtStart);
const cpuMsPerMessage = (cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length);
if (inspector && profileFile) {
  const { profile } = await inspector.post('Profiler.stop');
  await writeFile(profileFile, JSON.stringify(profile));
  inspector.disconnect();
}

latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? Number.NaN;
const p50 = pct(50);
const p99 = pct(99);
console.log(
  `conversation bench: ${total} messages from ${SHOPS} shops at ${RATE}/s offered (${(total / sentIn).toFixed(1)}/s achieved) from ${SOURCES} source address(es) under the default webhook limit (${webhookPerSecond}/s per address), memory store, in process`,
);
console.log(`| scenario | messages answered | p50 | p99 | target |`);
console.log(`| --- | --- | --- | --- | --- |`);
console.log(
  `| inbound text → draft reply sent (Graph stub) | ${latencies.length}/${total} (webhook answers ${JSON.stringify(statuses)}) | ${p50.toFixed(0)} ms | ${p99.toFixed(0)} ms | p99 < ${TARGET_P99_MS} ms |`,
);
console.log(
  `CPU of this process per answered message: ${cpuMsPerMessage.toFixed(1)} ms (one core sustains ~${(1000 / cpuMsPerMessage).toFixed(0)} messages/s)`,
);
if (latencies.length < total - refused)
  console.log(`MISSED: ${total - refused - latencies.length} messages got no draft reply within 60 s`);
if (!(p99 < TARGET_P99_MS))
  console.log(
    `MISSED: p99 ${p99.toFixed(0)} ms ≥ ${TARGET_P99_MS} ms (${(p99 / TARGET_P99_MS).toFixed(2)}× the target)`,
  );

for (const a of agents) a.destroy();
await server.close(2_000);
await worker.stop();
await composition.close();
await simulator.close();

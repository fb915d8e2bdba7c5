/*
 * Where a V8 CPU profile's time went: self time summed by area (the ORM, the pg driver, the
 * logger, JWT, validation, Koa…), the heaviest functions by self time, and the inclusive time
 * of a few app functions, as shares of the profile's sampled time.
 *   node bench/cpu-profile-summary.ts <file.cpuprofile>
 */
import { readFile } from 'node:fs/promises';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** First match wins: an area is named by where the code lives. */
const AREAS: readonly (readonly [string, RegExp])[] = [
  ['idle', /^\(idle\)$/],
  ['garbage collection', /^\(garbage collector\)$/],
  // Embedded mode's database runs in this process: its WASM and its in-memory file system.
  ['embedded PostgreSQL (PGlite: WASM, MEMFS, socket)', /node_modules\/@electric-sql\/|^wasm:\/\//],
  ['ORM (MikroORM)', /node_modules\/@mikro-orm\//],
  ['query builder (Kysely)', /node_modules\/kysely\//],
  [
    'pg driver (pg, pg-protocol, pg-types, pg-pool)',
    /node_modules\/(pg|pg-protocol|pg-types|pg-pool|postgres-[a-z]+)\//,
  ],
  [
    'logging (pino + app-worker logging)',
    /node_modules\/(pino|@pinojs|pino-[a-z-]+|sonic-boom|thread-stream)\/|app-worker\/dist\/logging\//,
  ],
  ['JWT (jose)', /node_modules\/jose\//],
  ['validation (ajv + generated validators)', /node_modules\/(ajv|ajv-formats|fast-uri)\//],
  [
    'Koa, router, bodyparser, helmet, cors',
    /node_modules\/(koa|@koa\/[a-z]+|koa-[a-z-]+|helmet|co-body|raw-body|inflation|path-to-regexp|cookies|accepts|type-is|negotiator|mime-types|statuses|http-errors|on-finished|vary|fresh|content-type|iconv-lite)\//,
  ],
  ['Inversify', /node_modules\/(inversify|@inversifyjs\/[a-z-]+)\//],
  ['core (domain, use cases)', /packages\/core\/dist\//],
  ['adapters-postgres', /packages\/adapters-postgres\/dist\//],
  ['app-worker (composition)', /packages\/app-worker\/dist\//],
  ['app-http (routes, auth, idempotency)', /packages\/app-http\/dist\//],
  ['other packages', /node_modules\//],
  ['Node internals (net, http, streams, crypto)', /^node:/],
  ['native (JSON, regexp, builtins, program)', /^$/],
];

/** App functions whose inclusive time is worth a line. */
const INCLUSIVE = [
  'authenticate',
  'verify',
  'execute',
  'run',
  'JSON.stringify',
  'stringify',
  'parse',
  'validate',
  'fingerprint',
];

const file = process.argv[2];
if (!file) throw new Error('usage: node bench/cpu-profile-summary.ts <file.cpuprofile>');
const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map<number, number>();
profile.samples.forEach((id, i) => {
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
const idle = [...self]
  .filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)')
  .reduce((a, [, t]) => a + t, 0);
const busy = total - idle;
const areaOf = (frame: CallFrame): string => {
  for (const [name, pattern] of AREAS) {
    const subject = name === 'idle' || name === 'garbage collection' ? frame.functionName : frame.url;
    if (pattern.test(subject)) return name;
  }
  return 'native (JSON, regexp, builtins, program)';
};
const pct = (t: number) => `${((100 * t) / busy).toFixed(1).padStart(5)}%`;
const where = (frame: CallFrame) =>
  frame.url.replace(/^.*node_modules\//, '').replace(/^.*packages\//, '') +
  (frame.url ? `:${frame.lineNumber + 1}` : '');

console.log(
  `${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (shares below are of busy time)`,
);
const areas = new Map<string, number>();
for (const [id, t] of self) {
  const node = byId.get(id);
  if (!node || node.callFrame.functionName === '(idle)') continue;
  const area = areaOf(node.callFrame);
  areas.set(area, (areas.get(area) ?? 0) + t);
}
console.log('\nself time by area');
for (const [area, t] of [...areas].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(t)}  ${area}`);

// Native and Node-internal time (socket writes, JSON, crypto jobs) charged to the nearest
// package frame up the stack: who asked for it.
const UNCHARGED = new Set(['native (JSON, regexp, builtins, program)', 'Node internals (net, http, streams, crypto)']);
const charged = new Map<string, number>();
for (const [id, t] of self) {
  const node = byId.get(id);
  if (!node || node.callFrame.functionName === '(idle)') continue;
  let area = areaOf(node.callFrame);
  let caller: string | null = null;
  for (let up = parent.get(id); up !== undefined && UNCHARGED.has(area); up = parent.get(up)) {
    const frame = byId.get(up)?.callFrame;
    if (!frame?.url || frame.url.startsWith('node:')) continue;
    area = areaOf(frame);
    caller = area;
  }
  const key = caller ?? area;
  charged.set(key, (charged.get(key) ?? 0) + t);
}
console.log('\nself time with native and Node-internal time charged to the nearest package caller');
for (const [area, t] of [...charged].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(t)}  ${area}`);

const functions = new Map<string, number>();
for (const [id, t] of self) {
  const frame = byId.get(id)?.callFrame;
  if (!frame || frame.functionName === '(idle)') continue;
  const key = `${frame.functionName || '(anonymous)'}  ${where(frame)}`;
  functions.set(key, (functions.get(key) ?? 0) + t);
}
console.log('\nheaviest functions by self time');
for (const [key, t] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${pct(t)}  ${key}`);

// Inclusive: a sample counts once for a function when it is anywhere on that sample's stack.
const inclusive = new Map<string, number>();
profile.samples.forEach((leaf, i) => {
  const seen = new Set<string>();
  for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || !/packages\/|node_modules\/(jose|@mikro-orm|kysely|ajv|pino)\//.test(frame.url)) continue;
    if (!INCLUSIVE.includes(frame.functionName)) continue;
    seen.add(`${frame.functionName}  ${where(frame)}`);
  }
  for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
console.log('\ninclusive time of some entry points');
for (const [key, t] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${pct(t)}  ${key}`);

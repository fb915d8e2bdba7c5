/**
 * Parser throughput: messages per second on one core, on the 5,000-product generated
 * catalog and on the 36-product corpus catalog, in the same run (compare the ratio, not
 * the absolute figures, across machines). The messages are the corpus texts, cycled.
 * The figure is per second of the process's CPU time, so that other work on a shared
 * machine does not count against the parser; wall-clock throughput is printed beside it.
 *
 *   npm run bench -w @khaacho/core                 # 3 s per catalog
 *   npm run bench -w @khaacho/core -- --seconds 0.5  # a smoke run (CI)
 */
import { parseArgs } from 'node:util';
import type { Product } from '../src/catalog/product.js';
import { generatedCatalog, loadCorpus, nepaliCatalog } from '../src/corpus/index.js';
import { LocalOrderTextParser } from '../src/parsing/local-order-text-parser.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' } } });
const seconds = Number(values.seconds);
if (!(seconds > 0)) throw new Error('--seconds must be a positive number');

const texts = (await loadCorpus()).map((m) => m.text);

function measure(catalog: Product[]): { build: number; perSecond: number; perWallSecond: number; parsed: number } {
  const t0 = performance.now();
  const parser = new LocalOrderTextParser(catalog);
  const build = performance.now() - t0;
  // Warm-up: one pass, so the JIT has seen every path before the clock runs.
  for (const t of texts) parser.parseSync(t);
  let parsed = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const until = start + seconds * 1000;
  while (performance.now() < until) {
    for (const t of texts) parser.parseSync(t);
    parsed += texts.length;
  }
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { build, perSecond: (parsed / cpuMs) * 1000, perWallSecond: (parsed / wall) * 1000, parsed };
}

const big = generatedCatalog();
const small = nepaliCatalog();
const onBig = measure(big);
const onSmall = measure(small);
const line = (name: string, r: ReturnType<typeof measure>) =>
  `${name.padEnd(28)} ${Math.round(r.perSecond).toString().padStart(7)} msg/s of CPU time  ` +
  `(${Math.round(r.perWallSecond)} msg/s wall, ${r.parsed} messages, index built in ${r.build.toFixed(0)} ms)`;
console.log(line(`generated catalog (${big.length})`, onBig));
console.log(line(`corpus catalog (${small.length})`, onSmall));
console.log(`ratio generated / corpus catalog: ${(onBig.perSecond / onSmall.perSecond).toFixed(2)}`);

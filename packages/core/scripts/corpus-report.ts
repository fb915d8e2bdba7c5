/**
 * Scores the local order-text parser against the labelled corpus and prints line-level
 * precision, recall and F1, intent accuracy, a per-category breakdown and every miss.
 *
 *   npm run corpus -w @khaacho/core
 *
 * The corpus is scored twice: against the 36-product Nepali catalog it is labelled on, and
 * against the 5,000-product generated catalog that starts with it (the seed's catalog).
 * The held-out part (`heldOut: true`) is scored apart and only as totals: its misses are
 * not printed, so it cannot be tuned against.
 *
 * A predicted line is a true positive when sku, quantity and unit all match an expected
 * line. Unit equivalence: a null unit ("no unit given") stands for the product's base
 * unit, and the two units must then be identical; units are not converted into each
 * other (2 bag ≠ 50 kg). Lines returned with needsClarification (or without a product)
 * count as not predicted; they are checked against each message's `clarify` count.
 * Exits with code 1 when line F1 or intent accuracy is under CORPUS_TARGET on either part.
 */
import type { Product } from '../src/catalog/product.js';
import {
  CORPUS_TARGET,
  type CorpusScore,
  contextFor,
  evaluateCorpus,
  formatCorpusReport,
  generatedCatalog,
  loadCorpus,
  nepaliCatalog,
} from '../src/corpus/index.js';
import { LocalOrderTextParser } from '../src/parsing/local-order-text-parser.js';

const all = await loadCorpus();
const tuning = all.filter((m) => !m.heldOut);
const heldOut = all.filter((m) => m.heldOut);
const summary = (name: string, s: CorpusScore) =>
  `${name.padEnd(34)} ${String(s.messages).padStart(4)} msgs  F1 ${s.f1.toFixed(3)}  intent ${s.intentAccuracy.toFixed(3)}  ` +
  `clarify ${s.clarificationAccuracy.toFixed(3)}  (tp ${s.truePositives}, fp ${s.falsePositives}, fn ${s.falseNegatives})`;

let failed = false;
const totals: string[] = [];
for (const [label, catalog] of [
  ['corpus catalog (36)', nepaliCatalog()],
  ['generated catalog (5,000)', generatedCatalog()],
] as [string, Product[]][]) {
  const parser = new LocalOrderTextParser(catalog);
  const score = (messages: typeof all) =>
    evaluateCorpus(
      messages,
      messages.map((m) => parser.parseSync(m.text, contextFor(m, catalog))),
      catalog,
    );
  const whole = score(all);
  const held = score(heldOut);
  console.log(`=== ${label}: tuning part ===`);
  console.log(formatCorpusReport(score(tuning)));
  console.log('');
  totals.push(summary(`${label}, whole`, whole.overall), summary(`${label}, held-out`, held.overall));
  for (const s of [whole.overall, held.overall]) {
    if (s.f1 < CORPUS_TARGET || s.intentAccuracy < CORPUS_TARGET) failed = true;
  }
}
console.log(totals.join('\n'));
if (failed) {
  console.log(`\nbelow target (${CORPUS_TARGET}) for line F1 or intent accuracy`);
  process.exitCode = 1;
}

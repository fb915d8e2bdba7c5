/**
 * Scores the local order-text parser against the labelled corpus and prints line-level
 * precision, recall and F1, intent accuracy, a per-category breakdown and every miss.
 *
 *   npm run corpus -w @khaacho/core
 *
 * A predicted line is a true positive when sku, quantity and unit all match an expected
 * line. Unit equivalence: a null unit ("no unit given") stands for the product's base
 * unit, and the two units must then be identical; units are not converted into each
 * other (2 bag ≠ 50 kg). Lines returned with needsClarification (or without a product)
 * count as not predicted; they are checked against each message's `clarify` count.
 * Exits with code 1 when line F1 or intent accuracy is under CORPUS_TARGET (0.95).
 */
import { CORPUS_TARGET, evaluateCorpus, formatCorpusReport, loadCorpus, nepaliCatalog } from '../src/corpus/index.js';
import { LocalOrderTextParser } from '../src/parsing/local-order-text-parser.js';

const messages = await loadCorpus();
const catalog = nepaliCatalog();
const parser = new LocalOrderTextParser(catalog);
const results = messages.map((m) => parser.parseSync(m.text));
const report = evaluateCorpus(messages, results, catalog);

console.log(formatCorpusReport(report));
if (report.overall.f1 < CORPUS_TARGET || report.overall.intentAccuracy < CORPUS_TARGET) {
  console.log(`\nbelow target (${CORPUS_TARGET}) for line F1 or intent accuracy`);
  process.exitCode = 1;
}

import type { Product } from '../catalog/product.js';
import type { MessageIntent, ParsedOrderText } from '../ports/order-text-parser.js';
import { ValidationError } from '../shared/errors.js';
import type { Unit } from '../shared/quantity.js';
import type { CorpusMessage, ExpectedLine } from './messages.js';

/**
 * What the local parser must reach on the corpus, whole and held out, on the corpus catalog
 * and on the generated 5,000-product one: line F1 and intent accuracy.
 */
export const CORPUS_TARGET = 0.97;

/** Precision, recall and F1 over order lines; intent and clarification accuracy over messages. */
export interface CorpusScore {
  readonly messages: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly intentAccuracy: number;
  readonly clarificationAccuracy: number;
}

export interface CorpusMiss {
  readonly message: CorpusMessage;
  readonly intent: MessageIntent;
  /** Expected lines the parser did not produce. */
  readonly missing: readonly ExpectedLine[];
  /** Lines the parser placed that the corpus does not expect. */
  readonly spurious: readonly ExpectedLine[];
  readonly clarify: number;
}

export interface CorpusReport {
  readonly overall: CorpusScore;
  readonly byCategory: ReadonlyMap<string, CorpusScore>;
  readonly byBatch: ReadonlyMap<number, CorpusScore>;
  readonly misses: readonly CorpusMiss[];
}

interface Tally {
  messages: number;
  tp: number;
  fp: number;
  fn: number;
  intents: number;
  clarifications: number;
}

/**
 * Unit equivalence: a line's unit is resolved to the product's base unit when it is
 * null ("no unit given"), and then the two units must be the same unit. Units are not
 * converted into each other (2 bag ≠ 50 kg): the retailer's own unit is what the
 * vendor sees and prices. Quantities must be equal (to 0.001).
 */
export function sameLine(a: ExpectedLine, b: ExpectedLine, baseUnitOf: (sku: string) => Unit | undefined): boolean {
  if (a.sku !== b.sku || Math.abs(a.quantity - b.quantity) >= 0.0005) return false;
  const base = baseUnitOf(a.sku);
  return (a.unit ?? base) === (b.unit ?? base);
}

const ratio = (n: number, d: number): number => (d === 0 ? 1 : n / d);

function toScore(t: Tally): CorpusScore {
  const precision = ratio(t.tp, t.tp + t.fp);
  const recall = ratio(t.tp, t.tp + t.fn);
  return {
    messages: t.messages,
    truePositives: t.tp,
    falsePositives: t.fp,
    falseNegatives: t.fn,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    intentAccuracy: ratio(t.intents, t.messages),
    clarificationAccuracy: ratio(t.clarifications, t.messages),
  };
}

/**
 * Scores parser answers (`results[i]` for `messages[i]`, from any parser, sync or not)
 * against the labelled corpus. A predicted line is one with a product and no
 * clarification needed; lines that need clarification count as not predicted (and are
 * compared with the expected `clarify` count instead).
 */
export function evaluateCorpus(
  messages: readonly CorpusMessage[],
  results: readonly ParsedOrderText[],
  catalog: readonly Product[],
): CorpusReport {
  if (results.length !== messages.length) throw new ValidationError('one result per corpus message is needed');
  const byId = new Map(catalog.map((p) => [p.id as string, p]));
  const baseUnitOf = (sku: string) => catalog.find((p) => p.sku === sku)?.baseUnit;
  const overall: Tally = { messages: 0, tp: 0, fp: 0, fn: 0, intents: 0, clarifications: 0 };
  const categories = new Map<string, Tally>();
  const batches = new Map<number, Tally>();
  const tally = <K>(map: Map<K, Tally>, key: K): Tally => {
    const t = map.get(key) ?? { messages: 0, tp: 0, fp: 0, fn: 0, intents: 0, clarifications: 0 };
    map.set(key, t);
    return t;
  };
  const misses: CorpusMiss[] = [];
  messages.forEach((message, n) => {
    const result = results[n];
    if (result === undefined) return;
    const predicted: ExpectedLine[] = result.lines.flatMap((l) => {
      const product = l.productId === null || l.needsClarification ? undefined : byId.get(l.productId);
      return product ? [{ sku: product.sku, quantity: l.quantity, unit: l.unit }] : [];
    });
    const clarify = result.lines.filter((l) => l.productId === null || l.needsClarification).length;
    const missing = [...message.lines];
    const spurious: ExpectedLine[] = [];
    for (const p of predicted) {
      const at = missing.findIndex((e) => sameLine(e, p, baseUnitOf));
      if (at >= 0) missing.splice(at, 1);
      else spurious.push(p);
    }
    const tp = predicted.length - spurious.length;
    const category = tally(categories, message.category);
    const batch = tally(batches, message.batch);
    for (const t of [overall, category, batch]) {
      t.messages += 1;
      t.tp += tp;
      t.fp += spurious.length;
      t.fn += missing.length;
      t.intents += result.intent === message.intent ? 1 : 0;
      t.clarifications += clarify === message.clarify ? 1 : 0;
    }
    if (missing.length > 0 || spurious.length > 0 || result.intent !== message.intent || clarify !== message.clarify) {
      misses.push({ message, intent: result.intent, missing, spurious, clarify });
    }
  });
  return {
    overall: toScore(overall),
    byCategory: new Map([...categories].map(([name, t]) => [name, toScore(t)])),
    byBatch: new Map([...batches].map(([n, t]) => [n, toScore(t)])),
    misses,
  };
}

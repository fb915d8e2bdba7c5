import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ParsedOrderText } from '../ports/order-text-parser.js';
import { LocalOrderTextParser } from '../parsing/local-order-text-parser.js';
import { CORPUS_TARGET as TARGET, evaluateCorpus, sameLine } from './evaluation.js';
import { type CorpusMessage, loadCorpus, readCorpus } from './messages.js';
import { nepaliCatalog } from './nepali-catalog.js';

const catalog = nepaliCatalog();
const parserFor = () => new LocalOrderTextParser(catalog);

test('corpus: line F1 and intent accuracy reach the target', async () => {
  const messages = await loadCorpus();
  assert.ok(messages.length >= 200, `corpus has ${messages.length} messages`);
  const parser = new LocalOrderTextParser(catalog);
  const { overall } = evaluateCorpus(messages, await Promise.all(messages.map((m) => parser.parse(m.text))), catalog);
  assert.ok(overall.f1 >= TARGET, `line F1 ${overall.f1.toFixed(3)} < ${TARGET}`);
  assert.ok(overall.intentAccuracy >= TARGET, `intent accuracy ${overall.intentAccuracy.toFixed(3)} < ${TARGET}`);
});

test('corpus: every labelled sku exists in the Nepali catalog', async () => {
  const skus = new Set(catalog.map((p) => p.sku));
  for (const m of await loadCorpus()) for (const l of m.lines) assert.ok(skus.has(l.sku), `${m.id}: ${l.sku}`);
});

test('evaluation: a parser that understands nothing fails the target (the check can fail)', async () => {
  const messages = await loadCorpus();
  const nothing = (): ParsedOrderText => ({
    intent: 'unknown',
    lines: [],
    unparsed: [],
    orderNumber: null,
    source: 'local',
  });
  const { overall } = evaluateCorpus(messages, messages.map(nothing), catalog);
  assert.is(overall.recall, 0);
  assert.ok(overall.f1 < TARGET);
  assert.ok(overall.intentAccuracy < TARGET);
});

test('evaluation: lines needing clarification are not predictions', () => {
  const sugar = catalog.find((p) => p.sku === 'SUGAR');
  if (!sugar) throw new Error('SUGAR missing from the Nepali catalog');
  const message: CorpusMessage = {
    id: 't1',
    category: 'test',
    text: 'chini 1 bora',
    intent: 'order',
    lines: [{ sku: 'SUGAR', quantity: 1, unit: 'bag' }],
    clarify: 0,
    batch: 1,
    heldOut: false,
  };
  const line = {
    raw: 'chini 1 bora',
    mention: 'chini',
    quantity: 1,
    unit: 'bag' as const,
    productId: sugar.id,
    confidence: 1,
    suggestions: [],
  };
  const asking = (): ParsedOrderText => ({
    intent: 'order',
    lines: [{ ...line, needsClarification: true, clarification: 'LOW_CONFIDENCE' }],
    unparsed: [],
    orderNumber: null,
    source: 'local',
  });
  const report = evaluateCorpus([message], [asking()], catalog);
  assert.is(report.overall.truePositives, 0);
  assert.is(report.overall.falseNegatives, 1);
  assert.is(report.misses[0]?.clarify, 1);
});

test('unit equivalence: null is the base unit; units are never converted', () => {
  const base = (sku: string) => (sku === 'SUGAR' ? ('kg' as const) : undefined);
  assert.ok(sameLine({ sku: 'SUGAR', quantity: 5, unit: null }, { sku: 'SUGAR', quantity: 5, unit: 'kg' }, base));
  assert.not.ok(sameLine({ sku: 'SUGAR', quantity: 50, unit: 'kg' }, { sku: 'SUGAR', quantity: 1, unit: 'bag' }, base));
  assert.not.ok(sameLine({ sku: 'SUGAR', quantity: 5, unit: null }, { sku: 'SUGAR', quantity: 5, unit: 'g' }, base));
  assert.not.ok(sameLine({ sku: 'SUGAR', quantity: 5, unit: 'kg' }, { sku: 'SUGAR', quantity: 6, unit: 'kg' }, base));
});

test('evaluation: one result per message is required', () => {
  assert.throws(() => evaluateCorpus([], [parserFor().parseSync('x')], catalog));
});

test('readCorpus rejects a malformed file', () => {
  assert.throws(() => readCorpus({}));
  assert.throws(() => readCorpus({ messages: [{ id: 'x', category: 'c', text: 't', intent: 'buy', lines: [] }] }));
  assert.throws(() =>
    readCorpus({
      messages: [
        { id: 'x', category: 'c', text: 't', intent: 'order', lines: [{ sku: 'A', quantity: 1, unit: 'tin' }] },
      ],
    }),
  );
});

test.run();

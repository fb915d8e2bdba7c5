import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ParsedOrderText } from '../ports/order-text-parser.js';
import { LocalOrderTextParser } from '../parsing/local-order-text-parser.js';
import { CORPUS_TARGET as TARGET, evaluateCorpus, sameLine } from './evaluation.js';
import { type CorpusMessage, contextFor, loadCorpus, readCorpus } from './messages.js';
import { generatedCatalog } from './generated-catalog.js';
import { nepaliCatalog } from './nepali-catalog.js';

const catalog = nepaliCatalog();
const parserFor = () => new LocalOrderTextParser(catalog);

const big = generatedCatalog();

for (const [name, products] of [
  ['corpus catalog', catalog],
  ['generated 5,000-product catalog', big],
] as const) {
  test(`corpus on the ${name}: F1 and intent accuracy reach the target, whole and held out, no wrong line`, async () => {
    const messages = await loadCorpus();
    assert.ok(messages.length >= 500, `corpus has ${messages.length} messages`);
    const parser = new LocalOrderTextParser(products);
    for (const part of [messages, messages.filter((m) => m.heldOut)]) {
      const results = await Promise.all(part.map((m) => parser.parse(m.text, contextFor(m, products))));
      const { overall } = evaluateCorpus(part, results, products);
      const label = `${part.length} messages`;
      assert.ok(overall.f1 >= TARGET, `${label}: line F1 ${overall.f1.toFixed(3)} < ${TARGET}`);
      assert.ok(overall.intentAccuracy >= TARGET, `${label}: intent ${overall.intentAccuracy.toFixed(3)}`);
      assert.is(overall.falsePositives, 0, `${label}: lines placed wrongly without a question`);
    }
  });
}

test('corpus: the held-out part covers every new category', async () => {
  const held = (await loadCorpus()).filter((m) => m.heldOut);
  assert.ok(held.length >= 40, `${held.length} held-out messages`);
  const categories = new Set(held.map((m) => m.category));
  for (const c of ['pack-count', 'units-convert', 'generic', 'status-nokw', 'order-ref', 'junk-number', 'cancel', 'repeat']) {
    assert.ok(categories.has(c), c);
  }
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
    history: [],
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

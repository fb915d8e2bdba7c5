import { readFileSync } from 'node:fs';
import type { ParsedOrderText } from '@khaacho/core';
import { CORPUS_TARGET, contextFor, evaluateCorpus, loadCorpus } from '@khaacho/core/corpus';
import type nock from 'nock';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { catalogParsers } from './testing/catalog-parser.js';
import { provider, resetProvider, testConfig } from './testing/openai-fixtures.js';

interface Replayed {
  readonly id: string;
  readonly text: string;
  readonly completion: nock.Body;
}

// Authored answers in the documented shape, with a model's usual faults (see scripts/write-corpus-answers.ts).
const answers: Replayed[] = JSON.parse(readFileSync(new URL('./testing/corpus-answers.json', import.meta.url), 'utf8'));

test.after.each(() => resetProvider());

test('the corpus scorer over the replayed answers: targets met whole and held out, no line placed wrongly', async () => {
  const { ai, catalog, local } = catalogParsers(testConfig({ breaker: { volumeThreshold: 10_000 } }));
  const scope = provider();
  for (const a of answers) {
    scope
      .post('/v1/chat/completions', (body: { messages: { content: string }[] }) => {
        return JSON.parse(body.messages[1]?.content ?? '{}').message === a.text;
      })
      .reply(200, a.completion);
  }
  const messages = await loadCorpus();
  const results: ParsedOrderText[] = [];
  const localResults: ParsedOrderText[] = [];
  for (const m of messages) {
    results.push(await ai.parse(m.text, contextFor(m, catalog)));
    localResults.push(await local.parse(m.text, contextFor(m, catalog)));
  }
  const metrics = ai.metrics();
  assert.is(metrics.calls, answers.length, 'the messages sent are those answered (else re-run the script)');
  assert.ok(scope.isDone(), 'every replayed answer was asked for');
  assert.is(metrics.fallbacks, 0);
  assert.ok(metrics.rejectedLines >= 7, `hallucinated products refused: ${metrics.rejectedLines}`);

  const scored = messages.map((message, i) => ({ message, ai: results[i], local: localResults[i] }));
  for (const [label, part] of [
    ['whole corpus', scored],
    ['held out', scored.filter((s) => s.message.heldOut)],
  ] as const) {
    const texts = part.map((s) => s.message);
    const withAi = evaluateCorpus(
      texts,
      part.flatMap((s) => (s.ai ? [s.ai] : [])),
      catalog,
    ).overall;
    const alone = evaluateCorpus(
      texts,
      part.flatMap((s) => (s.local ? [s.local] : [])),
      catalog,
    ).overall;
    console.log(
      `  ${label} (${part.length}): AI line F1 ${withAi.f1.toFixed(3)}, intent ${withAi.intentAccuracy.toFixed(3)}, FP ${withAi.falsePositives}` +
        ` | local F1 ${alone.f1.toFixed(3)}, intent ${alone.intentAccuracy.toFixed(3)}, FP ${alone.falsePositives}`,
    );
    assert.is(withAi.falsePositives, 0, `${label}: lines placed wrongly without a question`);
    assert.ok(withAi.f1 >= CORPUS_TARGET, `${label}: F1 ${withAi.f1}`);
    assert.ok(withAi.intentAccuracy >= CORPUS_TARGET, `${label}: intent ${withAi.intentAccuracy}`);
    assert.ok(withAi.f1 >= alone.f1, `${label}: the model's answers cost line F1`);
  }
  ai.close();
});

test.run();

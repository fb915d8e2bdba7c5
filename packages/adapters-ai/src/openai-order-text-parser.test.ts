import { ORDER_TEXT_PARSER, type OrderTextParser, SPEECH_TO_TEXT, type SpeechToText } from '@khaacho/core';
import { Container } from 'inversify';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { aiConfig } from './ai-config.js';
import { AI_GROUNDING, AI_METRICS, type AiGrounding, type AiMetrics, aiModule } from './ai-module.js';
import { OpenAiOrderTextParser } from './openai-order-text-parser.js';
import { catalogParsers } from './testing/catalog-parser.js';
import { chatCompletion, provider, recordChatRequests, resetProvider, testConfig } from './testing/openai-fixtures.js';

// "rato wala" (the red one) is what tells masoor from the other dals: the model may quote it.
const TEXT = 'chini 2 kg\ndal 5 kg, rato wala';

test.after.each(() => resetProvider());

test('a structured answer choosing among the candidates is accepted; the request is grounded and strict', async () => {
  const { ai, local, sku } = catalogParsers(testConfig());
  const bodies = recordChatRequests(provider(), [
    chatCompletion({
      intent: 'order',
      orderNumber: null,
      lines: [{ line: 1, sku: 'DAL-MASOOR', quantity: 5, unit: 'kg', certain: true, evidence: 'rato wala' }],
    }),
  ]);
  const before = await local.parse(TEXT);
  const parsed = await ai.parse(TEXT);
  assert.is(parsed.source, 'ai');
  assert.equal(parsed.lines[0], before.lines[0], 'the line the local parser settled is untouched');
  const dal = parsed.lines[1];
  assert.ok(dal && !dal.needsClarification);
  assert.is(dal.productId, sku('DAL-MASOOR').id);
  assert.is(dal.quantity, 5);
  assert.is(dal.unit, 'kg');
  assert.is(dal.resolvedBy, 'match');
  assert.is(dal.suggestions[0]?.sku, 'DAL-MASOOR');
  assert.equal(before.unparsed, ['rato wala']);
  assert.equal(parsed.unparsed, [], 'the quoted words were understood');

  assert.is(bodies.length, 1);
  const body = bodies[0] as {
    model: string;
    response_format: { type: string; json_schema: { strict: boolean; schema: { required: string[] } } };
    messages: { role: string; content: string }[];
  };
  assert.is(body.model, 'gpt-4o-mini-2024-07-18');
  assert.is(body.response_format.type, 'json_schema');
  assert.is(body.response_format.json_schema.strict, true);
  assert.equal(body.response_format.json_schema.schema.required, ['intent', 'orderNumber', 'lines']);
  const grounding = JSON.parse(body.messages[1]?.content ?? '{}') as {
    message: string;
    openLines: { line: number; candidates: { sku: string }[] }[];
  };
  assert.is(grounding.message, TEXT);
  assert.equal(
    grounding.openLines.map((l) => [l.line, l.candidates.map((c) => c.sku)]),
    [[1, ['DAL-CHANA', 'DAL-MASOOR', 'DAL-MOONG']]],
    'only the open line is sent, with the local candidates',
  );
  const m = ai.metrics();
  assert.is(m.calls, 1);
  assert.is(m.successes, 1);
  assert.is(m.settledLines, 1);
  assert.is(m.fallbacks, 0);
  assert.is(m.latency.count, 1);
  ai.close();
});

test('a hallucinated product is never accepted: not a candidate, not in the catalog, or gone since', async () => {
  const { ai, local, products, sku } = catalogParsers(testConfig({ breaker: { volumeThreshold: 100 } }));
  const question = (await local.parse(TEXT)).lines[1];
  assert.ok(question?.needsClarification);
  const answers = ['DAL-ARHAR-SPECIAL', 'SUGAR', 'DAL-MOONG'];
  recordChatRequests(
    provider(),
    answers.map((s) =>
      chatCompletion({
        intent: 'order',
        orderNumber: null,
        lines: [{ line: 1, sku: s, quantity: 5, unit: 'kg', certain: true, evidence: 'rato wala' }],
      }),
    ),
  );
  // An invented SKU, a real product that was not offered for this line, and an offered one deleted meanwhile.
  for (const s of answers) {
    if (s === 'DAL-MOONG') products.delete(sku('DAL-MOONG').id as string);
    const parsed = await ai.parse(TEXT);
    assert.equal(parsed.lines[1], question, `${s}: the line stays the local question`);
    assert.ok(parsed.lines.every((l) => l.productId === null || products.has(l.productId)));
  }
  assert.is(ai.metrics().rejectedLines, 3);
  assert.is(ai.metrics().settledLines, 0);
  ai.close();
});

test('an unsure model, or one that reads other numbers, leaves the question standing', async () => {
  const { ai, local } = catalogParsers(testConfig());
  const question = (await local.parse(TEXT)).lines[1];
  recordChatRequests(provider(), [
    chatCompletion({
      intent: 'order',
      orderNumber: null,
      lines: [{ line: 1, sku: 'DAL-MASOOR', quantity: 5, unit: 'kg', certain: false, evidence: 'rato wala' }],
    }),
    chatCompletion({
      intent: 'order',
      orderNumber: null,
      lines: [{ line: 1, sku: 'DAL-MASOOR', quantity: 50, unit: 'kg', certain: true, evidence: 'rato wala' }],
    }),
    chatCompletion({
      intent: 'order',
      orderNumber: null,
      lines: [{ line: 1, sku: 'DAL-MASOOR', quantity: 5, unit: 'bag', certain: true, evidence: 'rato wala' }],
    }),
  ]);
  for (let i = 0; i < 3; i++) assert.equal((await ai.parse(TEXT)).lines[1], question, `answer ${i}`);
  assert.is(ai.metrics().settledLines, 0);
  ai.close();
});

test("a tie the line's own words cannot break is not settled: the evidence must come from elsewhere in the message", async () => {
  const { ai, local } = catalogParsers(testConfig());
  const question = (await local.parse(TEXT)).lines[1];
  const choose = (evidence: string) =>
    chatCompletion({
      intent: 'order',
      orderNumber: null,
      lines: [{ line: 1, sku: 'DAL-MASOOR', quantity: 5, unit: 'kg', certain: true, evidence }],
    });
  recordChatRequests(provider(), [choose('dal 5 kg'), choose('masoor dal'), choose(''), choose('Rato Wala')]);
  assert.equal((await ai.parse(TEXT)).lines[1], question, "the line's own words");
  assert.equal((await ai.parse(TEXT)).lines[1], question, 'words the message does not contain');
  assert.equal((await ai.parse(TEXT)).lines[1], question, 'no evidence');
  assert.is((await ai.parse(TEXT)).lines[1]?.needsClarification, false, 'a quote from the message, in any case');
  ai.close();
});

test('an answer that fails the schema, is refused or cut off is a failure: the local answer is given', async () => {
  const { ai, local } = catalogParsers(testConfig({ breaker: { volumeThreshold: 100 } }));
  const expected = await local.parse(TEXT);
  recordChatRequests(provider(), [
    chatCompletion({
      intent: 'order',
      orderNumber: null,
      lines: [{ line: 1, sku: 'DAL-MASOOR', quantity: '5', unit: 'kg', certain: true, evidence: 'rato wala' }],
    }),
    chatCompletion({ intent: 'order', orderNumber: null, lines: [], note: 'extra' }),
    chatCompletion('{"intent": "order", "lines": ['),
    chatCompletion(null, { refusal: "I'm sorry, I can't help with that." }),
    chatCompletion({ intent: 'order', orderNumber: null, lines: [] }, { finishReason: 'length' }),
  ]);
  for (let i = 0; i < 5; i++) assert.equal(await ai.parse(TEXT), expected, `answer ${i}`);
  const m = ai.metrics();
  assert.equal(m.failures, { invalid_answer: 5 });
  assert.is(m.fallbacks, 5);
  ai.close();
});

test('a message the local parser settles alone is not sent', async () => {
  const { ai, local } = catalogParsers(testConfig());
  provider(); // no reply set: a request would fail and show as a failure
  for (const text of ['chini 2 kg', 'where is my delivery?', 'namaste']) {
    assert.equal(await ai.parse(text), await local.parse(text));
  }
  const m = ai.metrics();
  assert.is(m.calls, 0);
  assert.is(m.skipped, 3);
  ai.close();
});

test("a message the local parser cannot classify takes the model's intent; an order number only when the text has it", async () => {
  const { ai, local } = catalogParsers(testConfig());
  const text = 'sathi ABX-91 ko kura garnu thiyo';
  const before = await local.parse(text);
  assert.is(before.intent, 'unknown', 'precondition: the local parser cannot tell');
  recordChatRequests(provider(), [
    chatCompletion({ intent: 'status', orderNumber: '#ABX-91', lines: [] }),
    chatCompletion({ intent: 'status', orderNumber: 'KH-000042', lines: [] }),
    chatCompletion({ intent: 'order', orderNumber: null, lines: [] }),
  ]);
  assert.equal(await ai.parse(text), {
    intent: 'status',
    lines: [],
    unparsed: [],
    orderNumber: 'ABX-91',
    source: 'ai',
  });
  assert.is((await ai.parse(text)).orderNumber, null, 'an order number the text does not contain is dropped');
  assert.is((await ai.parse(text)).intent, 'unknown', 'an order with no settled line is not an order');
  ai.close();
});

test('aiModule: without a key the local parser is bound and voice notes are "please type your order"', async () => {
  const { local, products } = catalogParsers(testConfig());
  const container = new Container();
  container.bind<AiGrounding>(AI_GROUNDING).toConstantValue({ local, productById: (id) => products.get(id as string) });
  container.load(aiModule(aiConfig({})));
  assert.is(container.get<OrderTextParser>(ORDER_TEXT_PARSER), local);
  const speech = await container
    .get<SpeechToText>(SPEECH_TO_TEXT)
    .transcribe({ audio: Uint8Array.from([1]), mimeType: 'audio/ogg' });
  assert.is(speech.kind, 'type-your-order');
  assert.equal(container.get<AiMetrics>(AI_METRICS)(), { enabled: false, parser: null, speech: null });
  assert.throws(() => new OpenAiOrderTextParser({ config: aiConfig({}), local, productById: () => undefined }));
});

test('aiModule: with a key the AI parser and transcription are bound, with metrics, and closed on unbind', async () => {
  const { local, products } = catalogParsers(testConfig());
  const container = new Container();
  container.bind<AiGrounding>(AI_GROUNDING).toConstantValue({ local, productById: (id) => products.get(id as string) });
  container.load(aiModule(testConfig()));
  assert.instance(container.get(ORDER_TEXT_PARSER), OpenAiOrderTextParser);
  container.get<SpeechToText>(SPEECH_TO_TEXT);
  const snapshot = container.get<AiMetrics>(AI_METRICS)();
  assert.is(snapshot.enabled, true);
  assert.is(snapshot.parser?.state, 'closed');
  assert.is(snapshot.speech?.calls, 0);
  await container.unbindAll();
});

test.run();

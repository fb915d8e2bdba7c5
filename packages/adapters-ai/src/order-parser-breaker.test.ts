import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { catalogParsers } from './testing/catalog-parser.js';
import {
  chatCompletion,
  provider,
  RATE_LIMITED,
  recordChatRequests,
  resetProvider,
  SERVER_ERROR,
  testConfig,
} from './testing/openai-fixtures.js';

const TEXT = 'dal 5 kg, rato wala';
const SETTLING = chatCompletion({
  intent: 'order',
  orderNumber: null,
  lines: [{ line: 0, sku: 'DAL-MASOOR', quantity: 5, unit: 'kg', certain: true, evidence: 'rato wala' }],
});

test.after.each(() => resetProvider());

/** opossum's reset timer is unref'd: hold the event loop open while a test waits for it. */
async function held<T>(promise: Promise<T>): Promise<T> {
  const hold = setInterval(() => {}, 1_000);
  try {
    return await promise;
  } finally {
    clearInterval(hold);
  }
}

test('a provider slower than the timeout: the request is cut off and the local answer given', async () => {
  const { ai, local } = catalogParsers(testConfig({ timeoutMs: 50, breaker: { volumeThreshold: 100 } }));
  // A provider that never answers: the parse can only end through the timeout. (nock's `delay`
  // is not used: undici asserts when a delayed mock completes on a socket the abort closed.)
  provider()
    .post('/v1/chat/completions')
    .reply(200, () => new Promise<never>(() => {}));
  assert.equal(await ai.parse(TEXT), await local.parse(TEXT));
  const m = ai.metrics();
  assert.equal(m.failures, { timeout: 1 });
  assert.is(m.fallbacks, 1);
  assert.is(m.state, 'closed', 'one timeout in a hundred-call window does not open it');
  ai.close();
});

test('5xx and 429 open the breaker (no SDK retry); while open the fallback answers without a request', async () => {
  const { ai, local } = catalogParsers(testConfig());
  const expected = await local.parse(TEXT);
  const scope = provider();
  scope.post('/v1/chat/completions').reply(500, SERVER_ERROR);
  scope.post('/v1/chat/completions').reply(429, RATE_LIMITED, { 'retry-after': '20' });
  const opened = ai.breakerWhen('open');
  assert.equal(await ai.parse(TEXT), expected);
  assert.equal(await ai.parse(TEXT), expected);
  await opened;
  assert.is(ai.breakerState, 'open');
  assert.ok(scope.isDone(), 'each failure was one request');
  // Nothing is set up to answer now: a request would be a connection failure, not a short-circuit.
  assert.equal(await ai.parse(TEXT), expected);
  const m = ai.metrics();
  assert.equal(m.failures, { server_error: 1, rate_limited: 1, breaker_open: 1 });
  assert.is(m.fallbacks, 3);
  assert.is(m.calls, 3);
  assert.is(m.opened, 1);
  assert.is(m.latency.count, 2, 'the short-circuited call had no latency');
  ai.close();
});

test('the breaker half-opens after the reset time; a good trial closes it, a bad one opens it again', async () => {
  const { ai, local } = catalogParsers(testConfig({ breaker: { resetTimeoutMs: 40 } }));
  const expected = await local.parse(TEXT);
  const scope = provider();
  scope.post('/v1/chat/completions').times(2).reply(503, SERVER_ERROR);
  await ai.parse(TEXT);
  await ai.parse(TEXT);
  assert.is(ai.breakerState, 'open');

  await held(ai.breakerWhen('half-open'));
  assert.is(ai.breakerState, 'half-open');
  scope.post('/v1/chat/completions').reply(500, SERVER_ERROR);
  assert.equal(await ai.parse(TEXT), expected);
  assert.is(ai.breakerState, 'open', 'a failed trial opens it again');

  await held(ai.breakerWhen('half-open'));
  recordChatRequests(scope, [SETTLING, SETTLING]);
  const closed = ai.breakerWhen('closed');
  const trial = await ai.parse(TEXT);
  await closed;
  assert.is(ai.breakerState, 'closed');
  assert.is(trial.source, 'ai');
  assert.is(trial.lines[0]?.needsClarification, false);
  assert.is((await ai.parse(TEXT)).source, 'ai', 'closed: the provider is asked again');
  const m = ai.metrics();
  assert.is(m.opened, 2);
  assert.is(m.successes, 2);
  ai.close();
});

test('a connection failure is a failure like a 5xx: the fallback answers', async () => {
  const { ai, local } = catalogParsers(testConfig({ breaker: { volumeThreshold: 100 } }));
  provider()
    .post('/v1/chat/completions')
    .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
  assert.equal(await ai.parse(TEXT), await local.parse(TEXT));
  assert.equal(ai.metrics().failures, { connection: 1 });
  ai.close();
});

test.run();

import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  LOGGER,
  type Logger,
  MESSAGE_SENDER,
  type MessageSender,
  PhoneNumber,
  type OutboundMessage,
  type RateLimiter,
} from '@khaacho/core';
import { InMemoryRateLimiter, ManualClock, RecordingLogger } from '@khaacho/core/testing';
import { Container } from 'inversify';
import nock from 'nock';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  accepted,
  graph,
  graphError,
  type Json,
  MESSAGES_PATH,
  resetGraph,
  SHOP_WA_ID,
  shop,
  testConfig,
  text,
} from '../testing/whatsapp-fixtures.js';
import { WHATSAPP_SEND_RATE_LIMITER, whatsappModule } from '../whatsapp-module.js';
import { WhatsAppCloudSender, whatsappSendRatePolicy } from './cloud-sender.js';
import { WhatsAppPayloadError } from './payloads.js';
import { backoffMs, WhatsAppSendError } from './send-errors.js';

test.after.each(() => resetGraph());

function sender(over: { limiter?: RateLimiter; logger?: Logger; sleep?: (ms: number) => Promise<void> } = {}) {
  const config = testConfig();
  const clock = new ManualClock();
  const logger = over.logger ?? new RecordingLogger();
  return new WhatsAppCloudSender({
    config,
    rateLimiter: over.limiter ?? new InMemoryRateLimiter(clock, whatsappSendRatePolicy(config)),
    logger,
    ...(over.sleep ? { sleep: over.sleep } : {}),
  });
}

/** The Graph API answering each request in turn; returns the JSON bodies it received. */
function expectPosts(replies: ReadonlyArray<[number, Json]>): Json[] {
  const bodies: Json[] = [];
  const scope = graph();
  for (const [status, reply] of replies) {
    scope
      .post(MESSAGES_PATH, (body: Json) => {
        // nock 15 hands the body to a matcher already parsed.
        bodies.push(body);
        return true;
      })
      .matchHeader('authorization', 'Bearer EAAtest-not-a-real-token')
      .matchHeader('content-type', 'application/json')
      .reply(status, reply);
  }
  return bodies;
}

async function failure(promise: Promise<unknown>): Promise<WhatsAppSendError> {
  try {
    await promise;
  } catch (error) {
    if (WhatsAppSendError.is(error)) return error;
    throw error;
  }
  throw new Error('expected the send to fail');
}

const TEMPLATE = { template: 'order_update', language: 'en', parameters: ['KH-1042', 'Rs 8,900.00'] } as const;

test('text: POST /{version}/{phone-number-id}/messages with the token; the wamid comes back', async () => {
  const bodies = expectPosts([[200, accepted('wamid.SENT1')]]);
  const result = await sender().send(text('Your order KH-1042 is confirmed. चामल २ बोरा 🙏'));
  assert.equal(result, { providerMessageId: 'wamid.SENT1' });
  assert.equal(bodies, [
    {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: SHOP_WA_ID,
      type: 'text',
      text: { preview_url: false, body: 'Your order KH-1042 is confirmed. चामल २ बोरा 🙏' },
    },
  ]);
});

test('reply buttons: an interactive button message', async () => {
  const bodies = expectPosts([[200, accepted('wamid.SENT2')]]);
  await sender().send({
    kind: 'buttons',
    to: shop,
    body: 'Total Rs 8,900.00. Confirm?',
    buttons: [
      { id: 'order:confirm:d1', title: 'Confirm' },
      { id: 'order:edit:d1', title: 'Edit' },
      { id: 'order:cancel:d1', title: 'Cancel' },
    ],
  });
  assert.equal(bodies[0]?.interactive, {
    type: 'button',
    body: { text: 'Total Rs 8,900.00. Confirm?' },
    action: {
      buttons: [
        { type: 'reply', reply: { id: 'order:confirm:d1', title: 'Confirm' } },
        { type: 'reply', reply: { id: 'order:edit:d1', title: 'Edit' } },
        { type: 'reply', reply: { id: 'order:cancel:d1', title: 'Cancel' } },
      ],
    },
  });
  assert.is(bodies[0]?.type, 'interactive');
});

test('list: sections and rows with descriptions', async () => {
  const bodies = expectPosts([[200, accepted('wamid.SENT3')]]);
  await sender().send({
    kind: 'list',
    to: shop,
    body: 'Which "chamal" did you mean?',
    button: 'Choose rice',
    sections: [
      {
        title: 'Rice',
        rows: [
          { id: 'pick:l1:rice-mansuli-25', title: 'Mansuli 25 kg', description: 'Rs 2,150.00 / bora' },
          { id: 'pick:l1:rice-jeera-25', title: 'Jeera Masino 25 kg' },
        ],
      },
    ],
  });
  assert.equal(bodies[0]?.interactive, {
    type: 'list',
    body: { text: 'Which "chamal" did you mean?' },
    action: {
      button: 'Choose rice',
      sections: [
        {
          title: 'Rice',
          rows: [
            { id: 'pick:l1:rice-mansuli-25', title: 'Mansuli 25 kg', description: 'Rs 2,150.00 / bora' },
            { id: 'pick:l1:rice-jeera-25', title: 'Jeera Masino 25 kg' },
          ],
        },
      ],
    },
  });
});

test('template: name, language and body parameters', async () => {
  const bodies = expectPosts([[200, accepted('wamid.SENT4')]]);
  await sender().send({ kind: 'template', to: shop, ...TEMPLATE });
  assert.equal(bodies[0], {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: SHOP_WA_ID,
    type: 'template',
    template: {
      name: 'order_update',
      language: { code: 'en' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'KH-1042' },
            { type: 'text', text: 'Rs 8,900.00' },
          ],
        },
      ],
    },
  });
});

test('a payload over the documented limits is refused before anything is sent', async () => {
  const scope = graph().post(MESSAGES_PATH).reply(200, accepted('wamid.NEVER'));
  const button = (i: number, title = `B${i}`) => ({ id: `b:${i}`, title });
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` }));
  const cases: Array<[OutboundMessage, RegExp]> = [
    [
      { kind: 'text', to: PhoneNumber.erased('0190a8f2-0000-7000-8000-000000000001'), text: 'x' },
      /recipient was erased/,
    ],
    [{ kind: 'buttons', to: shop, body: 'x', buttons: [1, 2, 3, 4].map((i) => button(i)) }, /4 buttons \(1 to 3\)/],
    [{ kind: 'buttons', to: shop, body: 'x', buttons: [] }, /0 buttons/],
    [
      { kind: 'buttons', to: shop, body: 'x', buttons: [button(1, 'Confirm the order now!')] },
      /button 1 title is 22 characters \(max 20\)/,
    ],
    [{ kind: 'buttons', to: shop, body: 'x', buttons: [button(1, 'Yes'), button(2, 'Yes')] }, /title repeats/],
    [
      { kind: 'list', to: shop, body: 'x', button: 'Pick', sections: [{ rows: rows(11) }] },
      /11 rows \(1 to 10 across all sections\)/,
    ],
    [
      {
        kind: 'list',
        to: shop,
        body: 'x',
        button: 'Pick',
        sections: [
          { title: 'A', rows: rows(6) },
          { title: 'B', rows: rows(5).map((r) => ({ ...r, id: `b${r.id}` })) },
        ],
      },
      /11 rows/,
    ],
    [
      {
        kind: 'list',
        to: shop,
        body: 'x',
        button: 'Pick',
        sections: [{ rows: [{ id: 'r', title: 'Mansuli Rice 25 kg bora (new)' }] }],
      },
      /row 1 title is 29 characters \(max 24\)/,
    ],
    [
      {
        kind: 'list',
        to: shop,
        body: 'x',
        button: 'Pick',
        sections: [{ rows: rows(2) }, { title: 'B', rows: [{ id: 'z', title: 'Z' }] }],
      },
      /section 1 needs a title/,
    ],
    [
      {
        kind: 'list',
        to: shop,
        body: 'x',
        button: 'Pick',
        sections: [{ rows: [{ id: 'r', title: 'R', description: 'd'.repeat(73) }] }],
      },
      /row 1 description is 73 characters \(max 72\)/,
    ],
    [text('x'.repeat(4097)), /text is 4097 characters \(max 4096\)/],
    [text(''), /text is empty/],
    [{ kind: 'template', to: shop, template: 'Order Update', language: 'en', parameters: [] }, /template name/],
    [
      text('ok', { fallbackTemplate: { template: 'order_update', language: 'en', parameters: ['two\nlines'] } }),
      /parameter 1 has a new line/,
    ],
  ];
  for (const [message, reason] of cases) {
    try {
      await sender().send(message);
      assert.unreachable(`sent ${JSON.stringify(message)}`);
    } catch (error) {
      assert.instance(error, WhatsAppPayloadError);
      assert.match((error as Error).message, reason);
    }
  }
  assert.not.ok(scope.isDone(), 'nothing reached the Graph API');
});

test('a 20-sign Devanagari title fits; emoji count two each', async () => {
  const bodies = expectPosts([[200, accepted('wamid.SENT5')]]);
  const title = 'चामल पक्का गर्नुहोस्'; // 20 signs: letters, vowel signs, viramas, a space
  assert.is(title.length, 20);
  await sender().send({ kind: 'buttons', to: shop, body: 'ठीक छ?', buttons: [{ id: 'ok', title }] });
  assert.is(bodies.length, 1);
  const emoji = `${'👍'.repeat(10)}!`;
  await sender()
    .send({ kind: 'buttons', to: shop, body: 'ठीक छ?', buttons: [{ id: 'ok', title: emoji }] })
    .then(
      () => assert.unreachable('an 11-emoji title was sent'),
      (error: Error) => assert.match(error.message, /button 1 title is 21 characters \(max 20\)/),
    );
});

test('130429 and 131056: throttled, retryable, with a backoff that doubles', async () => {
  expectPosts([
    [
      400,
      graphError(
        130429,
        '(#130429) Rate limit hit',
        'Message failed to send because there were too many messages sent from this phone number in a short period of time',
      ),
    ],
    [
      400,
      graphError(
        131056,
        '(#131056) (Business Account, Consumer Account) pair rate limit hit',
        'Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.',
      ),
    ],
  ]);
  const s = sender();
  const throughput = await failure(s.send(text('one')));
  assert.is(throughput.reason, 'throttled');
  assert.is(throughput.code, 130429);
  assert.ok(throughput.retryable);
  assert.is(throughput.fbtraceId, 'AtestTraceId123');
  assert.equal(
    [1, 2, 3].map((n) => backoffMs(throughput, n)),
    [1_000, 2_000, 4_000],
  );
  assert.is(backoffMs(throughput, 50), 300_000);
  const pair = await failure(s.send(text('two')));
  assert.is(pair.reason, 'throttled');
  assert.is(pair.code, 131056);
  assert.equal(
    [1, 2].map((n) => backoffMs(pair, n)),
    [6_000, 12_000],
  );
});

test('131047 outside the window: the matching template is sent instead', async () => {
  const bodies = expectPosts([
    [
      400,
      graphError(
        131047,
        'Re-engagement message',
        'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      ),
    ],
    [200, accepted('wamid.TEMPLATE1')],
  ]);
  const logger = new RecordingLogger();
  const result = await sender({ logger }).send(
    text('Your order KH-1042 was delivered.', { fallbackTemplate: TEMPLATE }),
  );
  assert.equal(result, { providerMessageId: 'wamid.TEMPLATE1' });
  assert.is(bodies.length, 2);
  assert.is(bodies[0]?.type, 'text');
  assert.equal(bodies[1], {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: SHOP_WA_ID,
    type: 'template',
    template: {
      name: 'order_update',
      language: { code: 'en' },
      components: [{ type: 'body', parameters: TEMPLATE.parameters.map((t) => ({ type: 'text', text: t })) }],
    },
  });
  assert.ok(logger.records.some((r) => r.message.includes('fallback template') && r.fields.code === 131047));
});

test('131047 without a fallback template: a typed outside-window error, not retried', async () => {
  expectPosts([[400, graphError(131047, 'Re-engagement message', 'More than 24 hours.')]]);
  const error = await failure(
    sender().send({ kind: 'buttons', to: shop, body: 'Confirm?', buttons: [{ id: 'c', title: 'Confirm' }] }),
  );
  assert.is(error.reason, 'outside_window');
  assert.not.ok(error.retryable);
});

test('131026 undeliverable and 190 token expired: typed, needing an alert, logged as errors with the code', async () => {
  expectPosts([
    [400, graphError(131026, 'Message undeliverable', 'Unable to deliver message.')],
    [
      401,
      {
        error: {
          message: 'Error validating access token: Session has expired.',
          type: 'OAuthException',
          code: 190,
          error_subcode: 463,
          fbtrace_id: 'Atrace190',
        },
      },
    ],
  ]);
  const logger = new RecordingLogger();
  const s = sender({ logger });
  const undeliverable = await failure(s.send(text('hello')));
  assert.equal(
    [undeliverable.reason, undeliverable.code, undeliverable.needsAlert, undeliverable.retryable],
    ['undeliverable', 131026, true, false],
  );
  const expired = await failure(s.send(text('hello')));
  assert.equal(
    [expired.reason, expired.code, expired.needsAlert, expired.httpStatus],
    ['token_expired', 190, true, 401],
  );
  assert.equal(
    logger.records.filter((r) => r.level === 'error').map((r) => [r.fields.reason, r.fields.code]),
    [
      ['undeliverable', 131026],
      ['token_expired', 190],
    ],
  );
  // The token never reaches the log.
  assert.not.match(JSON.stringify(logger.records), /EAAtest/);
});

test('any other code: rejected and logged with its code; a 5xx or the network down: unavailable, retryable', async () => {
  const logger = new RecordingLogger();
  const s = sender({ logger });
  expectPosts([
    [400, { error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100, fbtrace_id: 'A100' } }],
    [503, { error: { message: 'Service temporarily unavailable', code: 2, type: 'OAuthException' } }],
  ]);
  const rejected = await failure(s.send(text('a')));
  assert.equal([rejected.reason, rejected.code, rejected.retryable], ['rejected', 100, false]);
  assert.ok(logger.records.some((r) => r.level === 'error' && r.fields.code === 100));
  const down = await failure(s.send(text('b')));
  assert.equal([down.reason, down.code, down.retryable], ['unavailable', 2, true]);
  // nock 15 on fetch: an Error instance, not a plain object (that leaves the request hanging).
  graph()
    .post(MESSAGES_PATH)
    .replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
  const unreachable = await failure(s.send(text('c')));
  assert.equal([unreachable.reason, unreachable.code, unreachable.retryable], ['unavailable', null, true]);
});

test('a burst above the per-number rate waits for its turn instead of failing', async () => {
  const clock = new ManualClock();
  const limiter = new InMemoryRateLimiter(clock, { points: 2, durationMs: 1_000 });
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
    clock.advance(ms);
  };
  const bodies = expectPosts([1, 2, 3, 4, 5].map((i) => [200, accepted(`wamid.B${i}`)] as [number, Json]));
  const s = sender({ limiter, sleep });
  const ids: string[] = [];
  for (let i = 1; i <= 5; i++) ids.push((await s.send(text(`message ${i}`))).providerMessageId);
  assert.equal(ids, ['wamid.B1', 'wamid.B2', 'wamid.B3', 'wamid.B4', 'wamid.B5']);
  assert.is(bodies.length, 5);
  assert.equal(waits, [1_000, 1_000], 'the 3rd and the 5th waited for the next second');
});

test('a concurrent burst of 12 at 4 per second: every message goes out once, none fails', async () => {
  const clock = new ManualClock();
  const limiter = new InMemoryRateLimiter(clock, { points: 4, durationMs: 1_000 });
  let waits = 0;
  const sleep = async (ms: number) => {
    waits += 1;
    clock.advance(ms);
  };
  const bodies = expectPosts(Array.from({ length: 12 }, (_, i) => [200, accepted(`wamid.C${i}`)] as [number, Json]));
  const s = sender({ limiter, sleep });
  const results = await Promise.all(Array.from({ length: 12 }, (_, i) => s.send(text(`burst ${i}`))));
  assert.is(new Set(results.map((r) => r.providerMessageId)).size, 12);
  assert.equal(
    bodies.map((b) => (b.text as { body: string }).body).sort(),
    Array.from({ length: 12 }, (_, i) => `burst ${i}`).sort(),
  );
  assert.ok(waits >= 8, `the 8 over the first second's budget waited (${waits} waits)`);
});

test('a rate wait longer than maxRateWaitMs gives up as throttled, nothing sent', async () => {
  const clock = new ManualClock();
  const limiter = new InMemoryRateLimiter(clock, { points: 1, durationMs: 60_000 });
  await limiter.consume(`whatsapp:send:${testConfig().phoneNumberId}`);
  const scope = graph().post(MESSAGES_PATH).reply(200, accepted('wamid.NEVER'));
  const error = await failure(sender({ limiter, sleep: async (ms) => void clock.advance(ms) }).send(text('late')));
  assert.is(error.reason, 'throttled');
  assert.is(error.code, null);
  assert.ok(error.retryable);
  assert.not.ok(scope.isDone());
});

test('whatsappModule binds MESSAGE_SENDER to the Cloud API sender on the app’s send limiter', async () => {
  const config = testConfig();
  const container = new Container();
  container
    .bind(WHATSAPP_SEND_RATE_LIMITER)
    .toConstantValue(new InMemoryRateLimiter(new ManualClock(), whatsappSendRatePolicy(config)));
  container.bind(LOGGER).toConstantValue(new RecordingLogger());
  container.load(whatsappModule(config));
  const messages = container.get<MessageSender>(MESSAGE_SENDER);
  assert.instance(messages, WhatsAppCloudSender);
  assert.is(container.get(MESSAGE_SENDER), messages, 'one sender per container');
  expectPosts([[200, accepted('wamid.MOD1')]]);
  assert.equal(await messages.send(text('hi')), { providerMessageId: 'wamid.MOD1' });
  assert.equal(whatsappSendRatePolicy(config), { points: 80, durationMs: 1_000 });
});

test('over a real socket: a reply is read on a kept connection, and a stalled answer fails as unavailable within timeoutMs', async () => {
  // nock cannot stall an answer: a loopback Graph that answers the first send and never the second.
  nock.enableNetConnect('127.0.0.1');
  const sockets = new Set<Socket>();
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const sent = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text?: { body?: string } };
      if (sent.text?.body === 'stall') return;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ messaging_product: 'whatsapp', messages: [{ id: `wamid.LOCAL${requests}` }] }));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const config = testConfig({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 300 });
    const local = new WhatsAppCloudSender({
      config,
      rateLimiter: new InMemoryRateLimiter(new ManualClock(), whatsappSendRatePolicy(config)),
    });
    assert.equal(await local.send(text('hi')), { providerMessageId: 'wamid.LOCAL1' });
    assert.equal(await local.send(text('again')), { providerMessageId: 'wamid.LOCAL2' });
    assert.is(sockets.size, 1, 'the second send reused the first connection');
    const started = Date.now();
    const error = await local.send(text('stall')).catch((e: unknown) => e);
    assert.ok(WhatsAppSendError.is(error), 'a typed send error');
    assert.is(error.reason, 'unavailable');
    const waited = Date.now() - started;
    assert.ok(waited >= 250 && waited < 5_000, `gave up after ${waited} ms`);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});

test.run();

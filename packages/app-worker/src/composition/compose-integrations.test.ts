// The composed WhatsApp sender, AI parser and draft lifetime, each against a local HTTP stub
// of its provider on an ephemeral port (real sockets, the adapters' own fetch/SDK clients).
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AI_GROUNDING, AI_METRICS, OpenAiOrderTextParser } from '@khaacho/adapters-ai';
import { GraphMediaFetcher, WHATSAPP_SEND_RATE_LIMITER, WhatsAppCloudSender } from '@khaacho/adapters-whatsapp';
import {
  CatalogSnapshotParser,
  CONVERSATION_HANDLER,
  type Clock,
  DEFAULT_DRAFT_TTL_MS,
  DRAFT_USE_CASE_TOKENS,
  LoggedMessageSender,
  MEDIA_FETCHER,
  OUTBOUND_MESSAGE_LOG,
  MESSAGE_SENDER,
  Money,
  ORDER_TEXT_PARSER,
  PhoneNumber,
  type ProductId,
  SPEECH_TO_TEXT,
  SYSTEM_ACTOR,
  USE_CASE_TOKENS,
  unwrap,
} from '@khaacho/core';
import { InMemoryRateLimiter, ManualClock } from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError } from '../config/config-error.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { captureLines } from '../testing/order-journey.js';
import { startWorker } from '../worker/start-worker.js';
import { type Composition, composeContainer } from './compose-container.js';

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Record<string, unknown>;
}

/** A local HTTP server answering each request with `reply`; `next()` resolves with the next request it receives. */
async function stubServer(reply: (request: Received) => { status: number; body: unknown }) {
  const received: Received[] = [];
  const waiting: ((r: Received) => void)[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
      received.push(request);
      const answer = reply(request);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
      waiting.shift()?.(request);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    next: () => new Promise<Received>((resolve) => waiting.push(resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const WHATSAPP_ENV = {
  KHAACHO_MESSAGE_SENDER: 'whatsapp',
  WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
  WHATSAPP_ACCESS_TOKEN: 'EAAtest-token',
  WHATSAPP_APP_SECRET: 'app-secret',
  WHATSAPP_VERIFY_TOKEN: 'verify-me',
  WHATSAPP_SEND_RATE_PER_SECOND: '5',
};

const graphSent = (n: number) => ({
  status: 200,
  body: {
    messaging_product: 'whatsapp',
    contacts: [{ input: '+9779851000001', wa_id: '9779851000001' }],
    messages: [{ id: `wamid.test${n}` }],
  },
});

async function catalogWithShop(app: Composition) {
  const uc = USE_CASE_TOKENS;
  const vendor = unwrap(
    await app.get(uc.registerVendor).execute({
      name: 'Bhatbhateni Distributors',
      phone: PhoneNumber.parse('9851000001'),
      serviceAreas: ['kathmandu-10'],
      dailyCapacity: 100,
      actor: SYSTEM_ACTOR,
    }),
  );
  const products = [
    { sku: 'WAIWAI-75', name: 'Wai Wai Noodles 75g', category: 'noodles', aliases: ['wai wai'] },
    { sku: 'DAL-MASOOR-1KG', name: 'Masoor Dal 1kg', category: 'pulses', aliases: ['masoor dal', 'rato dal'] },
    { sku: 'DAL-CHANA-1KG', name: 'Chana Dal 1kg', category: 'pulses', aliases: ['chana dal'] },
  ];
  const ids: Record<string, string> = {};
  for (const p of products) {
    const { product } = unwrap(
      await app.get(uc.upsertProduct).execute({
        sku: p.sku,
        name: p.name,
        category: p.category,
        baseUnit: p.category === 'noodles' ? 'packet' : 'kg',
        conversions: p.category === 'noodles' ? [{ unit: 'carton', toBase: 30 }] : [],
        aliases: p.aliases.map((text) => ({ text, language: 'ne-Latn' as const })),
        actor: SYSTEM_ACTOR,
      }),
    );
    ids[p.sku] = product.id;
    unwrap(
      await app.get(uc.upsertVendorOffer).execute({
        vendorId: vendor.id,
        productId: product.id,
        unit: p.category === 'noodles' ? 'packet' : 'kg',
        unitPrice: Money.parse(p.category === 'noodles' ? '20' : '160'),
        stockOnHand: 3000,
        actor: SYSTEM_ACTOR,
      }),
    );
  }
  const shop = unwrap(
    await app.get(uc.registerRetailer).execute({
      name: 'Sita Kirana Pasal',
      phone: PhoneNumber.parse('9841000001'),
      area: 'kathmandu-10',
      district: 'kathmandu',
      creditLimit: Money.parse('50000'),
      status: 'ACTIVE',
      actor: SYSTEM_ACTOR,
    }),
  );
  return { vendor, shop, ids };
}

test('whatsapp without Redis: the Cloud API sender on an in-memory send rate of whatsappSendRatePolicy', async () => {
  const clock = new ManualClock(new Date('2026-12-06T03:00:00Z'));
  const app = await composeContainer(
    workerConfigFromEnv({ KHAACHO_STORE: 'memory', LOG_LEVEL: 'silent', ...WHATSAPP_ENV }),
    { clock },
  );
  try {
    assert.is(app.adapters.messageSender, 'whatsapp');
    assert.is(app.adapters.rateLimiter, 'memory');
    const sender = app.get(MESSAGE_SENDER);
    assert.ok(sender instanceof LoggedMessageSender, 'sends are logged for the status callbacks');
    assert.ok(sender.inner instanceof WhatsAppCloudSender);
    const limiter = app.get(WHATSAPP_SEND_RATE_LIMITER);
    assert.ok(limiter instanceof InMemoryRateLimiter);
    // Five a second (WHATSAPP_SEND_RATE_PER_SECOND) on the composed clock: the sixth waits for the next second.
    const decisions = [];
    for (let i = 0; i < 6; i += 1) decisions.push(await limiter.consume('probe'));
    assert.equal(
      decisions.map((d) => d.allowed),
      [true, true, true, true, true, false],
    );
    clock.advance(1_000);
    assert.ok((await limiter.consume('probe')).allowed);
  } finally {
    await app.close();
  }
});

test('whatsapp: an offer reaches the vendor through the composed worker, as a Graph call to the local stub', async () => {
  const graph = await stubServer((r) => graphSent(r.method === 'POST' ? 1 : 0));
  const { lines, destination } = captureLines();
  const app = await composeContainer(
    workerConfigFromEnv({ KHAACHO_STORE: 'memory', ...WHATSAPP_ENV, WHATSAPP_GRAPH_BASE_URL: graph.origin }),
    { logDestination: destination },
  );
  const worker = startWorker(app, { relay: { pollMs: 5 }, stopTimeoutMs: 5_000 });
  try {
    const { shop } = await catalogWithShop(app);
    const sent = graph.next();
    unwrap(
      await app.get(USE_CASE_TOKENS.placeOrder).execute({
        retailerId: shop.id,
        lines: [{ sku: 'WAIWAI-75', quantity: 2, unit: 'carton' }],
        source: 'whatsapp',
        actor: SYSTEM_ACTOR,
      }),
    );
    const request = await sent;
    assert.is(request.method, 'POST');
    assert.is(request.url, '/v23.0/106540352242922/messages');
    assert.is(request.headers.authorization, 'Bearer EAAtest-token');
    assert.is(request.body.messaging_product, 'whatsapp');
    assert.is(request.body.to, '9779851000001', 'the vendor, in E.164 digits');
    assert.is(request.body.type, 'interactive', 'Accept/Reject buttons');
    // The sender logs through the bound LOGGER, and never the token.
    assert.not.ok(JSON.stringify(lines).includes('EAAtest-token'));
  } finally {
    await worker.stop();
    await app.close();
    await graph.close();
  }
});

test('whatsapp: a message the Graph API accepted is in the OutboundMessageLog (status accepted); a refused one is not', async () => {
  let n = 0;
  const graph = await stubServer(() => {
    n += 1;
    return n === 1
      ? { status: 200, body: { messaging_product: 'whatsapp', contacts: [], messages: [{ id: 'wamid.logged.1' }] } }
      : { status: 400, body: { error: { message: 'Invalid parameter', type: 'OAuthException', code: 100 } } };
  });
  const app = await composeContainer(
    workerConfigFromEnv({
      KHAACHO_STORE: 'memory',
      LOG_LEVEL: 'silent',
      ...WHATSAPP_ENV,
      WHATSAPP_GRAPH_BASE_URL: graph.origin,
    }),
  );
  try {
    const to = PhoneNumber.parse('9841000001');
    const { providerMessageId } = await app.get(MESSAGE_SENDER).send({ kind: 'text', to, text: 'Namaste' });
    assert.is(providerMessageId, 'wamid.logged.1');
    const entry = await app.get(OUTBOUND_MESSAGE_LOG).get('wamid.logged.1');
    assert.equal([entry?.recipient, entry?.kind, entry?.status], [to.value, 'text', 'accepted']);
    await app
      .get(MESSAGE_SENDER)
      .send({ kind: 'text', to, text: 'again' })
      .catch(() => undefined);
    assert.is(graph.received.length, 2);
  } finally {
    await app.close();
    await graph.close();
  }
});

test('whatsapp: a refused Graph call is a typed failure logged through the bound LOGGER with its code', async () => {
  const graph = await stubServer(() => ({
    status: 400,
    body: { error: { message: 'Invalid parameter', type: 'OAuthException', code: 100, fbtrace_id: 'Atrace1' } },
  }));
  const { lines, destination } = captureLines();
  const app = await composeContainer(
    workerConfigFromEnv({ KHAACHO_STORE: 'memory', ...WHATSAPP_ENV, WHATSAPP_GRAPH_BASE_URL: graph.origin }),
    { logDestination: destination },
  );
  try {
    const error = await app
      .get(MESSAGE_SENDER)
      .send({ kind: 'text', to: PhoneNumber.parse('9841000001'), text: 'Namaste' })
      .then(
        () => null,
        (e: unknown) => e,
      );
    assert.ok(error instanceof Error);
    assert.is((error as { reason?: string }).reason, 'rejected');
    assert.is(graph.received.length, 1);
  } finally {
    await app.close();
    await graph.close();
  }
  const refusal = lines.find((l) => l.code === 100);
  assert.ok(refusal, 'a log line with the Graph code');
  assert.is(refusal?.fbtraceId, 'Atrace1');
  assert.not.ok(JSON.stringify(lines).includes('9841000001'), 'no recipient in the logs');
});

test('composeContainer refuses a whatsapp sender without its settings (a hand-built config)', async () => {
  const config = { ...workerConfigFromEnv({ KHAACHO_STORE: 'memory' }), messageSender: 'whatsapp' as const };
  const error = await composeContainer(config).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(ConfigError.is(error));
});

test('no OPENAI_API_KEY: the local cached-catalog parser stays the one ORDER_TEXT_PARSER, nothing of the AI bound', async () => {
  const app = await composeContainer(workerConfigFromEnv({ KHAACHO_STORE: 'memory', LOG_LEVEL: 'silent' }));
  try {
    assert.is(app.adapters.parser, 'local');
    assert.ok(app.get(ORDER_TEXT_PARSER) instanceof CatalogSnapshotParser);
    assert.not.ok(app.container.isBound(AI_GROUNDING));
    assert.not.ok(app.container.isBound(SPEECH_TO_TEXT));
  } finally {
    await app.close();
  }
});

/** A chat.completion as the API documents it, whose content is `answer`. */
function chatCompletion(answer: unknown) {
  return {
    id: 'chatcmpl-wiring1',
    object: 'chat.completion',
    created: 1_764_979_200,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: JSON.stringify(answer), refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 400, completion_tokens: 40, total_tokens: 440 },
  };
}

test('OPENAI_API_KEY: one ORDER_TEXT_PARSER, the OpenAI one grounded on the composed catalog; a draft settles through it', async () => {
  const asked: Received[] = [];
  const ai = await stubServer((request) => {
    asked.push(request);
    const prompt = JSON.parse(
      String((request.body.messages as { role: string; content: string }[]).at(-1)?.content),
    ) as { openLines: { line: number; quantity: number; unit: string | null; candidates: { sku: string }[] }[] };
    const open = prompt.openLines[0];
    return {
      status: 200,
      body: chatCompletion({
        intent: 'order',
        orderNumber: null,
        lines: open
          ? [
              {
                line: open.line,
                sku: 'DAL-MASOOR-1KG',
                quantity: open.quantity,
                unit: open.unit,
                certain: true,
                evidence: 'rato wala',
              },
            ]
          : [],
      }),
    };
  });
  const { lines, destination } = captureLines();
  const app = await composeContainer(
    workerConfigFromEnv({
      KHAACHO_STORE: 'memory',
      OPENAI_API_KEY: 'sk-test-wiring',
      KHAACHO_AI_BASE_URL: `${ai.origin}/v1`,
    }),
    { logDestination: destination },
  );
  try {
    assert.is(app.adapters.parser, 'openai');
    // Resolving the token at all proves one binding: Inversify refuses an ambiguous one.
    const parser = app.get(ORDER_TEXT_PARSER);
    assert.ok(parser instanceof OpenAiOrderTextParser);
    assert.ok(app.get(AI_GROUNDING).local instanceof CatalogSnapshotParser);
    const { shop, ids } = await catalogWithShop(app);
    const grounding = app.get(AI_GROUNDING);
    const actor = { type: 'retailer', id: shop.id } as const;
    const draft = unwrap(
      await app
        .get(DRAFT_USE_CASE_TOKENS.draftOrderFromText)
        .execute({ retailerId: shop.id, text: '5 kg dal, rato wala', actor }),
    );
    assert.is(asked.length, 1, 'the open line was sent');
    assert.is(asked[0]?.url, '/v1/chat/completions');
    assert.is(asked[0]?.headers.authorization, 'Bearer sk-test-wiring');
    const offered = JSON.stringify(asked[0]?.body.messages);
    assert.ok(offered.includes('DAL-MASOOR-1KG') && offered.includes('DAL-CHANA-1KG'), 'candidates from the catalog');
    assert.equal(
      draft.lines.map((l) => [l.line.sku, `${l.line.quantity}`]),
      [['DAL-MASOOR-1KG', '5 kg']],
    );
    // productById reads the snapshot the local parser was built from.
    assert.is(grounding.productById(ids['DAL-MASOOR-1KG'] as ProductId)?.sku, 'DAL-MASOOR-1KG');
    // A message the local parser settles alone is not sent.
    unwrap(
      await app
        .get(DRAFT_USE_CASE_TOKENS.draftOrderFromText)
        .execute({ retailerId: shop.id, text: '2 carton wai wai', actor }),
    );
    assert.is(asked.length, 1);
    assert.is(app.get(AI_METRICS)().enabled, true);
  } finally {
    await app.close();
    await ai.close();
  }
  assert.not.ok(JSON.stringify(lines).includes('sk-test-wiring'), 'the key is never logged');
});

test('whatsapp + OPENAI_API_KEY: a voice note is fetched from the Graph media endpoint, transcribed, and answered quoting it', async () => {
  const audio = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(3_000, 3)]);
  const sent: Record<string, unknown>[] = [];
  const asked: string[] = [];
  const waiting: ((body: Record<string, unknown>) => void)[] = [];
  // One loopback server plays Meta (media metadata, the file, /messages) and OpenAI (transcriptions).
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '';
      asked.push(`${req.method} ${url.split('?')[0]}`);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const graphToken = req.headers.authorization === 'Bearer EAAtest-token';
      if (url === '/v23.0/827776106019109' && graphToken) {
        return json(200, {
          messaging_product: 'whatsapp',
          url: `${origin}/lookaside/827776106019109?hash=x`,
          mime_type: 'audio/ogg; codecs=opus',
          sha256: createHash('sha256').update(audio).digest('hex'),
          file_size: audio.length,
          id: '827776106019109',
        });
      }
      if (url.startsWith('/lookaside/827776106019109') && graphToken) {
        res.writeHead(200, { 'content-type': 'audio/ogg' });
        return res.end(audio);
      }
      if (url === '/v23.0/106540352242922/messages' && graphToken) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        sent.push(body);
        waiting.shift()?.(body);
        return json(200, graphSent(sent.length).body);
      }
      if (url === '/v1/audio/transcriptions' && req.headers.authorization === 'Bearer sk-test-voice') {
        // The note's bytes were uploaded as they came from the media endpoint.
        if (!Buffer.concat(chunks).includes(audio)) return json(400, { error: { message: 'not the audio' } });
        return json(200, { text: 'wai wai 2 carton' });
      }
      json(500, { error: { message: `unexpected ${req.method} ${url}` } });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const app = await composeContainer(
    workerConfigFromEnv({
      KHAACHO_STORE: 'memory',
      LOG_LEVEL: 'silent',
      ...WHATSAPP_ENV,
      WHATSAPP_GRAPH_BASE_URL: origin,
      OPENAI_API_KEY: 'sk-test-voice',
      KHAACHO_AI_BASE_URL: `${origin}/v1`,
    }),
  );
  const worker = startWorker(app, { relay: { pollMs: 5 }, stopTimeoutMs: 5_000 });
  try {
    assert.ok(app.get(MEDIA_FETCHER) instanceof GraphMediaFetcher);
    const { shop } = await catalogWithShop(app);
    const reply = new Promise<Record<string, unknown>>((resolve) => waiting.push(resolve));
    await app.get(CONVERSATION_HANDLER).handleMessage({
      kind: 'message',
      eventId: 'wamid.voice-1',
      businessNumberId: '106540352242922',
      messageId: 'wamid.voice-1',
      from: shop.phone.value.slice(1),
      profileName: 'Sita',
      sentAt: new Date(),
      context: null,
      content: {
        type: 'media',
        media: 'audio',
        mediaId: '827776106019109',
        mimeType: 'audio/ogg; codecs=opus',
        caption: null,
        filename: null,
        voice: true,
      },
      errors: [],
    });
    const body = await reply;
    assert.is(body.to, '9779841000001');
    const text = JSON.stringify(body);
    assert.match(text, /(We heard|Hamile suneko): \\"wai wai 2 carton\\"/);
    assert.match(text, 'Wai Wai Noodles 75g');
    assert.equal(asked.slice(0, 3), [
      'GET /v23.0/827776106019109',
      'GET /lookaside/827776106019109',
      'POST /v1/audio/transcriptions',
    ]);
  } finally {
    await worker.stop();
    await app.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('no WhatsApp settings: no MEDIA_FETCHER bound (the conversation then answers a voice note "please type")', async () => {
  const app = await composeContainer(workerConfigFromEnv({ KHAACHO_STORE: 'memory', LOG_LEVEL: 'silent' }));
  try {
    assert.not.ok(app.container.isBound(MEDIA_FETCHER));
  } finally {
    await app.close();
  }
});

test('KHAACHO_DRAFT_TTL_MS: a draft expires that long after it is made (default 30 minutes)', async () => {
  const clock: Clock = new ManualClock(new Date('2026-12-06T03:00:00Z'));
  for (const [env, ttl] of [
    [{}, DEFAULT_DRAFT_TTL_MS],
    [{ KHAACHO_DRAFT_TTL_MS: '120000' }, 120_000],
  ] as const) {
    const app = await composeContainer(workerConfigFromEnv({ KHAACHO_STORE: 'memory', LOG_LEVEL: 'silent', ...env }), {
      clock,
    });
    try {
      const { shop } = await catalogWithShop(app);
      const draft = unwrap(
        await app.get(DRAFT_USE_CASE_TOKENS.draftOrderFromText).execute({
          retailerId: shop.id,
          text: '2 carton wai wai',
          actor: { type: 'retailer', id: shop.id },
        }),
      );
      assert.is(draft.expiresAt.getTime() - clock.now().getTime(), ttl);
    } finally {
      await app.close();
    }
  }
});

test.run();

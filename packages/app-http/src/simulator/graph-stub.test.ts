import { createHash } from 'node:crypto';
import {
  GraphMediaFetcher,
  parseDelivery,
  verifySignature,
  type WhatsAppConfig,
  WhatsAppCloudSender,
  WhatsAppSendError,
  whatsappConfig,
  whatsappSendRatePolicy,
} from '@khaacho/adapters-whatsapp';
import { PhoneNumber, systemClock } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type HttpServer, startHttpServer } from '../http/http-server.js';
import { ProcessRateLimiter } from '../http/rate-limits.js';
import { ChatLog } from './chat-log.js';
import { graphStubHandler } from './graph-stub.js';
import { SimulatorMedia } from './simulator-media.js';

const TOKEN = 'EAAsim-test-token';
const NUMBER_ID = '106540352242922';
const SHOP = PhoneNumber.parse('+9779809999999');

let server: HttpServer;
let log: ChatLog;
let config: WhatsAppConfig;

test.before.each(async () => {
  log = new ChatLog();
  server = await startHttpServer(graphStubHandler({ accessToken: TOKEN, phoneNumberId: NUMBER_ID, log }), {
    port: 0,
    host: '127.0.0.1',
  });
  config = whatsappConfig({
    baseUrl: server.url,
    phoneNumberId: NUMBER_ID,
    accessToken: TOKEN,
    appSecret: 'secret',
    verifyToken: 'verify',
  });
});
test.after.each(async () => {
  await server.close(1_000);
});

function sender(over: Partial<Pick<WhatsAppConfig, 'accessToken' | 'phoneNumberId'>> = {}) {
  const c = whatsappConfig({ ...config, ...over });
  return new WhatsAppCloudSender({
    config: c,
    rateLimiter: new ProcessRateLimiter(systemClock, whatsappSendRatePolicy(c)),
  });
}

async function post(body: unknown, { token = TOKEN, path = `/v23.0/${NUMBER_ID}/messages` } = {}) {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the stub answered.
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any };
}

const textBody = (to: string, body: string) => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to,
  type: 'text',
  text: { preview_url: false, body },
});

test('the sender sends every kind through the stub; each is answered as the Cloud API does and recorded in order', async () => {
  const s = sender();
  const ids = [
    await s.send({ kind: 'text', to: SHOP, text: 'नमस्ते 🙏 your draft' }),
    await s.send({
      kind: 'buttons',
      to: SHOP,
      body: 'Confirm?',
      buttons: [
        { id: 'draft:confirm:d1', title: 'Confirm' },
        { id: 'draft:cancel:d1', title: 'Cancel' },
      ],
    }),
    await s.send({
      kind: 'list',
      to: SHOP,
      body: 'Which oil?',
      button: 'Choose',
      sections: [{ rows: [{ id: 'choice:d1:1:p1', title: 'Dhara 1L', description: 'NPR 250' }] }],
    }),
    await s.send({
      kind: 'template',
      to: SHOP,
      template: 'payment_reminder',
      language: 'en',
      parameters: ['NPR 1,200'],
    }),
  ].map((r) => r.providerMessageId);
  const entries = log.after('9779809999999', 0);
  assert.equal(
    entries.map((e) => e.messageId),
    ids,
  );
  for (const id of ids) assert.match(id, /^wamid\.[A-Za-z0-9+/=]+$/);
  assert.equal(
    entries.map((e) => e.seq),
    [1, 2, 3, 4],
  );
  assert.equal(
    entries.map((e) => [e.direction, e.payload.type]),
    [
      ['out', 'text'],
      ['out', 'interactive'],
      ['out', 'interactive'],
      ['out', 'template'],
    ],
  );
  assert.equal((entries[0]?.payload.text as { body: string } | undefined)?.body, 'नमस्ते 🙏 your draft');
  assert.equal(log.after('9779809999999', 2).length, 2, 'after= skips what the page has seen');
});

test('a success answer has the documented shape: messaging_product, contacts[{input, wa_id}], messages[{id}]', async () => {
  const res = await post(textBody('+9779809999999', 'hello'));
  assert.is(res.status, 200);
  assert.match(res.type ?? '', /^application\/json/);
  assert.equal(Object.keys(res.body).sort(), ['contacts', 'messages', 'messaging_product']);
  assert.is(res.body.messaging_product, 'whatsapp');
  assert.equal(res.body.contacts, [{ input: '+9779809999999', wa_id: '9779809999999' }]);
  assert.is(res.body.messages.length, 1);
  assert.equal(Object.keys(res.body.messages[0]), ['id']);
  assert.is(log.after('9779809999999', 0)[0]?.messageId, res.body.messages[0].id);
});

test('a bad or missing token: 401, OAuthException code 190, nothing recorded; the sender reads it as token_expired', async () => {
  const res = await post(textBody('9779809999999', 'hello'), { token: 'EAAwrong' });
  assert.is(res.status, 401);
  assert.is(res.body.error.code, 190);
  assert.is(res.body.error.type, 'OAuthException');
  assert.type(res.body.error.message, 'string');
  assert.type(res.body.error.fbtrace_id, 'string');
  const none = await fetch(`${server.url}/v23.0/${NUMBER_ID}/messages`, { method: 'POST', body: '{}' });
  assert.is(none.status, 401);
  try {
    await sender({ accessToken: 'EAAwrong' }).send({ kind: 'text', to: SHOP, text: 'hi' });
    assert.unreachable('a wrong token must be refused');
  } catch (error) {
    assert.ok(WhatsAppSendError.is(error));
    assert.is(error.reason, 'token_expired');
    assert.is(error.code, 190);
  }
  assert.equal(log.after('9779809999999', 0), []);
});

test('an invalid payload: 400 with code 100 or 131009 and error_data.details; nothing recorded', async () => {
  const missing = await post({ to: '9779809999999', type: 'text', text: { body: 'x' } });
  assert.is(missing.status, 400);
  assert.is(missing.body.error.code, 100);
  assert.match(missing.body.error.error_data.details, /messaging_product/);
  const notJson = await post('{"messaging_product":');
  assert.is(notJson.status, 400);
  assert.is(notJson.body.error.code, 100);
  const longTitle = await post({
    messaging_product: 'whatsapp',
    to: '9779809999999',
    type: 'interactive',
    interactive: {
      type: 'button',
      body: { text: 'Confirm?' },
      action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'A title of twenty-one' } }] },
    },
  });
  assert.is(longTitle.status, 400);
  assert.is(longTitle.body.error.code, 131009);
  assert.match(longTitle.body.error.error_data.details, /Button title length invalid/);
  const elevenRows = await post({
    messaging_product: 'whatsapp',
    to: '9779809999999',
    type: 'interactive',
    interactive: {
      type: 'list',
      body: { text: 'Pick' },
      action: {
        button: 'Choose',
        sections: [{ rows: Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` })) }],
      },
    },
  });
  assert.is(elevenRows.status, 400);
  assert.is(elevenRows.body.error.code, 131009);
  const badTo = await post(textBody('not-a-number', 'x'));
  assert.is(badTo.status, 400);
  assert.equal(log.after('9779809999999', 0), []);
  // The sender refuses an over-long title itself before sending; an empty text reaches the stub.
  try {
    await sender().send({ kind: 'text', to: SHOP, text: 'x'.repeat(4097) });
    assert.unreachable('over the documented limit');
  } catch (error) {
    assert.not.ok(WhatsAppSendError.is(error), 'refused by the adapter, before the stub');
  }
});

test('another business number or path: Graph\'s "Unsupported post request" (400, code 100, subcode 33)', async () => {
  const other = await post(textBody('9779809999999', 'x'), { path: '/v23.0/999999/messages' });
  assert.is(other.status, 400);
  assert.is(other.body.error.code, 100);
  assert.is(other.body.error.error_subcode, 33);
  assert.is(other.body.error.type, 'GraphMethodException');
  try {
    await sender({ phoneNumberId: '999999' }).send({ kind: 'text', to: SHOP, text: 'hi' });
    assert.unreachable('an unknown number must be refused');
  } catch (error) {
    assert.ok(WhatsAppSendError.is(error));
    assert.is(error.reason, 'rejected');
  }
  const get = await fetch(`${server.url}/v23.0/${NUMBER_ID}/messages`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  assert.is(get.status, 400);
});

/** A stub with media and status callbacks, and a webhook receiver that records what it got. */
async function stubWithMediaAndCallbacks() {
  const media = new SimulatorMedia();
  const received: { body: Buffer; signature: string | undefined }[] = [];
  const webhook = await startHttpServer(
    async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      received.push({ body: Buffer.concat(chunks), signature: req.headers['x-hub-signature-256'] as string });
      res.writeHead(200).end('EVENT_RECEIVED');
    },
    { port: 0, host: '127.0.0.1' },
  );
  const target = {
    businessAccountId: '102290129340398',
    phoneNumberId: NUMBER_ID,
    displayPhoneNumber: '9779851000000',
    appSecret: 'callback-secret',
  };
  const stub = await startHttpServer(
    graphStubHandler({
      accessToken: TOKEN,
      phoneNumberId: NUMBER_ID,
      log: new ChatLog(),
      media,
      statusCallbacks: { webhookUrl: () => `${webhook.url}/webhooks/whatsapp`, target, delayMs: 1 },
    }),
    { port: 0, host: '127.0.0.1' },
  );
  const close = async () => {
    await stub.close(1_000);
    await webhook.close(1_000);
  };
  return { media, received, stub, target, close };
}

test('media: GET /{version}/{media-id} answers url, mime_type, sha256, file_size; the url gives the bytes, with the token', async () => {
  const { media, stub, close } = await stubWithMediaAndCallbacks();
  try {
    const audio = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(500, 9)]);
    const stored = media.put(audio, 'audio/ogg; codecs=opus', 'chini 2 kg');
    const auth = { authorization: `Bearer ${TOKEN}` };
    const info = await fetch(`${stub.url}/v23.0/${stored.id}`, { headers: auth });
    assert.is(info.status, 200);
    const body = (await info.json()) as Record<string, unknown>;
    assert.is(body.messaging_product, 'whatsapp');
    assert.is(body.id, stored.id);
    assert.is(body.mime_type, 'audio/ogg; codecs=opus');
    assert.is(body.file_size, audio.length);
    assert.is(body.sha256, createHash('sha256').update(audio).digest('hex'));
    const file = await fetch(String(body.url), { headers: auth });
    assert.is(file.status, 200);
    assert.equal(Buffer.from(await file.arrayBuffer()), audio);
    // Without the token: 401, code 190, for the metadata and the file alike.
    assert.is((await fetch(`${stub.url}/v23.0/${stored.id}`)).status, 401);
    assert.is((await fetch(String(body.url))).status, 401);
    // Through the adapter, as the conversation fetches it.
    const fetcher = new GraphMediaFetcher({ config: whatsappConfig({ ...config, baseUrl: stub.url }) });
    const fetched = await fetcher.fetch(stored.id);
    assert.is(fetched.kind, 'media');
    // Expired media: Graph's "Unsupported get request" (code 100, subcode 33); the adapter says GONE.
    media.expire(stored.id);
    const gone = await fetch(`${stub.url}/v23.0/${stored.id}`, { headers: auth });
    assert.is(gone.status, 400);
    const error = ((await gone.json()) as { error: Record<string, unknown> }).error;
    assert.equal([error.code, error.error_subcode, error.type], [100, 33, 'GraphMethodException']);
    assert.is((await fetch(String(body.url), { headers: auth })).status, 404);
    const result = await fetcher.fetch(stored.id);
    assert.is(result.kind === 'failed' ? result.reason : result.kind, 'GONE');
  } finally {
    await close();
  }
});

test('status callbacks: each accepted message is followed by signed sent, delivered, read deliveries, in order', async () => {
  const { received, stub, target, close } = await stubWithMediaAndCallbacks();
  try {
    const s = new WhatsAppCloudSender({
      config: whatsappConfig({ ...config, baseUrl: stub.url }),
      rateLimiter: new ProcessRateLimiter(systemClock, whatsappSendRatePolicy(config)),
    });
    const { providerMessageId } = await s.send({ kind: 'text', to: SHOP, text: 'namaste' });
    const deadline = Date.now() + 10_000;
    while (received.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.is(received.length, 3);
    const statuses = received.map((r) => {
      assert.ok(verifySignature(r.body, r.signature, target.appSecret), 'signed with the app secret');
      const [event] = parseDelivery(JSON.parse(r.body.toString('utf8'))).events;
      assert.is(event?.kind, 'status');
      return event?.kind === 'status' ? [event.messageId, event.status, event.recipient] : [];
    });
    const to = SHOP.value.slice(1);
    assert.equal(statuses, [
      [providerMessageId, 'sent', to],
      [providerMessageId, 'delivered', to],
      [providerMessageId, 'read', to],
    ]);
    // A refused send is followed by nothing.
    await s.send({ kind: 'text', to: SHOP, text: '' }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    assert.is(received.length, 3);
  } finally {
    await close();
  }
});

test('the chat log keeps a bounded history per phone with one sequence across phones', () => {
  const l = new ChatLog();
  for (let i = 0; i < 510; i++) l.append({ phone: '9779800000001', direction: 'out', messageId: `m${i}`, payload: {} });
  l.append({ phone: '9779800000002', direction: 'in', messageId: 'x', payload: {} });
  const first = l.after('9779800000001', 0, 1000);
  assert.is(first.length, 500);
  assert.is(first[0]?.messageId, 'm10');
  assert.is(l.after('9779800000002', 0)[0]?.seq, 511);
  assert.is(l.lastSeq, 511);
});

test.run();

import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDelivery, verifySignature } from '@khaacho/adapters-whatsapp';
import type { InboundMessage } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appConfigFromEnv } from '../config/http-config.js';
import { type HttpServer, startHttpServer } from '../http/http-server.js';
import { seedShop, startTestApp } from '../testing/test-app.js';
import { metaJson, signedDelivery } from './inbound-delivery.js';
import {
  resolveSimulatorSecrets,
  SIMULATOR_SECRETS_FILE,
  type Simulator,
  simulatorRefusal,
  startSimulator,
} from './simulator-setup.js';

const TARGET = {
  businessAccountId: '102290129340398',
  phoneNumberId: '106540352242922',
  displayPhoneNumber: '9779851000000',
  appSecret: 'a-test-app-secret',
};

function onlyMessage(body: Buffer): InboundMessage {
  const { events, skipped } = parseDelivery(JSON.parse(body.toString('utf8')));
  assert.equal(skipped, []);
  assert.is(events.length, 1);
  const event = events[0];
  if (event?.kind !== 'message') throw new Error(`expected a message, got ${event?.kind}`);
  return event;
}

test('a delivery with Devanagari and emoji is signed over its exact bytes and parsed back by the adapter', () => {
  const text = 'चामल २ बोरा, tel 1 peti 🙏🏽 / "quoted"';
  const at = new Date('2026-12-06T03:30:00Z');
  const d = signedDelivery({ from: '9779809999999', profileName: 'डेमो किराना', content: { text } }, TARGET, at);
  assert.ok(verifySignature(d.body, d.signature, TARGET.appSecret));
  assert.not.ok(verifySignature(d.body, d.signature, 'another-secret'));
  // Meta escapes non-ASCII and "/": the bytes are ASCII, and re-serialised JSON is other bytes.
  assert.ok(/^[\x20-\x7e]*$/.test(d.body.toString('utf8')));
  const reserialised = Buffer.from(JSON.stringify(JSON.parse(d.body.toString('utf8'))), 'utf8');
  assert.not.ok(verifySignature(reserialised, d.signature, TARGET.appSecret));
  const m = onlyMessage(d.body);
  assert.equal(m.content, { type: 'text', text });
  assert.is(m.from, '9779809999999');
  assert.is(m.profileName, 'डेमो किराना');
  assert.is(m.messageId, d.messageId);
  assert.is(m.eventId, `wa:msg:${d.messageId}`);
  assert.is(m.businessNumberId, TARGET.phoneNumberId);
  assert.equal(m.sentAt, at);
  // Ids and timestamps travel as strings, as Meta sends them.
  const raw = JSON.parse(d.body.toString('utf8'));
  const value = raw.entry[0].changes[0].value;
  assert.type(value.messages[0].timestamp, 'string');
  assert.type(value.metadata.phone_number_id, 'string');
  assert.is(raw.entry[0].changes[0].field, 'messages');
  assert.match(d.messageId, /^wamid\./);
});

test('button and list replies round-trip with their ids and the context of the message they answer', () => {
  const button = signedDelivery(
    {
      from: '9779809999999',
      profileName: 'Demo',
      content: { buttonReply: { id: 'draft:confirm:d1', title: 'Confirm ✅' } },
      contextId: 'wamid.abc=',
    },
    TARGET,
  );
  const b = onlyMessage(button.body);
  assert.equal(b.content, { type: 'button_reply', id: 'draft:confirm:d1', title: 'Confirm ✅' });
  assert.equal(b.context, { kind: 'reply', from: TARGET.displayPhoneNumber, messageId: 'wamid.abc=' });
  const list = signedDelivery(
    {
      from: '9779809999999',
      profileName: 'Demo',
      content: { listReply: { id: 'choice:d1:0:p1', title: 'तेल धारा 1L', description: 'NPR 250' } },
    },
    TARGET,
  );
  assert.ok(verifySignature(list.body, list.signature, TARGET.appSecret));
  assert.equal(onlyMessage(list.body).content, {
    type: 'list_reply',
    id: 'choice:d1:0:p1',
    title: 'तेल धारा 1L',
    description: 'NPR 250',
  });
});

test('metaJson escapes as Meta does and stays JSON', () => {
  assert.is(metaJson({ a: 'क/😀' }), '{"a":"\\u0915\\/\\ud83d\\ude00"}');
  assert.equal(JSON.parse(metaJson({ a: 'क/😀' })), { a: 'क/😀' });
});

test('never with production settings: PostgreSQL, NODE_ENV=production, a configured Cloud API or webhook refuse the simulator', async () => {
  const embedded = appConfigFromEnv({ KHAACHO_DATA_DIR: 'memory://sim' });
  assert.is(simulatorRefusal(embedded, {}), null);
  const postgres = appConfigFromEnv({
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/none',
    KHAACHO_JWT_SECRET: 'a-jwt-secret-of-at-least-32-bytes-long',
  });
  assert.match(simulatorRefusal(postgres, {}) ?? '', /PostgreSQL/);
  assert.is(await startSimulator(postgres, {}), null);
  assert.match(simulatorRefusal(embedded, { NODE_ENV: 'production' }) ?? '', /production/);
  assert.is(await startSimulator(embedded, { NODE_ENV: 'production' }), null);
  const cloud = appConfigFromEnv({
    KHAACHO_DATA_DIR: 'memory://sim',
    KHAACHO_MESSAGE_SENDER: 'whatsapp',
    WHATSAPP_PHONE_NUMBER_ID: '1234',
    WHATSAPP_ACCESS_TOKEN: 'EAAreal',
    WHATSAPP_APP_SECRET: 'real-secret',
    WHATSAPP_VERIFY_TOKEN: 'real-verify',
  });
  assert.match(simulatorRefusal(cloud, {}) ?? '', /WHATSAPP/);
  assert.is(await startSimulator(cloud, {}), null);
  // The webhook's secrets alone (receiving without the Cloud API sender) are production settings too.
  for (const env of [{ WHATSAPP_APP_SECRET: 'real-secret' }, { WHATSAPP_VERIFY_TOKEN: 'real-verify' }]) {
    assert.match(simulatorRefusal(embedded, env) ?? '', /webhook is configured/);
    assert.is(await startSimulator(embedded, env), null);
  }
});

test('embedded: the sender is composed as KHAACHO_MESSAGE_SENDER=whatsapp on the loopback stub, secrets kept in the data dir', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'khaacho-sim-'));
  try {
    const config = appConfigFromEnv({ KHAACHO_DATA_DIR: dir });
    const first = await resolveSimulatorSecrets(config);
    assert.equal(await resolveSimulatorSecrets(config), first, 'read back, not made again');
    assert.is((await stat(join(dir, SIMULATOR_SECRETS_FILE))).mode & 0o777, 0o600);
    const sim = await startSimulator(config, {});
    assert.ok(sim);
    try {
      assert.is(sim.config.worker.messageSender, 'whatsapp');
      assert.is(sim.config.worker.whatsapp?.baseUrl, sim.graphBaseUrl);
      assert.match(sim.graphBaseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.is(sim.config.worker.whatsapp?.appSecret, first.appSecret);
      assert.is(sim.config.worker.whatsapp?.accessToken, first.accessToken);
      assert.equal(sim.webhook, { appSecret: first.appSecret, verifyToken: first.verifyToken });
      assert.is(sim.webhookUrl(), null);
      sim.listening('http://127.0.0.1:1234');
      assert.is(sim.webhookUrl(), 'http://127.0.0.1:1234/webhooks/whatsapp');
    } finally {
      await sim.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** A stand-in for Meta's side of `/webhooks/whatsapp`: records what arrives, answers 200. */
async function webhookWitness() {
  const received: { path: string; signature: string | undefined; body: Buffer }[] = [];
  const server: HttpServer = await startHttpServer(
    async (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      received.push({
        path: req.url ?? '',
        signature: req.headers['x-hub-signature-256'] as string | undefined,
        body: Buffer.concat(chunks),
      });
      res.writeHead(200).end();
    },
    { port: 0, host: '127.0.0.1' },
  );
  return { received, server };
}

test('the page, its assets and its API are served when a simulator is set up, and are 404 otherwise', async () => {
  const sim = (await startSimulator(appConfigFromEnv({ KHAACHO_DATA_DIR: 'memory://sim' }), {})) as Simulator;
  const app = await startTestApp({ simulator: sim });
  const plain = await startTestApp();
  const witness = await webhookWitness();
  try {
    await seedShop(app);
    const page = await fetch(`${app.url}/simulator`);
    assert.is(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const html = await page.text();
    assert.match(html, /\/simulator\/assets\/simulator\.js/);
    assert.not.match(html, /https?:\/\//, 'no CDN: every asset is local');
    for (const [asset, type] of [
      ['simulator.js', /^text\/javascript/],
      ['simulator.css', /^text\/css/],
    ] as const) {
      const res = await fetch(`${app.url}/simulator/assets/${asset}`);
      assert.is(res.status, 200, asset);
      assert.match(res.headers.get('content-type') ?? '', type);
      assert.ok((await res.text()).length > 100);
    }
    assert.is((await app.request('GET', '/simulator/assets/index.html')).status, 404);
    const parties = await app.request('GET', '/simulator/api/parties');
    assert.is(parties.status, 200);
    assert.ok(parties.body.shops.length >= 1);
    assert.ok(parties.body.vendors.length >= 1);
    for (const p of [...parties.body.shops, ...parties.body.vendors]) assert.match(p.phone, /^[1-9]\d{7,14}$/);

    const shop = parties.body.shops[0].phone as string;
    sim.listening(witness.server.url);
    const sent = await app.request('POST', '/simulator/api/inbound', { body: { from: shop, text: 'चामल 2 bora 🙏' } });
    assert.is(sent.status, 200);
    assert.equal(sent.body.webhook, { status: 200 });
    assert.is(witness.received.length, 1);
    const got = witness.received[0] as (typeof witness.received)[number];
    assert.is(got.path, '/webhooks/whatsapp');
    assert.ok(verifySignature(got.body, got.signature, sim.secrets.appSecret));
    const m = onlyMessage(got.body);
    assert.equal(m.content, { type: 'text', text: 'चामल 2 bora 🙏' });
    assert.is(m.from, shop);
    assert.is(m.profileName, parties.body.shops[0].name);
    const history = await app.request('GET', `/simulator/api/messages?phone=${shop}&after=0`);
    assert.is(history.status, 200);
    assert.equal(
      history.body.entries.map((e: { direction: string; messageId: string; webhook: unknown }) => [
        e.direction,
        e.messageId,
        e.webhook,
      ]),
      [['in', m.messageId, { status: 200 }]],
    );
    const later = await app.request('GET', `/simulator/api/messages?phone=${shop}&after=${history.body.lastSeq}`);
    assert.equal(later.body.entries, []);

    // Bounded input: unknown fields, two contents, over-long text, a bad number: 422, nothing delivered.
    for (const body of [
      { from: shop, text: 'x', extra: 1 },
      { from: shop, text: 'x', buttonReply: { id: 'a', title: 'A' } },
      { from: shop, text: 'x'.repeat(4097) },
      { from: '+977 980', text: 'x' },
      { from: shop },
      { from: shop, buttonReply: { id: 'a', title: 'a title longer than 20' } },
    ]) {
      const bad = await app.request('POST', '/simulator/api/inbound', { body });
      assert.is(bad.status, 422, JSON.stringify(body));
    }
    assert.is((await app.request('GET', '/simulator/api/messages?phone=abc')).status, 422);
    assert.is(witness.received.length, 1);

    // A voice note: stored with the Graph stub, delivered as Meta's audio message naming its media.
    assert.is(parties.body.voice, 'none', 'not attached to a composition: no speech-to-text at all');
    const audio = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(300, 5)]);
    const voice = await app.request('POST', '/simulator/api/inbound', {
      body: { from: shop, audio: { data: audio.toString('base64'), mimeType: 'audio/webm; codecs=opus' } },
    });
    assert.is(voice.status, 200);
    const note = onlyMessage((witness.received[1] as (typeof witness.received)[number]).body);
    assert.is(note.content.type, 'media');
    if (note.content.type === 'media') {
      assert.equal(
        [note.content.media, note.content.mimeType, note.content.voice],
        ['audio', 'audio/webm; codecs=opus', true],
      );
      assert.equal(sim.media.get(note.content.mediaId)?.bytes, audio, 'the stub serves exactly the bytes sent');
    }
    for (const body of [
      { from: shop, audio: { data: audio.toString('base64'), mimeType: 'video/mp4' } },
      { from: shop, audio: { data: 'not base64!', mimeType: 'audio/ogg' } },
      { from: shop, audio: { data: 'A'.repeat(Math.ceil((512 * 1024) / 3) * 4 + 4), mimeType: 'audio/ogg' } },
      { from: shop, text: 'x', audio: { data: audio.toString('base64'), mimeType: 'audio/ogg' } },
    ]) {
      const bad = await app.request('POST', '/simulator/api/inbound', { body });
      assert.ok([413, 422].includes(bad.status), `${bad.status} ${JSON.stringify(body).slice(0, 80)}`);
    }
    assert.is(witness.received.length, 2);
    assert.match(html, 'data-testid="voice-transcript"');
    assert.match(html, /SIMULATED/);

    for (const path of ['/simulator', '/simulator/assets/simulator.js', '/simulator/api/parties']) {
      assert.is((await plain.request('GET', path)).status, 404, path);
    }
    assert.is((await plain.request('POST', '/simulator/api/inbound', { body: { from: shop, text: 'x' } })).status, 404);
  } finally {
    await witness.server.close(1_000);
    await app.close();
    await plain.close();
    await sim.close();
  }
});

test('the inbound API is rate limited per client', async () => {
  const sim = (await startSimulator(appConfigFromEnv({ KHAACHO_DATA_DIR: 'memory://sim' }), {})) as Simulator;
  const app = await startTestApp({ simulator: sim });
  try {
    // Not listening: each delivery fails fast with status 0, which is all this test needs.
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) {
      statuses.push(
        (await app.request('POST', '/simulator/api/inbound', { body: { from: '9779809999999', text: `${i}` } })).status,
      );
    }
    assert.equal(statuses.slice(0, 60), Array(60).fill(200));
    assert.is(statuses[60], 429);
  } finally {
    await app.close();
    await sim.close();
  }
});

test.run();

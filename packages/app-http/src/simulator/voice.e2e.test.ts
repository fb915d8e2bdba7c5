// Voice notes end to end over real HTTP (issue 13), on the in-memory store: the page's API
// stores the audio with the Graph stub and posts a signed Meta-shaped audio message to the
// app's /webhooks/whatsapp → the inbox → ConversationService, which fetches the media through
// the Graph media endpoint (GraphMediaFetcher) and transcribes it with the simulator's
// SIMULATED speech-to-text (the transcript typed beside the audio: no AI key here) → the reply
// through the outbox and the sender → the Graph stub, whose status callbacks move the
// outbound log to `read`.
import { OUTBOUND_MESSAGE_LOG, REPLY_TEXTS } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ChatDriver } from '../testing/chat-driver.js';
import { type SimulatorApp, startSimulatorApp } from '../testing/simulator-harness.js';
import { signedDelivery } from './inbound-delivery.js';

const SHOP = '9779809999999';
/** An Ogg page header and some bytes: the simulator never listens to it, only stores and serves it. */
const audio = (fill: number) => Buffer.concat([Buffer.from('OggS'), Buffer.alloc(4_000, fill)]).toString('base64');
const PLEASE_TYPE = new Set(Object.values(REPLY_TEXTS).map((t) => t.typeYourOrder()));
const GONE = new Set(Object.values(REPLY_TEXTS).map((t) => t.voiceGone()));

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function sendVoice(app: SimulatorApp, from: string, data: string, transcript?: string) {
  const res = await fetch(`${app.url}/simulator/api/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      from,
      audio: { data, mimeType: 'audio/ogg; codecs=opus', ...(transcript ? { transcript } : {}) },
    }),
  });
  const body = (await res.json()) as { seq: number; webhook: { status: number } };
  assert.is(res.status, 200, JSON.stringify(body));
  assert.is(body.webhook.status, 200, 'the signed audio delivery was accepted by the webhook');
  return body;
}

let app: SimulatorApp;
let chat: ChatDriver;
test.before(async () => {
  app = await startSimulatorApp({ webhook: 'app', store: 'memory' });
  chat = new ChatDriver(app, { [SHOP]: 'Demo Kirana Pasal' });
});
test.after(async () => {
  console.log(`transcript: ${await chat.saveTranscript('voice')}`);
  await app.close();
});

test('no AI key: the simulator says so, and its speech-to-text is the simulated one', async () => {
  const parties = (await (await fetch(`${app.url}/simulator/api/parties`)).json()) as { voice: string };
  assert.is(parties.voice, 'simulated');
});

test('a voice note with a transcript typed beside it: fetched through the media endpoint, answered quoting it', async () => {
  chat.skipHistory(SHOP);
  await sendVoice(app, SHOP, audio(1), 'chamal 2 bora, tel 1 peti');
  const inbound = app.simulator.log
    .after(SHOP, 0, 500)
    .filter((e) => e.direction === 'in')
    .at(-1);
  const delivered = inbound?.payload as { type?: string; audio?: Record<string, unknown> };
  assert.is(delivered.type, 'audio', 'delivered as a Meta audio message');
  assert.is(delivered.audio?.voice, true);
  assert.match(String(delivered.audio?.id), /^\d+$/);
  assert.is(inbound?.simulatedTranscript, 'chamal 2 bora, tel 1 peti', 'the log labels the transcript as simulated');
  chat.note('voice note (simulated transcript: "chamal 2 bora, tel 1 peti")');
  // The demo area sells rice and (the usual) oil, so the heard order is one priced draft.
  const draft = await chat.one(SHOP);
  assert.match(draft.text, /^Hamile suneko: "chamal 2 bora, tel 1 peti"\n/);
  assert.match(draft.text, /^1\. Mansuli Rice: 2 bag × NPR/m);
  assert.match(draft.text, /Mustard Oil \(hamro sadhai ko\)/);
  assert.equal(
    draft.actions.map((a) => a.title),
    ['Pakka garnus', 'Sachyaunus', 'Radda garnus'],
  );
});

test('a voice note with no transcript typed: the honest "please type" reply', async () => {
  chat.skipHistory(SHOP);
  await sendVoice(app, SHOP, audio(2));
  chat.note('voice note (no transcript typed)');
  const reply = await chat.one(SHOP);
  assert.ok(PLEASE_TYPE.has(reply.text), reply.text);
});

test('a voice note whose media is gone (expired at Meta): "could not open it, send again or type"', async () => {
  chat.skipHistory(SHOP);
  // A delivery naming media the Graph stub does not have: its endpoint answers code 100 / subcode 33.
  const delivery = signedDelivery(
    {
      from: SHOP,
      profileName: 'Demo Kirana Pasal',
      content: { audio: { id: '123456789012345', mimeType: 'audio/ogg; codecs=opus', sha256: 'AAAA' } },
    },
    app.simulator.target,
  );
  const res = await fetch(`${app.url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': delivery.signature },
    body: delivery.body,
  });
  assert.is(res.status, 200);
  chat.note('voice note whose media expired');
  const reply = await chat.one(SHOP);
  assert.ok(GONE.has(reply.text), reply.text);
});

test('the Graph API down while the media is fetched: the inbox retries, and once it is back the note is heard', async () => {
  chat.skipHistory(SHOP);
  const refusedBefore = app.graph.refused.length;
  app.graph.down = true;
  try {
    await sendVoice(app, SHOP, audio(3), 'chini 5 kg');
    // Media GETs carry no recipient: refused with '' while down; at least one retry refused too.
    await until(
      'the media fetch refused and retried',
      () => app.graph.refused.slice(refusedBefore).filter((to) => to === '').length >= 2,
    );
    assert.equal(chat.pending(SHOP), [], 'nothing answered while the media could not be had');
  } finally {
    app.graph.down = false;
  }
  chat.note('Graph API down during the media fetch, then back');
  const [reply] = await chat.next(SHOP, 1);
  assert.match(reply?.text ?? '', /^Hamile suneko: "chini 5 kg"\n/);
});

test("the Graph stub's signed status callbacks move the outbound log to read", async () => {
  const last = app.simulator.log
    .after(SHOP, 0, 500)
    .filter((e) => e.direction === 'out')
    .at(-1);
  assert.ok(last, 'the shop received replies');
  const log = app.composition.get(OUTBOUND_MESSAGE_LOG);
  await until('the reply read', async () => (await log.get(last?.messageId ?? ''))?.status === 'read');
  const entry = await log.get(last?.messageId ?? '');
  assert.is(entry?.recipient, `+${SHOP}`);
  assert.ok(entry?.kind !== null, 'the log has the message as the sender recorded it');
});

test.run();

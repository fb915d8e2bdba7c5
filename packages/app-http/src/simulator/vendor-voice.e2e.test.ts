// A vendor's voice notes end to end over real HTTP, on the in-memory store: the simulator's API
// posts a signed Meta-shaped audio message from the demo vendor's number → the webhook → the
// inbox → ConversationService, which fetches it through the Graph media endpoint, transcribes it
// with the simulator's SIMULATED speech-to-text, and handles the words as the vendor's text: a
// stock update through UpsertVendorOffer, answered quoting what was heard.
import { REPLY_TEXTS, REPOSITORY_TOKENS, type VendorId } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ChatDriver } from '../testing/chat-driver.js';
import { type SimulatorApp, startSimulatorApp } from '../testing/simulator-harness.js';

const audio = (fill: number) => Buffer.concat([Buffer.from('OggS'), Buffer.alloc(4_000, fill)]).toString('base64');
const PLEASE_TYPE = new Set(Object.values(REPLY_TEXTS).map((t) => t.typeYourOrder()));

async function sendVoice(app: SimulatorApp, from: string, data: string, transcript?: string): Promise<void> {
  const res = await fetch(`${app.url}/simulator/api/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      from,
      audio: { data, mimeType: 'audio/ogg; codecs=opus', ...(transcript ? { transcript } : {}) },
    }),
  });
  const body = (await res.json()) as { webhook: { status: number } };
  assert.is(res.status, 200, JSON.stringify(body));
  assert.is(body.webhook.status, 200, 'the signed audio delivery was accepted by the webhook');
}

let app: SimulatorApp;
let chat: ChatDriver;
let vendor: { id: string; name: string; phone: string };
test.before(async () => {
  app = await startSimulatorApp({ webhook: 'app', store: 'memory' });
  const parties = (await (await fetch(`${app.url}/simulator/api/parties`)).json()) as {
    vendors: { id: string; name: string; phone: string }[];
  };
  const first = parties.vendors[0];
  if (!first) throw new Error('the demo data has no vendor');
  vendor = first;
  chat = new ChatDriver(app, { [vendor.phone]: vendor.name });
});
test.after(async () => {
  console.log(`transcript: ${await chat.saveTranscript('vendor-voice')}`);
  await app.close();
});

/** One of the vendor's offers and its product's name, as the vendor would say it. */
async function anOffer() {
  const offers = await app.composition.get(REPOSITORY_TOKENS.offers).listByVendor(vendor.id as VendorId);
  const products = await app.composition.get(REPOSITORY_TOKENS.products).getMany(offers.map((o) => o.productId));
  for (const offer of offers) {
    const product = products.find((p) => p.id === offer.productId);
    if (product && /^[A-Za-z ]+$/.test(product.name)) return { offer, product };
  }
  throw new Error('the demo vendor offers nothing with a plain name');
}

test("a vendor's voice note updating stock: heard, applied through UpsertVendorOffer, and quoted back", async () => {
  chat.skipHistory(vendor.phone);
  const { offer, product } = await anOffer();
  const stock = offer.stockOnHand === 37 ? 38 : 37;
  const said = `stock ${product.name.toLowerCase()} ${stock}`;
  await sendVoice(app, vendor.phone, audio(1), said);
  chat.note(`vendor voice note (simulated transcript: "${said}")`);
  const reply = await chat.one(vendor.phone);
  assert.is(reply.text, `We heard: "${said}"\n${product.name}: stock ${offer.stockOnHand} → ${stock} ${offer.unit}.`);
  const after = (await app.composition.get(REPOSITORY_TOKENS.offers).listByVendor(vendor.id as VendorId)).find(
    (o) => o.id === offer.id,
  );
  assert.is(after?.stockOnHand, stock, 'the stock the vendor said is stored');
});

test("a vendor's voice note with nothing heard (no transcript typed): the honest please-type reply", async () => {
  chat.skipHistory(vendor.phone);
  await sendVoice(app, vendor.phone, audio(2));
  chat.note('vendor voice note (no transcript typed)');
  const reply = await chat.one(vendor.phone);
  assert.ok(PLEASE_TYPE.has(reply.text), reply.text);
});

test.run();

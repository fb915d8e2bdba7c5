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
/** What a vendor can type instead (an update, the code, accept), not the shops' "type your order". */
const VENDOR_PLEASE_TYPE = new Set(Object.values(REPLY_TEXTS).map((t) => t.vendorVoice('not-configured')));

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

test("a vendor's voice note with nothing heard (no transcript typed): the honest please-type reply, for a vendor", async () => {
  chat.skipHistory(vendor.phone);
  await sendVoice(app, vendor.phone, audio(2));
  chat.note('vendor voice note (no transcript typed)');
  const reply = await chat.one(vendor.phone);
  assert.ok(VENDOR_PLEASE_TYPE.has(reply.text), reply.text);
  assert.not.match(reply.text, /your order/, 'not the reply meant for shops');
});

test('a vendor says "sweekar" with no offer waiting: told so, quoting what was heard (the typed path)', async () => {
  chat.skipHistory(vendor.phone);
  // The demo data may leave offers waiting for this vendor: answered first, by their buttons.
  const offers = await app.composition.get(REPOSITORY_TOKENS.orders).list({ statuses: ['ROUTING'] }, { limit: 100 });
  const mine = offers.items.filter((o) => {
    const last = o.routingAttempts.at(-1);
    return o.vendorId === null && last?.vendorId === vendor.id && last.outcome === 'PENDING';
  });
  if (mine.length > 0) return assert.unreachable(`the demo leaves ${mine.length} offers waiting for ${vendor.name}`);
  await sendVoice(app, vendor.phone, audio(3), 'sweekar');
  chat.note('vendor voice note (simulated transcript: "sweekar")');
  const reply = await chat.one(vendor.phone);
  assert.is(reply.text, `Hamile suneko: "sweekar"\n${REPLY_TEXTS['ne-Latn'].vendorNoOpenOffer(null)}`);
});

test.run();

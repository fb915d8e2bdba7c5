import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { InboundContent, InboundMessage } from '../messaging/inbound-message.js';
import type { OutboundMessage } from '../ports/message-sender.js';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { UnavailableError } from '../shared/errors.js';
import type { PhoneNumber } from '../shared/phone-number.js';
import { bodyOf, conversationServiceOn, inboundMessage, only, requestedSince } from '../testing/chat-messages.js';
import { draftMarket } from '../testing/draft-market.js';
import { ScriptedMediaFetcher } from '../testing/scripted-media-fetcher.js';
import { ScriptedSpeechToText } from '../testing/scripted-speech-to-text.js';
import { createTestWorld } from '../testing/test-world.js';
import { REPLY_TEXTS } from './replies.js';

/** A vendor's voice notes (issue 13 follow-up): heard through the shops' path, then handled as its text. */

const VOICE: InboundContent = {
  type: 'media',
  media: 'audio',
  mediaId: 'media-1',
  mimeType: 'audio/ogg; codecs=opus',
  caption: null,
  filename: null,
  voice: true,
};

async function vendorChat(options: { voice?: boolean } = {}) {
  const world = createTestWorld();
  const m = await draftMarket({ world });
  const media = new ScriptedMediaFetcher().put('media-1', new Uint8Array([7, 7, 7]));
  const speech = new ScriptedSpeechToText();
  const service = conversationServiceOn(
    world,
    m.drafts,
    options.voice === false ? {} : { speechToText: speech, media },
  );
  let n = 0;
  const message = (phone: PhoneNumber, content: InboundContent, eventId = `wamid.${++n}`): InboundMessage =>
    inboundMessage({ from: phone, content, eventId: eventId, sentAt: world.clock.now(), profileName: 'Ram' });
  const replies = (): Promise<OutboundMessage[]> => requestedSince(world.persistence.outbox, world.clock.now());
  const send = async (phone: PhoneNumber, content: InboundContent, eventId?: string, finalAttempt = true) => {
    await service.handleMessage(message(phone, content, eventId), { finalAttempt });
    return replies();
  };
  const vendor = (content: InboundContent, eventId?: string, finalAttempt = true) =>
    send(m.vendor.phone, content, eventId, finalAttempt);
  const offerOf = async (name: string) => {
    const offers = await world.repos.offers.listByVendor(m.vendor.id);
    const products = await world.repos.products.getMany(offers.map((o) => o.productId));
    const product = products.find((p) => p.name === name);
    const offer = offers.find((o) => o.productId === product?.id);
    if (!offer) throw new Error(`the market sells no ${name}`);
    return offer;
  };
  await replies();
  return { world, m, media, speech, send, vendor, offerOf, replies };
}

test('a vendor updates stock and price by voice: fetched, transcribed, applied, and what was heard is quoted', async () => {
  const c = await vendorChat();
  const sugar = await c.offerOf('Sugar');
  c.speech.willHear('stock sugar 50');
  const stock = bodyOf(only(await c.vendor(VOICE)));
  assert.equal(c.media.fetched, ['media-1'], 'the vendor’s voice note was fetched');
  assert.equal([...(c.speech.received[0]?.audio ?? [])], [7, 7, 7], 'and its bytes transcribed');
  assert.is(stock, `We heard: "stock sugar 50"\nSugar: stock ${sugar.stockOnHand} → 50 ${sugar.unit}.`);
  assert.is((await c.offerOf('Sugar')).stockOnHand, 50, 'the stock went through UpsertVendorOffer');

  c.speech.willHear('chini 125');
  const price = bodyOf(only(await c.vendor(VOICE)));
  assert.is(
    price,
    `Hamile suneko: "chini 125"\nSugar: mulya ${sugar.unitPrice.format()} → NPR 125.00 (${sugar.unit} ko).`,
  );
  assert.is((await c.offerOf('Sugar')).unitPrice.format(), 'NPR 125.00');
  const state = await c.world.repos.conversations.get(c.m.vendor.phone, c.world.clock.now());
  assert.is(state.language, 'ne-Latn', 'the vendor is answered in the language it spoke');
  assert.equal(state.party, { kind: 'vendor', id: c.m.vendor.id });
});

test('a vendor’s voice note that is no update is answered as the same words typed, quoting what was heard', async () => {
  const c = await vendorChat();
  const before = await c.offerOf('Sugar');
  c.speech.willHear('hello there');
  assert.is(bodyOf(only(await c.vendor(VOICE))), `We heard: "hello there"\n${REPLY_TEXTS.en.vendorHelp()}`);
  // "accept" is an answer to an offer, spoken as typed: with none waiting, the vendor is told so.
  c.speech.willHear('accept');
  assert.is(bodyOf(only(await c.vendor(VOICE))), `We heard: "accept"\n${REPLY_TEXTS.en.vendorNoOpenOffer(null)}`);
  c.speech.willHear('xyzzy plugh 300');
  assert.is(
    bodyOf(only(await c.vendor(VOICE))),
    'We heard: "xyzzy plugh 300"\nWe found no product of yours in that message. Write its name as in your price list.',
  );
  assert.equal(await c.offerOf('Sugar'), before, 'nothing was updated');
});

test('a vendor says the delivery code it was asked for: the order is delivered', async () => {
  const c = await vendorChat();
  // An order of the market's shop, offered to its vendor, accepted and dispatched by buttons.
  const draft = await c.m.drafts.draftOrderFromText.execute({
    retailerId: c.m.shop.id,
    text: 'sugar 2 kg',
    actor: { type: 'retailer', id: c.m.shop.id },
  });
  assert.ok(draft.ok, JSON.stringify(draft));
  if (!draft.ok) return;
  const placed = await c.m.drafts.confirmDraft.execute({
    draftId: draft.value.id,
    actor: { type: 'retailer', id: c.m.shop.id },
  });
  if (!placed.ok || placed.value.kind !== 'PLACED') return assert.unreachable(JSON.stringify(placed));
  const order = placed.value.order;
  await c.world.useCases.routeOrder.execute({ orderId: order.id, actor: SYSTEM_ACTOR });
  const tap = (id: string): InboundContent => ({ type: 'button_reply', id, title: 'x' });
  await c.vendor(tap(`offer:accept:${order.id}`));
  await c.vendor(tap(`order:dispatched:${order.id}`));
  await c.vendor(tap(`order:delivered:${order.id}`));
  const code = await c.world.deliveryCode(order.id);
  if (code === null) return assert.unreachable('a code was issued on dispatch');
  c.speech.willHear(`${code.slice(0, 2)} ${code.slice(2)}`);
  const delivered = await c.vendor(VOICE);
  const toVendor = delivered.filter((r) => r.to.value === c.m.vendor.phone.value);
  assert.is(
    bodyOf(only(toVendor)),
    `We heard: "${code.slice(0, 2)} ${code.slice(2)}"\nOrder ${order.number} is delivered. Thank you!`,
  );
  assert.is((await c.world.repos.orders.get(order.id))?.status, 'DELIVERED');
});

test('a vendor says "sweekar" with one offer waiting: accepted, as typed, quoting what was heard in its language', async () => {
  const c = await vendorChat();
  const draft = await c.m.drafts.draftOrderFromText.execute({
    retailerId: c.m.shop.id,
    text: 'sugar 2 kg',
    actor: { type: 'retailer', id: c.m.shop.id },
  });
  if (!draft.ok) return assert.unreachable(JSON.stringify(draft));
  const placed = await c.m.drafts.confirmDraft.execute({
    draftId: draft.value.id,
    actor: { type: 'retailer', id: c.m.shop.id },
  });
  if (!placed.ok || placed.value.kind !== 'PLACED') return assert.unreachable(JSON.stringify(placed));
  const order = placed.value.order;
  await c.world.useCases.routeOrder.execute({ orderId: order.id, actor: SYSTEM_ACTOR });
  await c.replies();
  c.speech.willHear('sweekar');
  const toVendor = (await c.vendor(VOICE)).filter((r) => r.to.value === c.m.vendor.phone.value);
  assert.is(
    bodyOf(only(toVendor)),
    `Hamile suneko: "sweekar"\nOrder ${order.number} sweekar garnubhayo. Pathaepachi "Pathaiyo" thichnus.`,
  );
  assert.is((await c.world.repos.orders.get(order.id))?.status, 'CONFIRMED');
});

test('a vendor’s voice note failing: gone at once, transient retried then answered, each with what a vendor can type', async () => {
  const plain = await vendorChat({ voice: false });
  const notConfigured = bodyOf(only(await plain.vendor(VOICE)));
  assert.is(notConfigured, REPLY_TEXTS.en.vendorVoice('not-configured'), 'no speech-to-text bound');
  // Not the shops' "type your order": a vendor has no order to type.
  assert.not.match(notConfigured, /your order/);
  assert.match(notConfigured, /"stock sugar 50 bora"/);
  assert.match(notConfigured, /delivery code/);
  assert.match(notConfigured, /"accept"/);

  const c = await vendorChat();
  const before = await c.offerOf('Sugar');
  c.media.failNext('GONE');
  assert.is(bodyOf(only(await c.vendor(VOICE, 'wamid.v1', false))), REPLY_TEXTS.en.vendorVoice('gone'));
  assert.is(c.speech.received.length, 0);

  c.media.failNext('UNAVAILABLE');
  await c.vendor(VOICE, 'wamid.v2', false).then(
    () => assert.unreachable('a transient failure with attempts left must throw, so the inbox retries'),
    (error: unknown) => assert.ok(UnavailableError.is(error), String(error)),
  );
  assert.equal(await c.replies(), [], 'nothing answered while retrying');
  c.speech.failNext(1);
  assert.is(bodyOf(only(await c.vendor(VOICE, 'wamid.v2', true))), REPLY_TEXTS.en.vendorVoice('unavailable'));
  assert.equal(await c.vendor(VOICE, 'wamid.v2', true), [], 'a redelivery is not answered twice');

  c.speech.willHear('  ');
  assert.is(bodyOf(only(await c.vendor(VOICE, 'wamid.v3'))), REPLY_TEXTS.en.vendorVoice('not-understood'));
  assert.equal(await c.offerOf('Sugar'), before, 'no failure changed an offer');
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { InboundContent, InboundMessage } from '../messaging/inbound-message.js';
import type { Order } from '../order/order.js';
import type { OutboundMessage } from '../ports/message-sender.js';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import type { PhoneNumber } from '../shared/phone-number.js';
import { bodyOf, conversationServiceOn, inboundMessage, only, requestedSince } from '../testing/chat-messages.js';
import { draftMarket } from '../testing/draft-market.js';
import { createTestWorld } from '../testing/test-world.js';
import { offerAnswerIn, orderNumberIn } from './offer-answer.js';
import { REPLY_TEXTS } from './replies.js';

/**
 * Issue 13's rough edges: a vendor answers an offer in words, a shop's "not received" with
 * several orders on the way, and the choices of an unclear line limited to what is sold here.
 */

async function chat() {
  const world = createTestWorld();
  const m = await draftMarket({ world });
  const service = conversationServiceOn(world, m.drafts);
  let n = 0;
  const message = (phone: PhoneNumber, content: InboundContent, eventId = `wamid.${++n}`): InboundMessage =>
    inboundMessage({ from: phone, content, eventId: eventId, sentAt: world.clock.now(), profileName: 'Ram' });
  const replies = (): Promise<OutboundMessage[]> => requestedSince(world.persistence.outbox, world.clock.now());
  const send = async (phone: PhoneNumber, content: InboundContent, eventId?: string) => {
    await service.handleMessage(message(phone, content, eventId));
    return replies();
  };
  const text = (t: string): InboundContent => ({ type: 'text', text: t });
  const tap = (id: string): InboundContent => ({ type: 'button_reply', id, title: 'x' });
  const pick = (id: string): InboundContent => ({ type: 'list_reply', id, title: 'x', description: null });
  const shop = (content: InboundContent) => send(m.shop.phone, content);
  const vendor = (content: InboundContent, eventId?: string) => send(m.vendor.phone, content, eventId);
  /** A shop's order placed by chat and offered to the market's vendor. */
  const offered = async (order: string): Promise<Order> => {
    const before = new Set(
      (await world.repos.orders.list({ retailerId: m.shop.id }, { limit: 50 })).items.map((o) => o.id),
    );
    const [draft] = await shop(text(order));
    const confirm = draft?.kind === 'buttons' ? draft.buttons[0]?.id : undefined;
    assert.match(confirm ?? '', /^draft:confirm:/);
    await shop(tap(confirm ?? ''));
    const placed = (await world.repos.orders.list({ retailerId: m.shop.id }, { limit: 50 })).items.find(
      (o) => !before.has(o.id),
    );
    if (!placed) throw new Error('not placed');
    await world.useCases.routeOrder.execute({ orderId: placed.id, actor: SYSTEM_ACTOR });
    await replies();
    return placed;
  };
  const status = async (order: Order) => (await world.repos.orders.get(order.id))?.status;
  await replies();
  return { world, m, send, text, tap, pick, shop, vendor, offered, status, replies };
}

function to(list: readonly OutboundMessage[], phone: PhoneNumber): OutboundMessage[] {
  return list.filter((m) => m.to.value === phone.value);
}

function rowsOf(message: OutboundMessage | undefined): { id: string; title: string }[] {
  assert.ok(message?.kind === 'list', `expected a list, got ${JSON.stringify(message)}`);
  return message?.kind === 'list'
    ? message.sections.flatMap((s) => s.rows.map((r) => ({ id: r.id, title: r.title })))
    : [];
}

test('the words of an offer answer, in English, romanised Nepali and Devanagari; anything more is not one', () => {
  for (const said of [
    'accept',
    'OK',
    'ok ho',
    'Accepted!',
    'I accept',
    'sweekar',
    'sweekar garchu',
    'hunchha',
    'thik cha',
    'स्वीकार',
    'स्वीकार छ।',
    'हुन्छ',
  ])
    assert.equal(offerAnswerIn(said), { answer: 'accept', number: null }, said);
  for (const said of ['reject', 'sakdina', 'hudaina', 'hundaina', 'asweekar', 'अस्वीकार', 'सक्दिन', 'हुँदैन'])
    assert.equal(offerAnswerIn(said), { answer: 'reject', number: null }, said);
  assert.equal(offerAnswerIn('accept KH-000041'), { answer: 'accept', number: 'KH-000041' });
  assert.equal(offerAnswerIn('kh 41 sakdina'), { answer: 'reject', number: 'KH-000041' });
  // A price update, a product, both answers, a greeting: not an answer to an offer.
  for (const said of ['ok 2150', 'mansuli 25kg 2150', 'ok sugar', 'accept reject', 'hello', '', 'ok ok ok ok'])
    assert.is(offerAnswerIn(said), null, said);
  assert.is(orderNumberIn('KH-000041 aayena'), 'KH-000041');
  assert.is(orderNumberIn('saman aayena'), null);
});

test('a vendor types "accept" (or says "sweekar", "स्वीकार"): the one offer waiting is accepted, as by its button', async () => {
  const c = await chat();
  const vendor = c.m.vendor.phone;
  const order = await c.offered('sugar 2 kg');
  const accepted = await c.vendor(c.text('ok'));
  const toVendor = only(to(accepted, vendor));
  assert.is(bodyOf(toVendor), `You accepted order ${order.number}. Tap Dispatched when it leaves.`);
  assert.equal(toVendor.kind === 'buttons' ? toVendor.buttons.map((b) => b.id) : [], [`order:dispatched:${order.id}`]);
  assert.is(only(to(accepted, c.m.shop.phone)).kind, 'text', 'the shop is told, as after the button');
  assert.is(await c.status(order), 'CONFIRMED');
  // Nothing waits any more (a minute later: not the same moment as the accept): said so, in
  // the language it was written in.
  c.world.clock.advance(60_000);
  assert.is(bodyOf(only(await c.vendor(c.text('sweekar')))), REPLY_TEXTS['ne-Latn'].vendorNoOpenOffer(null));
  assert.is(bodyOf(only(await c.vendor(c.text('स्वीकार')))), REPLY_TEXTS.ne.vendorNoOpenOffer(null));

  const second = await c.offered('chini 3 kg');
  const rejected = only(to(await c.vendor(c.text('sakdina')), vendor));
  assert.is(bodyOf(rejected), `Order ${second.number} asweekar garnubhayo.`);
  assert.is.not(await c.status(second), 'CONFIRMED');
});

test('a typed "accept" redelivered after its turn was lost answers as the button would, not "nothing waiting"', async () => {
  const c = await chat();
  const order = await c.offered('sugar 2 kg');
  // The accept committed, but the turn's reply did not (a crash between the two): the inbox
  // delivers the same message again.
  await c.world.useCases.acceptVendorOffer.execute({
    orderId: order.id,
    vendorId: c.m.vendor.id,
    actor: { type: 'vendor', id: c.m.vendor.id },
  });
  await c.replies();
  const again = bodyOf(only(to(await c.vendor(c.text('accept')), c.m.vendor.phone)));
  assert.is.not(again, REPLY_TEXTS.en.vendorNoOpenOffer(null));
  assert.match(again, order.number);
  assert.is(await c.status(order), 'CONFIRMED');
});

test('"accept" with several offers waiting: a list to pick which; a pick accepts that one only; a named one is taken', async () => {
  const c = await chat();
  const first = await c.offered('sugar 2 kg');
  const second = await c.offered('chini 3 kg');
  const third = await c.offered('rice 25kg x 1');
  const list = only(await c.vendor(c.text('accept')));
  assert.is(bodyOf(list), REPLY_TEXTS.en.vendorWhichOffer('accept', 3));
  const rows = rowsOf(list);
  assert.equal(rows.map((r) => r.title).sort(), [first.number, second.number, third.number].sort());
  assert.equal(rows.map((r) => r.id).sort(), [first, second, third].map((o) => `offer:accept:${o.id}`).sort());
  for (const o of [first, second, third]) assert.is(await c.status(o), 'ROUTING', 'nothing accepted on a guess');

  const picked = rows.find((r) => r.title === second.number);
  const accepted = to(await c.vendor(c.pick(picked?.id ?? '')), c.m.vendor.phone);
  assert.is(bodyOf(only(accepted)), `You accepted order ${second.number}. Tap Dispatched when it leaves.`);
  assert.is(await c.status(second), 'CONFIRMED');
  assert.is(await c.status(first), 'ROUTING');

  // Named: that one, though two still wait.
  const named = to(await c.vendor(c.text(`reject ${third.number}`)), c.m.vendor.phone);
  assert.is(bodyOf(only(named)), `You rejected order ${third.number}.`);
  assert.is(await c.status(first), 'ROUTING');
  // Named and not waiting: said so; nothing done.
  assert.is(
    bodyOf(only(await c.vendor(c.text(`accept ${third.number}`)))),
    REPLY_TEXTS.en.vendorNoOpenOffer(third.number),
  );
  // Now one waits: "hunchha" accepts it.
  assert.match(bodyOf(only(to(await c.vendor(c.text('hunchha')), c.m.vendor.phone))), `Order ${first.number} sweekar`);
  assert.is(await c.status(first), 'CONFIRMED');
});

test('a shop\'s "not received" with several orders on the way asks which (a list); a named one goes straight to an operator', async () => {
  const c = await chat();
  const dispatch = async (order: Order) => {
    await c.vendor(c.tap(`offer:accept:${order.id}`));
    await c.vendor(c.tap(`order:dispatched:${order.id}`));
  };
  const first = await c.offered('sugar 2 kg');
  await dispatch(first);
  const second = await c.offered('chini 3 kg');
  await dispatch(second);
  const third = await c.offered('rice 25kg x 1');
  await dispatch(third);
  await c.replies();

  const which = only(await c.shop(c.text('saman aayena')));
  assert.is(bodyOf(which), REPLY_TEXTS['ne-Latn'].whichNotReceived(3));
  const rows = rowsOf(which);
  assert.equal(rows.map((r) => r.id).sort(), [first, second, third].map((o) => `delivery:not-received:${o.id}`).sort());
  for (const o of [first, second, third])
    assert.is((await c.world.repos.deliveries.get(o.id))?.status, 'AWAITING_CODE', 'no dispute on a guess');

  const picked = rows.find((r) => r.title === second.number);
  // A pick has no words: the language the shop last wrote in.
  assert.is(
    bodyOf(only(await c.shop(c.pick(picked?.id ?? '')))),
    REPLY_TEXTS['ne-Latn'].notReceivedNoted(second.number),
  );
  assert.is((await c.world.repos.deliveries.get(second.id))?.status, 'DISPUTED');

  // Named in the message: that one, in the language written.
  assert.is(bodyOf(only(await c.shop(c.text(`${third.number} आएन`)))), REPLY_TEXTS.ne.notReceivedNoted(third.number));
  assert.is((await c.world.repos.deliveries.get(third.id))?.status, 'DISPUTED');
  assert.is((await c.world.repos.deliveries.get(first.id))?.status, 'AWAITING_CODE');
  // Another shop's number, or none of ours: not found.
  assert.is(bodyOf(only(await c.shop(c.text('KH-999999 not received')))), REPLY_TEXTS.en.orderNotFound('KH-999999'));
});

test("an unclear line offers only products sold in the shop's area now; none sold there: said so, no list", async () => {
  const c = await chat();
  const [, list] = await c.shop(c.text('dal 5 kg\nsugar 2 kg'));
  const all = rowsOf(list).map((r) => r.title);
  assert.equal(all, ['Chana Dal', 'Masoor Dal', 'Moong Dal']);
  // Moong Dal's only offer ends, Chana Dal's runs out of stock: neither is offered as a choice.
  const offers = await c.world.repos.offers.listByVendor(c.m.vendor.id);
  const products = await c.world.repos.products.getMany(offers.map((o) => o.productId));
  const offerOf = (name: string) => {
    const product = products.find((p) => p.name === name);
    const offer = offers.find((o) => o.productId === product?.id);
    if (!offer) throw new Error(name);
    return offer;
  };
  await c.world.repos.offers.save({ ...offerOf('Moong Dal'), active: false });
  await c.world.repos.offers.save({ ...offerOf('Chana Dal'), stockOnHand: 0 });
  const [draft, fewer] = await c.shop(c.text('dal 5 kg\nsugar 2 kg'));
  assert.equal(
    rowsOf(fewer).map((r) => r.title),
    ['Masoor Dal'],
  );
  assert.match(bodyOf(draft), '? "dal 5 kg": please choose from the list');

  await c.world.repos.offers.save({ ...offerOf('Masoor Dal'), active: false });
  const none = await c.shop(c.text('dal 5 kg\nsugar 2 kg'));
  assert.is(none.length, 1, `no list: ${JSON.stringify(none)}`);
  assert.match(bodyOf(none[0]), '? "dal 5 kg": not sold in your area now');
  assert.match(bodyOf(none[0]), '1. Sugar: 2 kg');
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { InboundContent, InboundMessage } from '../messaging/inbound-message.js';
import type { Order } from '../order/order.js';
import { CONVERSATION_LANGUAGES } from '../ports/conversation-store.js';
import { NOOP_LOGGER } from '../ports/logger.js';
import type { OutboundMessage } from '../ports/message-sender.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import type { DraftId, RetailerId } from '../shared/ids.js';
import { UnavailableError } from '../shared/errors.js';
import { Money } from '../shared/money.js';
import { PhoneNumber } from '../shared/phone-number.js';
import { requestedMessages } from '../messaging/request-message.js';
import { bodyOf, conversationServiceOn, inboundMessage, only, requestedSince } from '../testing/chat-messages.js';
import { draftMarket } from '../testing/draft-market.js';
import { RecordingLogger } from '../testing/recording-logger.js';
import { createTestWorld } from '../testing/test-world.js';
import { ScriptedMediaFetcher } from '../testing/scripted-media-fetcher.js';
import { ScriptedSpeechToText } from '../testing/scripted-speech-to-text.js';
import { ConversationService, type ConversationServiceDeps, deliveryCodeIn } from './conversation-service.js';
import { detectLanguage } from './language.js';
import { REPLY_TEXTS } from './replies.js';
import { ONBOARDING_DECISION_TEXTS } from '../application/onboarding.js';
import { unwrap } from '../application/outcome.js';
import { type OnboardingRequestId, onboardingDetailsIn } from '../onboarding/onboarding-request.js';

type Extra = Partial<Pick<ConversationServiceDeps, 'speechToText' | 'media' | 'uow'>>;

async function chat(options: { creditLimit?: Money } = {}, extra: Extra = {}) {
  const world = createTestWorld();
  const m = await draftMarket({ ...options, world });
  const logger = new RecordingLogger();
  const service = conversationServiceOn(world, m.drafts, { logger, ...extra });
  let n = 0;
  const message = (phone: PhoneNumber, content: InboundContent, eventId = `wamid.${++n}`): InboundMessage =>
    inboundMessage({ from: phone, content, eventId: eventId, sentAt: world.clock.now(), profileName: 'Sita' });
  const text = (text: string): InboundContent => ({ type: 'text', text });
  const tap = (id: string): InboundContent => ({ type: 'button_reply', id, title: 'x' });
  const pick = (id: string): InboundContent => ({ type: 'list_reply', id, title: 'x', description: null });
  /** The party sends one message; returns what it was answered (the events committed since the last call). */
  const send = async (phone: PhoneNumber, content: InboundContent, eventId?: string) => {
    await service.handleMessage(message(phone, content, eventId));
    return replies();
  };
  const replies = (): Promise<OutboundMessage[]> => requestedSince(world.persistence.outbox, world.clock.now());
  const shop = (content: InboundContent, eventId?: string) => send(m.shop.phone, content, eventId);
  const orders = async (): Promise<Order[]> => [
    ...(await world.repos.orders.list({ retailerId: m.shop.id }, { limit: 50 })).items,
  ];
  await replies();
  return { m, world, logger, service, message, text, tap, pick, send, shop, replies, orders };
}

function buttonsOf(message: OutboundMessage | undefined): { id: string; title: string }[] {
  assert.ok(message?.kind === 'buttons', `expected buttons, got ${JSON.stringify(message)}`);
  return message.kind === 'buttons' ? message.buttons.map((b) => ({ id: b.id, title: b.title })) : [];
}

function draftIdOf(message: OutboundMessage | undefined): DraftId {
  const confirm = buttonsOf(message)[0]?.id ?? '';
  assert.match(confirm, /^draft:confirm:/);
  return confirm.slice('draft:confirm:'.length) as DraftId;
}

test('a shop orders by chat: message → draft reply with lines, total and credit after → Confirm → placed', async () => {
  const c = await chat();
  const draftReply = only(await c.shop(c.text('rice 25kg x 2')));
  assert.is(draftReply.to.value, c.m.shop.phone.value);
  const draftId = draftIdOf(draftReply);
  assert.is(
    bodyOf(draftReply),
    [
      'Your order:',
      '1. Mansuli Rice: 2 bag × NPR 2,250.00 = NPR 4,500.00',
      'Total NPR 4,500.00',
      'Credit available NPR 100,000.00 → NPR 95,500.00 after this order',
    ].join('\n'),
  );
  assert.equal(buttonsOf(draftReply), [
    { id: `draft:confirm:${draftId}`, title: 'Confirm' },
    { id: `draft:edit:${draftId}`, title: 'Edit' },
    { id: `draft:cancel:${draftId}`, title: 'Cancel' },
  ]);
  assert.equal(await c.orders(), [], 'a draft places nothing');
  const state = await c.world.repos.conversations.get(c.m.shop.phone, c.world.clock.now());
  assert.equal(state.step, { kind: 'awaiting-draft-confirm', draftId });
  assert.equal(state.party, { kind: 'retailer', id: c.m.shop.id });

  const placed = only(await c.shop(c.tap(`draft:confirm:${draftId}`)));
  const [order] = await c.orders();
  assert.ok(order);
  assert.is(order.status, 'ROUTING');
  assert.is(bodyOf(placed), `Order ${order.number} placed (NPR 4,500.00). We will tell you when a vendor accepts it.`);
  // A second tap on Confirm (another message) answers the same order, and places nothing more.
  const again = only(await c.shop(c.tap(`draft:confirm:${draftId}`)));
  assert.is(bodyOf(again), bodyOf(placed));
  assert.is((await c.orders()).length, 1);
});

test('a generic word resolved from the shop\'s own orders says "your usual"', async () => {
  const c = await chat();
  await c.m.bought(c.m.shop.id, 'DAL-MASOOR', 10, 2);
  const reply = only(await c.shop(c.text('dal 5 kg')));
  assert.match(bodyOf(reply), '1. Masoor Dal (your usual): 5 kg');
});

test("a pick from an older draft's list does not bring that draft back over the newer one; a second tap of a pick answers the same", async () => {
  // Seen live: picking from an earlier list revived that draft and silently dropped the newer one.
  const c = await chat();
  const [, oldList] = await c.shop(c.text('dal 5 kg\nsugar 2 kg'));
  const oldRow = oldList?.kind === 'list' ? oldList.sections[0]?.rows[0] : undefined;
  const newer = draftIdOf(only(await c.shop(c.text('sugar 3 kg'))));
  assert.is(
    bodyOf(only(await c.shop(c.pick(oldRow?.id ?? '')))),
    'That draft is no longer open. Please use your latest draft or send your order again.',
  );
  const state = await c.world.repos.conversations.get(c.m.shop.phone, c.world.clock.now());
  assert.equal(state.step, { kind: 'awaiting-draft-confirm', draftId: newer }, 'the newer draft is still the one');

  const [, list] = await c.shop(c.text('dal 5 kg\nsugar 2 kg'));
  const row = list?.kind === 'list' ? list.sections[0]?.rows[0] : undefined;
  const first = bodyOf(only(await c.shop(c.pick(row?.id ?? ''))));
  assert.match(first, /^Your order:\n1\. /);
  assert.is(bodyOf(only(await c.shop(c.pick(row?.id ?? '')))), first, 'tapped twice: the same revised draft');
});

test('an unclear line comes as a list of choices; the pick revises the draft and the draft reply comes again', async () => {
  const c = await chat();
  const [draftReply, list] = await c.shop(c.text('dal 5 kg\nsugar 2 kg'));
  const draftId = draftIdOf(draftReply);
  assert.match(bodyOf(draftReply as OutboundMessage), '? "dal 5 kg": please choose from the list');
  assert.ok(list?.kind === 'list');
  if (list?.kind !== 'list') return;
  const rows = list.sections.flatMap((s) => s.rows);
  assert.equal(
    rows.map((r) => r.title),
    ['Chana Dal', 'Masoor Dal', 'Moong Dal'],
  );
  assert.ok(rows.every((r) => r.id.startsWith(`choice:${draftId}:0:`)));
  const masoor = rows.find((r) => r.title === 'Masoor Dal');
  assert.equal((await c.world.repos.conversations.get(c.m.shop.phone, c.world.clock.now())).step, {
    kind: 'awaiting-choice',
    draftId,
    lineIndex: 0,
  });

  const revised = only(await c.shop(c.pick(masoor?.id ?? '')));
  const revisedId = draftIdOf(revised);
  assert.is.not(revisedId, draftId);
  assert.match(bodyOf(revised), '1. Sugar: 2 kg');
  assert.match(bodyOf(revised), '2. Masoor Dal: 5 kg');
  assert.not.match(bodyOf(revised), '?');
  only(await c.shop(c.tap(`draft:confirm:${revisedId}`)));
  const [order] = await c.orders();
  assert.is(order?.lines.length, 2);
});

test('after Edit, a question is answered and the draft waits for its correction; "cancel" drops the draft', async () => {
  // Seen live: after [Edit], "baki", "help", "status" and "cancel" were all "could not read an order".
  const c = await chat();
  const first = draftIdOf(only(await c.shop(c.text('sugar 2 kg'))));
  only(await c.shop(c.tap(`draft:edit:${first}`)));
  assert.is(
    bodyOf(only(await c.shop(c.text('balance')))),
    'Credit available NPR 100,000.00 of NPR 100,000.00. Outstanding NPR 0.00.',
  );
  assert.is(bodyOf(only(await c.shop(c.text('help')))), REPLY_TEXTS.en.help());
  const state = await c.world.repos.conversations.get(c.m.shop.phone, c.world.clock.now());
  assert.equal(state.step, { kind: 'awaiting-draft-edit', draftId: first }, 'still waiting for the correction');
  assert.match(bodyOf(only(await c.shop(c.text('sugar 5 kg')))), '1. Sugar: 5 kg');

  const second = draftIdOf(only(await c.shop(c.text('sugar 1 kg'))));
  only(await c.shop(c.tap(`draft:edit:${second}`)));
  assert.is(bodyOf(only(await c.shop(c.text('cancel')))), 'Draft cancelled. Nothing was ordered.');
  assert.is(
    bodyOf(only(await c.shop(c.tap(`draft:confirm:${second}`)))),
    'That draft is no longer open. Please use your latest draft or send your order again.',
  );
  assert.equal(await c.orders(), [], 'nothing placed');
});

test('Edit asks for the corrected order and the next text replaces the draft; the old one can no longer be placed', async () => {
  const c = await chat();
  const first = draftIdOf(only(await c.shop(c.text('sugar 2 kg'))));
  assert.is(bodyOf(only(await c.shop(c.tap(`draft:edit:${first}`)))), 'Please send the corrected order.');
  const corrected = only(await c.shop(c.text('sugar 5 kg')));
  const second = draftIdOf(corrected);
  assert.match(bodyOf(corrected), '1. Sugar: 5 kg');
  assert.is(
    bodyOf(only(await c.shop(c.tap(`draft:confirm:${first}`)))),
    'That draft is no longer open. Please use your latest draft or send your order again.',
  );
  assert.equal(await c.orders(), [], 'the replaced draft placed nothing');
  only(await c.shop(c.tap(`draft:confirm:${second}`)));
  assert.equal(
    (await c.orders()).map((o) => o.lines[0]?.quantity.value),
    [5],
  );
});

test('Cancel drops the draft: nothing is ordered, and its Confirm no longer places it', async () => {
  const c = await chat();
  const draftId = draftIdOf(only(await c.shop(c.text('sugar 2 kg'))));
  assert.is(bodyOf(only(await c.shop(c.tap(`draft:cancel:${draftId}`)))), 'Draft cancelled. Nothing was ordered.');
  only(await c.shop(c.tap(`draft:confirm:${draftId}`)));
  assert.equal(await c.orders(), []);
});

test('over the limit: the order is held, and the reply offers [Ask approval] [Cancel order] and the reduced draft that fits', async () => {
  const c = await chat({ creditLimit: Money.parse('5000') });
  const draftReply = only(await c.shop(c.text('sugar 20 kg\nrice 25kg x 2')));
  assert.match(bodyOf(draftReply), 'This is over your available credit.');
  const [held, fits] = await c.shop(c.tap(`draft:confirm:${draftIdOf(draftReply)}`));
  const [order] = await c.orders();
  assert.is(order?.status, 'ON_HOLD');
  assert.is(
    bodyOf(held as OutboundMessage),
    `Order ${order?.number} is over your credit limit: it is held. Ask our team to approve it, or cancel it. Or order what fits your credit now (below): that replaces it.`,
  );
  assert.equal(buttonsOf(held), [
    { id: `held:ask-approval:${order?.id}`, title: 'Ask approval' },
    { id: `order:cancel-yes:${order?.id}`, title: 'Cancel order' },
  ]);
  const fitsId = draftIdOf(fits);
  assert.match(bodyOf(fits as OutboundMessage), 'Total NPR 4,450.00');
  only(await c.shop(c.tap(`draft:confirm:${fitsId}`)));
  const statuses = (await c.orders()).map((o) => o.status).sort();
  assert.equal(statuses, ['CANCELLED', 'ROUTING'], 'the reduced order replaces the held one');
});

test('over the limit, [Ask approval]: the smaller draft closes; the operator approves only with an override reason, audited; the shop is told in its language', async () => {
  const c = await chat({ creditLimit: Money.parse('5000') });
  const draftReply = only(await c.shop(c.text('chini 20 kg\nchamal 25kg x 2')));
  const [held, fits] = await c.shop(c.tap(`draft:confirm:${draftIdOf(draftReply)}`));
  const [order] = await c.orders();
  if (!order) return assert.unreachable('placed');
  assert.match(bodyOf(held as OutboundMessage), `Order ${order.number} credit limit bhanda badhi bhayo`);
  const [ask] = buttonsOf(held);
  assert.equal(ask, { id: `held:ask-approval:${order.id}`, title: 'Swikriti magnus' });
  const asked = only(await c.shop(c.tap(ask?.id ?? '')));
  assert.match(bodyOf(asked), `Order ${order.number} hamro team ko swikriti ko lagi pathaiyo.`);
  // The other way is closed: the smaller draft no longer places anything.
  assert.match(bodyOf(only(await c.shop(c.tap(`draft:confirm:${draftIdOf(fits)}`)))), 'Tyo draft aba khula chaina');
  assert.equal(
    (await c.orders()).map((o) => o.status),
    ['ON_HOLD'],
  );
  const operator = { type: 'operator', id: 'op-7' } as const;
  // Still over the available credit: approving without a reason is refused, and nothing moves.
  const bare = await c.world.useCases.reviewHeldOrder.execute({
    orderId: order.id,
    decision: 'APPROVE',
    actor: operator,
  });
  assert.is(bare.ok ? 'approved' : bare.error.code, 'CREDIT.LIMIT_EXCEEDED');
  assert.equal(await c.replies(), [], 'no notice for a refused approval');
  const approved = await c.world.useCases.reviewHeldOrder.execute({
    orderId: order.id,
    decision: 'APPROVE',
    reason: 'pays on Friday, agreed by phone',
    actor: operator,
  });
  assert.is(approved.ok && approved.value.status, 'ROUTING');
  const last = (await c.world.repos.orders.get(order.id))?.statusLog.at(-1);
  assert.equal(
    [last?.from, last?.to, last?.actor, last?.reason],
    ['ON_HOLD', 'ROUTING', operator, 'credit limit override: pays on Friday, agreed by phone'],
  );
  const now = c.world.clock.now();
  const committed = (await c.world.persistence.outbox.claim({ limit: 100, leaseMs: 60_000, now })).map((m) => m.event);
  await c.world.persistence.outbox.markPublished([], now);
  const override = committed.find((e) => e.type === 'credit.limit_overridden');
  assert.equal(override?.payload, {
    retailerId: c.m.shop.id,
    orderId: order.id,
    amount: order.total.amount,
    available: 500_000,
    currency: 'NPR',
    reason: 'pays on Friday, agreed by phone',
    actor: operator,
  });
  const notices = committed.flatMap((e) => (e.type === 'message.send_requested' ? requestedMessages(e.payload) : []));
  const notice = only(notices);
  assert.is(notice.to.value, c.m.shop.phone.value);
  assert.is(
    bodyOf(notice),
    `Order ${order.number} hamro team le swikrit garyo. Supplier khojdai chhau; sweekar garepachi janaunchhau.`,
  );
  // Approved again (a retried request): the same order, no second notice.
  const again = await c.world.useCases.reviewHeldOrder.execute({
    orderId: order.id,
    decision: 'APPROVE',
    reason: 'pays on Friday, agreed by phone',
    actor: operator,
  });
  assert.is(again.ok && again.value.status, 'ROUTING');
  assert.equal(await c.replies(), []);
  const rejectNow = await c.world.useCases.reviewHeldOrder.execute({
    orderId: order.id,
    decision: 'REJECT',
    reason: 'changed my mind',
    actor: operator,
  });
  assert.is(rejectNow.ok ? 'rejected' : rejectNow.error.code, 'ORDER.ILLEGAL_TRANSITION');
});

test('over the limit, rejected by an operator: the shop is told why, in the language it wrote in', async () => {
  const c = await chat({ creditLimit: Money.parse('5000') });
  const draftReply = only(await c.shop(c.text('चिनी २० केजी\nचामल २५ केजी x २')));
  const [held] = await c.shop(c.tap(`draft:confirm:${draftIdOf(draftReply)}`));
  const [order] = await c.orders();
  if (!order) return assert.unreachable('placed');
  assert.equal(
    buttonsOf(held).map((b) => b.title),
    ['स्वीकृति माग्नुहोस्', 'अर्डर रद्द'],
  );
  const rejected = await c.world.useCases.reviewHeldOrder.execute({
    orderId: order.id,
    decision: 'REJECT',
    reason: 'पुरानो बाँकी पहिले तिर्नुहोस्',
    actor: { type: 'admin', id: 'ad-1' },
  });
  assert.is(rejected.ok && rejected.value.status, 'REJECTED');
  assert.is(bodyOf(only(await c.replies())), `अर्डर ${order.number} स्वीकृत भएन: पुरानो बाँकी पहिले तिर्नुहोस्।`);
  // [Ask approval] after the decision: what the order is now.
  assert.is(
    bodyOf(only(await c.shop(c.tap(`held:ask-approval:${order.id}`)))),
    `अर्डर ${order.number} (${order.total.format()}): अस्वीकार भयो।`,
  );
});

test('status, balance and help are answered in the language the shop wrote in', async () => {
  const c = await chat();
  only(await c.shop(c.tap(`draft:confirm:${draftIdOf(only(await c.shop(c.text('sugar 2 kg'))))}`)));
  const [order] = await c.orders();
  const n = order?.number ?? '';
  const cases: [string, string][] = [
    ['status', `Order ${n} (NPR 220.00) is looking for a vendor.`],
    ['mero order kaha pugyo', `Order ${n} (NPR 220.00): vendor khojdai.`],
    ['मेरो अर्डर कहाँ पुग्यो?', `अर्डर ${n} (NPR 220.00): भेन्डर खोज्दै।`],
    ['balance', 'Credit available NPR 99,780.00 of NPR 100,000.00. Outstanding NPR 0.00.'],
    ['baki kati cha', 'Baki credit NPR 99,780.00 (limit NPR 100,000.00). Tirna baki NPR 0.00.'],
    ['बाँकी', 'बाँकी क्रेडिट NPR 99,780.00 (सीमा NPR 100,000.00)। तिर्न बाँकी NPR 0.00।'],
    ['help', REPLY_TEXTS.en.help()],
    ['madat', REPLY_TEXTS['ne-Latn'].help()],
    ['मद्दत चाहियो', REPLY_TEXTS.ne.help()],
    ['namaste', REPLY_TEXTS['ne-Latn'].greeting()],
  ];
  for (const [asked, expected] of cases) {
    assert.is(bodyOf(only(await c.shop(c.text(asked)))), expected, asked);
  }
  const state = await c.world.repos.conversations.get(c.m.shop.phone, c.world.clock.now());
  assert.is(state.language, 'ne-Latn', 'the language of the last message');
});

test('cancel by message: [Yes][No], Yes cancels through CancelOrder, a repeated Yes gives the same answer', async () => {
  const c = await chat();
  only(await c.shop(c.tap(`draft:confirm:${draftIdOf(only(await c.shop(c.text('sugar 2 kg'))))}`)));
  const [order] = await c.orders();
  if (!order) return assert.unreachable('placed');
  const ask = only(await c.shop(c.text('order cancel garnus')));
  assert.is(bodyOf(ask), `Order ${order.number} (vendor khojdai) radda garne?`);
  assert.equal(buttonsOf(ask), [
    { id: `order:cancel-yes:${order.id}`, title: 'Ho, radda' },
    { id: `order:cancel-no:${order.id}`, title: 'Hoina, rakhnus' },
  ]);
  const done = bodyOf(only(await c.shop(c.tap(`order:cancel-yes:${order.id}`))));
  assert.is(done, `Order ${order.number} radda bhayo.`);
  assert.is((await c.orders())[0]?.status, 'CANCELLED');
  assert.is(bodyOf(only(await c.shop(c.tap(`order:cancel-yes:${order.id}`)))), done);
  assert.is(
    bodyOf(only(await c.shop(c.text('cancel my last order')))),
    `Order ${order.number} is cancelled: it can no longer be cancelled.`,
    'nothing left to cancel: the latest order as it is (the shop has orders, so not "no orders yet")',
  );
});

test('an unknown number is told how to register and nothing is created; a shop awaiting approval is told so', async () => {
  const c = await chat();
  const stranger = PhoneNumber.parse('+9779801234567');
  const reply = only(await c.send(stranger, c.text('chamal 2 bora')));
  assert.is(bodyOf(reply), REPLY_TEXTS['ne-Latn'].onboarding());
  assert.is(await c.world.repos.retailers.getByPhone(stranger), null);
  assert.is(await c.world.repos.vendors.getByPhone(stranger), null);
  assert.is((await c.world.repos.orders.list({}, { limit: 10 })).items.length, 0);
  const pending = await c.world.given.retailer({ status: 'PENDING_KYC' });
  assert.is(bodyOf(only(await c.send(pending.phone, c.text('sugar 2 kg')))), REPLY_TEXTS.en.pendingApproval());
  assert.is((await c.world.repos.orders.list({}, { limit: 10 })).items.length, 0);
});

test('onboarding: an unknown number is queued with the name and area it gives; an operator approves → a PENDING_KYC retailer, the person told in its language; redelivery and a second approve change nothing', async () => {
  const c = await chat();
  const stranger = PhoneNumber.parse('+9779801234567');
  assert.is(
    bodyOf(only(await c.send(stranger, c.text('namaste, pasal kholna cha')))),
    REPLY_TEXTS['ne-Latn'].onboardingShop(),
    'it said it is a shop ("pasal"): asked for the shop’s name and area',
  );
  const [queued] = (await c.world.repos.onboardingRequests.list({ status: 'PENDING' }, { limit: 10 })).items;
  assert.equal(
    [queued?.phone.value, queued?.shopName, queued?.area, queued?.language, queued?.messages],
    [stranger.value, null, null, 'ne-Latn', 1],
  );
  const detailed = c.message(
    stranger,
    c.text('Pasal: Ram Kirana Pasal\nThau: Lalitpur-3\nDarta garnus'),
    'wamid.details',
  );
  await c.service.handleMessage(detailed);
  assert.is(bodyOf(only(await c.replies())), REPLY_TEXTS['ne-Latn'].onboardingNoted('Ram Kirana Pasal', 'Lalitpur-3'));
  // The same message redelivered: answered once, counted once.
  await c.service.handleMessage(detailed);
  assert.equal(await c.replies(), []);
  const request = await c.world.repos.onboardingRequests.latestByPhone(stranger);
  assert.equal(
    [request?.id, request?.shopName, request?.area, request?.messages],
    [queued?.id, 'Ram Kirana Pasal', 'Lalitpur-3', 2],
  );
  assert.is(await c.world.repos.retailers.getByPhone(stranger), null, 'nothing created before the approval');
  const operator = { type: 'operator', id: 'op-3' } as const;
  const refused = await c.world.useCases.approveOnboardingRequest.execute({
    requestId: queued?.id as OnboardingRequestId,
    district: 'lalitpur',
    actor: { type: 'retailer', id: c.m.shop.id },
  });
  assert.is(refused.ok ? 'approved' : refused.error.code, 'ACCESS.FORBIDDEN');
  const approved = await c.world.useCases.approveOnboardingRequest.execute({
    requestId: queued?.id as OnboardingRequestId,
    district: 'lalitpur',
    actor: operator,
  });
  if (!approved.ok) return assert.unreachable(approved.error.code);
  const retailer = await c.world.repos.retailers.getByPhone(stranger);
  assert.equal([retailer?.name, retailer?.area, retailer?.status], ['Ram Kirana Pasal', 'lalitpur-3', 'PENDING_KYC']);
  assert.ok(await c.world.repos.credit.get(retailer?.id as RetailerId), 'its credit account');
  assert.equal(
    [approved.value.request.status, approved.value.request.retailerId, approved.value.request.decidedBy],
    ['APPROVED', retailer?.id, operator],
  );
  const told = only(await c.replies());
  assert.is(told.to.value, stranger.value);
  assert.is(bodyOf(told), ONBOARDING_DECISION_TEXTS['ne-Latn'].approved('Ram Kirana Pasal', false));
  const again = await c.world.useCases.approveOnboardingRequest.execute({
    requestId: queued?.id as OnboardingRequestId,
    district: 'lalitpur',
    actor: operator,
  });
  assert.is(again.ok && again.value.retailer?.id, retailer?.id);
  assert.equal(await c.replies(), [], 'told once');
  const reject = await c.world.useCases.rejectOnboardingRequest.execute({
    requestId: queued?.id as OnboardingRequestId,
    reason: 'changed my mind',
    actor: operator,
  });
  assert.is(reject.ok ? 'rejected' : reject.error.code, 'ONBOARDING.DECIDED');
  // Now a shop awaiting KYC: answered as one, and no new request.
  assert.is(bodyOf(only(await c.send(stranger, c.text('chamal 2 bora')))), REPLY_TEXTS['ne-Latn'].pendingApproval());
  assert.is((await c.world.repos.onboardingRequests.list({ status: 'PENDING' }, { limit: 10 })).items.length, 0);
});

test('onboarding: a number registered by the field team meanwhile is ENTITY.DUPLICATE, and its request stays pending (nothing of the approval kept)', async () => {
  const c = await chat();
  const stranger = PhoneNumber.parse('+9779807654321');
  await c.send(stranger, c.text('Shop: Gita Store, Area: Patan'));
  const request = await c.world.repos.onboardingRequests.latestByPhone(stranger);
  const operator = { type: 'operator', id: 'op-1' } as const;
  unwrap(
    await c.world.useCases.registerRetailer.execute({
      name: 'Gita Store',
      phone: stranger,
      area: 'Patan',
      district: 'lalitpur',
      actor: operator,
    }),
  );
  await c.replies();
  const approved = await c.world.useCases.approveOnboardingRequest.execute({
    requestId: request?.id as OnboardingRequestId,
    district: 'lalitpur',
    actor: operator,
  });
  assert.is(approved.ok ? 'approved' : approved.error.code, 'ENTITY.DUPLICATE');
  const after = await c.world.repos.onboardingRequests.get(request?.id as OnboardingRequestId);
  assert.equal([after?.status, after?.retailerId, after?.decidedAt], ['PENDING', null, null]);
  assert.equal(await c.replies(), [], 'nobody told of an approval that did not happen');
});

test('onboarding: rejected → the person told why in Devanagari; writing again queues nothing', async () => {
  const c = await chat();
  const stranger = PhoneNumber.parse('+9779807654321');
  only(await c.send(stranger, c.text('पसल: सीता किराना, ठेगाना: भक्तपुर-२')));
  const request = await c.world.repos.onboardingRequests.latestByPhone(stranger);
  assert.equal([request?.shopName, request?.area, request?.language], ['सीता किराना', 'भक्तपुर-२', 'ne']);
  const rejected = await c.world.useCases.rejectOnboardingRequest.execute({
    requestId: request?.id as OnboardingRequestId,
    reason: 'हाम्रो सेवा क्षेत्रबाहिर',
    actor: { type: 'admin', id: 'ad-1' },
  });
  assert.is(rejected.ok && rejected.value.request.status, 'REJECTED');
  assert.is(bodyOf(only(await c.replies())), ONBOARDING_DECISION_TEXTS.ne.rejected('हाम्रो सेवा क्षेत्रबाहिर'));
  assert.is(bodyOf(only(await c.send(stranger, c.text('फेरि नमस्ते')))), REPLY_TEXTS.ne.notRegistered());
  const all = (await c.world.repos.onboardingRequests.list({}, { limit: 10 })).items;
  assert.equal(
    all.map((r) => r.status),
    ['REJECTED'],
  );
  assert.is(await c.world.repos.retailers.getByPhone(stranger), null);
});

test('onboarding details: labelled fields only, in the three scripts; prose is not guessed at', () => {
  assert.equal(onboardingDetailsIn('Shop: Sita Kirana, Area: Kathmandu-10'), {
    shopName: 'Sita Kirana',
    area: 'Kathmandu-10',
    role: 'RETAILER',
  });
  assert.equal(onboardingDetailsIn('pasal ko naam - Hari Store\nthegana: Pokhara 8'), {
    shopName: 'Hari Store',
    area: 'Pokhara 8',
    role: 'RETAILER',
  });
  assert.equal(onboardingDetailsIn('namaste, mero pasal cha'), { shopName: null, area: null, role: 'RETAILER' });
  assert.equal(onboardingDetailsIn('namaste'), { shopName: null, area: null, role: null });
  assert.equal(onboardingDetailsIn(`name: ${'x'.repeat(300)}`).shopName?.length, 120);
});

/** The messages of `list` sent to `phone` (each party's messages are asserted on their own). */
function to(list: readonly OutboundMessage[], phone: PhoneNumber): OutboundMessage[] {
  return list.filter((m) => m.to.value === phone.value);
}

/** A placed order offered to the market's vendor. */
async function offered(c: Awaited<ReturnType<typeof chat>>, text = 'sugar 2 kg'): Promise<Order> {
  only(await c.shop(c.tap(`draft:confirm:${draftIdOf(only(await c.shop(c.text(text))))}`)));
  const [order] = await c.orders();
  if (!order) throw new Error('not placed');
  await c.world.useCases.routeOrder.execute({ orderId: order.id, actor: SYSTEM_ACTOR });
  await c.replies();
  return order;
}

/** Accepted and dispatched by the vendor's buttons; returns the order and the shop's code. */
async function dispatchedByChat(c: Awaited<ReturnType<typeof chat>>): Promise<{ order: Order; code: string }> {
  const order = await offered(c);
  await c.send(c.m.vendor.phone, c.tap(`offer:accept:${order.id}`));
  await c.send(c.m.vendor.phone, c.tap(`order:dispatched:${order.id}`));
  const code = await c.world.deliveryCode(order.id);
  if (code === null) throw new Error('no code issued');
  return { order, code };
}

test("a vendor accepts, dispatches, and delivers with the shop's code; each party is told its part", async () => {
  const c = await chat();
  const order = await offered(c);
  const vendor = c.m.vendor.phone;
  const shop = c.m.shop.phone;

  const accepted = await c.send(vendor, c.tap(`offer:accept:${order.id}`));
  const toVendor = only(to(accepted, vendor));
  assert.is(bodyOf(toVendor), `You accepted order ${order.number}. Tap Dispatched when it leaves.`);
  assert.equal(buttonsOf(toVendor), [{ id: `order:dispatched:${order.id}`, title: 'Dispatched' }]);
  assert.is(
    bodyOf(only(to(accepted, shop))),
    `Order ${order.number} is confirmed by the supplier: NPR 220.00. We will tell you when it leaves.`,
  );
  assert.is(accepted.length, 2, 'nobody else is messaged');
  assert.is((await c.world.repos.orders.get(order.id))?.status, 'CONFIRMED');

  const dispatched = await c.send(vendor, c.tap(`order:dispatched:${order.id}`));
  assert.equal(buttonsOf(only(to(dispatched, vendor))), [{ id: `order:delivered:${order.id}`, title: 'Delivered' }]);
  const code = await c.world.deliveryCode(order.id);
  const notice = only(to(dispatched, shop));
  assert.is(
    bodyOf(notice),
    `Order ${order.number} is on its way. Your delivery code is ${code}: give it to the driver only when you have the goods.`,
  );
  assert.equal(buttonsOf(notice), [{ id: `delivery:not-received:${order.id}`, title: 'Not received' }]);
  assert.is(dispatched.length, 2);
  assert.is((await c.world.repos.orders.get(order.id))?.status, 'DISPATCHED');

  // [Delivered] alone delivers nothing (and opens no dispute): the vendor is asked for the code.
  const asked = only(await c.send(vendor, c.tap(`order:delivered:${order.id}`)));
  assert.is(bodyOf(asked), `Please send the 4-digit delivery code the shop received for order ${order.number}.`);
  assert.is((await c.world.repos.orders.get(order.id))?.status, 'DISPATCHED');
  assert.is((await c.world.repos.deliveries.get(order.id))?.status, 'AWAITING_CODE');
  const waiting = await c.world.repos.conversations.get(vendor, c.world.clock.now());
  assert.equal(waiting.step, { kind: 'awaiting-delivery-code', orderId: order.id });

  const wrong = code === '0000' ? '0001' : '0000';
  assert.is(
    bodyOf(only(await c.send(vendor, c.text(wrong)))),
    `That is not the delivery code of order ${order.number}. 2 attempts left.`,
  );
  // The right code in Devanagari digits.
  const devanagari = (code ?? '').replace(/\d/g, (d) => String.fromCharCode(0x0966 + Number(d)));
  const delivered = await c.send(vendor, c.text(devanagari));
  assert.is(bodyOf(only(to(delivered, vendor))), `Order ${order.number} is delivered. Thank you!`);
  assert.match(
    bodyOf(only(to(delivered, shop))),
    new RegExp(`^Order ${order.number} is delivered\\. Invoice NPR 220\\.00, due `),
  );
  assert.is(delivered.length, 2);
  assert.is((await c.world.repos.orders.get(order.id))?.status, 'DELIVERED');
  // [Delivered] again: the same answer, nothing more.
  assert.is(
    bodyOf(only(await c.send(vendor, c.tap(`order:delivered:${order.id}`)))),
    bodyOf(only(to(delivered, vendor))),
  );
  const state = await c.world.repos.conversations.get(vendor, c.world.clock.now());
  assert.equal(state.party, { kind: 'vendor', id: c.m.vendor.id });
});

test('three wrong codes by chat: the vendor is told an operator will call; the order stays DISPATCHED', async () => {
  const c = await chat();
  const { order, code } = await dispatchedByChat(c);
  const vendor = c.m.vendor.phone;
  only(await c.send(vendor, c.tap(`order:delivered:${order.id}`)));
  const wrong = code === '1111' ? '2222' : '1111';
  assert.match(bodyOf(only(await c.send(vendor, c.text(wrong)))), '2 attempts left');
  assert.match(bodyOf(only(await c.send(vendor, c.text(`${wrong.slice(0, 2)} ${wrong.slice(2)}`)))), '1 attempt left');
  const third = await c.send(vendor, c.text(wrong));
  assert.is(
    bodyOf(only(to(third, vendor))),
    `Delivery of order ${order.number} is not confirmed. An operator will call you.`,
  );
  assert.is((await c.world.repos.deliveries.get(order.id))?.status, 'DISPUTED');
  assert.is((await c.world.repos.orders.get(order.id))?.status, 'DISPATCHED');
  assert.is((await c.world.repos.conversations.get(vendor, c.world.clock.now())).step.kind, 'idle');
});

test('the shop says not received (its button, or "aayena"): the delivery goes to an operator', async () => {
  const c = await chat();
  const { order } = await dispatchedByChat(c);
  const shop = c.m.shop.phone;
  const noted = only(await c.shop(c.tap(`delivery:not-received:${order.id}`)));
  assert.is(bodyOf(noted), `We noted that order ${order.number} has not arrived. An operator will call you.`);
  assert.is((await c.world.repos.deliveries.get(order.id))?.status, 'DISPUTED');
  const again = only(await c.shop(c.text('saman aayena')));
  assert.is(bodyOf(again), `Order ${order.number} aayena bhanne thaha bhayo. Operator le phone garnuhuncha.`);
  assert.is(again.to.value, shop.value);
  // The vendor's [Delivered] no longer asks for a code: an operator settles it.
  assert.is(
    bodyOf(only(await c.send(c.m.vendor.phone, c.tap(`order:delivered:${order.id}`)))),
    `Delivery of order ${order.number} is not confirmed. An operator will call you.`,
  );
  assert.is((await c.world.repos.orders.get(order.id))?.status, 'DISPATCHED');
});

test('a vendor’s number cannot be a shop’s too (PARTY.PHONE_TAKEN: one number, one party); its buttons and code reach the vendor side', async () => {
  // A wholesaler that also buys as a shop registers its shop under another number: a chat
  // cannot tell which of two parties of one number speaks.
  const c = await chat();
  const asShopToo = await c.world.useCases.registerRetailer.execute({
    name: 'Vendor Also Shop',
    phone: c.m.vendor.phone,
    area: 'kathmandu-1',
    district: 'kathmandu',
    status: 'ACTIVE',
    actor: SYSTEM_ACTOR,
  });
  assert.is(asShopToo.ok ? 'registered' : asShopToo.error.code, 'PARTY.PHONE_TAKEN');
  only(await c.shop(c.tap(`draft:confirm:${draftIdOf(only(await c.shop(c.text('chini 2 kg'))))}`)));
  const [order] = await c.orders();
  if (!order) return assert.unreachable('placed');
  await c.world.useCases.routeOrder.execute({ orderId: order.id, actor: SYSTEM_ACTOR });
  await c.replies();
  const vendor = c.m.vendor.phone;
  const accepted = to(await c.send(vendor, c.tap(`offer:accept:${order.id}`)), vendor);
  assert.equal(buttonsOf(only(accepted)), [{ id: `order:dispatched:${order.id}`, title: 'Dispatched' }]);
  const notice = only(to(await c.send(vendor, c.tap(`order:dispatched:${order.id}`)), c.m.shop.phone));
  const code = /\b(\d{4})\b/.exec(bodyOf(notice))?.[1] ?? '';
  only(await c.send(vendor, c.tap(`order:delivered:${order.id}`)));
  const delivered = to(await c.send(vendor, c.text(code)), vendor);
  assert.is(bodyOf(only(delivered)), `Order ${order.number} is delivered. Thank you!`);
  assert.is((await c.world.repos.orders.get(order.id))?.status, 'DELIVERED');
});

test('a line we understood but cannot sell is said so, not "not understood"', async () => {
  // Seen live: a shop picked "Mansuli Rice" from our own list and was told "chamal 2 bora: bujhiyena".
  const c = await chat();
  const far = PhoneNumber.parse('+9779812345670');
  unwrap(
    await c.world.useCases.registerRetailer.execute({
      name: 'Far Away Store',
      phone: far,
      area: 'nowhere-9',
      district: 'kathmandu',
      status: 'ACTIVE',
      actor: SYSTEM_ACTOR,
    }),
  );
  await c.replies();
  // Said at once: the list once offered here held the very product that cannot be sold, so
  // picking it answered the same.
  const answer = async (text: string): Promise<string[]> => (await c.send(far, c.text(text))).map(bodyOf);
  assert.equal(await answer('sugar 2 kg'), [
    'Your order:\n? "sugar 2 kg": not sold in your area now\nTotal NPR 0.00\nCredit available NPR 20,000.00 → NPR 20,000.00 after this order',
  ]);
  assert.match((await answer('chini 2 kg'))[0] ?? '', /: tapaiko area ma ahile paidaina\n/);
});

test("a vendor tapping Dispatched before Accept is asked to accept first, with the offer's buttons again", async () => {
  // Seen live: "Sorry, that did not work. Please try again or send \"help\"." (ACCESS.FORBIDDEN).
  const c = await chat();
  only(await c.shop(c.tap(`draft:confirm:${draftIdOf(only(await c.shop(c.text('chini 2 kg'))))}`)));
  const [order] = await c.orders();
  if (!order) return assert.unreachable('placed');
  await c.world.useCases.routeOrder.execute({ orderId: order.id, actor: SYSTEM_ACTOR });
  await c.replies();
  const vendor = c.m.vendor.phone;
  for (const early of [`order:dispatched:${order.id}`, `order:delivered:${order.id}`]) {
    const reply = only(await c.send(vendor, c.tap(early)));
    assert.is(bodyOf(reply), `You have not accepted order ${order.number} yet: tap Accept first.`, early);
    assert.equal(buttonsOf(reply), [
      { id: `offer:accept:${order.id}`, title: 'Accept' },
      { id: `offer:reject:${order.id}`, title: 'Reject' },
    ]);
  }
  assert.is((await c.world.repos.orders.get(order.id))?.status, 'ROUTING', 'nothing changed');
});

test('step notices are in the language the shop writes in; a change the shop made itself is not noticed', async () => {
  const c = await chat();
  only(await c.shop(c.tap(`draft:confirm:${draftIdOf(only(await c.shop(c.text('chini 2 kg'))))}`)));
  const [order] = await c.orders();
  if (!order) return assert.unreachable('placed');
  await c.world.useCases.routeOrder.execute({ orderId: order.id, actor: SYSTEM_ACTOR });
  const accepted = await c.send(c.m.vendor.phone, c.tap(`offer:accept:${order.id}`));
  assert.is(
    bodyOf(only(to(accepted, c.m.shop.phone))),
    `Order ${order.number} supplier le pakka garyo: NPR 220.00. Pathaepachi janaunchhau.`,
  );
  // The shop writes in Devanagari from now on.
  only(await c.shop(c.text('मेरो अर्डर कहाँ पुग्यो?')));
  const dispatched = await c.send(c.m.vendor.phone, c.tap(`order:dispatched:${order.id}`));
  const notice = only(to(dispatched, c.m.shop.phone));
  assert.match(bodyOf(notice), new RegExp(`^अर्डर ${order.number} बाटोमा छ। तपाईंको डेलिभरी कोड \\d{4} हो`));
  assert.equal(buttonsOf(notice), [{ id: `delivery:not-received:${order.id}`, title: 'आएन' }]);
});

test('a vendor updates a price or stock by message, and is told the rejection reason in its language', async () => {
  const c = await chat();
  const vendor = c.m.vendor.phone;
  const offers = await c.world.repos.offers.listByVendor(c.m.vendor.id);
  const products = await c.world.repos.products.getMany(offers.map((o) => o.productId));
  const sugar = products.find((p) => p.name === 'Sugar');
  const offer = offers.find((o) => o.productId === sugar?.id);
  if (!sugar || !offer) return assert.unreachable('the market sells sugar');
  const reply = bodyOf(only(await c.send(vendor, c.text('sugar 125'))));
  assert.is(reply, `Sugar: price ${offer.unitPrice.format()} → NPR 125.00 per ${offer.unit}.`);
  const after = (await c.world.repos.offers.listByVendor(c.m.vendor.id)).find((o) => o.productId === sugar.id);
  assert.is(after?.unitPrice.format(), 'NPR 125.00');
  assert.is(
    bodyOf(only(await c.send(vendor, c.text('sugar 125')))),
    `Sugar: no change (NPR 125.00 per ${offer.unit}, stock ${after?.stockOnHand}).`,
  );
  assert.is(
    bodyOf(only(await c.send(vendor, c.text('xyzzy plugh 300')))),
    'We found no product of yours in that message. Write its name as in your price list.',
  );
  assert.is(
    bodyOf(only(await c.send(vendor, c.text('kheer masala ko mol 300')))),
    'Yo message ma tapaiko saman bhetiyena. Price list ma jasto naam lekhnus.',
  );
  assert.is(bodyOf(only(await c.send(vendor, c.text('hello')))), REPLY_TEXTS.en.vendorHelp());
  assert.is(
    (await c.world.repos.offers.listByVendor(c.m.vendor.id)).find((o) => o.productId === sugar.id)?.unitPrice.format(),
    'NPR 125.00',
    'only the readable update changed the offer',
  );
});

test('a price beyond ×2 or ÷2 waits for the vendor: [Keep] keeps it, [Update] applies it, another message drops it', async () => {
  const c = await chat();
  const vendor = c.m.vendor.phone;
  const sugarOffer = async () => {
    const offers = await c.world.repos.offers.listByVendor(c.m.vendor.id);
    const products = await c.world.repos.products.getMany(offers.map((o) => o.productId));
    const sugar = products.find((p) => p.name === 'Sugar');
    const offer = offers.find((o) => o.productId === sugar?.id);
    if (!offer) throw new Error('the market sells sugar');
    return offer;
  };
  const before = await sugarOffer();
  const tenth = before.unitPrice.multiplyRatio(1n, 10n);
  const typo = `sugar ${tenth.format().replace(/^NPR /, '').replace(/,/g, '')}`;
  const asked = only(await c.send(vendor, c.text(typo)));
  assert.is(
    bodyOf(asked),
    `Sugar: the price would go from ${before.unitPrice.format()} to ${tenth.format()} per ${before.unit}. That is a big change: update it?`,
  );
  assert.equal(buttonsOf(asked), [
    { id: 'price:update', title: 'Yes, update' },
    { id: 'price:keep', title: 'No, keep price' },
  ]);
  assert.is((await sugarOffer()).unitPrice.amount, before.unitPrice.amount, 'nothing applied while it waits');
  assert.is(bodyOf(only(await c.send(vendor, c.tap('price:keep')))), 'The price is kept as it was.');
  assert.is((await sugarOffer()).unitPrice.amount, before.unitPrice.amount);
  // A tap once nothing waits applies nothing (a second tap, an old message).
  assert.is(bodyOf(only(await c.send(vendor, c.tap('price:update')))), REPLY_TEXTS.en.vendorHelp());
  assert.is((await sugarOffer()).unitPrice.amount, before.unitPrice.amount);
  // Asked again, then another message: the waiting change is dropped, a late [Update] applies nothing.
  only(await c.send(vendor, c.text(typo)));
  assert.is(bodyOf(only(await c.send(vendor, c.text('hello')))), REPLY_TEXTS.en.vendorHelp());
  assert.is(bodyOf(only(await c.send(vendor, c.tap('price:update')))), REPLY_TEXTS.en.vendorHelp());
  assert.is((await sugarOffer()).unitPrice.amount, before.unitPrice.amount);
  // Asked again and confirmed: applied as written.
  only(await c.send(vendor, c.text(typo)));
  assert.is(
    bodyOf(only(await c.send(vendor, c.tap('price:update')))),
    `Sugar: price ${before.unitPrice.format()} → ${tenth.format()} per ${before.unit}.`,
  );
  assert.is((await sugarOffer()).unitPrice.amount, tenth.amount);
});

test('a delivery code is a message of 4 digits (Latin or Devanagari), perhaps called a code, and nothing else', () => {
  assert.is(deliveryCodeIn('4821'), '4821');
  assert.is(deliveryCodeIn(' ४८२१ '), '4821');
  assert.is(deliveryCodeIn('48 21'), '4821');
  // Seen live: "code 4821" was read as a price update ("Please give the price or the stock as a number").
  assert.is(deliveryCodeIn('code 4821'), '4821');
  assert.is(deliveryCodeIn('Code: 4821'), '4821');
  assert.is(deliveryCodeIn('the code is 4821'), '4821');
  assert.is(deliveryCodeIn('delivery code #4821'), '4821');
  assert.is(deliveryCodeIn('कोड ४८२१ हो'), '4821');
  assert.is(deliveryCodeIn('code 4821 ho'), '4821');
  assert.is(deliveryCodeIn('48210'), null);
  assert.is(deliveryCodeIn('code 48210'), null);
  assert.is(deliveryCodeIn('mansuli 2150'), null);
  assert.is(deliveryCodeIn('sugar code 2150'), null, 'a product named with it is a price update');
  assert.is(deliveryCodeIn('code'), null);
});

test('a vendor rejects: a second tap on Reject gives the same answer; the order goes back to routing', async () => {
  const c = await chat();
  only(await c.shop(c.tap(`draft:confirm:${draftIdOf(only(await c.shop(c.text('sugar 2 kg'))))}`)));
  const [order] = await c.orders();
  if (!order) return assert.unreachable('placed');
  await c.world.useCases.routeOrder.execute({ orderId: order.id, actor: SYSTEM_ACTOR });
  const first = bodyOf(only(await c.send(c.m.vendor.phone, c.tap(`offer:reject:${order.id}`))));
  assert.is(first, `You rejected order ${order.number}.`);
  assert.is(bodyOf(only(await c.send(c.m.vendor.phone, c.tap(`offer:reject:${order.id}`)))), first);
  assert.is(
    bodyOf(only(await c.send(c.m.vendor.phone, c.tap(`offer:accept:${order.id}`)))),
    `Order ${order.number} is no longer offered to you.`,
  );
  assert.not.equal((await c.world.repos.orders.get(order.id))?.status, 'CONFIRMED');
});

test("another vendor's order id is not found and nothing is done to it", async () => {
  const c = await chat();
  only(await c.shop(c.tap(`draft:confirm:${draftIdOf(only(await c.shop(c.text('sugar 2 kg'))))}`)));
  const [order] = await c.orders();
  if (!order) return assert.unreachable('placed');
  await c.world.useCases.routeOrder.execute({ orderId: order.id, actor: SYSTEM_ACTOR });
  const other = await c.world.given.vendor();
  for (const id of [`offer:accept:${order.id}`, `offer:reject:${order.id}`, `order:dispatched:${order.id}`]) {
    assert.is(bodyOf(only(await c.send(other.phone, c.tap(id)))), 'We found no such order of yours.', id);
  }
  const after = await c.world.repos.orders.get(order.id);
  assert.is(after?.status, 'ROUTING');
  assert.is(after?.version, order.version + 1, 'only the routing changed it');
});

test('a redelivered message (same eventId) is answered once and acts once', async () => {
  const c = await chat();
  const draftId = draftIdOf(only(await c.shop(c.text('sugar 2 kg'), 'wamid.same-text')));
  assert.equal(await c.shop(c.text('sugar 2 kg'), 'wamid.same-text'), [], 'no second draft reply');
  only(await c.shop(c.tap(`draft:confirm:${draftId}`), 'wamid.same-tap'));
  assert.equal(await c.shop(c.tap(`draft:confirm:${draftId}`), 'wamid.same-tap'), []);
  assert.is((await c.orders()).length, 1);
  const state = await c.world.repos.conversations.get(c.m.shop.phone, c.world.clock.now());
  assert.equal(state.handledMessageIds, ['wamid.same-text', 'wamid.same-tap']);
});

test('a crash after the use case and before the commit: the redelivery places nothing more and replies once', async () => {
  let crash = true;
  const c = await chat();
  const real = c.world.persistence.uow;
  const crashing: UnitOfWork = {
    run: (work, options) => {
      if (options?.label === 'conversation-turn' && crash) {
        crash = false;
        return Promise.reject(new Error('worker killed'));
      }
      return real.run(work, options);
    },
  };
  const service = new ConversationService({
    uow: crashing,
    repos: c.world.repos,
    clock: c.world.clock,
    ids: c.world.ids,
    logger: NOOP_LOGGER,
    useCases: c.world.useCases,
    drafts: c.m.drafts,
  });
  const draftId = draftIdOf(only(await c.shop(c.text('sugar 2 kg'))));
  const confirm = c.message(c.m.shop.phone, c.tap(`draft:confirm:${draftId}`), 'wamid.confirm');
  await service.handleMessage(confirm).then(
    () => assert.unreachable('the crash fails the message'),
    (error: unknown) => assert.match(String(error), 'worker killed'),
  );
  assert.equal(await c.replies(), [], 'nothing sent by the crashed attempt');
  assert.is((await c.orders()).length, 1, 'the order was placed before the crash');
  await service.handleMessage(confirm);
  await service.handleMessage(confirm);
  const [order] = await c.orders();
  assert.is((await c.orders()).length, 1, 'confirming again placed nothing more');
  assert.is(
    bodyOf(only(await c.replies())),
    `Order ${order?.number} placed (NPR 220.00). We will tell you when a vendor accepts it.`,
  );
});

test('two messages of one number at once: the version conflict is retried and both are answered', async () => {
  const c = await chat();
  await Promise.all([
    c.service.handleMessage(c.message(c.m.shop.phone, c.text('sugar 2 kg'), 'wamid.a')),
    c.service.handleMessage(c.message(c.m.shop.phone, c.text('rice 25kg x 1'), 'wamid.b')),
  ]);
  const answers = await c.replies();
  assert.is(answers.length, 2);
  const bodies = answers.map(bodyOf).join('\n');
  assert.match(bodies, 'Sugar: 2 kg');
  assert.match(bodies, 'Mansuli Rice: 1 bag');
  const state = await c.world.repos.conversations.get(c.m.shop.phone, c.world.clock.now());
  assert.is(state.version, 2);
  assert.equal([...state.handledMessageIds].sort(), ['wamid.a', 'wamid.b']);
  const retried = c.logger.records.filter((r) => r.message === 'conversation: changed meanwhile, answering again');
  assert.is(retried.length, 1, 'one of the two lost the race and answered again');
});

const VOICE: InboundContent = {
  type: 'media',
  media: 'audio',
  mediaId: 'media-1',
  mimeType: 'audio/ogg; codecs=opus',
  caption: null,
  filename: null,
  voice: true,
};

async function voiceChat() {
  const media = new ScriptedMediaFetcher().put('media-1', new Uint8Array([1, 2, 3]));
  const speech = new ScriptedSpeechToText();
  const c = await chat({}, { speechToText: speech, media });
  /** The voice note as the inbox delivers it: `finalAttempt` false while it has attempts left. */
  const voice = async (finalAttempt: boolean, eventId = 'wamid.voice') => {
    await c.service.handleMessage(c.message(c.m.shop.phone, VOICE, eventId), { finalAttempt });
    return c.replies();
  };
  return { ...c, media, speech, voice };
}

test('a voice note asks for text without speech-to-text, and is ordered from what was heard with it', async () => {
  const plain = await chat();
  assert.is(bodyOf(only(await plain.shop(VOICE))), REPLY_TEXTS.en.typeYourOrder());

  const c = await voiceChat();
  c.speech.willHear('chini 2 kg');
  const reply = only(await c.shop(VOICE));
  assert.equal(c.media.fetched, ['media-1']);
  assert.is(c.speech.received.length, 1);
  assert.equal([...(c.speech.received[0]?.audio ?? [])], [1, 2, 3]);
  assert.match(bodyOf(reply), /^Hamile suneko: "chini 2 kg"\nTapaiko order:\n1\. Sugar: 2 kg/);
  draftIdOf(reply);
  // What the shop spoke in is its language from now on: the next voice note that fails is answered in it.
  const state = await c.world.repos.conversations.get(c.m.shop.phone, c.world.clock.now());
  assert.is(state.language, 'ne-Latn');
  c.media.failNext('GONE');
  assert.is(bodyOf(only(await c.voice(false, 'wamid.voice-2'))), REPLY_TEXTS['ne-Latn'].voiceGone());
});

test('a voice note that is not an order still quotes what was heard, in the language it was said in', async () => {
  const c = await voiceChat();
  c.speech.willHear('what is the weather like');
  const reply = only(await c.shop(VOICE));
  const body = bodyOf(reply);
  assert.ok(body.startsWith('We heard: "what is the weather like"\n'), body);
  assert.ok(body.length > 'We heard: "what is the weather like"\n'.length, 'the answer itself follows the quote');
});

test('a voice note gone from the provider is answered at once (no retry): send again or type', async () => {
  const c = await voiceChat();
  c.media.failNext('GONE');
  const reply = only(await c.voice(false));
  assert.is(bodyOf(reply), REPLY_TEXTS.en.voiceGone());
  assert.is(c.speech.received.length, 0, 'nothing to transcribe');
  c.media.failNext('TOO_LARGE');
  assert.is(bodyOf(only(await c.voice(false, 'wamid.voice-2'))), REPLY_TEXTS.en.voiceTooLong());
  c.media.failNext('CORRUPT');
  assert.is(bodyOf(only(await c.voice(false, 'wamid.voice-3'))), REPLY_TEXTS.en.voiceGone());
});

test('a transient media failure is thrown while attempts are left, then answered on the last one', async () => {
  const c = await voiceChat();
  c.media.failNext('UNAVAILABLE', 'UNAUTHORIZED');
  await c.voice(false).then(
    () => assert.unreachable('a transient failure with attempts left must throw, so the inbox retries'),
    (error: unknown) => assert.ok(UnavailableError.is(error), String(error)),
  );
  await c.voice(false).catch((error: unknown) => assert.ok(UnavailableError.is(error), String(error)));
  assert.equal(await c.replies(), [], 'nothing answered, nothing committed while retrying');
  const state = await c.world.repos.conversations.get(c.m.shop.phone, c.world.clock.now());
  assert.not.ok(state.handledMessageIds.includes('wamid.voice'));

  // The third attempt finds the media back: the retry is what answered the shop.
  c.speech.willHear('chini 2 kg');
  assert.match(bodyOf(only(await c.voice(false))), /^Hamile suneko: "chini 2 kg"/);
  assert.equal(c.media.fetched, ['media-1', 'media-1', 'media-1']);

  // Still failing on the last attempt: a clear reply rather than a lost message (in the language last spoken).
  c.media.failNext('UNAVAILABLE');
  assert.is(bodyOf(only(await c.voice(true, 'wamid.voice-last'))), REPLY_TEXTS['ne-Latn'].voiceUnavailable());
});

test('speech-to-text down: retried while attempts are left, then "could not listen just now"; nothing heard: type it', async () => {
  const c = await voiceChat();
  c.speech.failNext(1);
  await c.voice(false).then(
    () => assert.unreachable('the provider being down with attempts left must throw'),
    (error: unknown) => assert.ok(UnavailableError.is(error), String(error)),
  );
  c.speech.failNext(1);
  assert.is(bodyOf(only(await c.voice(true))), REPLY_TEXTS.en.voiceUnavailable());
  c.speech.willHear('   ');
  assert.is(bodyOf(only(await c.voice(false, 'wamid.voice-2'))), REPLY_TEXTS.en.voiceNotUnderstood());
  const again = await c.voice(true, 'wamid.voice-2');
  assert.equal(again, [], 'a redelivery of an answered voice note is not answered twice');
});

test('a text as long as WhatsApp allows (4096) is answered (asked for shorter), not thrown at every attempt until the event is dead', async () => {
  const c = await chat();
  const long = `chini 2 kg ${'ramro '.repeat(700)}`.slice(0, 4096);
  assert.is(bodyOf(only(await c.shop(c.text(long)))), REPLY_TEXTS['ne-Latn'].textTooLong());
  assert.equal(await c.orders(), []);
  const v = await voiceChat();
  v.speech.willHear(`chini 2 kg ${'ani '.repeat(2000)}`);
  assert.is(bodyOf(only(await v.shop(VOICE))), REPLY_TEXTS['ne-Latn'].voiceTooLong(), 'a transcript over the limit');
  assert.is(
    bodyOf(only(await c.shop(c.text('   \n ')))),
    REPLY_TEXTS['ne-Latn'].help(),
    'a blank text: the help, not a throw',
  );
  const fromVendor = await c.send(c.m.vendor.phone, c.text(`sugar 125 ${'x'.repeat(4080)}`));
  assert.is(fromVendor.length, 1, 'a vendor’s long text is answered too');
  const button = await c.shop({ type: 'button_reply', id: `draft:confirm:${'9'.repeat(250)}`, title: 'x' });
  assert.is(button.length, 1, 'a forged long button id is answered');
});

test('replies keep to WhatsApp limits: button titles ≤ 20 characters, ≤ 3 buttons, a long draft body ≤ 1024', async () => {
  for (const lang of CONVERSATION_LANGUAGES) {
    for (const [key, title] of Object.entries(REPLY_TEXTS[lang].buttons)) {
      assert.ok([...title].length <= 20, `${lang} ${key}: ${title}`);
    }
  }
  const c = await chat({ creditLimit: Money.parse('10000000') });
  const skus = c.m.catalog.slice(0, 30).map((p) => `${p.name} 1 ${p.baseUnit}`);
  const answers = await c.shop(c.text(skus.join('\n')));
  for (const a of answers) {
    assert.ok(bodyOf(a).length <= 1024, `body of ${bodyOf(a).length}`);
    if (a.kind === 'buttons') assert.ok(a.buttons.length <= 3);
    if (a.kind === 'list') assert.ok(a.sections.flatMap((s) => s.rows).length <= 10);
  }
  assert.ok(answers.some((a) => a.kind === 'buttons'));
  assert.ok(
    answers.some((a) => / and \d+ more lines/.test(bodyOf(a))),
    'the draft was long enough to be shortened',
  );
});

test('the language of a message: Devanagari, romanised Nepali cues, else English', () => {
  assert.is(detectLanguage('चामल २ बोरा'), 'ne');
  assert.is(detectLanguage('chamal 2 bora'), 'ne-Latn');
  assert.is(detectLanguage('baki kati cha?'), 'ne-Latn');
  assert.is(detectLanguage('rice 25kg x 2'), 'en');
  assert.is(detectLanguage('where is my order'), 'en');
});

test('a quantity that is not one ("chamal -2 bora", "chamal 0 bora", "chamal 1e9 bora") is asked about, with no product list to pick', async () => {
  // Seen live: each came back as a list of rices, and a pick drafted 2 bags for "-2", 1 bag
  // for "1e9", and "order not understood" for "0".
  const c = await chat();
  for (const [text, why] of [
    ['rice -2 bag', 'how many exactly? Write the quantity again, e.g. "rice 2 bags"'],
    ['rice 1e9 bag', 'how many? Write it with the quantity, e.g. "rice 2 bags"'],
    ['rice 0 bag', 'the quantity must be more than 0: write it again'],
  ] as const) {
    const reply = only(await c.shop(c.text(text)));
    assert.is(reply.kind, 'text', `${text}: no list of products`);
    assert.match(bodyOf(reply), `? "${text}": ${why}\n`, text);
  }
  assert.match(
    bodyOf(only(await c.shop(c.text('chamal -2 bora')))),
    '? "chamal -2 bora": thik kati? Matra feri lekhnus',
  );
  assert.match(bodyOf(only(await c.shop(c.text('चामल ० बोरा')))), '? "चामल ० बोरा": मात्रा ० भन्दा बढी हुनुपर्छ');
  assert.equal(await c.orders(), []);
});

test('more than any stock is said so even when the list offers other products', async () => {
  // Seen live: "chamal 99999999999 bora" answered "list bata channus" over a list holding the
  // very rice that was short; the shortage was said only after a pick.
  const c = await chat();
  const [draft, list] = await c.shop(c.text('rice 99999999 bag, sugar 2 kg'));
  assert.match(bodyOf(draft), '? "rice 99999999 bag": not enough in stock now', bodyOf(draft));
  if (list?.kind === 'list') {
    const mansuli = c.m.product('RICE-MANSULI').id;
    assert.not.ok(
      list.sections[0]?.rows.some((r) => r.id.endsWith(`:${mansuli}`)),
      'not the rice that was short',
    );
    assert.match(bodyOf(draft), 'not enough in stock now; or choose another from the list');
  }
});

test('a code of the wrong length while the code is awaited is asked again as 4 digits: no price update, no attempt spent', async () => {
  // Seen live: "00000" after [Delivered] answered "Please give the price or the stock as a number".
  const c = await chat();
  const { order, code } = await dispatchedByChat(c);
  const vendor = c.m.vendor.phone;
  only(await c.send(vendor, c.tap(`order:delivered:${order.id}`)));
  for (const typo of ['00000', '123', `${code}5`, 'code 12-345']) {
    assert.is(
      bodyOf(only(await c.send(vendor, c.text(typo)))),
      `The delivery code has 4 digits. Please send the 4-digit code the shop received for order ${order.number}.`,
      typo,
    );
  }
  assert.match(
    bodyOf(only(await c.send(vendor, c.text('१२३')))),
    'The delivery code has 4 digits.',
    'Devanagari digits',
  );
  const waiting = await c.world.repos.conversations.get(vendor, c.world.clock.now());
  assert.equal(waiting.step, { kind: 'awaiting-delivery-code', orderId: order.id }, 'still awaiting the code');
  assert.is((await c.world.repos.deliveries.get(order.id))?.status, 'AWAITING_CODE');
  // No attempt was spent on the typos: the right code still delivers.
  assert.match(bodyOf(only(to(await c.send(vendor, c.text(code ?? '')), vendor))), 'is delivered');
});

test('Reject tapped on an offer the vendor accepted says the order is still its to deliver, not "no longer offered"', async () => {
  // Seen live: Reject after Accept answered "Order KH-000041 is no longer offered to you.",
  // which reads as "someone else has it" while the shop waits for this vendor.
  const c = await chat();
  const order = await offered(c);
  const vendor = c.m.vendor.phone;
  await c.send(vendor, c.tap(`offer:accept:${order.id}`));
  const confirmed = only(await c.send(vendor, c.tap(`offer:reject:${order.id}`)));
  assert.is(
    bodyOf(confirmed),
    `You accepted order ${order.number}: it is yours to deliver. If you cannot, call us and an operator will cancel it.`,
  );
  assert.equal(buttonsOf(confirmed), [{ id: `order:dispatched:${order.id}`, title: 'Dispatched' }]);
  assert.is((await c.world.repos.orders.get(order.id))?.status, 'CONFIRMED');
  await c.send(vendor, c.tap(`order:dispatched:${order.id}`));
  const dispatched = only(await c.send(vendor, c.tap(`offer:reject:${order.id}`)));
  assert.match(bodyOf(dispatched), `You accepted order ${order.number}: it is yours to deliver.`);
  assert.equal(buttonsOf(dispatched), [{ id: `order:delivered:${order.id}`, title: 'Delivered' }]);
  assert.is((await c.world.repos.orders.get(order.id))?.status, 'DISPATCHED');
});

test('asking "status" while a draft waits keeps the draft: its Confirm still places it', async () => {
  // Seen live: draft → "status" → Confirm answered "That draft is no longer open", while
  // "baki" and "help" in between kept it.
  const c = await chat();
  const first = draftIdOf(only(await c.shop(c.text('sugar 2 kg'))));
  only(await c.shop(c.tap(`draft:confirm:${first}`)));
  for (const question of ['status', 'status KH-999999']) {
    const draftId = draftIdOf(only(await c.shop(c.text('sugar 3 kg'))));
    only(await c.shop(c.text(question)));
    const state = await c.world.repos.conversations.get(c.m.shop.phone, c.world.clock.now());
    assert.equal(state.step, { kind: 'awaiting-draft-confirm', draftId }, question);
    assert.match(bodyOf(only(await c.shop(c.tap(`draft:confirm:${draftId}`)))), /^Order KH-\d+ placed/, question);
  }
  assert.is((await c.orders()).length, 3);
});

test('"cancel" typed while a draft waits drops that draft, not the last placed order; "cancel KH-…" still names an order', async () => {
  // Seen live: a draft on screen, "cancel" asked "Cancel order KH-000047 (on hold)?" about an
  // earlier order: a shop meaning the draft would tap Yes and lose a real order.
  const c = await chat();
  only(await c.shop(c.tap(`draft:confirm:${draftIdOf(only(await c.shop(c.text('sugar 2 kg'))))}`)));
  const [placed] = await c.orders();
  if (!placed) return assert.unreachable('placed');
  for (const cancel of ['cancel', 'radda garnus']) {
    const draftId = draftIdOf(only(await c.shop(c.text('sugar 3 kg'))));
    const reply = only(await c.shop(c.text(cancel)));
    assert.is(reply.kind, 'text', `${cancel}: no Yes/No about an order`);
    assert.match(bodyOf(reply), cancel === 'cancel' ? 'Draft cancelled. Nothing was ordered.' : 'Draft radda bhayo.');
    const state = await c.world.repos.conversations.get(c.m.shop.phone, c.world.clock.now());
    assert.equal(state.step, { kind: 'idle' }, cancel);
    assert.is(
      bodyOf(only(await c.shop(c.tap(`draft:confirm:${draftId}`)))),
      cancel === 'cancel'
        ? 'That draft is no longer open. Please use your latest draft or send your order again.'
        : 'Tyo draft aba khula chaina. Pachhillo draft prayog garnus wa order feri pathaunus.',
    );
  }
  assert.is((await c.orders()).length, 1, 'nothing more was ordered');
  assert.is((await c.world.repos.orders.get(placed.id))?.status, placed.status, 'the placed order is untouched');
  // Naming the order still asks about that order, draft or not.
  draftIdOf(only(await c.shop(c.text('sugar 3 kg'))));
  const named = only(await c.shop(c.text(`cancel ${placed.number}`)));
  assert.equal(buttonsOf(named), [
    { id: `order:cancel-yes:${placed.id}`, title: 'Yes, cancel' },
    { id: `order:cancel-no:${placed.id}`, title: 'No, keep it' },
  ]);
});

test('a malformed list row (a forged question index) leaves the draft and its list as they were', async () => {
  // Seen live: a row "choice:<draft>:-1:<product>" answered "that did not work" and dropped the
  // draft, so the shop's real pick afterwards said "no longer open".
  const c = await chat();
  const [, list] = await c.shop(c.text('dal 5 kg\nsugar 2 kg'));
  const row = list?.kind === 'list' ? list.sections[0]?.rows[0] : undefined;
  if (!row) return assert.unreachable('a list');
  const [, draftId, , productId] = row.id.split(':');
  for (const bad of [`choice:${draftId}:-1:${productId}`, `choice:${draftId}:1.5:${productId}`]) {
    assert.is(bodyOf(only(await c.shop(c.pick(bad)))), 'Sorry, that did not work. Please try again or send "help".');
  }
  const revised = await c.shop(c.pick(row.id));
  assert.match(bodyOf(revised[0]), /^Your order:\n1\./, 'the real pick still revises the draft');
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ONBOARDING_DECISION_TEXTS } from '../application/onboarding.js';
import type { InboundContent, InboundMessage } from '../messaging/inbound-message.js';
import { onboardingRoleIn, type OnboardingRequestId } from '../onboarding/onboarding-request.js';
import type { OutboundMessage } from '../ports/message-sender.js';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { ErrorCodes } from '../shared/errors.js';
import { PhoneNumber } from '../shared/phone-number.js';
import { bodyOf, conversationServiceOn, inboundMessage, only, requestedSince } from '../testing/chat-messages.js';
import { draftMarket } from '../testing/draft-market.js';
import { createTestWorld } from '../testing/test-world.js';
import { REPLY_TEXTS } from './replies.js';

/** Onboarding by chat as a shop or as a supplier, and the operator's approval as RETAILER or VENDOR. */

const OPERATOR = { type: 'operator', id: 'op-7' } as const;

async function onboardingChat() {
  const world = createTestWorld();
  const m = await draftMarket({ world });
  const service = conversationServiceOn(world, m.drafts);
  let n = 0;
  const message = (phone: PhoneNumber, content: InboundContent): InboundMessage =>
    inboundMessage({
      from: phone,
      content,
      eventId: `wamid.onb.${++n}`,
      sentAt: world.clock.now(),
      profileName: 'Ram',
    });
  const replies = (): Promise<OutboundMessage[]> => requestedSince(world.persistence.outbox, world.clock.now());
  const send = async (phone: PhoneNumber, content: InboundContent) => {
    await service.handleMessage(message(phone, content));
    return replies();
  };
  const text = (t: string): InboundContent => ({ type: 'text', text: t });
  const tap = (id: string): InboundContent => ({ type: 'button_reply', id, title: 'x' });
  await replies();
  return { world, m, send, text, tap, replies };
}

test('the role words, in the three languages: a supplier’s win over a shop’s; none says nothing', () => {
  for (const said of ['I am a distributor', 'we are suppliers of rice', 'thok bikreta hu', 'म वितरक हुँ', 'Wholesaler'])
    assert.is(onboardingRoleIn(said), 'VENDOR', said);
  for (const said of ['I have a shop', 'mero pasal cha', 'किराना पसल', 'retailer here'])
    assert.is(onboardingRoleIn(said), 'RETAILER', said);
  assert.is(onboardingRoleIn('we supply shops, distributor'), 'VENDOR');
  for (const said of ['namaste', 'hello, register me', 'chamal 2 bora']) assert.is(onboardingRoleIn(said), null, said);
});

test('an unknown number that says nothing of itself is asked [Shop] [Supplier]; tapping Supplier asks the business details', async () => {
  const c = await onboardingChat();
  const stranger = PhoneNumber.parse('+9779801110001');
  const first = only(await c.send(stranger, c.text('hello')));
  assert.is(first.kind, 'buttons');
  assert.is(bodyOf(first), REPLY_TEXTS.en.onboarding());
  assert.equal(first.kind === 'buttons' ? first.buttons : [], [
    { id: 'onboarding:role:RETAILER', title: 'Shop' },
    { id: 'onboarding:role:VENDOR', title: 'Supplier' },
  ]);
  assert.is((await c.world.repos.onboardingRequests.latestByPhone(stranger))?.requestedRole, null, 'not said yet');

  assert.is(bodyOf(only(await c.send(stranger, c.tap('onboarding:role:VENDOR')))), REPLY_TEXTS.en.onboardingSupplier());
  const details = only(await c.send(stranger, c.text('Name: Everest Traders, Area: Lalitpur-3')));
  assert.is(bodyOf(details), REPLY_TEXTS.en.onboardingNoted('Everest Traders', 'Lalitpur-3'));
  const request = await c.world.repos.onboardingRequests.latestByPhone(stranger);
  assert.equal(
    [request?.requestedRole, request?.shopName, request?.area, request?.messages],
    ['VENDOR', 'Everest Traders', 'Lalitpur-3', 3],
  );
  // A forged button id changes nothing.
  only(await c.send(stranger, c.tap('onboarding:role:ADMIN')));
  assert.is((await c.world.repos.onboardingRequests.latestByPhone(stranger))?.requestedRole, 'VENDOR');
  assert.is(await c.world.repos.vendors.getByPhone(stranger), null, 'nothing created before the approval');
});

test('words say the role, in Nepali too; details given without a role are noted and the role asked', async () => {
  const c = await onboardingChat();
  const supplier = PhoneNumber.parse('+9779801110002');
  assert.is(
    bodyOf(only(await c.send(supplier, c.text('म वितरक हुँ')))),
    REPLY_TEXTS.ne.onboardingSupplier(),
    'Devanagari: a distributor',
  );
  assert.is((await c.world.repos.onboardingRequests.latestByPhone(supplier))?.requestedRole, 'VENDOR');

  const unsaid = PhoneNumber.parse('+9779801110003');
  const asked = only(await c.send(unsaid, c.text('नाम: गीता ट्रेडर्स, ठेगाना: पाटन')));
  assert.is(asked.kind, 'buttons');
  assert.is(
    bodyOf(asked),
    `${REPLY_TEXTS.ne.onboardingNoted('गीता ट्रेडर्स', 'पाटन')}\n${REPLY_TEXTS.ne.onboardingAskRole()}`,
  );
  assert.equal(asked.kind === 'buttons' ? asked.buttons.map((b) => b.title) : [], ['पसल', 'सप्लायर'], 'in its language');
  assert.is(
    bodyOf(only(await c.send(unsaid, c.tap('onboarding:role:RETAILER')))),
    REPLY_TEXTS.ne.onboardingNoted('गीता ट्रेडर्स', 'पाटन'),
    'the role tapped: all the operator needs',
  );
  assert.is((await c.world.repos.onboardingRequests.latestByPhone(unsaid))?.requestedRole, 'RETAILER');
});

test('approved as VENDOR (what it asked): an ACTIVE vendor serving its area, told how offers come; it is then answered as a vendor', async () => {
  const c = await onboardingChat();
  const stranger = PhoneNumber.parse('+9779801110004');
  await c.send(stranger, c.text('I am a distributor. Name: Everest Traders, Area: Lalitpur-3'));
  const request = await c.world.repos.onboardingRequests.latestByPhone(stranger);
  if (!request) return assert.unreachable('queued');
  const approve = (extra: object) =>
    c.world.useCases.approveOnboardingRequest.execute({ requestId: request.id, actor: OPERATOR, ...extra });

  const noCapacity = await approve({}).then(
    () => 'accepted',
    (e: { code?: string; details?: unknown }) => `${e.code} ${JSON.stringify(e.details)}`,
  );
  assert.is(
    noCapacity,
    `${ErrorCodes.VALIDATION} {"field":"dailyCapacity","role":"VENDOR"}`,
    'a clear validation error',
  );
  assert.is((await c.world.repos.onboardingRequests.get(request.id))?.status, 'PENDING', 'nothing decided');

  const approved = await approve({ dailyCapacity: 15, serviceAreas: ['Lalitpur-3', 'Kathmandu-10'] });
  if (!approved.ok) return assert.unreachable(approved.error.code);
  const vendor = await c.world.repos.vendors.getByPhone(stranger);
  assert.equal(
    [vendor?.name, vendor?.status, vendor?.serviceAreas, vendor?.dailyCapacity],
    ['Everest Traders', 'ACTIVE', ['lalitpur-3', 'kathmandu-10'], 15],
  );
  assert.is(await c.world.repos.retailers.getByPhone(stranger), null, 'no retailer');
  assert.equal(
    [approved.value.request.status, approved.value.request.vendorId, approved.value.request.retailerId],
    ['APPROVED', vendor?.id, null],
  );
  assert.is(approved.value.vendor?.id, vendor?.id);
  const told = only(await c.replies());
  assert.is(told.to.value, stranger.value);
  assert.is(bodyOf(told), ONBOARDING_DECISION_TEXTS.en.approvedVendor('Everest Traders'));
  // Again: the same vendor, told once.
  const again = await approve({ dailyCapacity: 15 });
  assert.is(again.ok && again.value.vendor?.id, vendor?.id);
  assert.equal(await c.replies(), []);
  // From now on the number is a vendor's: its text is an offer update, not onboarding.
  assert.is(bodyOf(only(await c.send(stranger, c.text('hello')))), REPLY_TEXTS.en.vendorHelp());
});

test('the operator decides: a self-declared supplier approved as RETAILER (district required), defaults from the request', async () => {
  const c = await onboardingChat();
  const stranger = PhoneNumber.parse('+9779801110005');
  await c.send(stranger, c.text('supplier. Name: Hari Store, Area: Pokhara-8'));
  const request = await c.world.repos.onboardingRequests.latestByPhone(stranger);
  if (!request) return assert.unreachable('queued');
  const noDistrict = await c.world.useCases.approveOnboardingRequest
    .execute({ requestId: request.id, role: 'RETAILER', actor: OPERATOR })
    .then(
      () => 'accepted',
      (e: { code?: string; details?: unknown }) => `${e.code} ${JSON.stringify(e.details)}`,
    );
  assert.is(noDistrict, `${ErrorCodes.VALIDATION} {"field":"district","role":"RETAILER"}`);
  const approved = await c.world.useCases.approveOnboardingRequest.execute({
    requestId: request.id,
    role: 'RETAILER',
    district: 'kaski',
    actor: OPERATOR,
  });
  if (!approved.ok) return assert.unreachable(approved.error.code);
  assert.equal([approved.value.retailer?.name, approved.value.retailer?.status], ['Hari Store', 'PENDING_KYC']);
  assert.is(approved.value.vendor, null);
  assert.is(await c.world.repos.vendors.getByPhone(stranger), null);
  assert.is(bodyOf(only(await c.replies())), ONBOARDING_DECISION_TEXTS.en.approved('Hari Store', false));
});

test('a number that became a party of the other kind meanwhile: PARTY.PHONE_TAKEN, the request stays pending', async () => {
  const c = await onboardingChat();
  const stranger = PhoneNumber.parse('+9779801110006');
  await c.send(stranger, c.text('Shop: Gita Store, Area: Patan'));
  const request = await c.world.repos.onboardingRequests.latestByPhone(stranger);
  if (!request) return assert.unreachable('queued');
  const registered = await c.world.useCases.registerVendor.execute({
    name: 'Gita Wholesale',
    phone: stranger,
    serviceAreas: ['patan'],
    dailyCapacity: 5,
    actor: SYSTEM_ACTOR,
  });
  assert.ok(registered.ok);
  const approved = await c.world.useCases.approveOnboardingRequest.execute({
    requestId: request.id as OnboardingRequestId,
    district: 'lalitpur',
    actor: OPERATOR,
  });
  assert.is(approved.ok ? 'approved' : approved.error.code, ErrorCodes.PARTY_PHONE_TAKEN);
  assert.is((await c.world.repos.onboardingRequests.get(request.id))?.status, 'PENDING', 'the claim rolled back');
  assert.is(await c.world.repos.retailers.getByPhone(stranger), null, 'no retailer beside the vendor');
  assert.equal(await c.replies(), [], 'nobody told anything');
});

test.run();

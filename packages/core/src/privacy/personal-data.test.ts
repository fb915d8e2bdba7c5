import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createAuthUseCases } from '../auth/auth-use-cases.js';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { ErrorCodes } from '../shared/errors.js';
import { Money } from '../shared/money.js';
import type { OnboardingRequestId } from '../onboarding/onboarding-request.js';
import { PhoneNumber } from '../shared/phone-number.js';
import { uniquePhone } from '../testing/builders.js';
import { draftMarket } from '../testing/draft-market.js';
import { createTestWorld } from '../testing/test-world.js';
import {
  FakeOpaqueTokenIssuer,
  FakePasswordHasher,
  FakeTotpAuthenticator,
} from '../testing/in-memory-auth-repositories.js';
import { expectFailure, expectOk } from '../testing/outcomes.js';
import { collectPersonalData, ErasePersonalData, PRIVACY_AUDIT_ACTIONS } from './personal-data.js';
import { PERSONAL_DATA_PAGE, PERSONAL_DATA_STORES, type PersonalDataStore } from './personal-data-stores.js';

const ADMIN = { type: 'admin', id: '0190a000-0000-7000-8000-000000000001' } as const;
const OPERATOR = { type: 'operator', id: '0190a000-0000-7000-8000-000000000002' } as const;
const PASSWORD = 'correct horse battery';
const META = { ip: '203.0.113.9', requestId: 'req-privacy' };
const EMAIL = 'sita.kirana@example.com';

/** A shop with a login (and a live session), orders, a payment and a draft. */
async function shopWithHistory() {
  const world = createTestWorld();
  const m = await draftMarket({ world });
  const outboundLog = world.persistence.outboundLog;
  const auth = createAuthUseCases(m.world.ctx, {
    hasher: new FakePasswordHasher(),
    tokens: new FakeOpaqueTokenIssuer(),
    totp: new FakeTotpAuthenticator(),
  });
  const userPhone = uniquePhone();
  const account = expectOk(
    await auth.createPartyUser.execute({
      role: 'RETAILER',
      retailerId: m.shop.id,
      email: EMAIL,
      phone: userPhone.value,
      password: PASSWORD,
      actor: ADMIN,
    }),
  );
  const session = expectOk(await auth.login.execute({ identifier: EMAIL, password: PASSWORD }));
  await m.bought(m.shop.id, 'DAL-MASOOR', 10, 2);
  expectOk(
    await m.world.useCases.placeOrder.execute({
      retailerId: m.shop.id,
      lines: [{ productId: m.product('DAL-MASOOR').id, quantity: 2 }],
      source: 'whatsapp',
      note: 'ring Sita on the back door',
      actor: SYSTEM_ACTOR,
    }),
  );
  expectOk(
    await m.world.useCases.recordPayment.execute({
      retailerId: m.shop.id,
      amount: Money.of(50_000),
      reference: 'ESEWA-7781',
      actor: SYSTEM_ACTOR,
    }),
  );
  const draft = expectOk(
    await m.drafts.draftOrderFromText.execute({
      retailerId: m.shop.id,
      text: 'dal 5 kg, deliver to Sita near the temple',
      actor: { type: 'retailer', id: m.shop.id },
    }),
  );
  // We messaged the shop (one status callback came in the provider's digits).
  await outboundLog.record({
    providerMessageId: 'wamid.out-1',
    recipient: m.shop.phone.value,
    kind: 'text',
    sentAt: m.world.clock.now(),
  });
  await outboundLog.applyStatus({
    messageId: 'wamid.out-2',
    recipient: m.shop.phone.value.slice(1),
    status: 'delivered',
    at: m.world.clock.now(),
    errors: [],
  });
  // The shop chats from its number (expired meanwhile: still its data until purged), and once from its login's.
  const now = m.world.clock.now();
  for (const [phone, expiresAt] of [
    [m.shop.phone, new Date(now.getTime() - 1)],
    [userPhone, new Date(now.getTime() + 60_000)],
  ] as const) {
    const fresh = await m.world.repos.conversations.get(phone, now);
    await m.world.repos.conversations.save({
      ...fresh,
      party: { kind: 'retailer', id: m.shop.id },
      language: 'ne-Latn',
      step: { kind: 'awaiting-draft-confirm', draftId: draft.id },
      handledMessageIds: ['wamid.sita-1'],
      updatedAt: now,
      expiresAt,
    });
  }
  // The shop first wrote as an unknown number: its onboarding request, approved.
  await m.world.repos.onboardingRequests.save({
    id: m.world.ids.next() as OnboardingRequestId,
    phone: m.shop.phone,
    shopName: 'Sita Kirana Pasal',
    area: 'near the temple, Kathmandu-10',
    requestedRole: 'RETAILER',
    language: 'ne-Latn',
    status: 'APPROVED',
    messages: 2,
    createdAt: now,
    lastMessageAt: now,
    decidedAt: now,
    decidedBy: OPERATOR,
    reason: null,
    retailerId: m.shop.id,
    vendorId: null,
    version: 0,
  });
  return { ...m, auth, account, session, userPhone, draft, outboundLog };
}
type Shop = Awaited<ReturnType<typeof shopWithHistory>>;

async function exportOf(s: Shop) {
  const exported = expectOk(
    await s.world.useCases.exportPersonalData.execute({ retailerId: s.shop.id, actor: ADMIN, meta: META }),
  );
  return collectPersonalData(exported);
}

const erase = (s: Shop, reason = 'the shop asked to be forgotten') =>
  s.world.useCases.erasePersonalData.execute({ retailerId: s.shop.id, reason, actor: ADMIN, meta: META });

test('the export holds the retailer, its login without secrets, orders, ledger, drafts and audit entries', async () => {
  const s = await shopWithHistory();
  const doc = await exportOf(s);
  const retailer = doc.retailer as Record<string, unknown>;
  assert.is(retailer.id, s.shop.id);
  assert.is(retailer.phone, s.shop.phone.value);
  assert.is(retailer.erased, false);
  const users = doc.users as Array<Record<string, unknown>>;
  assert.is(users.length, 1);
  assert.is(users[0]?.email, EMAIL);
  assert.is(users[0]?.phone, s.userPhone.value);
  assert.not.ok('passwordHash' in (users[0] ?? {}), 'no password hash');
  const orders = doc.orders as Array<{ lines: unknown[]; riskEvents: unknown[] }>;
  assert.is(orders.length, 3);
  assert.is(orders[0]?.lines.length, 1);
  const ledger = doc.ledgerEntries as Array<{ type: string; reference: string | null }>;
  assert.ok(ledger.some((e) => e.type === 'PAYMENT' && e.reference === 'ESEWA-7781'));
  assert.ok(doc.creditAccount !== null);
  const drafts = doc.orderDrafts as Array<{ id: string; text: string }>;
  assert.equal(
    drafts.map((d) => d.id),
    [s.draft.id],
  );
  const audits = doc.auditEntries as Array<{ action: string }>;
  assert.ok(audits.some((a) => a.action === 'auth.user_created'));
  const sent = doc.outboundMessages as Array<{ providerMessageId: string; status: string }>;
  assert.equal(
    sent.map((e) => [e.providerMessageId, e.status]),
    [
      ['wamid.out-1', 'accepted'],
      ['wamid.out-2', 'delivered'],
    ],
  );
  const conversations = doc.conversations as Array<{ phone: string; language: string; step: { draftId?: string } }>;
  assert.equal(
    conversations.map((c) => [c.phone, c.language, c.step.draftId]),
    [
      [s.shop.phone.value, 'ne-Latn', s.draft.id],
      [s.userPhone.value, 'ne-Latn', s.draft.id],
    ],
  );
  const requests = doc.onboardingRequests as Array<{ phone: string; area: string; status: string }>;
  assert.equal(
    requests.map((r) => [r.phone, r.area, r.status]),
    [[s.shop.phone.value, 'near the temple, Kathmandu-10', 'APPROVED']],
  );
  assert.not.match(JSON.stringify(doc), /fake\$|correct horse/, 'no password or hash anywhere');
});

test('export and erasure are ADMIN only; an unknown retailer is NOT_FOUND; the export is audited', async () => {
  const s = await shopWithHistory();
  expectFailure(
    await s.world.useCases.exportPersonalData.execute({ retailerId: s.shop.id, actor: OPERATOR }),
    ErrorCodes.FORBIDDEN,
  );
  expectFailure(
    await s.world.useCases.erasePersonalData.execute({ retailerId: s.shop.id, reason: 'x', actor: OPERATOR }),
    ErrorCodes.FORBIDDEN,
  );
  expectFailure(
    await s.world.useCases.exportPersonalData.execute({
      retailerId: '0190a000-0000-7000-8000-0000000000ff' as never,
      actor: ADMIN,
    }),
    ErrorCodes.NOT_FOUND,
  );
  await exportOf(s);
  const entries = await s.world.repos.auditLog.list({ action: PRIVACY_AUDIT_ACTIONS.export }, { limit: 10 });
  assert.is(entries.items.length, 1);
  assert.equal(entries.items[0]?.target, { type: 'retailer', id: s.shop.id });
  assert.is(entries.items[0]?.actor.id, ADMIN.id);
  assert.is(entries.items[0]?.requestId, META.requestId);
  assert.is((await s.world.repos.retailers.get(s.shop.id))?.name, s.shop.name, 'an operator changed nothing');
});

test('erasure anonymises the retailer and its login, keeps orders and the ledger, and is audited without personal data', async () => {
  const s = await shopWithHistory();
  const ordersBefore = (await s.world.repos.orders.list({ retailerId: s.shop.id }, { limit: 50 })).items;
  const balanceBefore = (await s.world.repos.credit.get(s.shop.id))?.snapshot().balance.amount;
  const entriesBefore = await s.world.repos.credit.listEntries(s.shop.id, {});

  const erased = expectOk(await erase(s));
  assert.is(erased.changed, true);
  assert.equal(erased.counts, {
    retailer: 1,
    conversations: 2,
    outboundMessages: 2,
    onboardingRequests: 1,
    users: 1,
    orders: 1,
    vendorRatingComments: 0,
    orderDrafts: 1,
  });
  assert.is(
    (await s.world.repos.conversations.get(s.shop.phone, new Date(0))).version,
    0,
    'the conversation of the shop’s number is gone',
  );
  assert.is((await s.world.repos.conversations.get(s.userPhone, new Date(0))).version, 0, 'and of its login’s');
  for (const id of ['wamid.out-1', 'wamid.out-2']) {
    assert.is(
      (await s.outboundLog.get(id))?.recipient,
      `erased:${s.shop.id}`,
      'the log keeps the delivery, not the number',
    );
  }

  const retailer = await s.world.repos.retailers.get(s.shop.id);
  assert.ok(retailer);
  assert.is(retailer.name, 'Erased retailer');
  assert.is(retailer.phone.value, `erased:${s.shop.id}`);
  assert.is(retailer.location, null);
  assert.is(retailer.status, 'SUSPENDED');
  const user = await s.world.repos.users.get(s.account.id);
  assert.ok(user);
  assert.is(user.email, null);
  assert.is(user.status, 'DISABLED');
  assert.is(user.totp, null);
  assert.ok(user.phone?.isErased);
  assert.is(await s.world.repos.orderDrafts.get(s.draft.id), null, 'the draft (the shop’s own words) is gone');

  // Financial records stay, tied to the same retailer id.
  const ordersAfter = (await s.world.repos.orders.list({ retailerId: s.shop.id }, { limit: 50 })).items;
  assert.equal(
    ordersAfter.map((o) => [o.id, o.total.amount]),
    ordersBefore.map((o) => [o.id, o.total.amount]),
  );
  assert.ok(
    ordersAfter.every((o) => o.snapshot().note === null),
    'order notes are free text: cleared',
  );
  assert.is((await s.world.repos.credit.get(s.shop.id))?.snapshot().balance.amount, balanceBefore);
  assert.equal(await s.world.repos.credit.listEntries(s.shop.id, {}), entriesBefore);

  const [entry] = (await s.world.repos.auditLog.list({ action: PRIVACY_AUDIT_ACTIONS.erase }, { limit: 10 })).items;
  assert.ok(entry);
  assert.equal(entry.target, { type: 'retailer', id: s.shop.id });
  assert.is(entry.details.reason, 'the shop asked to be forgotten');
  assert.is(entry.ip, META.ip);
  const text = JSON.stringify(entry);
  for (const personal of [s.shop.name, s.shop.phone.value, EMAIL, s.userPhone.value]) {
    assert.not.ok(text.includes(personal), `the audit entry does not hold ${personal}`);
  }
});

test('an erased retailer cannot log in, refresh, order or be reinstated; its phone and email are free again', async () => {
  const s = await shopWithHistory();
  expectOk(await erase(s));
  for (const identifier of [EMAIL, s.userPhone.value]) {
    const refused = await s.auth.login.execute({ identifier, password: PASSWORD });
    assert.not.ok(refused.ok, `login with ${identifier} refused`);
  }
  assert.not.ok((await s.auth.rotateRefreshToken.execute({ refreshToken: s.session.refreshToken })).ok, 'session gone');
  const principal = await s.auth.getActivePrincipal.execute({ userId: s.account.id });
  assert.not.ok(principal.ok, 'a live access token stops working at its next request');
  expectFailure(
    await s.world.useCases.placeOrder.execute({
      retailerId: s.shop.id,
      lines: [{ productId: s.product('DAL-MASOOR').id, quantity: 1 }],
      source: 'whatsapp',
      actor: SYSTEM_ACTOR,
    }),
    ErrorCodes.PARTY_INACTIVE,
  );
  expectFailure(
    await s.world.useCases.approveRetailer.execute({ retailerId: s.shop.id, reason: 'KYC', actor: OPERATOR }),
    ErrorCodes.PARTY_INACTIVE,
  );
  expectFailure(
    await s.auth.createPartyUser.execute({
      role: 'RETAILER',
      retailerId: s.shop.id,
      email: 'new.login@example.com',
      password: PASSWORD,
      actor: ADMIN,
    }),
    ErrorCodes.PARTY_INACTIVE,
  );
  // The same person registers again with the same number and email: a new party.
  const again = expectOk(
    await s.auth.registerAccount.execute({
      role: 'RETAILER',
      email: EMAIL,
      phone: s.shop.phone.value,
      password: PASSWORD,
      retailer: { name: s.shop.name, area: 'kathmandu-10', district: 'kathmandu' },
    }),
  );
  assert.is.not(again.retailerId, s.shop.id);
  assert.is((await s.world.repos.retailers.getByPhone(s.shop.phone))?.id, again.retailerId);
  assert.throws(() => PhoneNumber.parse(`erased:${s.shop.id}`), 'the placeholder is never a phone number');
});

test('erasing twice: the same answer, one effect, one audit entry', async () => {
  const s = await shopWithHistory();
  const first = expectOk(await erase(s));
  const stored = await s.world.repos.retailers.get(s.shop.id);
  s.world.clock.advance(60_000);
  const second = expectOk(await erase(s, 'asked again'));
  assert.is(second.changed, false);
  assert.equal(second.erasedAt, first.erasedAt);
  assert.equal(await s.world.repos.retailers.get(s.shop.id), stored, 'nothing changed');
  const entries = await s.world.repos.auditLog.list({ action: PRIVACY_AUDIT_ACTIONS.erase }, { limit: 10 });
  assert.is(entries.items.length, 1);
});

test('the export after erasure holds no personal data (the audit log keeps its entries: it is append-only)', async () => {
  const s = await shopWithHistory();
  expectOk(await erase(s));
  const doc = await exportOf(s);
  assert.is((doc.retailer as { erased: boolean }).erased, true);
  const { auditEntries, ...rest } = doc;
  const text = JSON.stringify(rest);
  for (const personal of [s.shop.name, s.shop.phone.value, EMAIL, s.userPhone.value, 'near the temple', 'back door']) {
    assert.not.ok(text.includes(personal), `the export does not hold ${personal}`);
  }
  assert.is((doc.orders as unknown[]).length, 3, 'orders are still exported');
  assert.equal(doc.conversations, [], 'no conversation is left');
  assert.equal(doc.outboundMessages, [], 'no message is to its number any more');
  assert.ok((auditEntries as Array<{ action: string }>).some((a) => a.action === PRIVACY_AUDIT_ACTIONS.erase));
});

test('erasure is one transaction: a store that fails leaves everything as it was', async () => {
  const s = await shopWithHistory();
  const failing: PersonalDataStore = {
    name: 'broken',
    shape: 'many',
    async erase() {
      throw new Error('disk on fire');
    },
  };
  const use = new ErasePersonalData(s.world.ctx, [...PERSONAL_DATA_STORES, failing]);
  try {
    await use.execute({ retailerId: s.shop.id, reason: 'test', actor: ADMIN });
    assert.unreachable('the failing store throws');
  } catch (error) {
    assert.match(String(error), /disk on fire/);
  }
  assert.is((await s.world.repos.retailers.get(s.shop.id))?.name, s.shop.name);
  assert.is((await s.world.repos.users.get(s.account.id))?.status, 'ACTIVE');
  assert.ok(await s.world.repos.orderDrafts.get(s.draft.id));
  assert.is((await s.world.repos.auditLog.list({ action: PRIVACY_AUDIT_ACTIONS.erase }, { limit: 5 })).items.length, 0);
});

test(`the export reads orders page by page: more than ${PERSONAL_DATA_PAGE} orders all come out`, async () => {
  const s = await shopWithHistory();
  const extra = PERSONAL_DATA_PAGE + 3;
  for (let i = 0; i < extra; i++) {
    expectOk(
      await s.world.useCases.placeOrder.execute({
        retailerId: s.shop.id,
        lines: [{ productId: s.product('DAL-MASOOR').id, quantity: 1 }],
        source: 'whatsapp',
        actor: SYSTEM_ACTOR,
      }),
    );
  }
  const doc = await exportOf(s);
  const ids = (doc.orders as Array<{ id: string }>).map((o) => o.id);
  assert.is(ids.length, extra + 3);
  assert.is(new Set(ids).size, ids.length, 'no order twice');
});

test.run();

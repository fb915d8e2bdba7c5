import {
  ConversationService,
  ErrorCodes,
  NOOP_LOGGER,
  PhoneNumber,
  type InboundContent,
  type InboundMessage,
  SYSTEM_ACTOR,
} from '@khaacho/core';
import { createWorldOn, draftMarket } from '@khaacho/core/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPostgresPersistence, type PostgresPersistence } from './create-postgres-persistence.js';
import { truncateAll } from './testing/contract-subject.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';

/*
 * Onboarding as a supplier, and one phone one party, on a real server: the chat stores the
 * role asked for, an approval as VENDOR creates the vendor; and when the use cases' own checks
 * both pass (an approval as RETAILER and a vendor registration of one number at once), the
 * `party_phones` registry lets exactly one of them commit.
 */
const test = suite('onboarding roles and one phone one party on PostgreSQL');

let db: TestDatabase;
let p: PostgresPersistence;

test.before(async () => {
  db = await createTestDatabase('khaacho_onboarding_role');
  p = await createPostgresPersistence({ databaseUrl: db.url, migrate: true, poolMax: 12 });
});
test.after(async () => {
  await p?.close();
  await db?.drop();
});
test.before.each(async () => {
  await truncateAll(p);
});

const OPERATOR = { type: 'operator', id: 'op-1' } as const;

async function setup() {
  const world = createWorldOn(p);
  const m = await draftMarket({ world });
  const service = new ConversationService({
    uow: p.uow,
    repos: p.repos,
    clock: world.clock,
    ids: world.ids,
    logger: NOOP_LOGGER,
    useCases: world.useCases,
    drafts: m.drafts,
  });
  let n = 0;
  const send = (from: PhoneNumber, content: InboundContent) =>
    service.handleMessage({
      kind: 'message',
      eventId: `wamid.role.${++n}`,
      businessNumberId: 'phone-number-id',
      messageId: `wamid.role.${n}`,
      from: from.value.slice(1),
      profileName: null,
      sentAt: world.clock.now(),
      context: null,
      content,
      errors: [],
    } satisfies InboundMessage);
  return { world, send };
}

test('a supplier onboards by chat and is approved as VENDOR: the role and the vendor are stored', async () => {
  const { world, send } = await setup();
  const phone = PhoneNumber.parse('+9779805550001');
  await send(phone, { type: 'text', text: 'namaste. Naam: Everest Traders, Thau: Lalitpur-3' });
  await send(phone, { type: 'button_reply', id: 'onboarding:role:VENDOR', title: 'Supplier' });
  const request = await p.repos.onboardingRequests.latestByPhone(phone);
  assert.equal(
    [request?.requestedRole, request?.shopName, request?.area, request?.messages],
    ['VENDOR', 'Everest Traders', 'Lalitpur-3', 2],
  );
  const approved = await world.useCases.approveOnboardingRequest.execute({
    requestId: request?.id as never,
    dailyCapacity: 12,
    actor: OPERATOR,
  });
  if (!approved.ok) return assert.unreachable(approved.error.code);
  const vendor = await p.repos.vendors.getByPhone(phone);
  assert.equal([vendor?.name, vendor?.status, vendor?.serviceAreas], ['Everest Traders', 'ACTIVE', ['lalitpur-3']]);
  const stored = await p.repos.onboardingRequests.get(request?.id as never);
  assert.equal([stored?.status, stored?.vendorId, stored?.retailerId], ['APPROVED', vendor?.id, null]);
});

test('an approval as RETAILER and a vendor registration of one number at once: exactly one commits, the other is PARTY.PHONE_TAKEN', async () => {
  const { world, send } = await setup();
  for (let i = 0; i < 4; i++) {
    const phone = PhoneNumber.parse(`+97798055510${i}0`);
    await send(phone, { type: 'text', text: `Shop: Race Store ${i}, Area: Patan` });
    const request = await p.repos.onboardingRequests.latestByPhone(phone);
    const [asShop, asVendor] = await Promise.all([
      world.useCases.approveOnboardingRequest.execute({
        requestId: request?.id as never,
        district: 'lalitpur',
        actor: OPERATOR,
      }),
      world.useCases.registerVendor.execute({
        name: `Race Wholesale ${i}`,
        phone,
        serviceAreas: ['patan'],
        dailyCapacity: 5,
        actor: SYSTEM_ACTOR,
      }),
    ]);
    const outcomes = [asShop, asVendor].map((o) => (o.ok ? 'ok' : o.error.code));
    assert.is(outcomes.filter((o) => o === 'ok').length, 1, `one wins: ${outcomes}`);
    assert.ok(outcomes.includes(ErrorCodes.PARTY_PHONE_TAKEN), `the other is told the number is taken: ${outcomes}`);
    const parties = [await p.repos.retailers.getByPhone(phone), await p.repos.vendors.getByPhone(phone)];
    assert.is(parties.filter((x) => x !== null).length, 1, 'one party holds the number');
    const status = (await p.repos.onboardingRequests.get(request?.id as never))?.status;
    assert.is(status, asShop.ok ? 'APPROVED' : 'PENDING', 'a lost approval leaves the request pending');
  }
});

test('a number shared by a retailer and a vendor written past the use cases is refused by the registry itself', async () => {
  const { world } = await setup();
  const shop = await world.given.retailer();
  const vendor = await world.given.vendor();
  const refused = await p.repos.vendors.save({ ...vendor, phone: shop.phone, updatedAt: new Date() }).then(
    () => 'saved',
    (e: { code?: string; details?: { constraint?: string } }) => `${e.code} ${e.details?.constraint}`,
  );
  assert.is(refused, `${ErrorCodes.PARTY_PHONE_TAKEN} party_phones_pkey`);
  assert.equal(await p.repos.vendors.get(vendor.id), vendor, 'the vendor kept its number');
});

test.run();

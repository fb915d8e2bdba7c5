import { RETAILER_STATUSES, withRetailerStatus } from '../../parties/retailer.js';
import { USER_STATUSES } from '../../parties/user.js';
import { VENDOR_STATUSES } from '../../parties/vendor.js';
import { ConflictError, ErrorCodes, ValidationError } from '../../shared/errors.js';
import { geoPoint } from '../../shared/geo.js';
import type { RetailerId } from '../../shared/ids.js';
import { aCreditAccount, aRetailer, aUser, aVendor, uniquePhone } from '../builders.js';
import { type Contract, errorWith, expectEqual, expectRejects } from '../contract.js';

/** after − before per status: the contracts share a store, so they count what they added. */
function delta<S extends string>(
  statuses: readonly S[],
  before: Readonly<Record<S, number>>,
  after: Readonly<Record<S, number>>,
): Record<string, number> {
  expectEqual(Object.keys(after).sort(), [...statuses].sort(), 'every status has a count');
  return Object.fromEntries(statuses.map((s) => [s, after[s] - before[s]]));
}
import { caseTools, type PersistenceSubject } from './persistence-subject.js';

export const retailerRepositoryContract: Contract<PersistenceSubject> = {
  name: 'RetailerRepository',
  cases: [
    {
      name: 'counts retailers by status, every status present',
      async run({ repos }) {
        const { ids, clock, now } = caseTools();
        const before = await repos.retailers.countByStatus();
        const a = aRetailer(ids, now);
        await repos.retailers.save(a);
        await repos.retailers.save(withRetailerStatus(aRetailer(ids, now), 'ACTIVE', clock.advance(1)));
        await repos.retailers.save(withRetailerStatus(aRetailer(ids, now), 'ACTIVE', clock.advance(1)));
        await repos.retailers.save(withRetailerStatus(a, 'SUSPENDED', clock.advance(1)));
        expectEqual(
          delta(RETAILER_STATUSES, before, await repos.retailers.countByStatus()),
          { PENDING_KYC: 0, ACTIVE: 2, SUSPENDED: 1 },
          'two ACTIVE, one moved from PENDING_KYC to SUSPENDED',
        );
      },
    },
    {
      name: 'saves, finds by id and phone, updates status',
      async run({ repos }) {
        const { ids, clock, now } = caseTools();
        const r = aRetailer(ids, now, { location: geoPoint(27.7172, 85.324) });
        await repos.retailers.save(r);
        expectEqual(await repos.retailers.get(r.id), r, 'by id');
        expectEqual(await repos.retailers.getByPhone(r.phone), r, 'by phone');
        const suspended = withRetailerStatus(r, 'SUSPENDED', clock.advance(1000));
        await repos.retailers.save(suspended);
        expectEqual((await repos.retailers.get(r.id))?.status, 'SUSPENDED', 'updated');
        expectEqual(await repos.retailers.get(ids.next() as RetailerId), null, 'absent');
      },
    },
    {
      name: 'phone numbers are unique (ENTITY.DUPLICATE)',
      async run({ repos }) {
        const { ids, now } = caseTools();
        const r = aRetailer(ids, now);
        await repos.retailers.save(r);
        await expectRejects(
          repos.retailers.save(aRetailer(ids, now, { phone: r.phone })),
          errorWith(ConflictError.is, ErrorCodes.DUPLICATE),
          'same phone',
        );
      },
    },
    {
      name: 'lists newest first with a stable cursor',
      async run({ repos }) {
        const { ids, clock } = caseTools();
        const made = [];
        for (let i = 0; i < 5; i++) {
          const r = aRetailer(ids, clock.advance(1000));
          made.push(r);
          await repos.retailers.save(r);
        }
        const first = await repos.retailers.list({ limit: 2 });
        const second = await repos.retailers.list({ limit: 2, cursor: first.nextCursor });
        const third = await repos.retailers.list({ limit: 2, cursor: second.nextCursor });
        expectEqual(
          [...first.items, ...second.items, ...third.items].map((r) => r.id),
          made.map((r) => r.id).reverse(),
          'newest first, each once',
        );
        expectEqual(third.nextCursor, null, 'last page has no cursor');
      },
    },
    {
      name: 'issue 8 #6: a location out of range or NaN is refused by the store itself (its CHECK)',
      async run({ repos }) {
        const { ids, now } = caseTools();
        for (const location of BAD_LOCATIONS) {
          // Past the domain's own check, as a buggy caller or a hand-built row would be.
          const r = { ...aRetailer(ids, now), location };
          await expectRejects(repos.retailers.save(r), refusedAsInvalid, `retailer ${JSON.stringify(location)}`);
          expectEqual(await repos.retailers.get(r.id), null, 'nothing stored');
          const v = { ...aVendor(ids, now), location };
          await expectRejects(repos.vendors.save(v), refusedAsInvalid, `vendor ${JSON.stringify(location)}`);
          expectEqual(await repos.vendors.get(v.id), null, 'nothing stored');
        }
      },
    },
  ],
};

const BAD_LOCATIONS = [
  { lat: 277.1, lng: 85.3 },
  { lat: Number.NaN, lng: 85.3 },
  { lat: 27.7, lng: -180.01 },
];

/** pg 23514 and the in-memory CHECK alike. */
const refusedAsInvalid = errorWith(ValidationError.is, ErrorCodes.CONSTRAINT_VIOLATED);

export const vendorRepositoryContract: Contract<PersistenceSubject> = {
  name: 'VendorRepository',
  cases: [
    {
      name: 'counts vendors by status, every status present',
      async run({ repos }) {
        const { ids, now } = caseTools();
        const before = await repos.vendors.countByStatus();
        await repos.vendors.save(aVendor(ids, now, { status: 'ACTIVE' }));
        await repos.vendors.save(aVendor(ids, now, { status: 'SUSPENDED' }));
        await repos.vendors.save(aVendor(ids, now, { status: 'SUSPENDED' }));
        expectEqual(
          delta(VENDOR_STATUSES, before, await repos.vendors.countByStatus()),
          { ACTIVE: 1, INACTIVE: 0, SUSPENDED: 2 },
          'one ACTIVE and two SUSPENDED added',
        );
      },
    },
    {
      name: 'finds active vendors serving an area, by id order',
      async run({ repos }) {
        const { ids, now } = caseTools();
        const a = aVendor(ids, now, { serviceAreas: ['lalitpur', 'kathmandu-10'] });
        const b = aVendor(ids, now, { serviceAreas: ['Kathmandu 10'] });
        const c = aVendor(ids, now, { serviceAreas: ['kathmandu-10'], status: 'SUSPENDED' });
        const d = aVendor(ids, now, { serviceAreas: ['bhaktapur'] });
        for (const v of [a, b, c, d]) await repos.vendors.save(v);
        expectEqual(
          (await repos.vendors.listActiveServing('kathmandu-10')).map((v) => v.id),
          [a.id, b.id].sort(),
          'active and serving',
        );
        expectEqual(await repos.vendors.get(a.id), a, 'round trip');
        expectEqual(await repos.vendors.getByPhone(d.phone), d, 'by phone');
        expectEqual((await repos.vendors.getMany([a.id, d.id])).length, 2, 'getMany');
        await expectRejects(
          repos.vendors.save(aVendor(ids, now, { phone: a.phone })),
          errorWith(ConflictError.is, ErrorCodes.DUPLICATE),
          'phone unique',
        );
        const page = await repos.vendors.list({ limit: 3 });
        expectEqual(page.items.length, 3, 'page size');
      },
    },
    {
      name: 'one phone, one party: a vendor with a retailer’s phone, or back, is PARTY.PHONE_TAKEN',
      async run({ repos }) {
        const { ids, clock, now } = caseTools();
        const shop = aRetailer(ids, now);
        const distributor = aVendor(ids, now);
        await repos.retailers.save(shop);
        await repos.vendors.save(distributor);
        const taken = errorWith(ConflictError.is, ErrorCodes.PARTY_PHONE_TAKEN);
        const vendorAsShop = aVendor(ids, now, { phone: shop.phone });
        await expectRejects(repos.vendors.save(vendorAsShop), taken, 'a new vendor with a retailer’s phone');
        expectEqual(await repos.vendors.get(vendorAsShop.id), null, 'nothing stored');
        const shopAsVendor = aRetailer(ids, now, { phone: distributor.phone });
        await expectRejects(repos.retailers.save(shopAsVendor), taken, 'a new retailer with a vendor’s phone');
        expectEqual(await repos.retailers.get(shopAsVendor.id), null, 'nothing stored');
        // Changing a stored party's number to the other kind's is refused the same way.
        await expectRejects(
          repos.vendors.save({ ...distributor, phone: shop.phone, updatedAt: clock.advance(1) }),
          taken,
          'a vendor moved to a retailer’s phone',
        );
        await expectRejects(
          repos.retailers.save({ ...shop, phone: distributor.phone, updatedAt: clock.advance(1) }),
          taken,
          'a retailer moved to a vendor’s phone',
        );
        expectEqual(await repos.vendors.getByPhone(distributor.phone), distributor, 'the vendor kept its number');
        // A number a party gave up is free for the other kind.
        const moved = { ...shop, phone: uniquePhone(), updatedAt: clock.advance(1) };
        await repos.retailers.save(moved);
        const successor = aVendor(ids, now, { phone: shop.phone });
        await repos.vendors.save(successor);
        expectEqual(await repos.vendors.getByPhone(shop.phone), successor, 'the freed number is the vendor’s');
        expectEqual(await repos.retailers.getByPhone(shop.phone), null, 'and no retailer’s');
      },
    },
  ],
};

export const userRepositoryContract: Contract<PersistenceSubject> = {
  name: 'UserRepository',
  cases: [
    {
      name: 'counts users by status, every status present',
      async run({ repos }) {
        const { ids, now } = caseTools();
        const before = await repos.users.countByStatus();
        const shop = aRetailer(ids, now);
        const distributor = aVendor(ids, now);
        await repos.retailers.save(shop);
        await repos.vendors.save(distributor);
        await repos.users.save(aUser(ids, now, { status: 'PENDING_APPROVAL', role: 'RETAILER', retailerId: shop.id }));
        await repos.users.save(
          aUser(ids, now, { status: 'PENDING_APPROVAL', role: 'VENDOR', vendorId: distributor.id }),
        );
        await repos.users.save(aUser(ids, now));
        expectEqual(
          delta(USER_STATUSES, before, await repos.users.countByStatus()),
          { PENDING_APPROVAL: 2, ACTIVE: 1, REJECTED: 0, DISABLED: 0 },
          'two pending and one ACTIVE added',
        );
      },
    },
    {
      name: 'finds by email (any case) and phone; both unique (ENTITY.DUPLICATE)',
      async run({ repos }) {
        const { ids, now } = caseTools();
        const r = aRetailer(ids, now);
        await repos.retailers.save(r);
        const u = aUser(ids, now, { email: 'Ram@Shop.np', phone: uniquePhone(), role: 'RETAILER', retailerId: r.id });
        await repos.users.save(u);
        expectEqual(await repos.users.get(u.id), u, 'by id');
        expectEqual(await repos.users.getByEmail('ram@shop.NP'), u, 'by email');
        expectEqual(await repos.users.getByPhone(u.phone ?? uniquePhone()), u, 'by phone');
        const enrolled = {
          ...u,
          status: 'ACTIVE' as const,
          totp: { sealedSecret: 'v1.sealed', confirmedAt: now, lastUsedStep: 59_000_123 },
        };
        await repos.users.save(enrolled);
        expectEqual(await repos.users.get(u.id), enrolled, 'status and TOTP round trip');
        await expectRejects(
          repos.users.save(aUser(ids, now, { email: 'ram@shop.np' })),
          errorWith(ConflictError.is, ErrorCodes.DUPLICATE),
          'email',
        );
      },
    },
    {
      name: 'lists newest first, by status and role, with a stable cursor',
      async run({ repos }) {
        const { ids, clock } = caseTools();
        const made = [];
        for (let i = 0; i < 5; i++) {
          const u = aUser(ids, clock.advance(1000), {
            status: i % 2 === 0 ? 'PENDING_APPROVAL' : 'ACTIVE',
            role: i === 4 ? 'ADMIN' : 'OPERATOR',
          });
          made.push(u);
          await repos.users.save(u);
        }
        const pending = made.filter((u) => u.status === 'PENDING_APPROVAL').reverse();
        const first = await repos.users.list({ status: 'PENDING_APPROVAL' }, { limit: 2 });
        const second = await repos.users.list({ status: 'PENDING_APPROVAL' }, { limit: 2, cursor: first.nextCursor });
        expectEqual([...first.items, ...second.items], pending, 'pending, newest first, intact');
        expectEqual(second.nextCursor, null, 'last page');
        expectEqual(
          (await repos.users.list({ status: 'PENDING_APPROVAL', role: 'OPERATOR' }, { limit: 10 })).items.length,
          2,
          'status and role',
        );
        expectEqual((await repos.users.list({}, { limit: 10 })).items.length, 5, 'no filter');
      },
    },
    {
      name: "lists one retailer's logins (retailerId filter)",
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        const { retailer: other } = await savedRetailerWithAccount(subject, tools);
        const mine = aUser(tools.ids, tools.clock.advance(1000), { role: 'RETAILER', retailerId: retailer.id });
        const theirs = aUser(tools.ids, tools.clock.advance(1000), { role: 'RETAILER', retailerId: other.id });
        await subject.repos.users.save(mine);
        await subject.repos.users.save(theirs);
        await subject.repos.users.save(aUser(tools.ids, tools.clock.advance(1000), { role: 'OPERATOR' }));
        const page = await subject.repos.users.list({ retailerId: retailer.id }, { limit: 10 });
        expectEqual(page.items, [mine], 'only its own');
      },
    },
  ],
};

/** Used by other suites: a retailer with an open account, saved. */
export async function savedRetailerWithAccount(
  subject: PersistenceSubject,
  tools: ReturnType<typeof caseTools>,
  limit?: Parameters<typeof aCreditAccount>[2],
) {
  const retailer = aRetailer(tools.ids, tools.now);
  const account = aCreditAccount(retailer.id, tools.now, limit ?? {});
  await subject.uow.run(async (tx) => {
    await tx.retailers.save(retailer);
    await tx.credit.save(account);
  });
  return { retailer, account };
}

import type { OnboardingRequest, OnboardingRequestId } from '../../onboarding/onboarding-request.js';
import type { IdGenerator, RetailerId, VendorId } from '../../shared/ids.js';
import { ConcurrencyError, ErrorCodes } from '../../shared/errors.js';
import { PhoneNumber } from '../../shared/phone-number.js';
import { type Contract, errorWith, expectEqual, expectRejects } from '../contract.js';
import { caseTools, type PersistenceSubject } from './persistence-subject.js';

const MINUTE = 60_000;

function aRequest(
  ids: IdGenerator,
  phone: PhoneNumber,
  at: Date,
  overrides: Partial<OnboardingRequest> = {},
): OnboardingRequest {
  return {
    id: ids.next() as OnboardingRequestId,
    phone,
    shopName: 'Sita Kirana Pasal',
    area: 'Kathmandu-10',
    requestedRole: null,
    language: 'ne-Latn',
    status: 'PENDING',
    messages: 1,
    createdAt: at,
    lastMessageAt: at,
    decidedAt: null,
    decidedBy: null,
    reason: null,
    retailerId: null,
    vendorId: null,
    version: 0,
    ...overrides,
  };
}

const conflict = errorWith(ConcurrencyError.is, ErrorCodes.CONCURRENT_MODIFICATION);

export const onboardingRequestStoreContract: Contract<PersistenceSubject> = {
  name: 'OnboardingRequestStore',
  cases: [
    {
      name: 'save then get and latestByPhone return every field, the version one up; a decision round-trips',
      async run({ repos }) {
        const { ids, now } = caseTools();
        const phone = PhoneNumber.parse('+9779812345678');
        expectEqual(await repos.onboardingRequests.latestByPhone(phone), null, 'none yet');
        const request = aRequest(ids, phone, now, { shopName: null, area: null, language: 'ne' });
        const saved = await repos.onboardingRequests.save(request);
        expectEqual(saved, { ...request, version: 1 }, 'saved');
        expectEqual(await repos.onboardingRequests.get(request.id), saved, 'by id');
        expectEqual(await repos.onboardingRequests.latestByPhone(phone), saved, 'by phone');
        const later = new Date(now.getTime() + MINUTE);
        const decided = await repos.onboardingRequests.save({
          ...saved,
          shopName: 'राम किराना',
          area: 'Lalitpur-3',
          messages: 3,
          lastMessageAt: later,
          status: 'APPROVED',
          decidedAt: later,
          decidedBy: { type: 'operator', id: 'op-1' },
          reason: 'called and checked',
          retailerId: '018f0000-0000-7000-8000-0000000000a1' as RetailerId,
        });
        expectEqual(decided.version, 2, 'second save');
        expectEqual(await repos.onboardingRequests.get(request.id), decided, 'every field stored');
        expectEqual(await repos.onboardingRequests.get(ids.next() as OnboardingRequestId), null, 'an unknown id');
      },
    },
    {
      name: 'the requested role round-trips, and an approval as VENDOR keeps the vendor it created',
      async run({ repos }) {
        const { ids, now } = caseTools();
        const phone = PhoneNumber.parse('+9779812345679');
        const saved = await repos.onboardingRequests.save(
          aRequest(ids, phone, now, { shopName: 'Everest Traders', requestedRole: 'VENDOR' }),
        );
        expectEqual((await repos.onboardingRequests.get(saved.id))?.requestedRole, 'VENDOR', 'the role asked for');
        const later = new Date(now.getTime() + MINUTE);
        const approved = await repos.onboardingRequests.save({
          ...saved,
          status: 'APPROVED',
          decidedAt: later,
          decidedBy: { type: 'operator', id: 'op-1' },
          vendorId: '018f0000-0000-7000-8000-0000000000b2' as VendorId,
        });
        expectEqual(await repos.onboardingRequests.get(saved.id), approved, 'every field stored');
        expectEqual(
          (await repos.onboardingRequests.list({ status: 'APPROVED' }, { limit: 100 })).items
            .filter((r) => r.id === saved.id)
            .map((r) => [r.requestedRole, r.vendorId, r.retailerId]),
          [['VENDOR', '018f0000-0000-7000-8000-0000000000b2', null]],
          'listed with it',
        );
      },
    },
    {
      name: 'a stale version is refused; a second PENDING request of one number is refused, after a decision a new one is taken',
      async run({ repos }) {
        const { ids, now } = caseTools();
        const phone = PhoneNumber.parse('+9779812345678');
        const first = await repos.onboardingRequests.save(aRequest(ids, phone, now));
        await expectRejects(
          repos.onboardingRequests.save({ ...first, version: 0 }),
          conflict,
          'an insert over a stored request',
        );
        await expectRejects(
          repos.onboardingRequests.save(aRequest(ids, phone, new Date(now.getTime() + MINUTE))),
          conflict,
          'a second pending request of the number',
        );
        const rejected = await repos.onboardingRequests.save({ ...first, status: 'REJECTED', reason: 'not a shop' });
        await expectRejects(
          repos.onboardingRequests.save({ ...first, messages: 9 }),
          conflict,
          'an update from an older version',
        );
        const again = await repos.onboardingRequests.save(aRequest(ids, phone, new Date(now.getTime() + 2 * MINUTE)));
        expectEqual(await repos.onboardingRequests.latestByPhone(phone), again, 'the newest is the new one');
        expectEqual(
          (await repos.onboardingRequests.listByPhone(phone)).map((r) => r.id),
          [again.id, first.id],
          'both, newest first',
        );
        expectEqual(await repos.onboardingRequests.listByPhone(PhoneNumber.parse('+9779800000999')), [], 'none');
        expectEqual((await repos.onboardingRequests.get(first.id))?.status, rejected.status, 'the old one kept');
      },
    },
    {
      name: 'two first messages of one number inside units of work: one request is stored, the other refused',
      async run({ uow, repos }) {
        const { ids, now } = caseTools();
        const phone = PhoneNumber.parse('+9779812345678');
        const a = aRequest(ids, phone, now);
        const b = aRequest(ids, phone, now);
        const results = await Promise.allSettled([
          uow.run((tx) => tx.onboardingRequests.save(a)),
          uow.run((tx) => tx.onboardingRequests.save(b)),
        ]);
        const ok = results.filter((r) => r.status === 'fulfilled');
        const refused = results.filter((r) => r.status === 'rejected' && conflict(r.reason));
        expectEqual([ok.length, refused.length], [1, 1], 'one each');
        expectEqual((await repos.onboardingRequests.list({ status: 'PENDING' }, { limit: 10 })).items.length, 1, 'one');
      },
    },
    {
      name: 'list: newest first, by status, keyset pages; deleteByPhone removes one number only',
      async run({ repos }) {
        const { ids, now } = caseTools();
        const made: OnboardingRequest[] = [];
        for (let i = 0; i < 5; i++) {
          const phone = PhoneNumber.parse(`+97798000001${i}0`);
          const at = new Date(now.getTime() + i * MINUTE);
          made.push(
            await repos.onboardingRequests.save(
              aRequest(ids, phone, at, i === 1 ? { status: 'REJECTED', reason: 'spam' } : {}),
            ),
          );
        }
        const pages: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await repos.onboardingRequests.list({ status: 'PENDING' }, { limit: 2, cursor });
          pages.push(...page.items.map((r) => r.id));
          cursor = page.nextCursor;
        } while (cursor);
        expectEqual(
          pages,
          made
            .filter((r) => r.status === 'PENDING')
            .reverse()
            .map((r) => r.id),
          'pending, newest first, over pages',
        );
        expectEqual((await repos.onboardingRequests.list({}, { limit: 10 })).items.length, 5, 'every status');
        const target = made[3] as OnboardingRequest;
        expectEqual(await repos.onboardingRequests.deleteByPhone(target.phone), 1, 'deleted');
        expectEqual(await repos.onboardingRequests.get(target.id), null, 'gone');
        expectEqual((await repos.onboardingRequests.list({}, { limit: 10 })).items.length, 4, 'the others kept');
      },
    },
    {
      name: 'counts requests by status, every status present',
      async run({ repos }) {
        const { ids, now } = caseTools();
        const zero = { PENDING: 0, APPROVED: 0, REJECTED: 0 };
        expectEqual(await repos.onboardingRequests.countByStatus(), zero, 'none yet');
        const a = await repos.onboardingRequests.save(aRequest(ids, PhoneNumber.parse('+9779811000001'), now));
        await repos.onboardingRequests.save(aRequest(ids, PhoneNumber.parse('+9779811000002'), now));
        expectEqual(await repos.onboardingRequests.countByStatus(), { ...zero, PENDING: 2 }, 'two waiting');
        await repos.onboardingRequests.save({ ...a, status: 'REJECTED', decidedAt: now, reason: 'not a shop' });
        expectEqual(
          await repos.onboardingRequests.countByStatus(),
          { ...zero, PENDING: 1, REJECTED: 1 },
          'one decided',
        );
      },
    },
  ],
};

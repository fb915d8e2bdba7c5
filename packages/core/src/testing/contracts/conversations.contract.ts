import { type ConversationState, freshConversation, MAX_HANDLED_MESSAGE_IDS } from '../../ports/conversation-store.js';
import { ConcurrencyError, ErrorCodes } from '../../shared/errors.js';
import type { DraftId, OrderId, RetailerId } from '../../shared/ids.js';
import { PhoneNumber } from '../../shared/phone-number.js';
import { type Contract, errorWith, expectEqual, expectRejects, expectTrue } from '../contract.js';
import { caseTools, type PersistenceSubject } from './persistence-subject.js';

const HOUR = 60 * 60 * 1000;

function started(phone: PhoneNumber, now: Date, overrides: Partial<ConversationState> = {}): ConversationState {
  return {
    ...freshConversation(phone, now),
    party: { kind: 'retailer', id: '018f0000-0000-7000-8000-000000000001' as RetailerId },
    language: 'ne-Latn',
    step: { kind: 'awaiting-choice', draftId: '018f0000-0000-7000-8000-0000000000d1' as DraftId, lineIndex: 2 },
    handledMessageIds: ['wamid.A'],
    expiresAt: new Date(now.getTime() + HOUR),
    ...overrides,
  };
}

const conflict = errorWith(ConcurrencyError.is, ErrorCodes.CONCURRENT_MODIFICATION);

export const conversationStoreContract: Contract<PersistenceSubject> = {
  name: 'ConversationStore',
  cases: [
    {
      name: 'an unknown number reads as a fresh conversation at version 0',
      async run({ repos }) {
        const { now } = caseTools();
        const phone = PhoneNumber.parse('+9779812345678');
        expectEqual(await repos.conversations.get(phone, now), freshConversation(phone, now), 'fresh');
      },
    },
    {
      name: 'save then get returns every field, the version one up; each number is its own conversation',
      async run({ repos }) {
        const { now } = caseTools();
        const phone = PhoneNumber.parse('+9779812345678');
        const other = PhoneNumber.parse('+9779800000001');
        const state = started(phone, now);
        const saved = await repos.conversations.save(state);
        expectEqual(saved, { ...state, version: 1 }, 'saved');
        expectEqual(await repos.conversations.get(phone, now), saved, 'read back');
        const cancel = await repos.conversations.save({
          ...saved,
          language: 'ne',
          step: { kind: 'awaiting-cancel-confirm', orderId: '018f0000-0000-7000-8000-0000000000e1' as OrderId },
          handledMessageIds: [...saved.handledMessageIds, 'wamid.B'],
        });
        expectEqual(cancel.version, 2, 'second save');
        expectEqual(await repos.conversations.get(phone, now), cancel, 'updated');
        expectEqual((await repos.conversations.get(other, now)).version, 0, 'another number untouched');
      },
    },
    {
      name: 'a stale version is refused and changes nothing',
      async run({ repos }) {
        const { now } = caseTools();
        const phone = PhoneNumber.parse('+9779812345678');
        const first = await repos.conversations.save(started(phone, now));
        await expectRejects(repos.conversations.save(started(phone, now)), conflict, 'a second insert at version 0');
        const second = await repos.conversations.save({ ...first, step: { kind: 'idle' } });
        await expectRejects(
          repos.conversations.save({ ...first, language: 'en' }),
          conflict,
          'an update from version 1 after version 2 was stored',
        );
        expectEqual(await repos.conversations.get(phone, now), second, 'the winner is kept');
        await expectRejects(
          repos.conversations.save({ ...started(PhoneNumber.parse('+9779800000002'), now), version: 3 }),
          conflict,
          'an update of a conversation never stored',
        );
      },
    },
    {
      name: 'two saves from the same version inside units of work: one commits, the other is refused',
      async run({ uow, repos }) {
        const { now } = caseTools();
        const phone = PhoneNumber.parse('+9779812345678');
        const base = await repos.conversations.save(started(phone, now));
        const results = await Promise.allSettled([
          uow.run((tx) => tx.conversations.save({ ...base, language: 'en' })),
          uow.run((tx) => tx.conversations.save({ ...base, language: 'ne' })),
        ]);
        const ok = results.filter((r) => r.status === 'fulfilled');
        const refused = results.filter((r) => r.status === 'rejected' && conflict(r.reason));
        expectEqual([ok.length, refused.length], [1, 1], 'one each');
        expectEqual((await repos.conversations.get(phone, now)).version, 2, 'one update stored');
      },
    },
    {
      name: 'a save inside a unit of work that fails is rolled back',
      async run({ uow, repos }) {
        const { now } = caseTools();
        const phone = PhoneNumber.parse('+9779812345678');
        await expectRejects(
          uow.run(async (tx) => {
            await tx.conversations.save(started(phone, now));
            throw new ConcurrencyError('boom');
          }),
          conflict,
          'the work fails',
        );
        expectEqual((await repos.conversations.get(phone, now)).version, 0, 'nothing stored');
      },
    },
    {
      name: 'only the most recent handled message ids are kept, without repeats',
      async run({ repos }) {
        const { now } = caseTools();
        const phone = PhoneNumber.parse('+9779812345678');
        const ids = Array.from({ length: MAX_HANDLED_MESSAGE_IDS + 5 }, (_, i) => `wamid.${i}`);
        const saved = await repos.conversations.save(started(phone, now, { handledMessageIds: [...ids, 'wamid.54'] }));
        expectEqual(saved.handledMessageIds, ids.slice(5), 'the last ones');
        expectEqual((await repos.conversations.get(phone, now)).handledMessageIds, ids.slice(5), 'stored so');
      },
    },
    {
      name: 'an expired conversation reads fresh, keeps its version and handled ids, and can be saved over',
      async run({ repos }) {
        const { now } = caseTools();
        const phone = PhoneNumber.parse('+9779812345678');
        const saved = await repos.conversations.save(started(phone, now));
        const later = new Date(saved.expiresAt.getTime());
        const read = await repos.conversations.get(phone, later);
        expectEqual(read, freshConversation(phone, later, saved), 'fresh at expiry');
        expectEqual([read.version, read.handledMessageIds], [1, ['wamid.A']], 'version and ids kept');
        const resumed = await repos.conversations.save({ ...read, expiresAt: new Date(later.getTime() + HOUR) });
        expectEqual(resumed.version, 2, 'saved over the expired row');
      },
    },
    {
      name: "delete forgets one number's conversation; a save after it starts from version 0",
      async run({ repos }) {
        const { now } = caseTools();
        const phone = PhoneNumber.parse('+9779812345678');
        const other = PhoneNumber.parse('+9779800000001');
        await repos.conversations.save(started(phone, now));
        await repos.conversations.save(started(other, now));
        expectEqual(await repos.conversations.delete(phone), true, 'deleted');
        expectEqual(await repos.conversations.delete(phone), false, 'already gone');
        expectEqual(await repos.conversations.get(phone, now), freshConversation(phone, now), 'fresh, ids gone too');
        expectEqual((await repos.conversations.get(other, now)).version, 1, 'the other kept');
        expectEqual((await repos.conversations.save(started(phone, now))).version, 1, 'starts again');
      },
    },
    {
      name: 'purgeExpired deletes only conversations expired before the cut-off, at most limit',
      async run({ repos }) {
        const { now } = caseTools();
        const phones = ['+9779800000011', '+9779800000012', '+9779800000013'].map((p) => PhoneNumber.parse(p));
        for (const [i, phone] of phones.entries()) {
          await repos.conversations.save(started(phone, now, { expiresAt: new Date(now.getTime() + (i + 1) * HOUR) }));
        }
        const cutOff = new Date(now.getTime() + 2 * HOUR);
        expectEqual(await repos.conversations.purgeExpired(cutOff, 10), 1, 'only the first expired before');
        expectEqual((await repos.conversations.get(phones[0] as PhoneNumber, now)).version, 0, 'gone');
        expectEqual((await repos.conversations.get(phones[1] as PhoneNumber, now)).version, 1, 'at the cut-off: kept');
        const end = new Date(now.getTime() + 10 * HOUR);
        expectEqual(await repos.conversations.purgeExpired(end, 1), 1, 'limited');
        expectEqual(await repos.conversations.purgeExpired(end, 10), 1, 'the rest');
        expectEqual(await repos.conversations.purgeExpired(end, 10), 0, 'nothing left');
        expectTrue((await repos.conversations.get(phones[2] as PhoneNumber, now)).version === 0, 'all gone');
      },
    },
  ],
};

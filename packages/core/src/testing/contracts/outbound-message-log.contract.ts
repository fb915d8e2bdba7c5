import type { ProviderErrorInfo } from '../../messaging/inbound-message.js';
import type { StatusCallback } from '../../ports/outbound-message-log.js';
import { type Contract, expectEqual } from '../contract.js';
import { caseTools, type PersistenceSubject } from './persistence-subject.js';

const UNDELIVERABLE: ProviderErrorInfo = {
  code: 131026,
  title: 'Message undeliverable',
  message: null,
  details: 'the number is not on WhatsApp',
};

export const outboundMessageLogContract: Contract<PersistenceSubject> = {
  name: 'OutboundMessageLog',
  cases: [
    {
      name: 'records a sent message once, accepted until a callback moves it',
      async run({ outboundLog }) {
        const { now } = caseTools();
        const sent = { providerMessageId: 'wamid.A', recipient: '+9779800000001', kind: 'text' as const, sentAt: now };
        await outboundLog.record(sent);
        await outboundLog.record({ ...sent, kind: 'buttons', sentAt: new Date(now.getTime() + 5) });
        expectEqual(
          await outboundLog.get('wamid.A'),
          { ...sent, status: 'accepted', statusAt: now, errors: [] },
          'the first record stands',
        );
        expectEqual(await outboundLog.get('wamid.missing'), null, 'unknown id');
      },
    },
    {
      name: 'statuses only move forward, whatever order the callbacks arrive in',
      async run({ outboundLog }) {
        const { now } = caseTools();
        const t = (ms: number) => new Date(now.getTime() + ms);
        await outboundLog.record({
          providerMessageId: 'wamid.B',
          recipient: '+9779800000002',
          kind: 'text',
          sentAt: now,
        });
        const base = { messageId: 'wamid.B', recipient: '9779800000002', errors: [] };
        const read = await outboundLog.applyStatus({ ...base, status: 'read', at: t(30) });
        expectEqual([read.advanced, read.entry.status], [true, 'read'], 'read without delivered is taken');
        const lateDelivered = await outboundLog.applyStatus({ ...base, status: 'delivered', at: t(20) });
        const lateSent = await outboundLog.applyStatus({ ...base, status: 'sent', at: t(10) });
        expectEqual([lateDelivered.advanced, lateSent.advanced], [false, false], 'late callbacks change nothing');
        const again = await outboundLog.applyStatus({ ...base, status: 'read', at: t(40) });
        expectEqual(again.advanced, false, 'a repeat changes nothing');
        const entry = await outboundLog.get('wamid.B');
        expectEqual([entry?.status, entry?.statusAt, entry?.kind], ['read', t(30), 'text'], 'read, at its own time');
      },
    },
    {
      name: 'failed keeps its errors; a later read moves past it and keeps them',
      async run({ outboundLog }) {
        const { now } = caseTools();
        const t = (ms: number) => new Date(now.getTime() + ms);
        await outboundLog.record({
          providerMessageId: 'wamid.C',
          recipient: '+9779800000003',
          kind: 'template',
          sentAt: now,
        });
        const base = { messageId: 'wamid.C', recipient: '9779800000003' };
        await outboundLog.applyStatus({ ...base, status: 'sent', at: t(1), errors: [] });
        const failed = await outboundLog.applyStatus({ ...base, status: 'failed', at: t(2), errors: [UNDELIVERABLE] });
        expectEqual(
          [failed.advanced, failed.entry.status, failed.entry.errors],
          [true, 'failed', [UNDELIVERABLE]],
          'failed',
        );
        const lateDelivered = await outboundLog.applyStatus({ ...base, status: 'delivered', at: t(1), errors: [] });
        expectEqual(lateDelivered.advanced, false, 'delivered ranks below failed');
        expectEqual((await outboundLog.get('wamid.C'))?.errors, [UNDELIVERABLE], 'errors kept');
        await outboundLog.applyStatus({ ...base, status: 'read', at: t(3), errors: [] });
        const entry = await outboundLog.get('wamid.C');
        expectEqual([entry?.status, entry?.errors], ['read', [UNDELIVERABLE]], 'read after failed keeps the errors');
      },
    },
    {
      name: 'a callback that overtakes the record is kept, and the record fills in what the callback lacked',
      async run({ outboundLog }) {
        const { now } = caseTools();
        const t = (ms: number) => new Date(now.getTime() + ms);
        const early = await outboundLog.applyStatus({
          messageId: 'wamid.D',
          recipient: '9779800000004',
          status: 'delivered',
          at: t(5),
          errors: [],
        });
        expectEqual(
          [early.advanced, early.entry.kind, early.entry.sentAt],
          [true, null, null],
          'known by its callback',
        );
        await outboundLog.record({
          providerMessageId: 'wamid.D',
          recipient: '+9779800000004',
          kind: 'list',
          sentAt: t(1),
        });
        expectEqual(
          await outboundLog.get('wamid.D'),
          {
            providerMessageId: 'wamid.D',
            recipient: '+9779800000004',
            kind: 'list',
            sentAt: t(1),
            status: 'delivered',
            statusAt: t(5),
            errors: [],
          },
          'the record does not move the status back',
        );
      },
    },
    {
      name: 'concurrent callbacks of one message end at the highest status',
      async run({ outboundLog }) {
        const { now } = caseTools();
        await outboundLog.record({
          providerMessageId: 'wamid.E',
          recipient: '+9779800000005',
          kind: 'text',
          sentAt: now,
        });
        const statuses = ['sent', 'read', 'delivered', 'sent', 'delivered'] as const;
        await Promise.all(
          statuses.map((status, i) =>
            outboundLog.applyStatus({
              messageId: 'wamid.E',
              recipient: '9779800000005',
              status,
              at: new Date(now.getTime() + i),
              errors: [],
            }),
          ),
        );
        expectEqual((await outboundLog.get('wamid.E'))?.status, 'read', 'read wins');
      },
    },
    {
      name: 'a list of callbacks ends where applying them one by one ends, and answers each as one by one would',
      async run({ outboundLog }) {
        const { now } = caseTools();
        const t = (ms: number) => new Date(now.getTime() + ms);
        const OTHER: ProviderErrorInfo = { code: 131049, title: 'Not delivered', message: null, details: null };
        type Step = readonly [StatusCallback['status'], number, (readonly ProviderErrorInfo[])?];
        // Per message: what is stored before (null: nothing, not even a record), then the list's updates of it.
        const cases: ReadonlyArray<readonly [string, StatusCallback['status'] | 'recorded' | null, readonly Step[]]> = [
          [
            'up',
            'recorded',
            [
              ['sent', 1],
              ['delivered', 2],
              ['read', 3],
            ],
          ],
          [
            'down',
            'recorded',
            [
              ['read', 3],
              ['delivered', 2],
              ['sent', 1],
            ],
          ],
          [
            'repeat',
            'recorded',
            [
              ['delivered', 2],
              ['delivered', 4],
              ['sent', 1],
            ],
          ],
          [
            'failedThenRead',
            'recorded',
            [
              ['failed', 2, [UNDELIVERABLE]],
              ['read', 3],
            ],
          ],
          [
            'readThenFailed',
            'recorded',
            [
              ['read', 3],
              ['failed', 2, [UNDELIVERABLE]],
            ],
          ],
          [
            'twoFailed',
            'recorded',
            [
              ['sent', 1],
              ['failed', 2, [UNDELIVERABLE]],
              ['failed', 3, [OTHER]],
            ],
          ],
          [
            'storedFailed',
            'failed',
            [
              ['failed', 5, [OTHER]],
              ['read', 6],
              ['delivered', 7],
            ],
          ],
          [
            'storedRead',
            'read',
            [
              ['failed', 5, [OTHER]],
              ['delivered', 6],
            ],
          ],
          [
            'unknown',
            null,
            [
              ['delivered', 2],
              ['sent', 1],
              ['failed', 4, [UNDELIVERABLE]],
            ],
          ],
          ['unknownOne', null, [['sent', 1]]],
        ];
        const prepare = async (id: string, stored: StatusCallback['status'] | 'recorded' | null) => {
          if (stored === null) return;
          await outboundLog.record({ providerMessageId: id, recipient: '+9779800000010', kind: 'text', sentAt: now });
          if (stored !== 'recorded') {
            const errors = stored === 'failed' ? [UNDELIVERABLE] : [];
            await outboundLog.applyStatus({
              messageId: id,
              recipient: '9779800000010',
              status: stored,
              at: now,
              errors,
            });
          }
        };
        const update = (id: string, [status, at, errors]: Step) => ({
          messageId: id,
          recipient: '9779800000010',
          status,
          at: t(at),
          errors: errors ?? [],
        });
        // The messages' updates interleaved in one list, as a batch of callbacks comes.
        const list: ReturnType<typeof update>[] = [];
        const single: ReturnType<typeof update>[] = [];
        for (const [name, stored] of cases) {
          await prepare(`wamid.list.${name}`, stored);
          await prepare(`wamid.single.${name}`, stored);
        }
        for (let i = 0; i < 3; i++) {
          for (const [name, , steps] of cases) {
            const step = steps[i];
            if (!step) continue;
            list.push(update(`wamid.list.${name}`, step));
            single.push(update(`wamid.single.${name}`, step));
          }
        }
        const applied = await outboundLog.applyStatuses(list);
        const oneByOne: boolean[] = [];
        for (const u of single) oneByOne.push((await outboundLog.applyStatus(u)).advanced);
        expectEqual(
          applied.map((a) => a.advanced),
          oneByOne,
          'advanced, update by update',
        );
        for (const [name] of cases) {
          const listed = await outboundLog.get(`wamid.list.${name}`);
          const alone = await outboundLog.get(`wamid.single.${name}`);
          expectEqual(
            listed && { ...listed, providerMessageId: name },
            alone && { ...alone, providerMessageId: name },
            `${name}: the same entry`,
          );
          for (const [i, u] of list.entries()) {
            if (u.messageId === `wamid.list.${name}`)
              expectEqual(applied[i]?.entry, listed, `${name}: the entry after the list`);
          }
        }
        const read = await outboundLog.get('wamid.list.failedThenRead');
        expectEqual([read?.status, read?.errors], ['read', [UNDELIVERABLE]], 'the failure read past keeps its errors');
        expectEqual(await outboundLog.applyStatuses([]), [], 'nothing to apply');
      },
    },
    {
      name: 'personal data: the entries to a number (in both stored forms), paged; the recipient replaced in a transaction',
      async run({ outboundLog, repos, uow }) {
        const { now } = caseTools();
        const phone = '+9779800000006';
        await outboundLog.record({ providerMessageId: 'wamid.P1', recipient: phone, kind: 'text', sentAt: now });
        await outboundLog.record({ providerMessageId: 'wamid.P2', recipient: phone, kind: 'buttons', sentAt: now });
        // A callback that overtook its send: the provider's digits.
        await outboundLog.applyStatus({
          messageId: 'wamid.P3',
          recipient: phone.slice(1),
          status: 'delivered',
          at: now,
          errors: [],
        });
        await outboundLog.record({
          providerMessageId: 'wamid.Q1',
          recipient: '+9779800000007',
          kind: 'text',
          sentAt: now,
        });
        const first = await repos.outboundMessages.listToRecipient(phone, { limit: 2 });
        expectEqual(
          first.items.map((e) => e.providerMessageId),
          ['wamid.P1', 'wamid.P2'],
          'first page',
        );
        const second = await repos.outboundMessages.listToRecipient(phone, { cursor: first.nextCursor, limit: 2 });
        expectEqual(
          [second.items.map((e) => e.providerMessageId), second.nextCursor],
          [['wamid.P3'], null],
          'last page',
        );
        const replaced = await uow.run((tx) => tx.outboundMessages.replaceRecipient(phone, 'erased:x'));
        expectEqual(replaced, 3, 'three entries to the number');
        expectEqual((await outboundLog.get('wamid.P3'))?.recipient, 'erased:x', 'the callback row too');
        expectEqual((await outboundLog.get('wamid.Q1'))?.recipient, '+9779800000007', 'another number untouched');
        expectEqual((await repos.outboundMessages.listToRecipient(phone, { limit: 10 })).items, [], 'nothing left');
        // A late callback of an erased message keeps the placeholder.
        await outboundLog.applyStatus({ messageId: 'wamid.P1', recipient: phone, status: 'read', at: now, errors: [] });
        expectEqual(
          (await outboundLog.get('wamid.P1'))?.recipient,
          'erased:x',
          'a callback never writes the number back',
        );
      },
    },
  ],
};

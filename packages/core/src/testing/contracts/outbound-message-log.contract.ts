import type { ProviderErrorInfo } from '../../messaging/inbound-message.js';
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

import { CreditAccount } from '../../credit/credit-account.js';
import { DEFAULT_REMINDER_RULES, dueDayFor, nepalDayWindow, reminderRule } from '../../credit/reminder-rules.js';
import type { Order } from '../../order/order.js';
import type { OpenInvoice } from '../../ports/repositories.js';
import { SYSTEM_ACTOR } from '../../shared/domain-event.js';
import { ConcurrencyError, ConflictError, ErrorCodes } from '../../shared/errors.js';
import type { OrderId, RetailerId } from '../../shared/ids.js';
import { Money } from '../../shared/money.js';
import { anOrder } from '../builders.js';
import { type Contract, errorWith, expectEqual, expectRejects, expectTrue } from '../contract.js';
import { savedRetailerWithAccount } from './parties.contract.js';
import { caseTools, type PersistenceSubject } from './persistence-subject.js';

/** Every page of `listOpenInvoicesDue`, `limit` at a time. */
async function allOpenInvoicesDue(
  subject: PersistenceSubject,
  windows: readonly { from: Date; to: Date }[],
  limit: number,
): Promise<{ items: OpenInvoice[]; pages: number }> {
  const items: OpenInvoice[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await subject.repos.credit.listOpenInvoicesDue({ windows, page: { limit, cursor } });
    items.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor && pages < 50);
  return { items, pages };
}

export const creditAccountRepositoryContract: Contract<PersistenceSubject> = {
  name: 'CreditAccountRepository',
  cases: [
    {
      name: 'stores the projection and the entries; replaying the entries gives the projection',
      async run(subject) {
        const tools = caseTools();
        const { ids, clock } = tools;
        const { retailer } = await savedRetailerWithAccount(subject, tools, { limit: Money.of(5_000_000) });
        const o1 = ids.next() as OrderId;
        const o2 = ids.next() as OrderId;
        await subject.uow.run(async (tx) => {
          const acc = (await tx.lockCreditAccount(retailer.id)) as CreditAccount;
          acc.placeHold(o1, Money.of(100_000), SYSTEM_ACTOR, clock.advance(1000), ids);
          acc.placeHold(o2, Money.of(50_000), SYSTEM_ACTOR, clock.advance(1000), ids);
          acc.invoiceOrder(o1, Money.of(100_000), SYSTEM_ACTOR, clock.advance(1000), ids);
          acc.recordPayment(Money.of(30_000), 'BANK-1', SYSTEM_ACTOR, clock.advance(1000), ids);
          acc.adjust(Money.of(-5_000), 'damaged goods', SYSTEM_ACTOR, clock.advance(1000), ids, 'CN-1');
          await tx.credit.save(acc);
        });
        const loaded = (await subject.repos.credit.get(retailer.id)) as CreditAccount;
        expectEqual(loaded.version, 2, 'version after two saves');
        expectEqual(loaded.outstanding(), Money.of(65_000), 'outstanding');
        expectEqual(loaded.held(), Money.of(50_000), 'held');
        const entries = await subject.repos.credit.listEntries(retailer.id, {});
        expectEqual(
          entries.map((e) => e.type),
          ['HOLD', 'HOLD', 'RELEASE', 'INVOICE', 'PAYMENT', 'ADJUSTMENT'],
          'entries in sequence',
        );
        const s = loaded.snapshot();
        const replayed = CreditAccount.replay(loaded.header(), entries).snapshot();
        expectEqual({ ...replayed, version: s.version, updatedAt: s.updatedAt }, s, 'replay equals projection');
        expectEqual(
          (await subject.repos.credit.findByReference(retailer.id, 'PAYMENT', ' BANK-1 '))?.amount,
          Money.of(30_000),
          'payment by reference',
        );
        expectEqual(
          (await subject.repos.credit.findByReference(retailer.id, 'ADJUSTMENT', 'CN-1'))?.amount,
          Money.of(-5_000),
          'adjustment by reference',
        );
        expectEqual(
          await subject.repos.credit.findByReference(retailer.id, 'ADJUSTMENT', 'BANK-1'),
          null,
          'a reference belongs to one entry type',
        );
        const late = await subject.repos.credit.listEntries(retailer.id, { from: entries[4]?.createdAt as Date });
        expectEqual(late.length, 2, 'from filter (inclusive)');
        expectEqual(await subject.repos.credit.get(ids.next() as RetailerId), null, 'absent');
      },
    },
    {
      name: 'getMany: the accounts of several retailers in one read, each as get reads it; none for the unknown',
      async run(subject) {
        const tools = caseTools();
        const { ids, clock } = tools;
        const a = await savedRetailerWithAccount(subject, tools, { limit: Money.of(1_000_000) });
        const b = await savedRetailerWithAccount(subject, tools, { limit: Money.of(2_000_000) });
        await savedRetailerWithAccount(subject, tools); // not asked for
        await subject.uow.run(async (tx) => {
          const acc = (await tx.lockCreditAccount(b.retailer.id)) as CreditAccount;
          acc.placeHold(ids.next() as OrderId, Money.of(70_000), SYSTEM_ACTOR, clock.advance(1000), ids);
          await tx.credit.save(acc);
        });
        const unknown = ids.next() as RetailerId;
        const many = await subject.repos.credit.getMany([b.retailer.id, unknown, a.retailer.id, b.retailer.id]);
        const byId = new Map(many.map((acc) => [acc.retailerId, acc.snapshot()]));
        expectEqual(many.length, 2, 'one per known retailer, a repeated id once');
        for (const id of [a.retailer.id, b.retailer.id]) {
          expectEqual(byId.get(id), (await subject.repos.credit.get(id))?.snapshot(), 'as get reads it');
        }
        expectEqual(byId.get(b.retailer.id)?.held, Money.of(70_000), 'with its holds');
        expectEqual(await subject.repos.credit.getMany([]), [], 'nothing asked');
      },
    },
    {
      name: 'a manual limit and its flag round-trip',
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        await subject.uow.run(async (tx) => {
          const acc = (await tx.lockCreditAccount(retailer.id)) as CreditAccount;
          acc.setCreditLimit(Money.of(42_000), { type: 'operator', id: 'op-1' }, tools.now, 'agreed by phone');
          await tx.credit.save(acc);
        });
        const loaded = (await subject.repos.credit.get(retailer.id)) as CreditAccount;
        expectEqual([loaded.creditLimit, loaded.limitSetManually], [Money.of(42_000), true], 'manual limit stored');
        expectEqual(loaded.applyRecommendedLimit(Money.of(1), tools.now, 'score'), false, 'scoring leaves it');
      },
    },
    {
      name: 'a stale account version is refused (ENTITY.CONCURRENT_MODIFICATION)',
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        const a = (await subject.repos.credit.get(retailer.id)) as CreditAccount;
        const b = (await subject.repos.credit.get(retailer.id)) as CreditAccount;
        a.adjust(Money.of(1_000), 'fee', SYSTEM_ACTOR, tools.now, tools.ids);
        await subject.uow.run((tx) => tx.credit.save(a));
        b.adjust(Money.of(2_000), 'fee', SYSTEM_ACTOR, tools.now, tools.ids);
        await expectRejects(
          subject.uow.run((tx) => tx.credit.save(b)),
          errorWith(ConcurrencyError.is, ErrorCodes.CONCURRENT_MODIFICATION),
          'stale',
        );
        expectEqual((await subject.repos.credit.listEntries(retailer.id, {})).length, 1, 'loser wrote nothing');
      },
    },
    {
      name: 'the same payment or adjustment reference or order hold cannot be recorded twice (ENTITY.DUPLICATE in every store)',
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        const orderId = tools.ids.next() as OrderId;
        await subject.uow.run(async (tx) => {
          const acc = (await tx.lockCreditAccount(retailer.id)) as CreditAccount;
          acc.placeHold(orderId, Money.of(1_000), SYSTEM_ACTOR, tools.now, tools.ids);
          acc.recordPayment(Money.of(500), 'REF-9', SYSTEM_ACTOR, tools.now, tools.ids);
          await tx.credit.save(acc);
        });
        // A second account object built independently (e.g. by a buggy importer) must not get through.
        const rogue = CreditAccount.restore({
          ...((await subject.repos.credit.get(retailer.id)) as CreditAccount).snapshot(),
          holds: [],
        });
        rogue.placeHold(orderId, Money.of(1_000), SYSTEM_ACTOR, tools.now, tools.ids);
        await expectRejects(
          subject.uow.run((tx) => tx.credit.save(rogue)),
          errorWith(ConflictError.is, ErrorCodes.DUPLICATE),
          'second hold for the order',
        );
        const again = (await subject.repos.credit.get(retailer.id)) as CreditAccount;
        again.recordPayment(Money.of(500), 'REF-9', SYSTEM_ACTOR, tools.now, tools.ids);
        await expectRejects(
          subject.uow.run((tx) => tx.credit.save(again)),
          errorWith(ConflictError.is, ErrorCodes.DUPLICATE),
          'second payment with the reference',
        );
        const noted = (await subject.repos.credit.get(retailer.id)) as CreditAccount;
        noted.adjust(Money.of(100), 'fee', SYSTEM_ACTOR, tools.now, tools.ids, 'REF-9');
        await subject.uow.run((tx) => tx.credit.save(noted));
        const twice = CreditAccount.restore(noted.snapshot());
        twice.adjust(Money.of(100), 'fee', SYSTEM_ACTOR, tools.now, tools.ids, 'REF-9');
        await expectRejects(
          subject.uow.run((tx) => tx.credit.save(twice)),
          errorWith(ConflictError.is, ErrorCodes.DUPLICATE),
          'second adjustment with the reference',
        );
        expectTrue((await subject.repos.credit.listEntries(retailer.id, {})).length === 3, 'nothing extra stored');
      },
    },
    {
      name: 'open invoices due in day windows: unpaid amount, order number, keyset pages; paid, credited-off and debit notes never',
      async run(subject) {
        const tools = caseTools();
        const { ids } = tools;
        const at = (iso: string) => new Date(iso);
        // Net terms 0: an invoice is due the instant it is issued, so each due date is chosen here.
        const account = async (
          work: (acc: CreditAccount, retailerId: RetailerId) => void,
        ): Promise<{ retailerId: RetailerId; acc: CreditAccount }> => {
          const { retailer } = await savedRetailerWithAccount(subject, tools, { netTermsDays: 0 });
          const acc = (await subject.repos.credit.get(retailer.id)) as CreditAccount;
          work(acc, retailer.id);
          await subject.uow.run((tx) => tx.credit.save(acc));
          return { retailerId: retailer.id, acc };
        };
        const invoice = (acc: CreditAccount, amount: number, dueIso: string, orderId = ids.next() as OrderId) =>
          acc.invoiceOrder(orderId, Money.of(amount), SYSTEM_ACTOR, at(dueIso), ids).invoice.id;
        let i1 = '';
        let i2 = '';
        let i7 = '';
        let i3 = '';
        let i6 = '';
        // The last instant of Nepali 2026-03-24 is 18:14:59.999Z; 18:15Z is already the 25th.
        const a = await account((acc) => {
          i1 = invoice(acc, 10_000, '2026-03-24T18:14:59.999Z');
          i2 = invoice(acc, 20_000, '2026-03-24T18:15:00.000Z');
          i7 = invoice(acc, 70_000, '2026-04-03T00:00:00.000Z');
        });
        const b = await account((acc) => {
          i3 = invoice(acc, 30_000, '2026-03-31T05:00:00.000Z');
          acc.recordPayment(Money.of(12_500), 'PART-1', SYSTEM_ACTOR, at('2026-03-31T06:00:00.000Z'), ids);
        });
        await account((acc) => {
          invoice(acc, 40_000, '2026-03-31T06:00:00.000Z');
          acc.recordPayment(Money.of(40_000), 'FULL-1', SYSTEM_ACTOR, at('2026-03-31T07:00:00.000Z'), ids);
          acc.adjust(Money.of(5_000), 'late fee', SYSTEM_ACTOR, at('2026-03-31T08:00:00.000Z'), ids);
        });
        let order: Order | null = null;
        const d = await account((acc, retailerId) => {
          order = anOrder(ids, tools.now).forRetailer(retailerId).build();
          invoice(acc, 50_000, '2026-04-03T01:00:00.000Z');
          acc.adjust(Money.of(-50_000), 'written off', SYSTEM_ACTOR, at('2026-04-03T02:00:00.000Z'), ids, 'WO-1');
          i6 = invoice(acc, 60_000, '2026-04-03T00:00:00.000Z', (order as Order).id);
        });
        const stored = order as unknown as Order;
        await subject.uow.run((tx) => tx.orders.save(stored));
        expectEqual(
          d.acc.openItems().map((i) => i.remaining.amount),
          [60_000],
          'the credit note wrote off the older invoice',
        );
        const windows = DEFAULT_REMINDER_RULES.map((r) => nepalDayWindow(dueDayFor(r, '2026-03-31')));
        const all = await allOpenInvoicesDue(subject, windows, 200);
        const tied = [i6, i7].sort();
        expectEqual(
          all.items.map((x) => x.invoiceId),
          [i1, i3, ...tied],
          'due in a window, open, INVOICE only; by due date then id',
        );
        const byId = new Map(all.items.map((x) => [x.invoiceId as string, x]));
        expectEqual(
          [byId.get(i3)?.unpaid, byId.get(i3)?.original, byId.get(i3)?.retailerId],
          [Money.of(17_500), Money.of(30_000), b.retailerId],
          'a part-paid invoice with what is still owed',
        );
        expectEqual(byId.get(i1)?.retailerId, a.retailerId, 'retailer');
        expectEqual(byId.get(i1)?.dueAt, at('2026-03-24T18:14:59.999Z'), 'due instant');
        expectEqual([byId.get(i6)?.orderNumber, byId.get(i6)?.orderId], [stored.number, stored.id], 'order number');
        expectEqual(byId.get(i1)?.orderNumber, null, 'no stored order, no number');
        const paged = await allOpenInvoicesDue(subject, windows, 1);
        expectEqual(
          paged.items.map((x) => x.invoiceId),
          all.items.map((x) => x.invoiceId),
          'pages of one give the same list',
        );
        expectEqual(paged.pages, 4, 'the last full page has no cursor');
        const justTheNext = [nepalDayWindow(dueDayFor(reminderRule(-3), '2026-03-31'))];
        expectEqual(
          (await allOpenInvoicesDue(subject, justTheNext, 200)).items.map((x) => x.invoiceId),
          tied,
          'one window',
        );
        expectEqual(i2.length > 0, true, 'the invoice just outside was issued');
      },
    },
  ],
};

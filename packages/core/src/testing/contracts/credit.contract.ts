import { CreditAccount } from '../../credit/credit-account.js';
import { SYSTEM_ACTOR } from '../../shared/domain-event.js';
import { ConcurrencyError, ConflictError, ErrorCodes } from '../../shared/errors.js';
import type { OrderId, RetailerId } from '../../shared/ids.js';
import { Money } from '../../shared/money.js';
import { type Contract, errorWith, expectEqual, expectRejects, expectTrue } from '../contract.js';
import { savedRetailerWithAccount } from './parties.contract.js';
import { caseTools, type PersistenceSubject } from './persistence-subject.js';

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
  ],
};

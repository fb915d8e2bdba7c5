import { ALLOW_ALL_RISK_POLICY } from '../../application/order-risk-policy.js';
import { PlaceOrder } from '../../application/place-order.js';
import type { CreditAccount } from '../../credit/credit-account.js';
import { NOOP_LOGGER } from '../../ports/logger.js';
import { SYSTEM_ACTOR } from '../../shared/domain-event.js';
import { Money } from '../../shared/money.js';
import { anOffer, anOrder, aProduct, aVendor } from '../builders.js';
import { type Contract, expectEqual, expectTrue } from '../contract.js';
import { savedRetailerWithAccount } from './parties.contract.js';
import { caseTools, type PersistenceSubject } from './persistence-subject.js';

class Boom extends Error {}

export const unitOfWorkContract: Contract<PersistenceSubject> = {
  name: 'UnitOfWork',
  cases: [
    {
      name: 'commits orders, ledger entries and outbox events together',
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        const before = (await subject.outbox.stats(tools.now)).pending;
        const order = anOrder(tools.ids, tools.now).forRetailer(retailer.id).build();
        const result = await subject.uow.run(async (tx) => {
          const acc = (await tx.lockCreditAccount(retailer.id)) as CreditAccount;
          acc.placeHold(order.id, order.total, SYSTEM_ACTOR, tools.now, tools.ids);
          await tx.orders.save(order);
          await tx.credit.save(acc);
          await tx.outbox.append([...order.pullEvents(), ...acc.pullEvents()]);
          return 'done';
        });
        expectEqual(result, 'done', 'returns the work result');
        expectTrue((await subject.repos.orders.get(order.id)) !== null, 'order committed');
        expectEqual((await subject.repos.credit.listEntries(retailer.id, {})).length, 1, 'entry committed');
        expectEqual((await subject.outbox.stats(tools.now)).pending, before + 2, 'events committed');
      },
    },
    {
      name: 'a failure rolls everything back',
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        const before = (await subject.outbox.stats(tools.now)).pending;
        const order = anOrder(tools.ids, tools.now).forRetailer(retailer.id).build();
        let thrown: unknown;
        try {
          await subject.uow.run(async (tx) => {
            const acc = (await tx.lockCreditAccount(retailer.id)) as CreditAccount;
            acc.placeHold(order.id, order.total, SYSTEM_ACTOR, tools.now, tools.ids);
            await tx.orders.save(order);
            await tx.credit.save(acc);
            await tx.outbox.append(order.pullEvents());
            throw new Boom('after all the writes');
          });
        } catch (error) {
          thrown = error;
        }
        expectTrue(thrown instanceof Boom, 'the work error reaches the caller unchanged');
        expectEqual(await subject.repos.orders.get(order.id), null, 'no order');
        expectEqual((await subject.repos.credit.listEntries(retailer.id, {})).length, 0, 'no entries');
        expectEqual((await subject.repos.credit.get(retailer.id))?.version, 1, 'account untouched');
        expectEqual((await subject.outbox.stats(tools.now)).pending, before, 'no events');
      },
    },
    {
      name: 'uncommitted writes are invisible outside the transaction',
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        const order = anOrder(tools.ids, tools.now).forRetailer(retailer.id).build();
        let seenInside: unknown = 'unset';
        let release!: () => void;
        const gate = new Promise<void>((r) => {
          release = r;
        });
        let saved!: () => void;
        const written = new Promise<void>((r) => {
          saved = r;
        });
        const tx = subject.uow.run(async (t) => {
          await t.orders.save(order);
          seenInside = (await t.orders.get(order.id))?.id;
          saved();
          await gate;
        });
        await written;
        const outside = await subject.repos.orders.get(order.id);
        release();
        await tx;
        expectEqual(seenInside, order.id, 'a transaction reads its own writes');
        expectEqual(outside, null, 'others do not see them before commit');
        expectTrue((await subject.repos.orders.get(order.id)) !== null, 'visible after commit');
      },
    },
    {
      // In memory every transaction runs under one mutex, so the two concurrency cases pass by
      // construction there; they carry their weight against PostgreSQL (pg-contracts.int.test.ts).
      name: 'lockCreditAccount serialises read-modify-write of one account',
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            subject.uow.run(async (tx) => {
              const acc = (await tx.lockCreditAccount(retailer.id)) as CreditAccount;
              acc.adjust(Money.of(100 + i), `fee ${i}`, SYSTEM_ACTOR, tools.now, tools.ids);
              await tx.credit.save(acc);
            }),
          ),
        );
        const acc = (await subject.repos.credit.get(retailer.id)) as CreditAccount;
        expectEqual(acc.outstanding(), Money.of(10 * 100 + 45), 'all ten adjustments applied');
        expectEqual(acc.version, 11, 'ten updates after the insert');
      },
    },
    {
      name: '50 concurrent place-order calls never push a retailer past its limit',
      async run(subject) {
        const tools = caseTools();
        // Limit NPR 10,000; each order NPR 480 (24 packets × NPR 20) → at most 20 fit.
        const { retailer } = await savedRetailerWithAccount(subject, tools, { limit: Money.of(1_000_000) });
        const vendor = aVendor(tools.ids, tools.now);
        const product = aProduct(tools.ids, tools.now);
        await subject.repos.vendors.save(vendor);
        await subject.repos.products.save(product);
        await subject.repos.offers.save(
          anOffer(tools.ids, tools.now, { vendorId: vendor.id, productId: product.id, stockOnHand: 100_000 }),
        );
        const placeOrder = new PlaceOrder(
          { uow: subject.uow, repos: subject.repos, clock: tools.clock, ids: tools.ids, logger: NOOP_LOGGER },
          ALLOW_ALL_RISK_POLICY,
        );
        const results = await Promise.all(
          Array.from({ length: 50 }, () =>
            placeOrder.execute({
              retailerId: retailer.id,
              lines: [{ productId: product.id, quantity: 1, unit: 'carton' }],
              source: 'api',
              actor: SYSTEM_ACTOR,
            }),
          ),
        );
        const placed = results.map((r) => {
          if (!r.ok) throw new Error(`unexpected failure ${r.error.code}`);
          return r.value;
        });
        const accepted = placed.filter((p) => p.status === 'ROUTING');
        // Over the limit is held for an operator, not rejected; a credit hold reserves nothing.
        const held = placed.filter((p) => p.status === 'ON_HOLD' && p.holdReason === 'CREDIT_LIMIT');
        expectEqual(accepted.length, 20, 'exactly what the limit allows');
        expectEqual(held.length, 30, 'the rest is held for credit');
        const exposure = await subject.repos.orders.pendingExposure(retailer.id, 'NPR');
        expectTrue(!exposure.greaterThan(Money.of(1_000_000)), `exposure ${exposure.format()} within the limit`);
        const acc = (await subject.repos.credit.get(retailer.id)) as CreditAccount;
        expectTrue(acc.checkAvailable(Money.zero(), exposure).ok, 'available never negative');
      },
    },
  ],
};

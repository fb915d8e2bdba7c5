import type { Order } from '../../order/order.js';
import { orderLine } from '../../order/order-line.js';
import { SYSTEM_ACTOR } from '../../shared/domain-event.js';
import { ConcurrencyError, ConflictError, ErrorCodes } from '../../shared/errors.js';
import type { OrderId, ProductId } from '../../shared/ids.js';
import { Money } from '../../shared/money.js';
import { Quantity } from '../../shared/quantity.js';
import { anOrder, aVendor } from '../builders.js';
import { type Contract, errorWith, expectEqual, expectRejects, expectTrue } from '../contract.js';
import { savedRetailerWithAccount } from './parties.contract.js';
import { caseTools, type PersistenceSubject } from './persistence-subject.js';

async function saveOrder(subject: PersistenceSubject, order: Order): Promise<void> {
  await subject.uow.run(async (tx) => tx.orders.save(order));
}

export const orderRepositoryContract: Contract<PersistenceSubject> = {
  name: 'OrderRepository',
  cases: [
    {
      name: 'round-trips an order with lines, attempts and status log; version goes up',
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        const vendor = aVendor(tools.ids, tools.now);
        await subject.repos.vendors.save(vendor);
        const order = anOrder(tools.ids, tools.now)
          .forRetailer(retailer.id)
          .withVendor(vendor.id)
          .withLines(3)
          .withLine(
            // 30 packets at a carton price (24 packets a carton): the total is exact, not unitPrice × quantity.
            orderLine({
              productId: tools.ids.next() as ProductId,
              sku: 'SKU-CARTON-PRICED',
              name: 'Noodles by the packet',
              quantity: Quantity.of(30, 'packet'),
              unitPrice: Money.of(239_999),
              priceUnit: 'carton',
              perPriceUnit: { numerator: 1, denominator: 24 },
            }),
          )
          .inStatus('DISPATCHED')
          .build();
        expectEqual(order.version, 0, 'new order');
        await saveOrder(subject, order);
        expectEqual(order.version, 1, 'saved order');
        const loaded = await subject.repos.orders.get(order.id);
        expectEqual(loaded?.snapshot(), order.snapshot(), 'same snapshot');
        const cartonPriced = loaded?.lines[3];
        expectEqual(
          [cartonPriced?.priceUnit, cartonPriced?.quantity.unit, cartonPriced?.lineTotal.amount],
          ['carton', 'packet', 299_999],
          'price unit and the agreed total',
        );
        expectEqual((await subject.repos.orders.getByNumber(order.number.toLowerCase()))?.id, order.id, 'by number');
        expectEqual(await subject.repos.orders.get(tools.ids.next() as OrderId), null, 'absent');
      },
    },
    {
      name: 'a stale version is refused (ENTITY.CONCURRENT_MODIFICATION); a duplicate number is ENTITY.DUPLICATE',
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        const order = anOrder(tools.ids, tools.now).forRetailer(retailer.id).build();
        await saveOrder(subject, order);
        const a = (await subject.repos.orders.get(order.id)) as Order;
        const b = (await subject.repos.orders.get(order.id)) as Order;
        a.route(SYSTEM_ACTOR, tools.clock.advance(1000));
        await saveOrder(subject, a);
        b.reject(SYSTEM_ACTOR, tools.clock.advance(1000), 'late writer');
        await expectRejects(
          saveOrder(subject, b),
          errorWith(ConcurrencyError.is, ErrorCodes.CONCURRENT_MODIFICATION),
          'stale version',
        );
        expectEqual((await subject.repos.orders.get(order.id))?.status, 'ROUTING', 'first writer won');
        const copy = anOrder(tools.ids, tools.now).forRetailer(retailer.id).withNumber(order.number).build();
        await expectRejects(saveOrder(subject, copy), errorWith(ConflictError.is, ErrorCodes.DUPLICATE), 'same number');
      },
    },
    {
      name: 'order numbers are unique and increasing',
      async run(subject) {
        const numbers = await Promise.all(Array.from({ length: 20 }, () => subject.repos.orders.nextNumber()));
        expectEqual(new Set(numbers).size, 20, 'unique');
        const a = await subject.repos.orders.nextNumber();
        const b = await subject.repos.orders.nextNumber();
        expectTrue(/^KH-\d{6,}$/.test(a), `format ${a}`);
        expectTrue(Number(b.slice(3)) > Number(a.slice(3)), 'increasing');
      },
    },
    {
      name: 'lists with filters, newest first, keyset pages',
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        const other = await savedRetailerWithAccount(subject, tools);
        const made: Order[] = [];
        const statuses = ['ROUTING', 'PENDING', 'CANCELLED', 'ROUTING', 'ON_HOLD', 'REJECTED'] as const;
        for (const [i, status] of statuses.entries()) {
          const o = anOrder(tools.ids, tools.clock.advance(60_000))
            .forRetailer(i === 5 ? other.retailer.id : retailer.id)
            .inStatus(status)
            .build();
          made.push(o);
          await saveOrder(subject, o);
        }
        const mine = made.filter((o) => o.retailerId === retailer.id).reverse();
        const pages: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await subject.repos.orders.list({ retailerId: retailer.id }, { limit: 2, cursor });
          pages.push(...page.items.map((o) => o.id));
          cursor = page.nextCursor;
        } while (cursor);
        expectEqual(
          pages,
          mine.map((o) => o.id),
          'all of the retailer, newest first',
        );
        const routing = await subject.repos.orders.list({ statuses: ['ROUTING'] }, { limit: 10 });
        expectEqual(routing.items.length, 2, 'status filter');
        const window = await subject.repos.orders.list(
          { placedFrom: made[1]?.snapshot().placedAt as Date, placedTo: made[3]?.snapshot().placedAt as Date },
          { limit: 10 },
        );
        expectEqual(
          window.items.map((o) => o.id),
          [made[2]?.id, made[1]?.id],
          'date window, end exclusive',
        );
        const exposure = await subject.repos.orders.pendingExposure(retailer.id, 'NPR');
        const expected = Money.sum(
          made
            .filter((o) => o.retailerId === retailer.id && ['PENDING', 'ON_HOLD', 'ROUTING'].includes(o.status))
            .map((o) => o.total),
        );
        expectEqual(exposure, expected, 'pending exposure counts PENDING, ON_HOLD and ROUTING');
      },
    },
    {
      name: 'finds expired offers and counts a vendor’s confirmed orders',
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        const vendor = aVendor(tools.ids, tools.now);
        await subject.repos.vendors.save(vendor);
        const t0 = tools.now;
        const offered = anOrder(tools.ids, t0).forRetailer(retailer.id).inStatus('ROUTING').build();
        offered.offerTo(vendor.id, t0, new Date(t0.getTime() + 15 * 60_000));
        const confirmed = anOrder(tools.ids, t0)
          .forRetailer(retailer.id)
          .withVendor(vendor.id)
          .inStatus('CONFIRMED')
          .build();
        await saveOrder(subject, offered);
        await saveOrder(subject, confirmed);
        expectEqual(
          await subject.repos.orders.listWithExpiredOffers(new Date(t0.getTime() + 60_000), 10),
          [],
          'not yet',
        );
        expectEqual(
          await subject.repos.orders.listWithExpiredOffers(new Date(t0.getTime() + 15 * 60_000), 10),
          [offered.id],
          'due at the deadline',
        );
        expectEqual(await subject.repos.orders.countConfirmedForVendorSince(vendor.id, t0), 1, 'load today');
        expectEqual(
          await subject.repos.orders.countConfirmedForVendorSince(vendor.id, new Date(t0.getTime() + 1)),
          0,
          'since is inclusive of the start only',
        );
        const other = aVendor(tools.ids, tools.now);
        await subject.repos.vendors.save(other);
        expectEqual(
          (await subject.repos.orders.listOfferedToVendors([vendor.id], t0)).map((o) => o.id),
          [offered.id, confirmed.id].sort(),
          'orders offered to the vendor',
        );
        expectEqual(await subject.repos.orders.listOfferedToVendors([other.id], t0), [], 'other vendor: none');
        expectEqual(
          await subject.repos.orders.listOfferedToVendors([vendor.id], new Date(t0.getTime() + 1)),
          [],
          'offered before since',
        );
      },
    },
    {
      name: 'finds orders idle in ROUTING: no pending offer, not flagged, unchanged since a time',
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        const vendor = aVendor(tools.ids, tools.now);
        await subject.repos.vendors.save(vendor);
        const t0 = tools.now;
        const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
        const routing = () => anOrder(tools.ids, t0).forRetailer(retailer.id).inStatus('ROUTING');
        const idleOld = routing().build();
        const idleNewer = anOrder(tools.ids, at(1)).forRetailer(retailer.id).inStatus('ROUTING').build();
        const offered = routing().build();
        offered.offerTo(vendor.id, t0, at(15));
        const rejected = routing().build();
        rejected.offerTo(vendor.id, t0, at(15));
        rejected.rejectOffer(vendor.id, at(2), null);
        const flagged = routing().build();
        flagged.flagForManualAssignment(t0, 'no vendor');
        const confirmed = routing().withVendor(vendor.id).inStatus('CONFIRMED').build();
        for (const o of [idleOld, idleNewer, offered, rejected, flagged, confirmed]) await saveOrder(subject, o);
        expectEqual(
          await subject.repos.orders.listIdleInRouting(at(5), 10),
          [idleOld.id, idleNewer.id, rejected.id],
          'idle ones, least recently changed first',
        );
        expectEqual(
          await subject.repos.orders.listIdleInRouting(at(1), 10),
          [idleOld.id, idleNewer.id],
          'idleSince is inclusive; an answer two minutes in is not idle yet',
        );
        expectEqual(await subject.repos.orders.listIdleInRouting(at(5), 1), [idleOld.id], 'limit');
        expectEqual(await subject.repos.orders.listIdleInRouting(new Date(t0.getTime() - 1), 10), [], 'none before');
      },
    },
  ],
};

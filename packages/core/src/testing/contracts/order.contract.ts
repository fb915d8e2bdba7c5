import { performanceEventsFromOrders } from '../../engines/performance/performance-events.js';
import type { Order } from '../../order/order.js';
import { orderLine } from '../../order/order-line.js';
import { ORDER_STATUSES } from '../../order/order-status.js';
import { addDays } from '../../shared/clock.js';
import { SYSTEM_ACTOR } from '../../shared/domain-event.js';
import { ConcurrencyError, ConflictError, ErrorCodes } from '../../shared/errors.js';
import type { OrderId, ProductId, RetailerId } from '../../shared/ids.js';
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
      name: "clearNotesOfRetailer: that retailer's notes become null with the version up by one; nothing else changes",
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        const { retailer: other } = await savedRetailerWithAccount(subject, tools);
        const noted = anOrder(tools.ids, tools.now).forRetailer(retailer.id).withNote('ring Sita at the gate').build();
        const plain = anOrder(tools.ids, tools.now).forRetailer(retailer.id).build();
        const theirs = anOrder(tools.ids, tools.now).forRetailer(other.id).withNote('keep me').build();
        for (const o of [noted, plain, theirs]) await saveOrder(subject, o);
        const before = (await subject.repos.orders.get(noted.id)) as Order;
        const plainBefore = (await subject.repos.orders.get(plain.id)) as Order;
        expectEqual(await subject.repos.orders.clearNotesOfRetailer(retailer.id), 1, 'one order had a note');
        const after = (await subject.repos.orders.get(noted.id)) as Order;
        expectEqual(after.snapshot().note, null, 'note gone');
        expectEqual(after.version, before.version + 1, 'version up');
        expectEqual(
          { ...after.snapshot(), note: before.snapshot().note, version: before.version },
          before.snapshot(),
          'the rest as it was',
        );
        expectEqual(
          (await subject.repos.orders.get(plain.id))?.version,
          plainBefore.version,
          'unnoted order untouched',
        );
        expectEqual((await subject.repos.orders.get(theirs.id))?.snapshot().note, 'keep me', "another's note stays");
        before.route(SYSTEM_ACTOR, tools.clock.advance(1000));
        await expectRejects(
          saveOrder(subject, before),
          errorWith(ConcurrencyError.is, ErrorCodes.CONCURRENT_MODIFICATION),
          'a save built on the noted order is stale',
        );
        expectEqual(await subject.repos.orders.clearNotesOfRetailer(retailer.id), 0, 'again: nothing');
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
        const overLimit = anOrder(tools.ids, tools.clock.advance(60_000)).forRetailer(retailer.id).build();
        overLimit.hold(SYSTEM_ACTOR, tools.clock.now(), 'credit limit exceeded', 'CREDIT_LIMIT');
        await saveOrder(subject, overLimit);
        expectEqual(
          (await subject.repos.orders.list({ holdReason: 'CREDIT_LIMIT' }, { limit: 10 })).items.map((o) => o.id),
          [overLimit.id],
          'hold reason filter: only ON_HOLD for that reason',
        );
        expectEqual(
          (await subject.repos.orders.list({ holdReason: 'RISK_REVIEW' }, { limit: 10 })).items.map((o) => o.id),
          [made[4]?.id],
          'the review hold',
        );
        expectEqual(
          await subject.repos.orders.countHeldByReason(),
          { RISK_REVIEW: 1, CREDIT_LIMIT: 1 },
          'the approvals queue counted per hold reason',
        );
        const exposure = await subject.repos.orders.pendingExposure(retailer.id, 'NPR');
        const expected = Money.sum(
          made
            .filter((o) => o.retailerId === retailer.id && ['PENDING', 'ON_HOLD', 'ROUTING'].includes(o.status))
            .map((o) => o.total),
        );
        expectEqual(exposure, expected, 'pending exposure counts PENDING, ON_HOLD and ROUTING');
        // The other shop has a pending order too: the grouped read must keep the shops apart.
        const theirs = anOrder(tools.ids, tools.clock.advance(60_000)).forRetailer(other.retailer.id).build();
        await saveOrder(subject, theirs);
        expectEqual(
          await subject.repos.orders.pendingExposure(other.retailer.id, 'NPR'),
          theirs.total,
          'the other shop’s exposure',
        );
        const nobody = tools.ids.next() as RetailerId;
        const exposures = await subject.repos.orders.pendingExposures([retailer.id, other.retailer.id, nobody], 'NPR');
        expectEqual(
          [...exposures].sort(([x], [y]) => x.localeCompare(y)),
          [
            [retailer.id, exposure],
            [other.retailer.id, await subject.repos.orders.pendingExposure(other.retailer.id, 'NPR')],
            [nobody, Money.zero('NPR')],
          ].sort(([x], [y]) => String(x).localeCompare(String(y))),
          'pendingExposures: each retailer as pendingExposure reads it, zero for one without orders',
        );
        expectEqual((await subject.repos.orders.pendingExposures([], 'NPR')).size, 0, 'nothing asked');
      },
    },
    {
      name: 'counts orders by status, every status present',
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        const before = await subject.repos.orders.countByStatus();
        expectEqual(Object.keys(before).sort(), [...ORDER_STATUSES].sort(), 'every status has a count');
        await saveOrder(subject, anOrder(tools.ids, tools.now).forRetailer(retailer.id).inStatus('ROUTING').build());
        await saveOrder(subject, anOrder(tools.ids, tools.now).forRetailer(retailer.id).inStatus('ROUTING').build());
        await saveOrder(subject, anOrder(tools.ids, tools.now).forRetailer(retailer.id).inStatus('CANCELLED').build());
        const after = await subject.repos.orders.countByStatus();
        const delta = Object.fromEntries(ORDER_STATUSES.map((s) => [s, after[s] - before[s]]));
        expectEqual(
          delta,
          Object.fromEntries(ORDER_STATUSES.map((s) => [s, s === 'ROUTING' ? 2 : s === 'CANCELLED' ? 1 : 0])),
          'two ROUTING and one CANCELLED added, nothing else',
        );
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
      },
    },
    {
      name: 'reads vendor performance facts: the offers and fulfilments performanceEventsFromOrders derives',
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        const [v, w, x] = [aVendor(tools.ids, tools.now), aVendor(tools.ids, tools.now), aVendor(tools.ids, tools.now)];
        for (const vendor of [v, w, x]) await subject.repos.vendors.save(vendor);
        const t0 = tools.now;
        const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
        const routing = (placed = t0) =>
          anOrder(tools.ids, placed).forRetailer(retailer.id).inStatus('ROUTING').build();
        // Rejected by v, then expired at w.
        const rejected = routing();
        rejected.offerTo(v.id, at(1), at(16));
        rejected.rejectOffer(v.id, at(3), 'no stock');
        rejected.offerTo(w.id, at(4), at(19));
        rejected.expireOffer(at(19));
        // Accepted by v, delivered after the promised 24 h.
        const late = routing();
        late.offerTo(v.id, at(5), at(20));
        late.acceptOffer(v.id, at(6));
        late.dispatch(SYSTEM_ACTOR, at(60));
        late.deliver(SYSTEM_ACTOR, at(30 * 60));
        // Offered manually to w, accepted, delivered on time.
        const onTime = routing();
        onTime.offerTo(w.id, at(7), at(22), { manual: true });
        onTime.acceptOffer(w.id, at(8));
        onTime.dispatch(SYSTEM_ACTOR, at(60));
        onTime.deliver(SYSTEM_ACTOR, at(10 * 60));
        // Confirmed by v, then cancelled: a failure to fulfil.
        const cancelled = routing();
        cancelled.offerTo(v.id, at(9), at(24));
        cancelled.acceptOffer(v.id, at(10));
        cancelled.cancel(SYSTEM_ACTOR, at(120), 'vendor cannot deliver');
        // Cancelled while w's offer waited: the offer is withdrawn, nothing was confirmed.
        const withdrawn = routing();
        withdrawn.offerTo(w.id, at(11), at(26));
        withdrawn.cancel(SYSTEM_ACTOR, at(12), 'changed mind');
        // Still waiting for v.
        const pending = routing();
        pending.offerTo(v.id, at(13), at(28));
        // Another vendor's: not asked for.
        const others = routing();
        others.offerTo(x.id, at(14), at(29));
        others.acceptOffer(x.id, at(15));
        // Before the window: offered, confirmed and delivered before `since`.
        const old = routing(at(-300));
        old.offerTo(v.id, at(-290), at(-275));
        old.acceptOffer(v.id, at(-289));
        old.dispatch(SYSTEM_ACTOR, at(-200));
        old.deliver(SYSTEM_ACTOR, at(-100));
        for (const o of [rejected, late, onTime, cancelled, withdrawn, pending, others, old])
          await saveOrder(subject, o);

        const since = at(-60);
        const facts = await subject.repos.orders.vendorPerformanceEvents([v.id, w.id], since);
        const offer = (
          o: Order,
          vendorId: typeof v.id,
          offered: number,
          outcome: string,
          answered: number | null,
          manual = false,
        ) => ({
          orderId: o.id,
          vendorId,
          offeredAt: at(offered),
          outcome,
          respondedAt: answered === null ? null : at(answered),
          manual,
        });
        expectEqual(
          facts.offers,
          [
            offer(rejected, v.id, 1, 'REJECTED', 3),
            offer(rejected, w.id, 4, 'EXPIRED', 19),
            offer(late, v.id, 5, 'ACCEPTED', 6),
            offer(onTime, w.id, 7, 'ACCEPTED', 8, true),
            offer(cancelled, v.id, 9, 'ACCEPTED', 10),
            offer(withdrawn, w.id, 11, 'WITHDRAWN', 12),
            offer(pending, v.id, 13, 'PENDING', null),
          ],
          'offers to v and w since the start of the window, oldest first',
        );
        const fulfilment = (
          o: Order,
          vendorId: typeof v.id,
          confirmed: number,
          delivered: number | null,
          cancelledAt: number | null,
        ) => ({
          orderId: o.id,
          vendorId,
          confirmedAt: at(confirmed),
          promisedBy: at(confirmed + 24 * 60),
          deliveredAt: delivered === null ? null : at(delivered),
          cancelledAt: cancelledAt === null ? null : at(cancelledAt),
        });
        expectEqual(
          facts.fulfilments,
          [
            fulfilment(late, v.id, 6, 30 * 60, null),
            fulfilment(onTime, w.id, 8, 10 * 60, null),
            fulfilment(cancelled, v.id, 10, null, 120),
          ],
          'orders v and w confirmed since the start of the window, with delivery or cancellation',
        );
        // The reference: the engine's own derivation from the whole orders, cut to the vendors and window.
        const derived = performanceEventsFromOrders(
          [rejected, late, onTime, cancelled, withdrawn, pending, others, old].map((o) => o.snapshot()),
        );
        const wanted = (id: string) => id === v.id || id === w.id;
        expectEqual(
          [...facts.offers].sort((a, b) => a.offeredAt.getTime() - b.offeredAt.getTime()),
          derived.offers
            .filter((o) => wanted(o.vendorId) && o.offeredAt >= since)
            .sort((a, b) => a.offeredAt.getTime() - b.offeredAt.getTime()),
          'the same offers as performanceEventsFromOrders',
        );
        expectEqual(
          facts.fulfilments,
          derived.fulfilments.filter((f) => wanted(f.vendorId) && f.confirmedAt >= since),
          'the same fulfilments as performanceEventsFromOrders',
        );
        expectEqual(
          await subject.repos.orders.vendorPerformanceEvents([v.id], at(9)),
          {
            offers: [offer(cancelled, v.id, 9, 'ACCEPTED', 10), offer(pending, v.id, 13, 'PENDING', null)],
            fulfilments: [fulfilment(cancelled, v.id, 10, null, 120)],
          },
          'since is inclusive; one vendor only',
        );
        expectEqual(
          await subject.repos.orders.vendorPerformanceEvents([], since),
          { offers: [], fulfilments: [] },
          'no vendors',
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
    {
      name: "recentPurchases: the shop's products in the window, most orders then most recent first; cancelled and rejected orders, other shops and older orders left out",
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        const { retailer: other } = await savedRetailerWithAccount(subject, tools);
        const [masoor, moong, sugar, salt] = [1, 2, 3, 4].map(() => tools.ids.next() as ProductId);
        const line = (productId: ProductId | undefined) =>
          orderLine({
            productId: productId as ProductId,
            sku: 'SKU-HISTORY',
            name: 'History line',
            quantity: Quantity.of(1, 'kg'),
            unitPrice: Money.of(10_000),
          });
        const day = (n: number) => addDays(tools.now, n);
        const place = async (
          shop: typeof retailer,
          at: Date,
          products: (ProductId | undefined)[],
          status?: 'CANCELLED' | 'REJECTED',
        ) => {
          let builder = anOrder(tools.ids, at).forRetailer(shop.id);
          for (const p of products) builder = builder.withLine(line(p));
          if (status) builder = builder.inStatus(status);
          await saveOrder(subject, builder.build());
        };
        await place(retailer, day(-10), [masoor, sugar]);
        await place(retailer, day(-3), [masoor]);
        await place(retailer, day(-1), [moong]);
        await place(retailer, day(-2), [salt, moong], 'CANCELLED');
        await place(retailer, day(-2), [salt], 'REJECTED');
        await place(retailer, day(-40), [moong, salt]);
        await place(other, day(-1), [salt, sugar]);
        const history = await subject.repos.orders.recentPurchases(retailer.id, day(-30), 10);
        expectEqual(
          history.map((h) => [h.productId, h.orders, h.lastOrderedAt.toISOString()]),
          [
            [masoor, 2, day(-3).toISOString()],
            [moong, 1, day(-1).toISOString()],
            [sugar, 1, day(-10).toISOString()],
          ],
          'masoor twice, then moong (more recent) before sugar',
        );
        const top = await subject.repos.orders.recentPurchases(retailer.id, day(-30), 1);
        expectEqual(
          top.map((h) => h.productId),
          [masoor],
          'limit',
        );
        expectEqual(await subject.repos.orders.recentPurchases(retailer.id, day(0), 10), [], 'nothing since today');
      },
    },
  ],
};

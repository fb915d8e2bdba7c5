import { DeliveryProof } from '../../order/delivery-proof.js';
import { ConcurrencyError, ConflictError, ErrorCodes } from '../../shared/errors.js';
import type { OrderId } from '../../shared/ids.js';
import { anOrder, aVendor } from '../builders.js';
import { type Contract, errorWith, expectEqual, expectRejects, expectTrue } from '../contract.js';
import { savedRetailerWithAccount } from './parties.contract.js';
import { caseTools, type PersistenceSubject } from './persistence-subject.js';

const VENDOR_ACTOR = { type: 'vendor', id: null } as const;
const OPERATOR = { type: 'operator', id: '01900000-0000-7000-8000-0000000000aa' } as const;

/** A dispatched order of a stored retailer and vendor, and a fresh proof for it (not saved). */
async function dispatched(subject: PersistenceSubject, tools: ReturnType<typeof caseTools>, code = '0427') {
  const { retailer } = await savedRetailerWithAccount(subject, tools);
  const vendor = aVendor(tools.ids, tools.now);
  await subject.repos.vendors.save(vendor);
  const order = anOrder(tools.ids, tools.now)
    .forRetailer(retailer.id)
    .withVendor(vendor.id)
    .withLines(1)
    .inStatus('DISPATCHED')
    .build();
  await subject.uow.run(async (tx) => tx.orders.save(order));
  const proof = DeliveryProof.issue({
    orderId: order.id,
    retailerId: retailer.id,
    vendorId: vendor.id,
    code,
    at: tools.now,
  });
  return { order, proof, retailer, vendor };
}

export const deliveryProofRepositoryContract: Contract<PersistenceSubject> = {
  name: 'DeliveryProofRepository',
  cases: [
    {
      name: 'a proof round-trips whole through every state; the code is erased once settled',
      async run(subject) {
        const tools = caseTools();
        const { order, proof } = await dispatched(subject, tools, '0042');
        await subject.repos.deliveries.save(proof);
        expectEqual(proof.version, 1, 'saved once');
        const back = (await subject.repos.deliveries.get(order.id)) as DeliveryProof;
        expectEqual(back.snapshot(), proof.snapshot(), 'issued, with its leading-zero code');
        expectEqual(await subject.repos.deliveries.get(tools.ids.next() as OrderId), null, 'absent');

        expectEqual(back.checkCode('1111', VENDOR_ACTOR, tools.clock.advance(1000)).result, 'WRONG', 'wrong code');
        back.dispute('NOT_RECEIVED', { type: 'retailer', id: null }, tools.clock.advance(1000), 'नआएको — not here');
        await subject.repos.deliveries.save(back);
        const disputed = (await subject.repos.deliveries.get(order.id)) as DeliveryProof;
        expectEqual(disputed.snapshot(), back.snapshot(), 'disputed: attempts, reason, who, note, Devanagari kept');
        expectEqual(disputed.version, 2, 'version up');

        disputed.resolve(false, OPERATOR, tools.clock.advance(1000), 'shop never got it');
        await subject.repos.deliveries.save(disputed);
        const resolved = (await subject.repos.deliveries.get(order.id)) as DeliveryProof;
        expectEqual(resolved.snapshot(), disputed.snapshot(), 'resolved');
        expectEqual(resolved.code, null, 'no code kept after settlement');
        expectEqual(resolved.snapshot().delivered, false, 'not delivered');
      },
    },
    {
      name: 'one proof per order (ENTITY.DUPLICATE); an unknown order is ENTITY.REFERENCE_MISSING',
      async run(subject) {
        const tools = caseTools();
        const { order, proof, retailer, vendor } = await dispatched(subject, tools);
        await subject.repos.deliveries.save(proof);
        const again = DeliveryProof.issue({
          orderId: order.id,
          retailerId: retailer.id,
          vendorId: vendor.id,
          code: '9999',
          at: tools.now,
        });
        await expectRejects(
          subject.repos.deliveries.save(again),
          errorWith(ConflictError.is, ErrorCodes.DUPLICATE),
          'second proof',
        );
        const orphan = DeliveryProof.issue({
          orderId: tools.ids.next() as OrderId,
          retailerId: retailer.id,
          vendorId: vendor.id,
          code: '1234',
          at: tools.now,
        });
        await expectRejects(
          subject.uow.run(async (tx) => tx.deliveries.save(orphan)),
          errorWith(ConflictError.is, ErrorCodes.REFERENCE_MISSING),
          'no such order',
        );
        expectEqual((await subject.repos.deliveries.get(order.id))?.code, '0427', 'the first proof stands');
      },
    },
    {
      name: 'a stale version is ENTITY.CONCURRENT_MODIFICATION: two wrong codes never count as one',
      async run(subject) {
        const tools = caseTools();
        const { order, proof } = await dispatched(subject, tools);
        await subject.repos.deliveries.save(proof);
        const a = (await subject.repos.deliveries.get(order.id)) as DeliveryProof;
        const b = (await subject.repos.deliveries.get(order.id)) as DeliveryProof;
        a.checkCode('0000', VENDOR_ACTOR, tools.clock.advance(1000));
        await subject.repos.deliveries.save(a);
        b.checkCode('0001', VENDOR_ACTOR, tools.clock.advance(1000));
        await expectRejects(
          subject.repos.deliveries.save(b),
          errorWith(ConcurrencyError.is, ErrorCodes.CONCURRENT_MODIFICATION),
          'stale',
        );
        expectEqual((await subject.repos.deliveries.get(order.id))?.failedAttempts, 1, 'first writer won');
      },
    },
    {
      name: 'disputes are listed oldest first, in pages, and only while in dispute',
      async run(subject) {
        const tools = caseTools();
        const made: OrderId[] = [];
        for (let i = 0; i < 5; i++) {
          const { order, proof } = await dispatched(subject, tools);
          if (i !== 2) proof.dispute('NO_CODE', VENDOR_ACTOR, tools.clock.advance(60_000), null);
          await subject.repos.deliveries.save(proof);
          if (i !== 2) made.push(order.id);
        }
        const first = await subject.repos.deliveries.listDisputed({ limit: 3 });
        expectEqual(
          first.items.map((p) => p.orderId),
          made.slice(0, 3),
          'first page',
        );
        expectTrue(first.nextCursor !== null, 'more to read');
        const second = await subject.repos.deliveries.listDisputed({ limit: 3, cursor: first.nextCursor });
        expectEqual(
          second.items.map((p) => p.orderId),
          made.slice(3),
          'second page',
        );
        expectEqual(second.nextCursor, null, 'the end');

        const settled = (await subject.repos.deliveries.get(made[0] as OrderId)) as DeliveryProof;
        settled.override(OPERATOR, tools.clock.advance(1000), 'shop confirmed by phone');
        await subject.repos.deliveries.save(settled);
        const after = await subject.repos.deliveries.listDisputed({ limit: 10 });
        expectEqual(
          after.items.map((p) => p.orderId),
          made.slice(1),
          'a settled dispute leaves the list',
        );
      },
    },
  ],
};

import { type OrderDraft, DEFAULT_DRAFT_TTL_MS } from '../../order/order-draft.js';
import { orderLine } from '../../order/order-line.js';
import { ConflictError, ErrorCodes } from '../../shared/errors.js';
import type { DraftId, IdGenerator, OrderId, ProductId, RetailerId } from '../../shared/ids.js';
import { Money } from '../../shared/money.js';
import { Quantity } from '../../shared/quantity.js';
import { aProduct, anOrder } from '../builders.js';
import { type Contract, errorWith, expectEqual, expectRejects, expectTrue } from '../contract.js';
import { savedRetailerWithAccount } from './parties.contract.js';
import { caseTools, type PersistenceSubject } from './persistence-subject.js';

function aDraft(
  ids: IdGenerator,
  retailerId: RetailerId,
  productId: ProductId,
  now: Date,
  overrides: Partial<OrderDraft> = {},
): OrderDraft {
  const line = orderLine({
    productId,
    sku: 'DAL-MASOOR-1KG',
    name: 'Masoor Dal 1 kg',
    quantity: Quantity.of(5, 'kg'),
    unitPrice: Money.of(18_000),
  });
  return {
    id: ids.next() as DraftId,
    retailerId,
    text: 'dal 5 kg\nचिनी २ बोरा',
    source: 'whatsapp',
    lines: [{ raw: 'dal 5 kg', line, resolvedBy: 'history' }],
    questions: [
      {
        raw: 'चिनी २ बोरा',
        mention: 'चिनी',
        quantity: 2,
        unit: 'bag',
        reason: 'AMBIGUOUS_PRODUCT',
        message: null,
        choices: [{ productId, sku: 'SUGAR-1KG', name: 'Sugar 1 kg', score: 0.82 }],
      },
    ],
    total: line.lineTotal,
    availableBefore: Money.of(50_000),
    availableAfter: Money.of(50_000).subtract(line.lineTotal),
    replacesOrderId: null,
    status: 'OPEN',
    orderId: null,
    supersededBy: null,
    createdAt: now,
    expiresAt: new Date(now.getTime() + DEFAULT_DRAFT_TTL_MS),
    ...overrides,
  };
}

export const catalogDefaultRepositoryContract: Contract<PersistenceSubject> = {
  name: 'CatalogDefaultRepository',
  cases: [
    {
      name: 'set, replace and remove a generic word; kept in lower case with single spaces',
      async run({ repos }) {
        const { ids, now } = caseTools();
        const masoor = aProduct(ids, now, { sku: 'DAL-MASOOR' });
        const moong = aProduct(ids, now, { sku: 'DAL-MOONG' });
        await repos.products.save(masoor);
        await repos.products.save(moong);
        await repos.catalogDefaults.set('Dal', masoor.id);
        await repos.catalogDefaults.set('  tori   TEL ', moong.id);
        expectEqual(
          [...(await repos.catalogDefaults.list())],
          [
            ['dal', masoor.id],
            ['tori tel', moong.id],
          ],
          'both, sorted by mention',
        );
        await repos.catalogDefaults.set('dal', moong.id);
        expectEqual((await repos.catalogDefaults.list()).get('dal'), moong.id, 'replaced');
        expectEqual(await repos.catalogDefaults.remove('DAL'), true, 'removed');
        expectEqual(await repos.catalogDefaults.remove('dal'), false, 'already gone');
        expectEqual([...(await repos.catalogDefaults.list()).keys()], ['tori tel'], 'one left');
      },
    },
    {
      name: 'an unknown product is ENTITY.REFERENCE_MISSING',
      async run({ repos }) {
        const { ids } = caseTools();
        await expectRejects(
          repos.catalogDefaults.set('dal', ids.next() as ProductId),
          errorWith(ConflictError.is, ErrorCodes.REFERENCE_MISSING),
          'no such product',
        );
        expectEqual((await repos.catalogDefaults.list()).size, 0, 'nothing stored');
      },
    },
  ],
};

export const orderDraftRepositoryContract: Contract<PersistenceSubject> = {
  name: 'OrderDraftRepository',
  cases: [
    {
      name: 'a draft round-trips whole: lines with how they were resolved, questions with choices, credit',
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        const product = aProduct(tools.ids, tools.now);
        await subject.repos.products.save(product);
        const draft = aDraft(tools.ids, retailer.id, product.id, tools.now);
        await subject.repos.orderDrafts.insert(draft);
        const back = await subject.repos.orderDrafts.get(draft.id);
        expectEqual(back, draft, 'round trip');
        expectEqual(await subject.repos.orderDrafts.get(tools.ids.next() as DraftId), null, 'absent');
        expectTrue(back?.availableAfter.amount === 50_000 - 90_000, 'negative available after is kept');
      },
    },
    {
      name: 'a taken id is ENTITY.DUPLICATE; an unknown retailer ENTITY.REFERENCE_MISSING',
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        const product = aProduct(tools.ids, tools.now);
        await subject.repos.products.save(product);
        const draft = aDraft(tools.ids, retailer.id, product.id, tools.now);
        await subject.repos.orderDrafts.insert(draft);
        await expectRejects(
          subject.repos.orderDrafts.insert(draft),
          errorWith(ConflictError.is, ErrorCodes.DUPLICATE),
          'same id',
        );
        await expectRejects(
          subject.repos.orderDrafts.insert(aDraft(tools.ids, tools.ids.next() as RetailerId, product.id, tools.now)),
          errorWith(ConflictError.is, ErrorCodes.REFERENCE_MISSING),
          'unknown retailer',
        );
      },
    },
    {
      name: "a request key finds its retailer's draft; taken twice it is ENTITY.DUPLICATE; gone with the draft",
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        const { retailer: other } = await savedRetailerWithAccount(subject, tools);
        const product = aProduct(tools.ids, tools.now);
        await subject.repos.products.save(product);
        const keyed = aDraft(tools.ids, retailer.id, product.id, tools.now);
        await subject.repos.orderDrafts.insert(keyed, 'wa:msg:wamid.1');
        await subject.repos.orderDrafts.insert(aDraft(tools.ids, retailer.id, product.id, tools.now));
        await subject.repos.orderDrafts.insert(aDraft(tools.ids, retailer.id, product.id, tools.now), null);
        const drafts = subject.repos.orderDrafts;
        expectEqual(await drafts.getByRequestKey(retailer.id, 'wa:msg:wamid.1'), keyed, 'found whole');
        expectEqual(await drafts.getByRequestKey(retailer.id, 'wa:msg:wamid.2'), null, 'another key');
        expectEqual(await drafts.getByRequestKey(other.id, 'wa:msg:wamid.1'), null, "another retailer's");
        await expectRejects(
          drafts.insert(aDraft(tools.ids, retailer.id, product.id, tools.now), 'wa:msg:wamid.1'),
          errorWith(ConflictError.is, ErrorCodes.DUPLICATE),
          'the key drafted already',
        );
        const elsewhere = aDraft(tools.ids, other.id, product.id, tools.now);
        await drafts.insert(elsewhere, 'wa:msg:wamid.1');
        expectEqual(await drafts.getByRequestKey(other.id, 'wa:msg:wamid.1'), elsewhere, 'keys are per retailer');
        expectEqual(await drafts.deleteByRetailer(retailer.id), 3);
        expectEqual(await drafts.getByRequestKey(retailer.id, 'wa:msg:wamid.1'), null, 'gone with its draft');
        const again = aDraft(tools.ids, retailer.id, product.id, tools.now);
        await drafts.insert(again, 'wa:msg:wamid.1');
        expectEqual(await drafts.getByRequestKey(retailer.id, 'wa:msg:wamid.1'), again, 'free again');
      },
    },
    {
      name: 'update keeps the body and changes status, order and successor; read for update in a unit of work',
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        const product = aProduct(tools.ids, tools.now);
        await subject.repos.products.save(product);
        const order = anOrder(tools.ids, tools.now).forRetailer(retailer.id).build();
        await subject.repos.orders.save(order);
        const a = aDraft(tools.ids, retailer.id, product.id, tools.now);
        const b = aDraft(tools.ids, retailer.id, product.id, tools.now);
        await subject.repos.orderDrafts.insert(a);
        await subject.repos.orderDrafts.insert(b);
        await subject.uow.run(async (tx) => {
          const locked = await tx.orderDrafts.getForUpdate(a.id);
          expectEqual(locked?.status, 'OPEN', 'read under the lock');
          await tx.orderDrafts.update({ ...a, status: 'CONFIRMED', orderId: order.id as OrderId, text: 'changed' });
          await tx.orderDrafts.update({ ...b, status: 'SUPERSEDED', supersededBy: a.id });
        });
        expectEqual(
          await subject.repos.orderDrafts.get(a.id),
          { ...a, status: 'CONFIRMED', orderId: order.id },
          'status and order stored, the body never changes',
        );
        expectEqual((await subject.repos.orderDrafts.get(b.id))?.supersededBy, a.id, 'successor stored');
      },
    },
    {
      name: 'deleteExpired removes expired drafts not confirmed, up to the limit',
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        const product = aProduct(tools.ids, tools.now);
        await subject.repos.products.save(product);
        const order = anOrder(tools.ids, tools.now).forRetailer(retailer.id).build();
        await subject.repos.orders.save(order);
        const past = new Date(tools.now.getTime() - 1);
        const expired = [1, 2, 3].map(() => aDraft(tools.ids, retailer.id, product.id, tools.now, { expiresAt: past }));
        const confirmed = aDraft(tools.ids, retailer.id, product.id, tools.now, {
          expiresAt: past,
          status: 'CONFIRMED',
          orderId: order.id as OrderId,
        });
        const open = aDraft(tools.ids, retailer.id, product.id, tools.now);
        for (const d of [...expired, confirmed, open]) await subject.repos.orderDrafts.insert(d);
        expectEqual(await subject.repos.orderDrafts.deleteExpired(tools.now, 2), 2, 'limited');
        expectEqual(await subject.repos.orderDrafts.deleteExpired(tools.now, 10), 1, 'the rest');
        expectTrue((await subject.repos.orderDrafts.get(confirmed.id)) !== null, 'a confirmed draft stays');
        expectTrue((await subject.repos.orderDrafts.get(open.id)) !== null, 'an open one stays');
      },
    },
    {
      name: "a retailer's drafts list newest first in keyset pages; deleteByRetailer removes them all, confirmed too, and no other's",
      async run(subject) {
        const tools = caseTools();
        const { retailer } = await savedRetailerWithAccount(subject, tools);
        const { retailer: other } = await savedRetailerWithAccount(subject, tools);
        const product = aProduct(tools.ids, tools.now);
        await subject.repos.products.save(product);
        const order = anOrder(tools.ids, tools.now).forRetailer(retailer.id).build();
        await subject.repos.orders.save(order);
        const mine: OrderDraft[] = [];
        for (let i = 0; i < 5; i++) {
          const at = new Date(tools.now.getTime() + i * 1000);
          const draft = aDraft(tools.ids, retailer.id, product.id, at, {
            ...(i === 0 ? { status: 'CONFIRMED' as const, orderId: order.id as OrderId } : {}),
          });
          mine.push(draft);
          await subject.repos.orderDrafts.insert(draft);
        }
        const theirs = aDraft(tools.ids, other.id, product.id, tools.now);
        await subject.repos.orderDrafts.insert(theirs);
        const first = await subject.repos.orderDrafts.listByRetailer(retailer.id, { limit: 3 });
        const second = await subject.repos.orderDrafts.listByRetailer(retailer.id, {
          limit: 3,
          cursor: first.nextCursor,
        });
        expectEqual(
          [...first.items, ...second.items].map((d) => d.id),
          [...mine].reverse().map((d) => d.id),
          'newest first, every draft once',
        );
        expectEqual(second.nextCursor, null, 'last page');
        expectEqual([...first.items][0], mine[4], 'whole drafts');
        expectEqual(await subject.repos.orderDrafts.deleteByRetailer(retailer.id), 5, 'all five');
        expectEqual((await subject.repos.orderDrafts.listByRetailer(retailer.id, { limit: 10 })).items.length, 0);
        expectEqual(await subject.repos.orderDrafts.get(theirs.id), theirs, "another retailer's draft stays");
        expectTrue((await subject.repos.orders.get(order.id)) !== null, 'the confirmed draft’s order stays');
        expectEqual(await subject.repos.orderDrafts.deleteByRetailer(retailer.id), 0, 'again: nothing');
      },
    },
  ],
};

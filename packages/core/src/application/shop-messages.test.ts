import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Order } from '../order/order.js';
import type { RetailerId } from '../shared/ids.js';
import { LocalOrderTextParser } from '../parsing/local-order-text-parser.js';
import type { OrderTextParser } from '../ports/order-text-parser.js';
import { ErrorCodes } from '../shared/errors.js';
import { Money } from '../shared/money.js';
import { draftMarket } from '../testing/draft-market.js';
import { expectOk } from '../testing/outcomes.js';
import { createDraftUseCases } from './draft-use-cases.js';
import { orderNumberOf, type ShopMessageAnswer } from './shop-messages.js';

const asShop = (id: RetailerId) => ({ type: 'retailer', id }) as const;

async function ordersOf(m: Awaited<ReturnType<typeof draftMarket>>, retailerId: RetailerId): Promise<Order[]> {
  return [...(await m.world.repos.orders.list({ retailerId }, { limit: 50 })).items];
}

async function ask(m: Awaited<ReturnType<typeof draftMarket>>, retailerId: RetailerId, text: string) {
  return expectOk(await m.drafts.answerShopMessage.execute({ retailerId, text, actor: asShop(retailerId) }));
}

function orderOf(answer: ShopMessageAnswer): Order | null {
  return 'order' in answer ? answer.order : null;
}

test('order numbers in the formats shops write them map to ours', () => {
  assert.is(orderNumberOf('KH-000041'), 'KH-000041');
  assert.is(orderNumberOf('ORD-41'), 'KH-000041');
  assert.is(orderNumberOf('ORD000041'), 'KH-000041');
  assert.is(orderNumberOf('41'), 'KH-000041');
  assert.is(orderNumberOf('A-2291'), 'KH-002291');
  assert.is(orderNumberOf('ORD-X'), null);
  assert.is(orderNumberOf('12345678901'), null, 'longer than any number we issue');
});

test('"same as last week" drafts the last order again at today\'s prices; nothing is placed', async () => {
  const m = await draftMarket();
  await m.bought(m.shop.id, 'DAL-MASOOR', 10, 2);
  const last = (await ordersOf(m, m.shop.id))[0] as Order;
  const before = (await ordersOf(m, m.shop.id)).length;
  for (const text of ['same as last week', 'pahile jastai']) {
    const answer = await ask(m, m.shop.id, text);
    assert.is(answer.kind, 'DRAFT', text);
    if (answer.kind !== 'DRAFT') return;
    assert.is(answer.repeatOf?.id, last.id, 'the last order');
    assert.equal(
      answer.draft.lines.map((l) => [l.line.sku, l.line.quantity.value, l.resolvedBy]),
      [['DAL-MASOOR', 10, 'history']],
    );
    assert.is(answer.draft.total.amount, 10 * 16_000, 'priced from the live offer');
    assert.is(answer.draft.status, 'OPEN');
    assert.equal(await m.world.repos.orderDrafts.get(answer.draft.id), answer.draft, 'stored to confirm');
  }
  assert.is((await ordersOf(m, m.shop.id)).length, before, 'a repeat never places by itself');

  const again = await ask(m, m.shop.id, 'same as last week');
  if (again.kind !== 'DRAFT') throw new Error(`expected a draft, got ${again.kind}`);
  const confirmed = expectOk(
    await m.drafts.confirmDraft.execute({ draftId: again.draft.id, actor: asShop(m.shop.id) }),
  );
  assert.is(confirmed.kind, 'PLACED', 'confirming the repeat places it');
});

test('a repeat of a named order repeats that one; a shop with no orders is told there is none', async () => {
  const m = await draftMarket();
  await m.bought(m.shop.id, 'DAL-MASOOR', 10, 1);
  const first = (await ordersOf(m, m.shop.id))[0] as Order;
  await m.bought(m.shop.id, 'SUGAR', 4, 1);
  const answer = await ask(m, m.shop.id, `repeat order ${first.number}`);
  assert.is(answer.kind, 'DRAFT');
  if (answer.kind === 'DRAFT') assert.is(answer.repeatOf?.id, first.id);

  const newShop = await m.world.given.retailer();
  const none = await ask(m, newShop.id, 'same as last week');
  assert.equal(none, { kind: 'ORDER_NOT_FOUND', intent: 'repeat', reference: null });
});

test('cancel names the most recent cancellable order for the shop to confirm; it is cancelled only by CancelOrder', async () => {
  const m = await draftMarket();
  await m.bought(m.shop.id, 'DAL-MASOOR', 10, 2);
  const [latest, earlier] = (await ordersOf(m, m.shop.id)) as [Order, Order];
  const answer = await ask(m, m.shop.id, 'cancel my last order');
  assert.is(answer.kind, 'CANCEL_TO_CONFIRM');
  assert.is(orderOf(answer)?.id, latest.id);
  assert.is((await m.world.repos.orders.get(latest.id))?.status, latest.status, 'not cancelled by the question');

  const cancelled = expectOk(
    await m.world.useCases.cancelOrder.execute({
      orderId: latest.id,
      actor: asShop(m.shop.id),
      reason: 'shop confirmed its cancel message',
    }),
  );
  assert.is(cancelled.status, 'CANCELLED');
  const next = await ask(m, m.shop.id, 'order cancel garnus');
  assert.is(orderOf(next)?.id, earlier.id, 'the cancelled one is no longer offered');

  const named = await ask(m, m.shop.id, `cancel ${latest.number}`);
  assert.is(named.kind, 'NOT_CANCELLABLE', 'a cancelled order cannot be cancelled again');
});

test('cancel with nothing left to cancel names the latest order as it is, never "no orders"', async () => {
  const m = await draftMarket();
  const none = await ask(m, m.shop.id, 'cancel');
  assert.equal([none.kind, orderOf(none)], ['ORDER_NOT_FOUND', null], 'a shop with no orders at all');
  await m.bought(m.shop.id, 'DAL-MASOOR', 10, 1);
  const [only] = (await ordersOf(m, m.shop.id)) as [Order];
  expectOk(await m.world.useCases.cancelOrder.execute({ orderId: only.id, actor: asShop(m.shop.id), reason: 'test' }));
  // Seen live: a shop whose order was on its way was told "You have no orders yet."
  const answer = await ask(m, m.shop.id, 'cancel');
  assert.is(answer.kind, 'NOT_CANCELLABLE');
  assert.is(orderOf(answer)?.id, only.id);
});

test("status finds the shop's order by its number in any format, else its latest order", async () => {
  const m = await draftMarket();
  await m.bought(m.shop.id, 'DAL-MASOOR', 10, 3);
  const orders = await ordersOf(m, m.shop.id);
  const target = orders[1] as Order;
  const digits = String(Number(target.number.slice(3)));
  for (const text of [
    `where is ${target.number}?`,
    `#ORD-${digits} kaha pugyo?`,
    `#ORD${target.number.slice(3)} kaha pugyo?`,
    `order no ${digits} aayena`,
  ]) {
    const answer = await ask(m, m.shop.id, text);
    assert.is(answer.kind, 'ORDER_STATUS', text);
    assert.is(orderOf(answer)?.id, target.id, text);
  }
  const latest = await ask(m, m.shop.id, 'where is my delivery?');
  assert.is(orderOf(latest)?.id, (orders[0] as Order).id, 'no number: the latest order');
});

test("another shop's order number is not found, in any format and for any intent: never shown", async () => {
  const m = await draftMarket();
  const other = await m.world.given.retailer();
  await m.bought(other.id, 'DAL-MASOOR', 10, 1);
  await m.bought(m.shop.id, 'DAL-MASOOR', 10, 1);
  const theirs = (await ordersOf(m, other.id))[0] as Order;
  const digits = String(Number(theirs.number.slice(3)));
  for (const text of [`where is ${theirs.number}?`, `#ORD-${digits} kaha pugyo?`, `cancel ${theirs.number}`]) {
    const answer = await ask(m, m.shop.id, text);
    assert.is(answer.kind, 'ORDER_NOT_FOUND', text);
    assert.not.ok(JSON.stringify(answer).includes(theirs.id), 'nothing of the other order');
  }
  assert.is((await m.world.repos.orders.get(theirs.id))?.status, theirs.status, 'untouched');
  assert.is(orderOf(await ask(m, other.id, `where is ${theirs.number}?`))?.id, theirs.id, 'its own shop finds it');
});

test('an order message is a draft; a greeting is for the reply to answer', async () => {
  const m = await draftMarket();
  const drafted = await ask(m, m.shop.id, 'chini 2 kg');
  assert.is(drafted.kind, 'DRAFT');
  if (drafted.kind === 'DRAFT') assert.is(drafted.repeatOf, null);
  assert.equal(await ask(m, m.shop.id, 'namaste'), { kind: 'OTHER', intent: 'greeting' });
});

test.run();

test('one message, one turn: the shop the caller read is not read again, and both parses share one pinned parser', async () => {
  const m = await draftMarket();
  const local = new LocalOrderTextParser(m.catalog);
  const parses = { pinned: 0, unpinned: 0, pins: 0 };
  const parser: OrderTextParser = {
    parse: (text, context) => {
      parses.unpinned += 1;
      return local.parse(text, context);
    },
    pinned: async () => {
      parses.pins += 1;
      return {
        parse: (text, context) => {
          parses.pinned += 1;
          return local.parse(text, context);
        },
      };
    },
  };
  const drafts = createDraftUseCases(m.world.ctx, { parser, placeOrder: m.world.useCases.placeOrder });
  let retailerReads = 0;
  const retailers = m.world.ctx.repos.retailers;
  const get = retailers.get.bind(retailers);
  retailers.get = (id) => {
    retailerReads += 1;
    return get(id);
  };
  const command = { retailerId: m.shop.id, text: 'chamal 2 bora', actor: asShop(m.shop.id) };

  const answered = expectOk(await drafts.answerShopMessage.execute(command, { retailer: m.shop }));
  assert.is(answered.kind, 'DRAFT');
  assert.is(retailerReads, 0, 'the shop as the turn read it');
  assert.equal(parses, { pinned: 2, unpinned: 0, pins: 1 }, 'intent and draft on one pinned parser');

  expectOk(await drafts.answerShopMessage.execute(command));
  assert.is(retailerReads, 1, 'without it: read');
  const other = await m.world.given.retailer({ creditLimit: Money.parse('1000') });
  expectOk(await drafts.draftOrderFromText.execute(command, { retailer: other }));
  assert.is(retailerReads, 2, "another shop's record is not taken for this one");

  // The record handed in is the one checked: a shop suspended as the turn read it is refused.
  const refused = await drafts.draftOrderFromText.execute(command, { retailer: { ...m.shop, status: 'SUSPENDED' } });
  assert.is(refused.ok ? null : refused.error.code, ErrorCodes.PARTY_INACTIVE);
});

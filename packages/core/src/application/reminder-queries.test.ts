import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nepalDateOf, nepalDateOfDay, nepalDayNumber, reminderRules } from '../credit/reminder-rules.js';
import { ValidationError } from '../shared/errors.js';
import type { RetailerId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { expectOk } from '../testing/outcomes.js';
import { createTestWorld, type TestWorld } from '../testing/test-world.js';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';

const staff = { type: 'operator', id: 'op-1' } as const;

/** A retailer with one delivered order invoiced now on net terms; returns it and the invoice's Nepali due date. */
async function invoiced(world: TestWorld, netTermsDays: number): Promise<{ retailerId: RetailerId; due: string }> {
  const retailer = await world.given.retailer({ creditLimit: Money.of(5_000_000), netTermsDays });
  const vendor = await world.given.vendor();
  const product = await world.given.product();
  await world.given.offer({ vendorId: vendor.id, productId: product.id });
  const placed = expectOk(
    await world.useCases.placeOrder.execute({
      retailerId: retailer.id,
      lines: [{ productId: product.id, quantity: 2 }],
      source: 'api',
      actor: { type: 'retailer', id: retailer.id },
    }),
  );
  const orderId = placed.order.id;
  expectOk(await world.useCases.offerOrderToVendor.execute({ orderId, vendorId: vendor.id, actor: SYSTEM_ACTOR }));
  expectOk(
    await world.useCases.acceptVendorOffer.execute({
      orderId,
      vendorId: vendor.id,
      actor: { type: 'vendor', id: vendor.id },
    }),
  );
  expectOk(await world.useCases.dispatchOrder.execute({ orderId, actor: SYSTEM_ACTOR }));
  // Delivered with the shop's code, as the vendor does since proof of delivery.
  const code = await world.deliveryCode(orderId);
  expectOk(await world.useCases.deliverOrder.execute({ orderId, actor: SYSTEM_ACTOR, code }));
  const account = await world.repos.credit.get(retailer.id);
  const item = account?.openItems()[0];
  if (!item) throw new Error('no invoice');
  return { retailerId: retailer.id, due: nepalDateOf(item.dueAt) };
}

const shift = (date: string, days: number) => nepalDateOfDay(nepalDayNumber(date) + days);

test('ListInvoicesToRemind: the rule of the day with the unpaid amount, order number and due date', async () => {
  const world = createTestWorld();
  const { retailerId, due } = await invoiced(world, 15);
  const list = async (date: string) =>
    expectOk(await world.useCases.listInvoicesToRemind.execute({ date, page: { limit: 10 } })).items;
  assert.equal(
    await Promise.all([-4, -3, -1, 0, 3, 5, 7, 8].map(async (d) => (await list(shift(due, d)))[0]?.rule.name ?? null)),
    [null, 'before-3', null, 'due', 'after-3', null, 'after-7', null],
  );
  const [onDay] = await list(due);
  const order = expectOk(await world.useCases.getOrder.execute({ orderId: onDay?.orderId as never }));
  assert.is(onDay?.retailerId, retailerId);
  assert.is(onDay?.dueDate, due);
  assert.is(onDay?.orderNumber, order.number);
  assert.ok(onDay?.unpaid.equals(order.total), 'nothing paid yet: the whole invoice');
  const custom = reminderRules([1]);
  assert.is(
    expectOk(
      await world.useCases.listInvoicesToRemind.execute({ date: shift(due, 1), rules: custom, page: { limit: 5 } }),
    ).items[0]?.rule.name,
    'after-1',
    'configured rules',
  );
});

test('ListInvoicesToRemind: part-paid shows what is left; paid in full or written off never comes', async () => {
  const world = createTestWorld();
  const paid = await invoiced(world, 10);
  const part = await invoiced(world, 10);
  const writtenOff = await invoiced(world, 10);
  const owed = async (id: RetailerId) => (await world.repos.credit.get(id))?.outstanding() as Money;
  const pay = async (retailerId: RetailerId, amount: Money, reference: string) =>
    expectOk(await world.useCases.recordPayment.execute({ retailerId, amount, reference, actor: staff }));
  await pay(paid.retailerId, await owed(paid.retailerId), 'P-1');
  await pay(part.retailerId, Money.of(1_000), 'P-2');
  const left = (await owed(part.retailerId)) as Money;
  expectOk(
    await world.useCases.adjustCredit.execute({
      retailerId: writtenOff.retailerId,
      amount: (await owed(writtenOff.retailerId)).negate(),
      note: 'written off',
      reference: 'WO-1',
      actor: staff,
    }),
  );
  const items = expectOk(
    await world.useCases.listInvoicesToRemind.execute({ date: part.due, page: { limit: 10 } }),
  ).items;
  assert.equal(
    items.map((i) => [i.retailerId, i.unpaid.amount]),
    [[part.retailerId, left.amount]],
  );
});

test('ListInvoicesToRemind: a bad date, rule set or page size is refused', async () => {
  const world = createTestWorld();
  for (const query of [
    { date: '2026-02-30', page: { limit: 10 } },
    { date: '2026-02-01', rules: [], page: { limit: 10 } },
    { date: '2026-02-01', page: { limit: 0 } },
  ]) {
    try {
      await world.useCases.listInvoicesToRemind.execute(query as never);
      assert.unreachable(JSON.stringify(query));
    } catch (error) {
      assert.instance(error, ValidationError);
    }
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CreditAccount } from '../credit/credit-account.js';
import { type DomainEvent, EventTypes } from '../events/event-catalog.js';
import { requestedMessages } from '../messaging/request-message.js';
import { type DeliveryProof, newDeliveryCode } from '../order/delivery-proof.js';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { ErrorCodes } from '../shared/errors.js';
import type { OrderId, RandomSource, RetailerId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { SeededRandom } from '../shared/seeded-random.js';
import { expectFailure, expectOk } from '../testing/outcomes.js';
import { createTestWorld, type TestWorld } from '../testing/test-world.js';

const OPERATOR = { type: 'operator', id: 'op-1' } as const;

/** A shop, its vendor, and an order of it accepted by the vendor (CONFIRMED, held on credit). */
async function confirmedOrder(world: TestWorld, limit = Money.of(5_000_000)) {
  const retailer = await world.given.retailer({ creditLimit: limit, netTermsDays: 15 });
  const vendor = await world.given.vendor();
  const noodles = await world.given.product();
  await world.given.offer({ vendorId: vendor.id, productId: noodles.id, unitPrice: Money.of(2_000) });
  const placed = expectOk(
    await world.useCases.placeOrder.execute({
      retailerId: retailer.id,
      lines: [{ productId: noodles.id, quantity: 3, unit: 'packet' }],
      source: 'whatsapp',
      actor: { type: 'retailer', id: retailer.id },
    }),
  );
  const orderId = placed.order.id;
  const asVendor = { type: 'vendor', id: vendor.id } as const;
  expectOk(await world.useCases.offerOrderToVendor.execute({ orderId, vendorId: vendor.id, actor: SYSTEM_ACTOR }));
  expectOk(await world.useCases.acceptVendorOffer.execute({ orderId, vendorId: vendor.id, actor: asVendor }));
  return { retailer, vendor, orderId, asVendor, number: placed.order.number };
}

async function dispatched(world: TestWorld) {
  const o = await confirmedOrder(world);
  expectOk(await world.useCases.dispatchOrder.execute({ orderId: o.orderId, actor: o.asVendor }));
  return { ...o, code: await world.deliveryCode(o.orderId) };
}

/** Every event in the outbox, in order (claimed once: a test reads them at its end). */
async function outbox(world: TestWorld): Promise<DomainEvent[]> {
  const claimed = await world.persistence.outbox.claim({ limit: 10_000, leaseMs: 60_000, now: world.clock.now() });
  return claimed.map((m) => m.event);
}

function messagesTo(events: readonly DomainEvent[], phone: string): string[] {
  return events.flatMap((e) =>
    e.type === EventTypes.MESSAGE_SEND_REQUESTED && e.aggregateId === phone
      ? requestedMessages(e.payload).flatMap((m) =>
          m.kind === 'text' ? [m.text] : m.kind === 'buttons' ? [m.body] : [],
        )
      : [],
  );
}

async function invoicesOf(world: TestWorld, retailerId: RetailerId): Promise<number> {
  return (await world.repos.credit.listEntries(retailerId, {})).filter((e) => e.type === 'INVOICE').length;
}

test('codes are 4 digits, uniform: rejection sampling never favours the low codes', () => {
  const random = new SeededRandom(99);
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < 20_000; i++) {
    const code = newDeliveryCode(random);
    assert.match(code, /^[0-9]{4}$/);
    counts[Number(code[0])] = (counts[Number(code[0])] ?? 0) + 1;
  }
  for (const c of counts) assert.ok(c > 1_700 && c < 2_300, `first digit spread: ${counts.join(',')}`);
  // 4 bytes at the top of the range are drawn again, not folded onto "0000"–"7295".
  let calls = 0;
  const edgy: RandomSource = {
    fill(bytes) {
      calls++;
      bytes.set(calls === 1 ? [0xff, 0xff, 0xff, 0xff] : [0, 0, 0x04, 0xd2]);
      return bytes;
    },
  };
  assert.is(newDeliveryCode(edgy), '1234');
  assert.is(calls, 2);
});

test('dispatch issues a code, stored with the delivery; the shop is told it in the same transaction', async () => {
  const world = createTestWorld();
  const o = await dispatched(world);
  const proof = (await world.repos.deliveries.get(o.orderId)) as DeliveryProof;
  assert.equal([proof.status, proof.failedAttempts], ['AWAITING_CODE', 0]);
  const events = await outbox(world);
  assert.ok(events.some((e) => e.type === EventTypes.ORDER_DELIVERY_CODE_ISSUED && e.aggregateId === o.orderId));
  const codeEvent = events.find((e) => e.type === EventTypes.ORDER_DELIVERY_CODE_ISSUED);
  assert.not.ok(JSON.stringify(codeEvent?.payload).includes(o.code), 'the event never carries the code');
  const texts = messagesTo(events, o.retailer.phone.value);
  assert.equal(texts.length, 2, 'confirmed, then dispatched');
  assert.match(texts[0] ?? '', new RegExp(`Order ${o.number} is confirmed`));
  assert.match(texts[1] ?? '', new RegExp(`Order ${o.number} is on its way. Your delivery code is ${o.code}`));
  // A second dispatch is the same fact: no second code, no second message.
  expectOk(await world.useCases.dispatchOrder.execute({ orderId: o.orderId, actor: o.asVendor }));
  assert.is(await world.deliveryCode(o.orderId), o.code);
  assert.equal(messagesTo(await outbox(world), o.retailer.phone.value), [], 'nothing new');
});

test('the right code delivers and invoices; the shop is told the amount and due date; repeating changes nothing', async () => {
  const world = createTestWorld();
  const o = await dispatched(world);
  await outbox(world);
  const wrong = o.code === '0000' ? '0001' : '0000';
  const miss = expectFailure(
    await world.useCases.deliverOrder.execute({ orderId: o.orderId, actor: o.asVendor, code: wrong }),
    ErrorCodes.DELIVERY_WRONG_CODE,
  );
  assert.is(miss.details.attemptsLeft, 2);
  const delivered = expectOk(
    await world.useCases.deliverOrder.execute({ orderId: o.orderId, actor: o.asVendor, code: o.code }),
  );
  assert.is(delivered.status, 'DELIVERED');
  const proof = (await world.repos.deliveries.get(o.orderId)) as DeliveryProof;
  assert.equal([proof.status, proof.code, proof.failedAttempts], ['CONFIRMED', null, 1], 'the code is erased');
  assert.is(await invoicesOf(world, o.retailer.id), 1);
  const texts = messagesTo(await outbox(world), o.retailer.phone.value);
  assert.equal(texts.length, 1);
  assert.match(texts[0] ?? '', new RegExp(`Order ${o.number} is delivered. Invoice NPR 60.00, due \\d+ Feb 2026`));
  const again = expectOk(
    await world.useCases.deliverOrder.execute({ orderId: o.orderId, actor: o.asVendor, code: o.code }),
  );
  assert.is(again.version, delivered.version, 'same result');
  assert.is(await invoicesOf(world, o.retailer.id), 1, 'one invoice');
});

test('three wrong codes: dispute (WRONG_CODE_LIMIT), order stays DISPATCHED, no invoice, one alert event', async () => {
  const world = createTestWorld();
  const o = await dispatched(world);
  const wrong = o.code === '1111' ? '2222' : '1111';
  for (const left of [2, 1]) {
    const f = expectFailure(
      await world.useCases.deliverOrder.execute({ orderId: o.orderId, actor: o.asVendor, code: wrong }),
      ErrorCodes.DELIVERY_WRONG_CODE,
    );
    assert.is(f.details.attemptsLeft, left);
  }
  expectFailure(
    await world.useCases.deliverOrder.execute({ orderId: o.orderId, actor: o.asVendor, code: wrong }),
    ErrorCodes.DELIVERY_DISPUTED,
  );
  // The right code after the limit does not settle it: an operator does.
  expectFailure(
    await world.useCases.deliverOrder.execute({ orderId: o.orderId, actor: o.asVendor, code: o.code }),
    ErrorCodes.DELIVERY_DISPUTED,
  );
  const order = expectOk(await world.useCases.getOrder.execute({ orderId: o.orderId }));
  assert.is(order.status, 'DISPATCHED');
  assert.is(await invoicesOf(world, o.retailer.id), 0);
  const disputes = (await outbox(world)).filter((e) => e.type === EventTypes.ORDER_DELIVERY_DISPUTED);
  assert.equal(
    disputes.map((e) => (e.type === EventTypes.ORDER_DELIVERY_DISPUTED ? e.payload.reason : null)),
    ['WRONG_CODE_LIMIT'],
    'one dispute event',
  );
  const listed = expectOk(await world.useCases.listDeliveryDisputes.execute({ actor: OPERATOR }));
  assert.equal(
    listed.items.map((d) => [d.orderId, d.failedAttempts]),
    [[o.orderId, 3]],
  );
  assert.not.ok('code' in (listed.items[0] ?? {}), 'views never carry the code');
  expectFailure(await world.useCases.listDeliveryDisputes.execute({ actor: o.asVendor }), ErrorCodes.FORBIDDEN);
});

test('[Delivered] without a code opens a dispute (NO_CODE); repeating it is the same dispute', async () => {
  const world = createTestWorld();
  const o = await dispatched(world);
  await outbox(world);
  for (let i = 0; i < 2; i++) {
    const f = expectFailure(
      await world.useCases.deliverOrder.execute({ orderId: o.orderId, actor: o.asVendor }),
      ErrorCodes.DELIVERY_DISPUTED,
    );
    assert.is(f.details.reason, 'NO_CODE');
  }
  const events = await outbox(world);
  assert.is(events.filter((e) => e.type === EventTypes.ORDER_DELIVERY_DISPUTED).length, 1, 'one dispute');
  assert.is(events.filter((e) => e.type === EventTypes.ORDER_STATUS_CHANGED).length, 0, 'the order did not move');
});

test('resolve delivered: DELIVERED + invoice, audited; the same decision again is a no-op, the other is DELIVERY.SETTLED', async () => {
  const world = createTestWorld();
  const o = await dispatched(world);
  expectFailure(
    await world.useCases.resolveDeliveryDispute.execute({
      orderId: o.orderId,
      delivered: true,
      reason: 'x',
      actor: OPERATOR,
    }),
    ErrorCodes.DELIVERY_NOT_DISPUTED,
  );
  expectFailure(
    await world.useCases.deliverOrder.execute({ orderId: o.orderId, actor: o.asVendor }),
    ErrorCodes.DELIVERY_DISPUTED,
  );
  expectFailure(
    await world.useCases.resolveDeliveryDispute.execute({
      orderId: o.orderId,
      delivered: true,
      reason: 'the driver came back with the goods',
      actor: o.asVendor,
    }),
    ErrorCodes.FORBIDDEN,
  );
  const resolved = expectOk(
    await world.useCases.resolveDeliveryDispute.execute({
      orderId: o.orderId,
      delivered: true,
      reason: 'shop confirmed by phone',
      actor: OPERATOR,
    }),
  );
  assert.is(resolved.status, 'DELIVERED');
  assert.is(await invoicesOf(world, o.retailer.id), 1);
  const again = expectOk(
    await world.useCases.resolveDeliveryDispute.execute({
      orderId: o.orderId,
      delivered: true,
      reason: 'shop confirmed by phone',
      actor: OPERATOR,
    }),
  );
  assert.is(again.version, resolved.version);
  expectFailure(
    await world.useCases.resolveDeliveryDispute.execute({
      orderId: o.orderId,
      delivered: false,
      reason: 'changed my mind',
      actor: OPERATOR,
    }),
    ErrorCodes.DELIVERY_SETTLED,
  );
  const events = await outbox(world);
  const resolution = events.find((e) => e.type === EventTypes.ORDER_DELIVERY_DISPUTE_RESOLVED);
  assert.equal(
    resolution?.type === EventTypes.ORDER_DELIVERY_DISPUTE_RESOLVED
      ? [resolution.payload.delivered, resolution.payload.note]
      : null,
    [true, 'shop confirmed by phone'],
  );
});

test("the shop's not-received: own order only; resolved not delivered → CANCELLED, hold released, shop told", async () => {
  const world = createTestWorld();
  const o = await dispatched(world);
  const stranger = await world.given.retailer();
  expectFailure(
    await world.useCases.reportDeliveryNotReceived.execute({
      orderId: o.orderId,
      actor: { type: 'retailer', id: stranger.id },
    }),
    ErrorCodes.NOT_FOUND,
  );
  const view = expectOk(
    await world.useCases.reportDeliveryNotReceived.execute({
      orderId: o.orderId,
      actor: { type: 'retailer', id: o.retailer.id },
      note: 'सामान आएन',
    }),
  );
  assert.equal([view.status, view.dispute?.reason, view.dispute?.note], ['DISPUTED', 'NOT_RECEIVED', 'सामान आएन']);
  const twice = expectOk(
    await world.useCases.reportDeliveryNotReceived.execute({
      orderId: o.orderId,
      actor: { type: 'retailer', id: o.retailer.id },
    }),
  );
  assert.equal(twice.dispute, view.dispute, 'the same dispute');
  let account = (await world.repos.credit.get(o.retailer.id)) as CreditAccount;
  assert.is(account.held().amount, 6_000);
  await outbox(world);

  const cancelled = expectOk(
    await world.useCases.resolveDeliveryDispute.execute({
      orderId: o.orderId,
      delivered: false,
      reason: 'goods went to another shop',
      actor: OPERATOR,
    }),
  );
  assert.is(cancelled.status, 'CANCELLED');
  assert.equal(cancelled.statusLog.at(-1)?.reason, 'goods went to another shop');
  account = (await world.repos.credit.get(o.retailer.id)) as CreditAccount;
  assert.is(account.held().amount, 0, 'the hold is released');
  assert.is(await invoicesOf(world, o.retailer.id), 0);
  const texts = messagesTo(await outbox(world), o.retailer.phone.value);
  assert.equal(texts, [`Order ${o.number} is cancelled: goods went to another shop.`]);
  // A vendor may not claim the shop's word.
  const other = await dispatched(world);
  let refused = false;
  try {
    await world.useCases.reportDeliveryNotReceived.execute({ orderId: other.orderId, actor: other.asVendor });
  } catch (error) {
    refused = (error as { code?: string }).code === ErrorCodes.FORBIDDEN;
  }
  assert.ok(refused, 'a vendor cannot report for the shop');
});

test('staff deliver without the code only with a reason: an override, recorded as its own event', async () => {
  const world = createTestWorld();
  const o = await dispatched(world);
  await outbox(world);
  let threw = false;
  try {
    await world.useCases.deliverOrder.execute({ orderId: o.orderId, actor: OPERATOR });
  } catch (error) {
    threw = (error as { code?: string }).code === ErrorCodes.TEXT_REQUIRED;
  }
  assert.ok(threw, 'no reason: refused before the transaction');
  const delivered = expectOk(
    await world.useCases.deliverOrder.execute({ orderId: o.orderId, actor: OPERATOR, reason: 'signed delivery note' }),
  );
  assert.is(delivered.status, 'DELIVERED');
  const proof = (await world.repos.deliveries.get(o.orderId)) as DeliveryProof;
  assert.equal(
    [proof.status, proof.snapshot().confirmedAs, proof.snapshot().settlementNote],
    ['CONFIRMED', 'OVERRIDE', 'signed delivery note'],
  );
  const overrides = (await outbox(world)).filter((e) => e.type === EventTypes.ORDER_DELIVERY_OVERRIDDEN);
  assert.is(overrides.length, 1);
});

test('an order dispatched before codes existed (no proof) is delivered as before', async () => {
  const world = createTestWorld();
  const o = await dispatched(world);
  // As a row from before the migration: no proof.
  await world.persistence.store.transaction(async (tx) => tx.delete('delivery_proofs', o.orderId));
  assert.is(await world.repos.deliveries.get(o.orderId as OrderId), null);
  const delivered = expectOk(await world.useCases.deliverOrder.execute({ orderId: o.orderId, actor: o.asVendor }));
  assert.is(delivered.status, 'DELIVERED');
});

test.run();

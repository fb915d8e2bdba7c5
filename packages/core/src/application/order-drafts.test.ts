import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeDraft } from '../order/draft-reply.js';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { DomainError, ErrorCodes } from '../shared/errors.js';
import type { DraftId, RetailerId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { draftMarket } from '../testing/draft-market.js';
import { expectFailure, expectOk } from '../testing/outcomes.js';
import { createTestWorld } from '../testing/test-world.js';

async function thrownCode(work: () => Promise<unknown>): Promise<string | null> {
  try {
    await work();
    return null;
  } catch (e) {
    return DomainError.is(e) ? e.code : 'not a domain error';
  }
}

const asShop = (id: RetailerId) => ({ type: 'retailer', id }) as const;

test("a generic word is the shop's usual product, priced, with the credit before and after", async () => {
  const m = await draftMarket();
  await m.bought(m.shop.id, 'DAL-MASOOR', 10, 3);
  const draft = expectOk(
    await m.drafts.draftOrderFromText.execute({ retailerId: m.shop.id, text: 'dal 5 kg', actor: asShop(m.shop.id) }),
  );
  assert.is(draft.lines.length, 1);
  const [line] = draft.lines;
  assert.is(line?.line.sku, 'DAL-MASOOR');
  assert.is(line?.resolvedBy, 'history');
  assert.is(line?.line.lineTotal.amount, 5 * 16_000);
  assert.is(draft.total.amount, 80_000);
  // Limit NPR 100,000; three earlier orders of 10 kg (NPR 1,600 each) are still routing.
  assert.is(draft.availableBefore.amount, 10_000_000 - 3 * 160_000);
  assert.is(draft.availableAfter.amount, draft.availableBefore.amount - 80_000);
  assert.is(draft.expiresAt.getTime() - draft.createdAt.getTime(), 30 * 60_000, 'default expiry');
  assert.match(describeDraft(draft), /Masoor Dal \(your usual\): 5 kg × NPR 160\.00 = NPR 800\.00/);
  assert.equal(await m.world.repos.orderDrafts.get(draft.id), draft, 'stored');
});

test("without history a generic word asks with choices; the catalog's default answers it", async () => {
  const m = await draftMarket();
  const asked = expectOk(
    await m.drafts.draftOrderFromText.execute({
      retailerId: m.shop.id,
      text: 'dal 5 kg\nchini 2 kg',
      actor: asShop(m.shop.id),
    }),
  );
  assert.is(asked.lines.length, 1, 'sugar is priced');
  assert.is(asked.questions.length, 1);
  assert.is(asked.questions[0]?.reason, 'AMBIGUOUS_PRODUCT');
  assert.is(asked.questions[0]?.choices.length, 3, 'the top three');
  assert.is(asked.total.amount, 2 * 11_000, 'a question is not part of the total');

  await m.world.repos.catalogDefaults.set('dal', m.product('DAL-MOONG').id);
  const answered = expectOk(
    await m.drafts.draftOrderFromText.execute({ retailerId: m.shop.id, text: 'dal 5 kg', actor: asShop(m.shop.id) }),
  );
  assert.is(answered.lines[0]?.line.sku, 'DAL-MOONG');
  assert.is(answered.lines[0]?.resolvedBy, 'default');
});

test('pack size × count: "chamal 25kg x 4" is 4 bags, priced per bag', async () => {
  const m = await draftMarket();
  const draft = expectOk(
    await m.drafts.draftOrderFromText.execute({
      retailerId: m.shop.id,
      text: 'chamal 25kg x 4',
      actor: asShop(m.shop.id),
    }),
  );
  const line = draft.lines[0]?.line;
  assert.is(line?.sku, 'RICE-MANSULI');
  assert.is(`${line?.quantity}`, '4 bag');
  assert.is(line?.unitPrice.amount, 25 * 9_000);
  assert.is(draft.total.amount, 4 * 25 * 9_000);
});

test('confirming places once: twice, and concurrently, is one order', async () => {
  const m = await draftMarket();
  const draft = expectOk(
    await m.drafts.draftOrderFromText.execute({ retailerId: m.shop.id, text: 'chini 10 kg', actor: asShop(m.shop.id) }),
  );
  const [a, b] = await Promise.all([
    m.drafts.confirmDraft.execute({ draftId: draft.id, actor: asShop(m.shop.id) }),
    m.drafts.confirmDraft.execute({ draftId: draft.id, actor: asShop(m.shop.id) }),
  ]);
  const first = expectOk(a);
  const second = expectOk(b);
  const third = expectOk(await m.drafts.confirmDraft.execute({ draftId: draft.id, actor: asShop(m.shop.id) }));
  if (first.kind !== 'PLACED' || second.kind !== 'PLACED' || third.kind !== 'PLACED') {
    return assert.unreachable('placed');
  }
  assert.is(first.order.status, 'ROUTING');
  assert.is(second.order.id, first.order.id);
  assert.is(third.order.id, first.order.id);
  assert.equal([first.repeated, second.repeated, third.repeated], [false, true, true]);
  const orders = expectOk(
    await m.world.useCases.listOrders.execute({ filter: { retailerId: m.shop.id }, page: { limit: 10 } }),
  );
  assert.is(orders.items.length, 1);
  assert.is((await m.world.repos.orderDrafts.get(draft.id))?.orderId, first.order.id);
});

test('a changed price is not placed: the answer is a fresh draft, which confirms', async () => {
  const m = await draftMarket();
  const draft = expectOk(
    await m.drafts.draftOrderFromText.execute({ retailerId: m.shop.id, text: 'chini 10 kg', actor: asShop(m.shop.id) }),
  );
  await m.world.useCases.upsertVendorOffer.execute({
    vendorId: m.vendor.id,
    productId: m.product('SUGAR').id,
    unit: 'kg',
    unitPrice: Money.of(11_500),
    stockOnHand: 100_000,
    minOrderQty: 1,
    leadTimeHours: 24,
    actor: SYSTEM_ACTOR,
  });
  const changed = expectOk(await m.drafts.confirmDraft.execute({ draftId: draft.id, actor: asShop(m.shop.id) }));
  if (changed.kind !== 'PRICES_CHANGED') return assert.unreachable('prices changed');
  assert.equal(
    changed.changes.map((c) => [c.sku, c.before.amount, c.after?.amount]),
    [['SUGAR', 110_000, 115_000]],
  );
  assert.is(changed.draft.total.amount, 115_000);
  assert.is.not(changed.draft.id, draft.id);
  assert.is((await m.world.repos.orderDrafts.get(draft.id))?.status, 'SUPERSEDED');
  const orders = await m.world.useCases.listOrders.execute({ filter: {}, page: { limit: 10 } });
  assert.is(expectOk(orders).items.length, 0, 'nothing placed');

  const again = expectOk(await m.drafts.confirmDraft.execute({ draftId: draft.id, actor: asShop(m.shop.id) }));
  assert.is(again.kind === 'PRICES_CHANGED' ? again.draft.id : null, changed.draft.id, 'the same fresh draft');

  const placed = expectOk(await m.drafts.confirmDraft.execute({ draftId: changed.draft.id, actor: asShop(m.shop.id) }));
  assert.is(placed.kind === 'PLACED' ? placed.order.total.amount : null, 115_000);
});

test('over the limit: confirmed into a CREDIT_LIMIT hold, with a reduced draft that fits', async () => {
  const m = await draftMarket({ creditLimit: Money.parse('5000') });
  const draft = expectOk(
    await m.drafts.draftOrderFromText.execute({
      retailerId: m.shop.id,
      text: 'chini 20 kg\nchamal 25kg x 2',
      actor: asShop(m.shop.id),
    }),
  );
  // Sugar 20 × 110 = 2,200; rice 2 bags × 2,250 = 4,500; total 6,700 over 5,000.
  assert.is(draft.total.amount, 670_000);
  assert.is(draft.availableAfter.amount, 500_000 - 670_000);
  assert.match(describeDraft(draft), /Over your available credit/);
  const r = expectOk(await m.drafts.confirmDraft.execute({ draftId: draft.id, actor: asShop(m.shop.id) }));
  if (r.kind !== 'PLACED') return assert.unreachable('placed');
  assert.is(r.order.status, 'ON_HOLD');
  assert.is(r.placed?.holdReason, 'CREDIT_LIMIT');
  const fits = r.orderWhatFits;
  if (!fits) return assert.unreachable('something fits');
  // Sugar whole (2,200), then the most whole bags of rice within 2,800: one (2,250).
  assert.equal(
    fits.lines.map((l) => [l.line.sku, `${l.line.quantity}`]),
    [
      ['SUGAR', '20 kg'],
      ['RICE-MANSULI', '1 bag'],
    ],
  );
  assert.is(fits.total.amount, 445_000);
  assert.is(fits.availableAfter.amount, 55_000);
  assert.is(fits.replacesOrderId, r.order.id);

  const reduced = expectOk(await m.drafts.confirmDraft.execute({ draftId: fits.id, actor: asShop(m.shop.id) }));
  if (reduced.kind !== 'PLACED') return assert.unreachable('placed');
  assert.is(reduced.order.status, 'ROUTING');
  const held = expectOk(await m.world.useCases.getOrder.execute({ orderId: r.order.id }));
  assert.is(held.status, 'CANCELLED', 'the held order is replaced by what fits');
});

test('the other way on: the held order waits for an operator, who approves it (an override: with a reason)', async () => {
  const m = await draftMarket({ creditLimit: Money.parse('1000') });
  const draft = expectOk(
    await m.drafts.draftOrderFromText.execute({ retailerId: m.shop.id, text: 'chini 20 kg', actor: asShop(m.shop.id) }),
  );
  const r = expectOk(await m.drafts.confirmDraft.execute({ draftId: draft.id, actor: asShop(m.shop.id) }));
  if (r.kind !== 'PLACED' || !r.orderWhatFits) return assert.unreachable('held, with what fits');
  const bare = await m.world.useCases.reviewHeldOrder.execute({
    orderId: r.order.id,
    decision: 'APPROVE',
    actor: { type: 'operator', id: 'op-1' },
  });
  assert.equal(expectFailure(bare, ErrorCodes.CREDIT_LIMIT_EXCEEDED).details, {
    requested: r.order.total.amount,
    available: 100_000,
    currency: 'NPR',
  });
  expectOk(
    await m.world.useCases.reviewHeldOrder.execute({
      orderId: r.order.id,
      decision: 'APPROVE',
      reason: 'known shop, pays weekly',
      actor: { type: 'operator', id: 'op-1' },
    }),
  );
  // The reduced draft no longer has a held order to replace.
  const stale = await m.drafts.confirmDraft.execute({ draftId: r.orderWhatFits.id, actor: asShop(m.shop.id) });
  expectFailure(stale, ErrorCodes.DRAFT_STALE);
});

test('a held-for-credit order that fits now (the limit was raised) is approved without an override', async () => {
  const world = createTestWorld();
  const m = await draftMarket({ creditLimit: Money.parse('1000'), world });
  const draft = expectOk(
    await m.drafts.draftOrderFromText.execute({ retailerId: m.shop.id, text: 'chini 20 kg', actor: asShop(m.shop.id) }),
  );
  const r = expectOk(await m.drafts.confirmDraft.execute({ draftId: draft.id, actor: asShop(m.shop.id) }));
  if (r.kind !== 'PLACED') return assert.unreachable('held');
  const operator = { type: 'operator', id: 'op-1' } as const;
  expectOk(
    await m.world.useCases.setCreditLimit.execute({
      retailerId: m.shop.id,
      limit: Money.parse('10000'),
      reason: 'raised after the visit',
      actor: operator,
    }),
  );
  const approved = expectOk(
    await m.world.useCases.reviewHeldOrder.execute({ orderId: r.order.id, decision: 'APPROVE', actor: operator }),
  );
  assert.is(approved.status, 'ROUTING');
  assert.is(approved.statusLog.at(-1)?.reason, 'fits the available credit now');
  const claimed = await world.persistence.outbox.claim({ limit: 500, leaseMs: 60_000, now: world.clock.now() });
  assert.not.ok(
    claimed.some((c) => c.event.type === 'credit.limit_overridden'),
    'no override recorded',
  );
});

test('an expired draft is a clear error; the expiry is configurable', async () => {
  const m = await draftMarket({ settings: { ttlMs: 5 * 60_000 } });
  const draft = expectOk(
    await m.drafts.draftOrderFromText.execute({ retailerId: m.shop.id, text: 'chini 10 kg', actor: asShop(m.shop.id) }),
  );
  assert.is(draft.expiresAt.getTime() - draft.createdAt.getTime(), 5 * 60_000);
  m.world.clock.advance(5 * 60_000);
  const r = await m.drafts.confirmDraft.execute({ draftId: draft.id, actor: asShop(m.shop.id) });
  assert.is(expectFailure(r, ErrorCodes.DRAFT_EXPIRED).details.draftId, draft.id);
  // Housekeeping keeps it for the retention, then deletes it.
  assert.equal(expectOk(await m.drafts.purgeExpiredDrafts.execute({ retentionMs: 60_000 })), { drafts: 0 });
  m.world.clock.advance(60_001);
  assert.equal(expectOk(await m.drafts.purgeExpiredDrafts.execute({ retentionMs: 60_000 })), { drafts: 1 });
  assert.is(await m.world.repos.orderDrafts.get(draft.id), null);
});

test('refusals: not an order, another shop, an unknown or malformed draft', async () => {
  const m = await draftMarket();
  const other = await m.world.given.retailer();
  const greeting = await m.drafts.draftOrderFromText.execute({
    retailerId: m.shop.id,
    text: 'namaste dai',
    actor: asShop(m.shop.id),
  });
  assert.is(expectFailure(greeting, ErrorCodes.DRAFT_NOTHING_TO_ORDER).details.intent, 'greeting');
  expectFailure(
    await m.drafts.draftOrderFromText.execute({ retailerId: m.shop.id, text: 'chini 1 kg', actor: asShop(other.id) }),
    ErrorCodes.FORBIDDEN,
  );
  const draft = expectOk(
    await m.drafts.draftOrderFromText.execute({ retailerId: m.shop.id, text: 'chini 1 kg', actor: asShop(m.shop.id) }),
  );
  expectFailure(
    await m.drafts.confirmDraft.execute({ draftId: draft.id, actor: asShop(other.id) }),
    ErrorCodes.FORBIDDEN,
  );
  expectFailure(
    await m.drafts.confirmDraft.execute({ draftId: m.world.ids.next() as DraftId, actor: SYSTEM_ACTOR }),
    ErrorCodes.NOT_FOUND,
  );
  // Malformed commands are caller bugs: thrown before any transaction, one code each.
  assert.is(
    await thrownCode(() => m.drafts.confirmDraft.execute({ draftId: 'nope' as DraftId, actor: SYSTEM_ACTOR })),
    ErrorCodes.INVALID_ID,
  );
  assert.is(
    await thrownCode(() =>
      m.drafts.draftOrderFromText.execute({ retailerId: m.shop.id, text: ' ', actor: SYSTEM_ACTOR }),
    ),
    ErrorCodes.TEXT_REQUIRED,
  );
  const questionsOnly = expectOk(
    await m.drafts.draftOrderFromText.execute({ retailerId: m.shop.id, text: 'dal 5 kg', actor: SYSTEM_ACTOR }),
  );
  const r = await m.drafts.confirmDraft.execute({ draftId: questionsOnly.id, actor: SYSTEM_ACTOR });
  assert.is(expectFailure(r, ErrorCodes.DRAFT_NOTHING_TO_ORDER).details.questions, 1);
});

test.run();

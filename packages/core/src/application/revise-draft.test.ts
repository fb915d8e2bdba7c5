import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { ErrorCodes } from '../shared/errors.js';
import type { ProductId, RetailerId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { draftMarket } from '../testing/draft-market.js';
import { expectFailure, expectOk } from '../testing/outcomes.js';

const asShop = (id: RetailerId) => ({ type: 'retailer', id }) as const;

async function askedDal() {
  const m = await draftMarket();
  const draft = expectOk(
    await m.drafts.draftOrderFromText.execute({
      retailerId: m.shop.id,
      text: 'dal 5 kg\nchini 2 kg',
      actor: asShop(m.shop.id),
    }),
  );
  assert.is(draft.questions.length, 1, 'the generic dal is a question');
  return { m, draft };
}

test("choosing one of a question's choices revises the draft, priced again from today's offers", async () => {
  const { m, draft } = await askedDal();
  const choice = draft.questions[0]?.choices[1];
  if (!choice) return assert.unreachable('a second choice');
  // Sugar's price moved after the draft: the revision prices every line again.
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
  const revised = expectOk(
    await m.drafts.reviseDraft.execute({
      draftId: draft.id,
      question: 0,
      productId: choice.productId,
      actor: asShop(m.shop.id),
    }),
  );
  assert.is.not(revised.id, draft.id, 'a fresh draft');
  assert.equal(revised.questions, [], 'the question is answered');
  const dal = revised.lines.find((l) => l.line.productId === choice.productId);
  assert.is(dal?.line.quantity.value, 5, "the question's quantity");
  assert.is(dal?.resolvedBy, 'match');
  const sugar = revised.lines.find((l) => l.line.sku === 'SUGAR');
  assert.is(sugar?.line.lineTotal.amount, 2 * 11_500, "today's price");
  assert.is(revised.total.amount, (dal?.line.lineTotal.amount ?? 0) + 2 * 11_500);
  assert.is(revised.availableAfter.amount, revised.availableBefore.amount - revised.total.amount);
  const old = await m.world.repos.orderDrafts.get(draft.id);
  assert.is(old?.status, 'SUPERSEDED');
  assert.is(old?.supersededBy, revised.id);

  const again = expectOk(
    await m.drafts.reviseDraft.execute({
      draftId: draft.id,
      question: 0,
      productId: choice.productId,
      actor: asShop(m.shop.id),
    }),
  );
  assert.is(again.id, revised.id, 'answered again: the same revision');

  const placed = expectOk(await m.drafts.confirmDraft.execute({ draftId: revised.id, actor: asShop(m.shop.id) }));
  assert.is(placed.kind, 'PLACED');
  if (placed.kind === 'PLACED') assert.is(placed.order.lines.length, 2);
});

test('only an offered choice, of an open draft of this shop, revises it', async () => {
  const { m, draft } = await askedDal();
  const offered = new Set(draft.questions[0]?.choices.map((c) => c.productId));
  const notOffered = m.catalog.find((p) => !offered.has(p.id))?.id as ProductId;
  const revise = (productId: ProductId, question = 0, retailerId: RetailerId = m.shop.id) =>
    m.drafts.reviseDraft.execute({ draftId: draft.id, question, productId, actor: asShop(retailerId) });
  expectFailure(await revise(notOffered), ErrorCodes.INVALID_COMMAND);
  expectFailure(await revise([...offered][0] as ProductId, 3), ErrorCodes.INVALID_COMMAND);
  const other = await m.world.given.retailer();
  expectFailure(await revise([...offered][0] as ProductId, 0, other.id), ErrorCodes.FORBIDDEN);
  assert.is((await m.world.repos.orderDrafts.get(draft.id))?.status, 'OPEN', 'refused answers change nothing');

  m.world.clock.advance(31 * 60_000);
  expectFailure(await revise([...offered][0] as ProductId), ErrorCodes.DRAFT_EXPIRED);
});

test('a question about the quantity ("chamal -2 bora", "chamal 1e9 bora") offers no product to pick: a pick would order a quantity the shop never wrote', async () => {
  // Seen live: "chamal -2 bora" came back as a list of rices; picking Mansuli drafted 2 bags,
  // and "chamal 1e9 bora" drafted 1 bag.
  const m = await draftMarket();
  for (const text of ['chamal -2 bora', 'chamal 1e9 bora']) {
    const draft = expectOk(
      await m.drafts.draftOrderFromText.execute({ retailerId: m.shop.id, text, actor: asShop(m.shop.id) }),
    );
    assert.is(draft.lines.length, 0, text);
    const [question] = draft.questions;
    assert.ok(
      question?.reason === 'UNCLEAR_QUANTITY' || question?.reason === 'MISSING_QUANTITY',
      `${text}: ${question?.reason}`,
    );
    assert.equal(question?.choices, [], `${text}: no product choices`);
    // A forged pick of the product it named is refused.
    expectFailure(
      await m.drafts.reviseDraft.execute({
        draftId: draft.id,
        question: 0,
        productId: m.product('RICE-MANSULI').id,
        actor: asShop(m.shop.id),
      }),
      ErrorCodes.INVALID_COMMAND,
    );
  }
});

test('a line that cannot be priced as written ("chamal 0 bora", more than any stock) offers no pick of the product that failed', async () => {
  // Seen live: picking Mansuli again for "chamal 99999999999 bora" failed the same way, and a
  // pick for "chamal 0 bora" answered "order not understood".
  const m = await draftMarket();
  for (const [text, reason] of [
    ['chamal 0 bora', 'INVALID_QUANTITY'],
    ['chamal 99999999 bora', 'OUT_OF_STOCK'],
  ] as const) {
    const draft = expectOk(
      await m.drafts.draftOrderFromText.execute({ retailerId: m.shop.id, text, actor: asShop(m.shop.id) }),
    );
    const [question] = draft.questions;
    assert.is(question?.reason, reason, text);
    const mansuli = m.product('RICE-MANSULI').id;
    assert.not.ok(
      question?.choices.some((c) => c.productId === mansuli),
      `${text}: the product that failed is not offered again`,
    );
    if (reason === 'INVALID_QUANTITY')
      assert.equal(question?.choices, [], `${text}: no other product fixes a quantity`);
  }
});

test.run();

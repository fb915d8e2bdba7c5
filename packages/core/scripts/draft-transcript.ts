/**
 * Five drafts end to end, in memory, printed as the shop would read them: a generic word with
 * history, one without, pack size × count, over the credit limit, and a price changed before
 * confirming. `npm run drafts:transcript -w @khaacho/core`
 */
import { describeDraft, Money, type OrderDraft, type RetailerId, SYSTEM_ACTOR } from '../src/index.js';
import { draftMarket, expectOk } from '../src/testing/index.js';

const m = await draftMarket({ creditLimit: Money.parse('100000') });
const out: string[] = [];
const say = (s = '') => out.push(s);
const shop = async (name: string, creditLimit = Money.parse('100000')) =>
  (await m.world.given.retailer({ name, creditLimit })).id;
const draft = async (retailerId: RetailerId, text: string): Promise<OrderDraft> => {
  say(`> ${text.replaceAll('\n', ' / ')}`);
  const d = expectOk(
    await m.drafts.draftOrderFromText.execute({ retailerId, text, actor: { type: 'retailer', id: retailerId } }),
  );
  say(describeDraft(d));
  return d;
};
const confirm = async (d: OrderDraft) => {
  say(`> confirm ${d.id.slice(-8)}`);
  const r = expectOk(
    await m.drafts.confirmDraft.execute({ draftId: d.id, actor: { type: 'retailer', id: d.retailerId } }),
  );
  if (r.kind === 'PRICES_CHANGED') {
    for (const c of r.changes)
      say(`  price changed: ${c.name} ${c.before.format()} → ${c.after?.format() ?? 'unavailable'}`);
    say('  nothing placed; a fresh draft to confirm:');
    say(describeDraft(r.draft).replace(/^/gm, '  '));
    return r;
  }
  const reason = r.placed?.holdReason ? ` (${r.placed.holdReason}: ${r.placed.reasons.join('; ')})` : '';
  say(`  order ${r.order.number} ${r.order.status}${reason}, total ${r.order.total.format()}`);
  if (r.orderWhatFits) {
    say('  choose: 1) order what fits  2) send to an operator for approval (nothing to do: it waits for them)');
    say(describeDraft(r.orderWhatFits).replace(/^/gm, '  '));
  }
  return r;
};

await m.world.repos.catalogDefaults.set('dal', m.product('DAL-MASOOR').id);

say('## 1. A generic word, with history (the shop bought Moong Dal three times)');
const usual = await shop('Ram Kirana');
await m.bought(usual, 'DAL-MOONG', 10, 3);
await confirm(await draft(usual, 'dal 5 kg'));

say('\n## 2. A generic word, without history (the catalog default; a word with no default asks)');
await draft(await shop('Sita Pasal'), 'dal 5 kg\nbiscuit 2 packet');

say('\n## 3. Pack size × count');
await draft(await shop('Hari Store'), 'chamal 25kg x 4\ntori tel 1L x 12');

say('\n## 4. Over the credit limit (NPR 5,000): held, not rejected');
const small = await shop('Gita Traders', Money.parse('5000'));
const held = await confirm(await draft(small, 'chini 20 kg\nchamal 25kg x 2'));
if (held.kind === 'PLACED' && held.orderWhatFits) {
  say('  the shop chooses 1)');
  await confirm(held.orderWhatFits);
}

say('\n## 5. A price changed before confirming');
const late = await draft(await shop('Laxmi Suppliers'), 'chini 10 kg');
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
say('  (the vendor raises sugar from NPR 110.00 to NPR 115.00 a kg)');
const changed = await confirm(late);
if (changed.kind === 'PRICES_CHANGED') await confirm(changed.draft);

console.log(out.join('\n'));

import { expectOk } from '../testing/outcomes.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultRiskRules } from '../engines/risk/default-risk-rules.js';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { Money } from '../shared/money.js';
import { createTestWorld } from '../testing/test-world.js';

const OPERATOR = { type: 'operator', id: 'op-1' } as const;

test('issue 8 #12: every event the aggregates and use cases raise reads back from the outbox as a catalog event', async () => {
  const world = createTestWorld();
  const { useCases: uc, given } = world;
  const retailer = await given.retailer({ creditLimit: Money.of(5_000_000), netTermsDays: 15 });
  const vendor = await given.vendor();
  const other = await given.vendor();
  const noodles = await given.product();
  await given.product({ sku: noodles.sku, name: 'Wai Wai Noodles 75 g' });
  await given.offer({ vendorId: vendor.id, productId: noodles.id });
  await given.offer({ vendorId: vendor.id, productId: noodles.id, unitPrice: Money.of(2_100) });
  await given.offer({ vendorId: vendor.id, productId: noodles.id, unitPrice: Money.of(2_100), stockOnHand: 900 });
  await given.offer({ vendorId: other.id, productId: noodles.id });

  const placed = await uc.placeOrder.execute({
    retailerId: retailer.id,
    lines: [{ productId: noodles.id, quantity: 2, unit: 'carton' }],
    source: 'whatsapp',
    actor: { type: 'retailer', id: retailer.id },
  });
  if (!placed.ok) throw new Error(`place failed: ${JSON.stringify(placed.error)}`);
  const id = placed.value.order.id;
  expectOk(await uc.offerOrderToVendor.execute({ orderId: id, vendorId: other.id, actor: SYSTEM_ACTOR }));
  expectOk(
    await uc.rejectVendorOffer.execute({
      orderId: id,
      vendorId: other.id,
      reason: 'no stock',
      actor: { type: 'vendor', id: other.id },
    }),
  );
  expectOk(await uc.offerOrderToVendor.execute({ orderId: id, vendorId: vendor.id, manual: true, actor: OPERATOR }));
  expectOk(
    await uc.acceptVendorOffer.execute({ orderId: id, vendorId: vendor.id, actor: { type: 'vendor', id: vendor.id } }),
  );
  expectOk(await uc.dispatchOrder.execute({ orderId: id, actor: { type: 'vendor', id: vendor.id } }));
  expectOk(
    await uc.deliverOrder.execute({
      orderId: id,
      actor: { type: 'vendor', id: vendor.id },
      code: await world.deliveryCode(id),
    }),
  );
  expectOk(
    await uc.adjustCredit.execute({
      retailerId: retailer.id,
      amount: Money.of(-1_000),
      note: 'damaged packet',
      reference: 'CN-1',
      actor: OPERATOR,
    }),
  );
  expectOk(
    await uc.recordPayment.execute({
      retailerId: retailer.id,
      amount: Money.of(500_000),
      reference: 'E-1',
      actor: OPERATOR,
    }),
  );
  expectOk(
    await uc.setCreditLimit.execute({
      retailerId: retailer.id,
      limit: Money.of(6_000_000),
      reason: 'agreed',
      actor: OPERATOR,
    }),
  );
  expectOk(
    await uc.setCreditLimit.execute({ retailerId: retailer.id, limit: 'scoring', reason: 'back', actor: OPERATOR }),
  );
  expectOk(
    await uc.recalculateCreditScore.execute({ retailerId: retailer.id, trigger: 'MANUAL', actor: SYSTEM_ACTOR }),
  );
  const [rule] = defaultRiskRules('NPR');
  expectOk(await uc.manageRiskRules.execute({ rule: { ...rule, enabled: false }, actor: OPERATOR }));

  const now = world.clock.now();
  const claimed = await world.persistence.outbox.claim({ limit: 1_000, leaseMs: 60_000, now });
  const stats = await world.persistence.outbox.stats(now);
  assert.is(stats.failing, 0, 'no raised event was refused as unreadable');
  assert.is(stats.pending, claimed.length, 'every stored event was handed out');
  const seen = new Set(claimed.map((m) => m.event.type));
  for (const type of [
    'retailer.registered',
    'vendor.registered',
    'product.created',
    'product.updated',
    'offer.updated',
    'offer.price_changed',
    'order.placed',
    'order.status_changed',
    'order.offered',
    'order.offer_rejected',
    'credit.hold_placed',
    'credit.hold_released',
    'credit.invoice_issued',
    'credit.adjusted',
    'credit.payment_recorded',
    'credit.limit_changed',
    'credit.limit_released_to_scoring',
    'credit.score_calculated',
    'risk.rule_saved',
  ]) {
    assert.ok(seen.has(type as never), `${type} raised and read back`);
  }
});

test.run();

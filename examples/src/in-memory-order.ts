// The shortest way in: the whole core wired in memory, one order placed.
import { Money, SYSTEM_ACTOR } from '@khaacho/core';
import { createTestWorld } from '@khaacho/core/testing';

const world = createTestWorld();
const shop = await world.given.retailer({ creditLimit: Money.parse('50000') });
const vendor = await world.given.vendor();
const noodles = await world.given.product({ sku: 'WAIWAI-75', name: 'Wai Wai 75g' });
await world.given.offer({ vendorId: vendor.id, productId: noodles.id, unitPrice: Money.parse('20') });

const placed = await world.useCases.placeOrder.execute({
  retailerId: shop.id,
  lines: [{ sku: 'WAIWAI-75', quantity: 2, unit: 'carton' }],
  source: 'whatsapp',
  actor: SYSTEM_ACTOR,
});
if (!placed.ok) throw new Error(`order refused: ${placed.error.code}`);
console.log(placed.value.order.number, placed.value.status, placed.value.order.total.format());

// The shortest way in: the whole core wired in memory, a retailer onboarded, one order placed.
import { Money, PhoneNumber } from '@khaacho/core';
import { createTestWorld, expectOk } from '@khaacho/core/testing';

const world = createTestWorld();
const operator = { type: 'operator', id: 'op-1' } as const;
const vendor = await world.given.vendor();
const noodles = await world.given.product({ sku: 'WAIWAI-75', name: 'Wai Wai 75g' });
await world.given.offer({ vendorId: vendor.id, productId: noodles.id, unitPrice: Money.parse('20') });

// A retailer signs up (PENDING_KYC) and may order once an operator approves it.
const shop = expectOk(
  await world.useCases.registerRetailer.execute({
    name: 'Sita Kirana Pasal',
    phone: PhoneNumber.parse('9841000001'),
    area: 'kathmandu-10',
    district: 'kathmandu',
    creditLimit: Money.parse('50000'),
    actor: { type: 'retailer', id: null },
  }),
);
const approved = await world.useCases.approveRetailer.execute({
  retailerId: shop.id,
  reason: 'citizenship and PAN checked',
  actor: operator,
});
if (!approved.ok) throw new Error(`approval refused: ${approved.error.code}`);

const placed = await world.useCases.placeOrder.execute({
  retailerId: shop.id,
  lines: [{ sku: 'WAIWAI-75', quantity: 2, unit: 'carton' }],
  source: 'whatsapp',
  actor: { type: 'retailer', id: shop.id },
});
if (!placed.ok) throw new Error(`order refused: ${placed.error.code}`);
console.log(approved.value.status, placed.value.order.number, placed.value.status, placed.value.order.total.format());

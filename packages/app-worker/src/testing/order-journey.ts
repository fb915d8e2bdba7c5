// Test helpers for this package (excluded from the build).
import { Writable } from 'node:stream';
import {
  CLOCK,
  Money,
  type OrderId,
  OUTBOX,
  PhoneNumber,
  REPOSITORIES,
  SYSTEM_ACTOR,
  USE_CASE_TOKENS,
  unwrap,
} from '@khaacho/core';
import * as assert from 'uvu/assert';
import type { Composition } from '../composition/compose-container.js';

export function captureLines() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, destination };
}

/** A vendor in kathmandu-10 offering Wai Wai at NPR 20 a packet, and an ACTIVE shop there with NPR 50,000 of credit. */
/** The delivery code the shop was sent on dispatch (what it tells the driver). */
export async function deliveryCodeOf(app: Composition, orderId: OrderId): Promise<string> {
  const code = (await app.get(REPOSITORIES).deliveries.get(orderId))?.code;
  if (!code) throw new Error(`order ${orderId} has no delivery code waiting`);
  return code;
}

export async function seedWaiWaiWorld(app: Composition) {
  const uc = USE_CASE_TOKENS;
  const vendor = unwrap(
    await app.get(uc.registerVendor).execute({
      name: 'Bhatbhateni Distributors',
      phone: PhoneNumber.parse('9851000001'),
      serviceAreas: ['kathmandu-10'],
      dailyCapacity: 100,
      actor: SYSTEM_ACTOR,
    }),
  );
  const { product } = unwrap(
    await app.get(uc.upsertProduct).execute({
      sku: 'WAIWAI-75',
      name: 'Wai Wai Noodles 75g',
      category: 'noodles',
      baseUnit: 'packet',
      conversions: [{ unit: 'carton', toBase: 30 }],
      aliases: [{ text: 'wai wai', language: 'ne-Latn' }],
      actor: SYSTEM_ACTOR,
    }),
  );
  unwrap(
    await app.get(uc.upsertVendorOffer).execute({
      vendorId: vendor.id,
      productId: product.id,
      unit: 'packet',
      unitPrice: Money.parse('20'),
      stockOnHand: 3000,
      actor: SYSTEM_ACTOR,
    }),
  );
  const shop = unwrap(
    await app.get(uc.registerRetailer).execute({
      name: 'Sita Kirana Pasal',
      phone: PhoneNumber.parse('9841000001'),
      area: 'kathmandu-10',
      district: 'kathmandu',
      creditLimit: Money.parse('50000'),
      status: 'ACTIVE',
      actor: SYSTEM_ACTOR,
    }),
  );
  return { vendor, product, shop };
}

/** A shop, a vendor and an offer, one order placed, routed, accepted, delivered and paid: through resolved tokens only. */
export async function orderJourney(app: Composition): Promise<string> {
  const uc = USE_CASE_TOKENS;
  const { vendor, shop } = await seedWaiWaiWorld(app);
  const placed = unwrap(
    await app.get(uc.placeOrder).execute({
      retailerId: shop.id,
      lines: [{ sku: 'WAIWAI-75', quantity: 2, unit: 'carton' }],
      source: 'whatsapp',
      actor: SYSTEM_ACTOR,
    }),
  );
  const orderId = placed.order.id;
  unwrap(await app.get(uc.routeOrder).execute({ orderId, actor: SYSTEM_ACTOR }));
  const vendorActor = { type: 'vendor', id: vendor.id } as const;
  unwrap(await app.get(uc.acceptVendorOffer).execute({ orderId, vendorId: vendor.id, actor: vendorActor }));
  unwrap(await app.get(uc.dispatchOrder).execute({ orderId, actor: vendorActor }));
  // The shop read the code from its dispatch notice and told the driver.
  const code = await deliveryCodeOf(app, orderId);
  const delivered = unwrap(await app.get(uc.deliverOrder).execute({ orderId, actor: vendorActor, code }));
  unwrap(
    await app.get(uc.recordPayment).execute({
      retailerId: shop.id,
      amount: delivered.total,
      reference: 'ESEWA-0001',
      actor: SYSTEM_ACTOR,
    }),
  );
  const done = unwrap(await app.get(uc.getOrder).execute({ orderId }));
  assert.is(done.total.amount, 120_000);
  // The outbox holds the journey's events, written in the same transactions.
  const stats = await app.get(OUTBOX).stats(app.get(CLOCK).now());
  assert.ok(stats.pending > 0);
  return done.status;
}

// Test helpers for the worker flow (excluded from the build).
import {
  MESSAGE_SENDER,
  Money,
  type OrderId,
  PhoneNumber,
  SYSTEM_ACTOR,
  USE_CASE_TOKENS,
  unwrap,
  type ProductId,
  type VendorId,
} from '@khaacho/core';
import type { InMemoryMessageSender } from '@khaacho/core/testing';
import type { Composition } from '../composition/compose-container.js';

export interface FlowWorld {
  /** Cheapest first: the order in which routing should offer to them. */
  readonly vendors: readonly { readonly id: VendorId; readonly phone: string }[];
  readonly retailerId: string;
  /** The noodles every vendor offers. */
  readonly productId: ProductId;
  placeOrder(): Promise<OrderId>;
}

/**
 * `count` vendors serving one area, each offering the same noodles at 20, 21, 22… rupees a
 * packet (so the ranking is by price), and one active shop with room on its credit.
 */
export async function flowWorld(app: Composition, count: number, tag = 'a'): Promise<FlowWorld> {
  const uc = USE_CASE_TOKENS;
  const sku = `WAIWAI-${tag}`;
  const area = `kathmandu-${tag}`;
  const { product } = unwrap(
    await app.get(uc.upsertProduct).execute({
      sku,
      name: 'Wai Wai Noodles 75g',
      category: 'noodles',
      baseUnit: 'packet',
      conversions: [{ unit: 'carton', toBase: 30 }],
      actor: SYSTEM_ACTOR,
    }),
  );
  const vendors: { id: VendorId; phone: string }[] = [];
  for (let i = 0; i < count; i++) {
    const phone = PhoneNumber.parse(`98510${String(tag.charCodeAt(0)).padStart(3, '0')}${String(i).padStart(2, '0')}`);
    const vendor = unwrap(
      await app.get(uc.registerVendor).execute({
        name: `Distributor ${i + 1}`,
        phone,
        serviceAreas: [area],
        dailyCapacity: 100,
        actor: SYSTEM_ACTOR,
      }),
    );
    unwrap(
      await app.get(uc.upsertVendorOffer).execute({
        vendorId: vendor.id,
        productId: product.id,
        unit: 'packet',
        unitPrice: Money.parse(String(20 + i)),
        stockOnHand: 3000,
        actor: SYSTEM_ACTOR,
      }),
    );
    vendors.push({ id: vendor.id, phone: phone.value });
  }
  const shop = unwrap(
    await app.get(uc.registerRetailer).execute({
      name: 'Sita Kirana Pasal',
      phone: PhoneNumber.parse(`98410${String(tag.charCodeAt(0)).padStart(3, '0')}99`),
      area,
      district: 'kathmandu',
      creditLimit: Money.parse('50000'),
      status: 'ACTIVE',
      actor: SYSTEM_ACTOR,
    }),
  );
  return {
    vendors,
    retailerId: shop.id,
    productId: product.id,
    placeOrder: async () => {
      const placed = unwrap(
        await app.get(uc.placeOrder).execute({
          retailerId: shop.id,
          lines: [{ sku, quantity: 2, unit: 'carton' }],
          source: 'whatsapp',
          actor: SYSTEM_ACTOR,
        }),
      );
      return placed.order.id;
    },
  };
}

/** The recording sender of a composition made with `KHAACHO_MESSAGE_SENDER=memory`. */
export function recordingSender(app: Composition): InMemoryMessageSender {
  return app.get(MESSAGE_SENDER) as InMemoryMessageSender;
}

/**
 * Waits until `check` returns a value other than undefined/false. A hang guard, not a timed
 * assertion: the bound is far beyond what the work needs.
 */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  guardMs = 15_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > guardMs) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

import { createDraftUseCases } from '../application/draft-use-cases.js';
import type { DraftSettings } from '../application/order-drafts.js';
import type { Product } from '../catalog/product.js';
import { NEPALI_CATALOG, nepaliCatalog } from '../corpus/nepali-catalog.js';
import { LocalOrderTextParser } from '../parsing/local-order-text-parser.js';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import type { RetailerId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { createTestWorld, type createWorldOn, type TestWorld } from './test-world.js';

/**
 * A test world selling the 36-product corpus catalog at its typical prices from one vendor,
 * one active shop, and the draft use cases over the local parser: what the draft tests and
 * the draft transcript run on. Pass `world: createWorldOn(storage)` for another backend.
 */
export async function draftMarket(
  options: { creditLimit?: Money; settings?: DraftSettings; world?: ReturnType<typeof createWorldOn> } = {},
) {
  const world = options.world ?? createTestWorld();
  const catalog = nepaliCatalog();
  for (const p of catalog) await world.repos.products.save(p);
  const vendor = await world.given.vendor();
  for (const [i, entry] of NEPALI_CATALOG.entries()) {
    const product = catalog[i] as Product;
    await world.given.offer({
      vendorId: vendor.id,
      productId: product.id,
      unit: product.baseUnit,
      unitPrice: Money.of(entry.typicalPrice),
      stockOnHand: 100_000,
    });
  }
  const shop = await world.given.retailer({ creditLimit: options.creditLimit ?? Money.parse('100000') });
  const drafts = createDraftUseCases(world.ctx, {
    parser: new LocalOrderTextParser(catalog),
    placeOrder: world.useCases.placeOrder,
    ...(options.settings ? { settings: options.settings } : {}),
  });
  const product = (sku: string): Product => {
    const found = catalog.find((p) => p.sku === sku);
    if (!found) throw new Error(`${sku} is not in the corpus catalog`);
    return found;
  };
  /** Orders placed directly (not from a draft): a shop's history. */
  const bought = async (retailerId: RetailerId, sku: string, quantity: number, times: number) => {
    for (let i = 0; i < times; i++) {
      const r = await world.useCases.placeOrder.execute({
        retailerId,
        lines: [{ productId: product(sku).id, quantity }],
        source: 'whatsapp',
        actor: SYSTEM_ACTOR,
      });
      if (!r.ok) throw new Error(`history order failed: ${r.error.code}`);
      world.clock.advance(7 * 86_400_000);
    }
  };
  return { world, catalog, vendor, shop, drafts, product, bought };
}

export type DraftMarket = Awaited<ReturnType<typeof draftMarket>>;
export type { TestWorld };

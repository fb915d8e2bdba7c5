// Test helpers for the recovery sweep (excluded from the build): one scenario run on the
// in-memory world and on PostgreSQL.
import { Money, type OrderId, type Outbox, SYSTEM_ACTOR, unwrap, type WebhookInbox } from '@khaacho/core';
import type { createWorldOn, LogRecord } from '@khaacho/core/testing';
import type { RecoverySweepDeps } from '../recovery/recovery-sweep.js';

type World = ReturnType<typeof createWorldOn>;

/** The world's use cases, repositories, clock and logger as the sweep's plain deps. */
export function sweepDeps(
  world: World,
  storage: { readonly outbox: Outbox; readonly inbox: WebhookInbox },
): RecoverySweepDeps {
  return {
    expireOverdueOffers: world.useCases.expireOverdueOffers,
    routeOrder: world.useCases.routeOrder,
    orders: world.repos.orders,
    outbox: storage.outbox,
    inbox: storage.inbox,
    clock: world.clock,
    logger: world.logger,
  };
}

/** Two vendors serving the shop's area, one product both offer, an active shop with credit. */
export async function marketWithShop(world: World) {
  const product = await world.given.product();
  for (const name of ['Bhatbhateni Distributors', 'Salt Trading']) {
    const vendor = await world.given.vendor({ name });
    await world.given.offer({ vendorId: vendor.id, productId: product.id });
  }
  const shop = await world.given.retailer({ creditLimit: Money.parse('50000') });
  return { product, shop };
}

/** A placed order (ROUTING, nothing offered yet: as if its routing job was lost). */
export async function placeRoutingOrder(
  world: World,
  market: Awaited<ReturnType<typeof marketWithShop>>,
): Promise<OrderId> {
  const placed = unwrap(
    await world.useCases.placeOrder.execute({
      retailerId: market.shop.id,
      lines: [{ productId: market.product.id, quantity: 3, unit: 'packet' }],
      source: 'api',
      actor: SYSTEM_ACTOR,
    }),
  );
  if (placed.status !== 'ROUTING') throw new Error(`expected ROUTING, got ${placed.status}`);
  return placed.order.id;
}

export function warnings(records: readonly LogRecord[], from = 0): string[] {
  return records.slice(from).flatMap((r) => (r.level === 'warn' ? [r.message] : []));
}

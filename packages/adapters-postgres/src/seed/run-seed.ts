import {
  addMs,
  type CreditAccount,
  defaultMentionKey,
  type IdGenerator,
  priceChangeOf,
  SYSTEM_ACTOR,
} from '@khaacho/core';
import type { PostgresPersistence } from '../create-postgres-persistence.js';
import { buildOrder, planSeed, type SeedOptions } from './seed-data.js';

export interface SeedReport {
  readonly created: Record<string, number>;
  readonly skipped: Record<string, number>;
}

type Progress = (line: string) => void;

/**
 * Write the plan, skipping what is already there (by sku, phone, (vendor, product),
 * account and order id), so a second run with the same options adds nothing.
 */
export async function runSeed(
  persistence: PostgresPersistence,
  options: SeedOptions,
  ids: IdGenerator,
  progress: Progress = () => {},
): Promise<SeedReport> {
  const plan = planSeed(options);
  const created: Record<string, number> = {};
  const skipped: Record<string, number> = {};
  const count = (kind: string, wasCreated: boolean) => {
    const bucket = wasCreated ? created : skipped;
    bucket[kind] = (bucket[kind] ?? 0) + 1;
  };
  const { repos, uow } = persistence;

  await each('products', plan.products, progress, async (p) => {
    const exists = await repos.products.getBySku(p.sku);
    if (!exists) await repos.products.save(p);
    count('products', !exists);
  });
  const knownDefaults = await repos.catalogDefaults.list();
  await each('defaults', plan.defaults, progress, async (d) => {
    const exists = knownDefaults.has(defaultMentionKey(d.mention));
    // A default staff changed since is theirs: the seed only fills in what is missing.
    if (!exists) await repos.catalogDefaults.set(d.mention, d.productId);
    count('defaults', !exists);
  });
  await each('vendors', plan.vendors, progress, async (v) => {
    const exists = await repos.vendors.getByPhone(v.phone);
    if (!exists) await repos.vendors.save(v);
    count('vendors', !exists);
  });
  await each('offers', plan.offers, progress, async (o) => {
    const exists = await repos.offers.getByVendorAndProduct(o.vendorId, o.productId);
    if (!exists) {
      await repos.offers.save(o);
      await repos.priceHistory.append(priceChangeOf(o, null, o.updatedAt));
    }
    count('offers', !exists);
  });
  await each('retailers', plan.retailers, progress, async ({ retailer, account }) => {
    const exists = await repos.retailers.getByPhone(retailer.phone);
    if (!exists) {
      await uow.run(async (tx) => {
        await tx.retailers.save(retailer);
        await tx.credit.save(account);
      });
    }
    count('retailers', !exists);
  });
  // Serially: which order meets a full credit limit must not depend on timing.
  await each(
    'orders',
    plan.orders,
    progress,
    async (o) => {
      if (await repos.orders.get(o.id)) return count('orders', false);
      await uow.run(async (tx) => {
        const account = (await tx.lockCreditAccount(o.retailerId)) as CreditAccount;
        const order = buildOrder(o, await tx.orders.nextNumber());
        const exposure = await tx.orders.pendingExposure(o.retailerId, account.currency);
        const at = (minutes: number) => addMs(o.placedAt, minutes * 60_000);
        if (o.stage > 0 && account.checkAvailable(order.total, exposure).ok) {
          account.placeHold(order.id, order.total, SYSTEM_ACTOR, at(5), ids);
          if (o.stage >= 2) {
            order.dispatch({ type: 'vendor', id: o.vendorId }, at(120));
            order.deliver({ type: 'vendor', id: o.vendorId }, at(600));
            account.invoiceOrder(order.id, order.total, SYSTEM_ACTOR, at(600), ids);
          }
          if (o.stage === 3) {
            account.recordPayment(
              order.total,
              `SEED-${order.id}`,
              { type: 'retailer', id: o.retailerId },
              at(60 * 24 * 10),
              ids,
            );
            // Payments settle the oldest invoices first: this order may still be open.
            if (account.isOrderInvoiceSettled(order.id)) order.complete(SYSTEM_ACTOR, at(60 * 24 * 10), true);
          }
          await tx.credit.save(account);
        } else if (o.stage > 0) {
          order.cancel(SYSTEM_ACTOR, at(30), 'credit limit reached');
        }
        await tx.orders.save(order);
        await tx.outbox.append([...order.pullEvents(), ...account.pullEvents()]);
      });
      count('orders', true);
    },
    1,
  );
  return { created, skipped };
}

/** Bounded parallelism with progress every 10 %. */
async function each<T>(
  label: string,
  items: readonly T[],
  progress: Progress,
  fn: (item: T) => Promise<unknown>,
  parallel = 8,
): Promise<void> {
  let done = 0;
  let nextReport = 0.1;
  let cursor = 0;
  const worker = async () => {
    while (cursor < items.length) {
      const item = items[cursor++] as T;
      await fn(item);
      done += 1;
      if (done / items.length >= nextReport || done === items.length) {
        progress(`${label}: ${done}/${items.length} (${Math.round((done / items.length) * 100)}%)`);
        while (nextReport <= done / items.length) nextReport += 0.1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
}

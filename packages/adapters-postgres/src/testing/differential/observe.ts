import type { Order, OrderId, RetailerId, VendorId } from '@khaacho/core';
import { ledgerViolations } from './invariants.js';
import type { DiffWorld } from './worlds.js';

/** An order number, wherever it appears (the order, an event's payload, a message). */
const ORDER_NUMBER = /KH-\d{6,}/g;

/**
 * Data for comparison: aggregates by their snapshot, dates as ISO strings, class instances
 * (Money) by their own fields, keys sorted, `undefined` fields dropped, and order numbers
 * masked. The one normalisation: numbers come from a sequence outside the transaction, so
 * PostgreSQL skips the numbers of re-run transactions, and two placements at once take
 * them in either order; the runner checks instead that every order's number is distinct.
 */
export function plain(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(ORDER_NUMBER, 'KH-######');
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  const snapshot = (value as { snapshot?: unknown }).snapshot;
  if (typeof snapshot === 'function') return plain(snapshot.call(value));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined && typeof v !== 'function') out[key] = plain(v);
  }
  return out;
}

/** The first place two plain values differ, as a path and both sides; null when equal. */
export function firstDifference(a: unknown, b: unknown, path = '$'): string | null {
  if (Object.is(a, b)) return null;
  const show = (v: unknown) => JSON.stringify(v)?.slice(0, 400);
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null ||
    Array.isArray(a) !== Array.isArray(b)
  ) {
    return `${path}: memory ${show(a)} ≠ postgres ${show(b)}`;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) {
    return `${path}: memory has ${a.length} items, postgres ${b.length}: memory ${show(a)} postgres ${show(b)}`;
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const key of keys) {
    const d = firstDifference(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      `${path}.${key}`,
    );
    if (d) return d;
  }
  return null;
}

export interface Touched {
  readonly orders: readonly string[];
  readonly retailers: readonly string[];
  readonly vendors: readonly string[];
}

/**
 * What a reader of the world sees of `touched` (orders, retailers, accounts, ledgers,
 * exposure, available), and the ledger invariants that this state breaks.
 */
export async function observe(world: DiffWorld, touched: Touched) {
  const { repos } = world;
  const orders: Record<string, unknown> = {};
  const retailers = new Set(touched.retailers);
  const ordersOf = new Map<string, Order[]>();
  for (const id of touched.orders) {
    const order = await repos.orders.get(id as OrderId);
    orders[id] = plain(order);
    if (!order) continue;
    retailers.add(order.retailerId);
    ordersOf.set(order.retailerId, [...(ordersOf.get(order.retailerId) ?? []), order]);
  }
  const violations: string[] = [];
  const accounts: Record<string, unknown> = {};
  for (const id of [...retailers].sort()) {
    const [retailer, account] = await Promise.all([
      repos.retailers.get(id as RetailerId),
      repos.credit.get(id as RetailerId),
    ]);
    if (!account) {
      accounts[id] = { retailer: plain(retailer), account: null };
      continue;
    }
    const [entries, exposure] = await Promise.all([
      repos.credit.listEntries(id as RetailerId, {}),
      repos.orders.pendingExposure(id as RetailerId, account.currency),
    ]);
    violations.push(...ledgerViolations(account, entries, exposure, ordersOf.get(id) ?? [], world.clock.now()));
    accounts[id] = {
      retailer: plain(retailer),
      account: plain(account),
      entries: plain(entries),
      pendingExposure: exposure.amount,
      available: account.available(exposure).amount,
    };
  }
  const vendors: Record<string, unknown> = {};
  for (const id of touched.vendors) vendors[id] = plain(await repos.vendors.get(id as VendorId));
  return { state: { orders, accounts, vendors }, violations };
}

/** The events committed since the last drain, in outbox order; they are marked published. */
export async function drainOutbox(world: DiffWorld): Promise<unknown[]> {
  const now = world.clock.now();
  const events: unknown[] = [];
  for (;;) {
    const batch = await world.outbox.claim({ limit: 200, leaseMs: 60_000, now });
    if (batch.length === 0) return events;
    events.push(...batch.map((m) => plain(m.event)));
    await world.outbox.markPublished(
      batch.map((m) => m.id),
      now,
    );
  }
}

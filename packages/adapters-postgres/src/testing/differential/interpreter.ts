import {
  type Actor,
  DomainError,
  Money,
  type OrderId,
  PhoneNumber,
  type RetailerId,
  SYSTEM_ACTOR,
  type VendorId,
} from '@khaacho/core';
import { type ModelCommand, UNKNOWN_FROM } from '@khaacho/core/testing/arbitraries';
import { plain } from './observe.js';
import type { DiffWorld } from './worlds.js';

const OPERATOR: Actor = { type: 'operator', id: 'op-differential' };

/** What a command came to: its value, its business failure (code and details), or the code of what it threw. */
export type Observed = { readonly ok: unknown } | { readonly failure: unknown } | { readonly thrown: string };

/** The ids each index names, in creation order; per world, filled from that world's results. */
export interface Registry {
  readonly retailers: string[];
  readonly vendors: string[];
  readonly orders: string[];
}

export const emptyRegistry = (): Registry => ({ retailers: [], vendors: [], orders: [] });

/** A well-formed id that nothing in the run ever gets. */
const unknownId = (kind: number, index: number) =>
  `00000000-0000-7000-8${kind}00-${Math.abs(index).toString(16).padStart(12, '0')}`;
/** The index's entity (negative: from the newest, wrapping around), unknown past UNKNOWN_FROM or when none exist. */
const pick = (list: readonly string[], index: number, kind: number) =>
  index >= UNKNOWN_FROM || list.length === 0
    ? unknownId(kind, index)
    : (list[((index % list.length) + list.length) % list.length] as string);

/** What a command adds to the registry when it succeeds. */
export type Created = { readonly into: keyof Registry; readonly id: string } | null;

/**
 * What `vendor: −1` names: the vendor the order is offered to when the command's batch is
 * issued. Read before any command of the batch runs, as the registry is, so the reference
 * means the same in both worlds whichever way a pair then interleaves (read inside the
 * command, PostgreSQL could read it before the other command commits and act after).
 */
export async function pendingVendorOf(
  world: DiffWorld,
  registry: Registry,
  cmd: ModelCommand,
): Promise<VendorId | undefined> {
  if ((cmd.kind !== 'offer' && cmd.kind !== 'accept' && cmd.kind !== 'reject') || cmd.vendor !== -1) return undefined;
  return (await world.repos.orders.get(pick(registry.orders, cmd.order, 3) as OrderId))?.pendingOffer()?.vendorId;
}

/** Run one model command on `world` as command (step, slot), `pending` from `pendingVendorOf`; never throws. */
export async function interpret(
  world: DiffWorld,
  registry: Registry,
  cmd: ModelCommand,
  step: number,
  slot: number,
  pending: VendorId | undefined,
): Promise<{ observed: Observed; created: Created }> {
  const uc = world.useCases(step, slot);
  const retailer = (i: number) => pick(registry.retailers, i, 1) as RetailerId;
  const vendor = (i: number) => pick(registry.vendors, i, 2) as VendorId;
  const order = (i: number) => pick(registry.orders, i, 3) as OrderId;
  const product = (i: number) => world.products[i] ?? unknownId(4, i);
  const into: keyof Registry | null =
    cmd.kind === 'registerRetailer'
      ? 'retailers'
      : cmd.kind === 'registerVendor'
        ? 'vendors'
        : cmd.kind === 'place'
          ? 'orders'
          : null;
  const run = async (): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }> => {
    switch (cmd.kind) {
      case 'registerRetailer':
        return uc.registerRetailer.execute({
          name: `Model Pasal ${step}.${slot}`,
          phone: PhoneNumber.parse(`98${String(step * 2 + slot).padStart(8, '0')}`),
          area: 'kathmandu-10',
          district: 'kathmandu',
          creditLimit: Money.of(cmd.limit),
          netTermsDays: cmd.netTermsDays,
          actor: SYSTEM_ACTOR,
        });
      case 'approveRetailer':
        return uc.approveRetailer.execute({ retailerId: retailer(cmd.retailer), reason: 'kyc ok', actor: OPERATOR });
      case 'registerVendor':
        return uc.registerVendor.execute({
          name: `Model Traders ${step}.${slot}`,
          phone: PhoneNumber.parse(`97${String(step * 2 + slot).padStart(8, '0')}`),
          serviceAreas: ['kathmandu-10'],
          dailyCapacity: cmd.dailyCapacity,
          actor: SYSTEM_ACTOR,
        });
      case 'upsertOffer':
        return uc.upsertVendorOffer.execute({
          vendorId: vendor(cmd.vendor),
          productId: product(cmd.product) as never,
          unit: 'packet',
          unitPrice: Money.of(cmd.unitPrice),
          stockOnHand: cmd.stock,
          actor: SYSTEM_ACTOR,
        });
      case 'place':
        return uc.placeOrder.execute({
          retailerId: retailer(cmd.retailer),
          lines: cmd.lines.map((l) => ({ productId: product(l.product) as never, quantity: l.quantity })),
          source: 'api',
          actor: SYSTEM_ACTOR,
        });
      case 'route':
        return uc.routeOrder.execute({ orderId: order(cmd.order), actor: SYSTEM_ACTOR });
      case 'offer':
      case 'accept':
      case 'reject': {
        const o = order(cmd.order);
        const v = pending ?? vendor(cmd.vendor === -1 ? 0 : cmd.vendor);
        if (cmd.kind === 'offer') return uc.offerOrderToVendor.execute({ orderId: o, vendorId: v, actor: OPERATOR });
        const actor: Actor = { type: 'vendor', id: v };
        if (cmd.kind === 'accept') return uc.acceptVendorOffer.execute({ orderId: o, vendorId: v, actor });
        return uc.rejectVendorOffer.execute({ orderId: o, vendorId: v, reason: 'out of stock', actor });
      }
      case 'expire':
        return uc.expireOverdueOffers.execute({ actor: SYSTEM_ACTOR });
      case 'dispatch':
        return uc.dispatchOrder.execute({ orderId: order(cmd.order), actor: OPERATOR });
      case 'deliver':
        // Staff without the code: an override with its reason (proof of delivery is core's own tests').
        return uc.deliverOrder.execute({
          orderId: order(cmd.order),
          actor: OPERATOR,
          reason: 'delivery confirmed by phone',
        });
      case 'cancel':
        return uc.cancelOrder.execute({ orderId: order(cmd.order), reason: 'changed mind', actor: OPERATOR });
      case 'pay':
        return uc.recordPayment.execute({
          retailerId: retailer(cmd.retailer),
          amount: Money.of(cmd.amount),
          reference: `UTR-${cmd.reference}`,
          actor: OPERATOR,
        });
      case 'creditNote':
        return uc.adjustCredit.execute({
          retailerId: retailer(cmd.retailer),
          amount: Money.of(-cmd.amount),
          note: 'damaged goods',
          reference: `CN-${cmd.reference}`,
          actor: OPERATOR,
        });
      case 'setLimit':
        return uc.setCreditLimit.execute({
          retailerId: retailer(cmd.retailer),
          limit: cmd.limit === 'scoring' ? 'scoring' : Money.of(cmd.limit),
          reason: 'review',
          actor: OPERATOR,
        });
      case 'rescore':
        return uc.recalculateCreditScore.execute({
          retailerId: retailer(cmd.retailer),
          trigger: 'MANUAL',
          actor: OPERATOR,
        });
      case 'advance':
        world.clock.advance(cmd.ms);
        return { ok: true, value: world.clock.now() };
    }
  };
  try {
    const outcome = await run();
    if (!outcome.ok) return { observed: { failure: plain(outcome.error) }, created: null };
    const value = outcome.value as { id?: string; order?: { id: string } };
    const id = into === 'orders' ? value.order?.id : value.id;
    return { observed: { ok: plain(outcome.value) }, created: into && id ? { into, id } : null };
  } catch (e) {
    const thrown = DomainError.is(e) ? e.code : e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { observed: { thrown }, created: null };
  }
}

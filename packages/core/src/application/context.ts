import type { CreditAccount } from '../credit/credit-account.js';
import type { DeliveryProof } from '../order/delivery-proof.js';
import type { Order } from '../order/order.js';
import type { RandomSource } from '../shared/ids.js';
import type { Clock } from '../shared/clock.js';
import type { DomainEvent } from '../events/event-catalog.js';
import type { IdGenerator, OrderId } from '../shared/ids.js';
import type { Logger } from '../ports/logger.js';
import type { Repositories } from '../ports/repositories.js';
import type { TransactionScope, UnitOfWork } from '../ports/unit-of-work.js';
import { type Token, token } from '../shared/token.js';
import type { CatalogCache } from '../caching/catalog-cache.js';
import type { ReliabilityCache } from '../caching/reliability-cache.js';
import { required } from './errors.js';
import { shopStepNotices } from './shop-notices.js';

/** What every use case needs. Apps build one of these in their composition root. */
export interface UseCaseContext {
  readonly uow: UnitOfWork;
  /** For reads outside a transaction. */
  readonly repos: Repositories;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  /**
   * Read-through cache of products and offers, for the reads that tolerate an answer as old
   * as the last catalog event not yet consumed (see RouteOrder). Absent: every read is live.
   */
  readonly catalogCache?: CatalogCache | null;
  /** Short-lived vendor reliability for routing (see ReliabilityCache). Absent: computed per routing. */
  readonly reliabilityCache?: ReliabilityCache | null;
  /** Where delivery codes come from. Absent: the runtime's Web Crypto (`systemRandom`). */
  readonly random?: RandomSource;
}

export const USE_CASE_CONTEXT: Token<UseCaseContext> = token('UseCaseContext');

/** Save aggregates and write the events they raised to the outbox, in the caller's transaction. */
export async function persist(
  tx: TransactionScope,
  changes: {
    orders?: readonly Order[];
    accounts?: readonly CreditAccount[];
    deliveries?: readonly DeliveryProof[];
    events?: readonly DomainEvent[];
  },
): Promise<void> {
  const events: DomainEvent[] = [...(changes.events ?? [])];
  for (const account of changes.accounts ?? []) {
    events.push(...account.pullEvents());
    await tx.credit.save(account);
  }
  for (const order of changes.orders ?? []) {
    events.push(...order.pullEvents());
    await tx.orders.save(order);
  }
  const proofs = changes.deliveries ?? [];
  const notices = await shopStepNotices(tx, events, changes.orders ?? [], proofs);
  for (const proof of proofs) {
    events.push(...proof.pullEvents());
    await tx.deliveries.save(proof);
  }
  // Every order step the shop is told about is told here, in the change's own transaction.
  events.push(...notices);
  await tx.outbox.append(events);
}

/**
 * Lock the credit account of an order's retailer, then read the order. The first read
 * only finds the retailer; the order is read again under the lock so that a change
 * committed while we waited (a concurrent cancel or accept) is seen. Every use case that
 * moves an order and its ledger together takes its locks in this order: account, then order.
 */
export async function lockOrderAndAccount(
  tx: TransactionScope,
  orderId: OrderId,
): Promise<{ order: Order; account: CreditAccount }> {
  const peek = required(await tx.orders.get(orderId), 'order', orderId);
  const account = required(await tx.lockCreditAccount(peek.retailerId), 'credit account', peek.retailerId);
  const order = required(await tx.orders.get(orderId), 'order', orderId);
  return { order, account };
}

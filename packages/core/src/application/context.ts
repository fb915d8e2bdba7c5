import type { CreditAccount } from '../credit/credit-account.js';
import type { Order } from '../order/order.js';
import type { Clock } from '../shared/clock.js';
import type { DomainEvent } from '../shared/domain-event.js';
import type { IdGenerator } from '../shared/ids.js';
import type { Logger } from '../ports/logger.js';
import type { Repositories } from '../ports/repositories.js';
import type { TransactionScope, UnitOfWork } from '../ports/unit-of-work.js';

/** What every use case needs. Apps build one of these in their composition root. */
export interface UseCaseContext {
  readonly uow: UnitOfWork;
  /** For reads outside a transaction. */
  readonly repos: Repositories;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
}

/** Save aggregates and write the events they raised to the outbox, in the caller's transaction. */
export async function persist(
  tx: TransactionScope,
  changes: { orders?: readonly Order[]; accounts?: readonly CreditAccount[]; events?: readonly DomainEvent[] },
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
  await tx.outbox.append(events);
}

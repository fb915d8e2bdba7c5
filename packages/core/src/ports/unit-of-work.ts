import type { CreditAccount } from '../credit/credit-account.js';
import type { RetailerId } from '../shared/ids.js';
import type { OutboxWriter } from './outbox.js';
import type { Repositories } from './repositories.js';
import { type Token, token } from '../shared/token.js';

/** What a use case sees inside one transaction. */
export interface TransactionScope extends Repositories {
  readonly outbox: OutboxWriter;
  /**
   * Load the retailer's credit account and hold an exclusive lock on it until the
   * transaction ends (SELECT … FOR UPDATE). Every use case that commits credit takes
   * this lock first, so two orders can never both spend the same available credit.
   */
  lockCreditAccount(retailerId: RetailerId): Promise<CreditAccount | null>;
}

export interface UnitOfWorkOptions {
  /** For logs and metrics. */
  readonly label?: string;
}

/**
 * Runs `work` in one transaction: everything it saves and every outbox event it
 * appends commit together or not at all. Adapters may run `work` again, a bounded number
 * of times, after a serialization failure, a deadlock or a failed version check
 * (ENTITY.CONCURRENT_MODIFICATION: another transaction saved the same aggregate first);
 * the in-memory adapter serialises transactions and runs it once. So `work` must load what
 * it needs inside the transaction and have no effects outside it: no logging, no pushing
 * to outer arrays, no messages. Do those after `run` returns, from what it returned.
 */
export interface UnitOfWork {
  run<T>(work: (tx: TransactionScope) => Promise<T>, options?: UnitOfWorkOptions): Promise<T>;
}

export const UNIT_OF_WORK: Token<UnitOfWork> = token('UnitOfWork');

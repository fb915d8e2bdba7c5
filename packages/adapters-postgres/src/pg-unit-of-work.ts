import {
  type Clock,
  DomainError,
  ErrorCodes,
  type IdGenerator,
  type RetailerId,
  type TransactionScope,
  type UnitOfWork,
  type UnitOfWorkOptions,
  systemClock,
} from '@khaacho/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { CommitSignal } from './messaging/local-wakeup.js';
import { PgOutboxWriter } from './messaging/pg-outbox.js';
import { createPgRepositories } from './repositories/pg-repositories.js';
import { isRetryable, translatePgError } from './sql/pg-exception-translator.js';
import { MikroSqlSession } from './sql/sql-session.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';

/**
 * One READ COMMITTED transaction per `run`, on a fresh EntityManager fork. Credit
 * decisions are made under `lockCreditAccount` (SELECT … FOR UPDATE), and aggregates are
 * saved with version checks, so READ COMMITTED is enough. Serialization failures,
 * deadlocks and failed version checks re-run the work, which the port allows, a bounded
 * number of times: the re-run reads the state that won, so a caller sees a conflict only
 * when the state really moved (the domain then answers: already dispatched is the same
 * fact, a second approval is an illegal transition), or when every attempt lost a race.
 */
export class PgUnitOfWork implements UnitOfWork {
  constructor(
    private readonly orm: MikroORM,
    private readonly ids: IdGenerator,
    private readonly retry: RetryPolicy = DEFAULT_RETRY_POLICY,
    /** Told once a transaction that appended to the outbox has committed (embedded mode's relay wake-up). */
    private readonly outboxCommitted: CommitSignal | null = null,
    /** Stamps when outbox rows are written. */
    private readonly clock: Clock = systemClock,
  ) {}

  async run<T>(work: (tx: TransactionScope) => Promise<T>, _options?: UnitOfWorkOptions): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let appended = false;
      const flag = { poke: () => (appended = true) };
      try {
        const result = await this.orm.em.fork().transactional((em) => {
          const session = new MikroSqlSession(em, true);
          const repos = createPgRepositories(session);
          const scope: TransactionScope = {
            ...repos,
            outbox: new PgOutboxWriter(session, this.ids, this.outboxCommitted ? flag : null, this.clock),
            lockCreditAccount: (retailerId: RetailerId) => repos.credit.getForUpdate(retailerId),
          };
          return work(scope);
        });
        if (appended) this.outboxCommitted?.poke();
        return result;
      } catch (error) {
        const translated = translatePgError(error);
        if (!shouldRunAgain(translated) || attempt >= this.retry.maxAttempts) throw translated;
        await sleep(this.retry.baseDelayMs * attempt);
      }
    }
  }
}

/** 40001/40P01, or an aggregate saved over a version that another transaction committed meanwhile. */
function shouldRunAgain(error: unknown): boolean {
  return isRetryable(error) || DomainError.hasCode(error, ErrorCodes.CONCURRENT_MODIFICATION);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

import type { Clock } from '../shared/clock.js';
import type { IdGenerator, RetailerId } from '../shared/ids.js';
import { systemClock } from '../shared/system-providers.js';
import type { Outbox } from '../ports/outbox.js';
import type { Repositories } from '../ports/repositories.js';
import type { TransactionScope, UnitOfWork } from '../ports/unit-of-work.js';
import type { IdempotencyStore } from '../ports/idempotency-store.js';
import type { WebhookInbox } from '../ports/webhook-inbox.js';
import {
  InMemoryPriceHistoryRepository,
  InMemoryProductRepository,
  InMemoryVendorOfferRepository,
} from './in-memory-catalog-repositories.js';
import { inMemoryEngineRepositories } from './in-memory-engine-repositories.js';
import { inMemoryAuthRepositories } from './in-memory-auth-repositories.js';
import { inMemoryDraftRepositories } from './in-memory-draft-repositories.js';
import { inMemoryConversationRepositories } from './in-memory-conversation-store.js';
import { inMemoryDeliveryRepositories } from './in-memory-delivery-repositories.js';
import { inMemoryOnboardingRepositories } from './in-memory-onboarding-requests.js';
import { InMemoryCreditAccountRepository } from './in-memory-credit-account-repository.js';
import { InMemoryIdempotencyStore } from './in-memory-idempotency-store.js';
import { InMemoryOrderRepository } from './in-memory-order-repository.js';
import { InMemoryOutbox, InMemoryOutboxWriter } from './in-memory-outbox.js';
import {
  InMemoryRetailerRepository,
  InMemoryUserRepository,
  InMemoryVendorRepository,
} from './in-memory-party-repositories.js';
import { autoCommitAccess, InMemoryStore, type StoreAccess, transactionAccess } from './in-memory-store.js';
import { InMemoryWebhookInbox } from './in-memory-webhook-inbox.js';
import { InMemoryOutboundMessageLog, inMemoryOutboundMessageRepositories } from './in-memory-outbound-message-log.js';
import type { OutboundMessageLog } from '../ports/outbound-message-log.js';

function repositories(db: StoreAccess): Repositories {
  return {
    products: new InMemoryProductRepository(db),
    offers: new InMemoryVendorOfferRepository(db),
    priceHistory: new InMemoryPriceHistoryRepository(db),
    retailers: new InMemoryRetailerRepository(db),
    vendors: new InMemoryVendorRepository(db),
    users: new InMemoryUserRepository(db),
    orders: new InMemoryOrderRepository(db),
    credit: new InMemoryCreditAccountRepository(db),
    ...inMemoryEngineRepositories(db),
    ...inMemoryAuthRepositories(db),
    ...inMemoryDraftRepositories(db),
    ...inMemoryConversationRepositories(db),
    ...inMemoryOutboundMessageRepositories(db),
    ...inMemoryDeliveryRepositories(db),
    ...inMemoryOnboardingRepositories(db),
  };
}

/**
 * Transactions over the in-memory store. Work runs under the store's mutex, so
 * `lockCreditAccount` is a plain read: no other transaction can run meanwhile.
 */
export class InMemoryUnitOfWork implements UnitOfWork {
  constructor(
    private readonly store: InMemoryStore,
    private readonly ids: IdGenerator,
    private readonly clock: Clock = systemClock,
  ) {}

  run<T>(work: (tx: TransactionScope) => Promise<T>): Promise<T> {
    return this.store.transaction(async (storeTx) => {
      const db = transactionAccess(storeTx);
      const repos = repositories(db);
      const scope: TransactionScope = {
        ...repos,
        outbox: new InMemoryOutboxWriter(db, this.ids, this.clock),
        lockCreditAccount: (retailerId: RetailerId) => repos.credit.get(retailerId),
      };
      return work(scope);
    });
  }
}

/** Every persistence port, in memory: what tests and the zero-config product run on. */
export interface InMemoryPersistence {
  readonly store: InMemoryStore;
  readonly repos: Repositories;
  readonly uow: UnitOfWork;
  readonly outbox: Outbox;
  readonly inbox: WebhookInbox;
  readonly idempotency: IdempotencyStore;
  readonly outboundLog: OutboundMessageLog;
}

/** @param clock stamps when outbox rows are written (the app's clock; the sweep measures lag by it). */
export function createInMemoryPersistence(ids: IdGenerator, clock: Clock = systemClock): InMemoryPersistence {
  const store = new InMemoryStore();
  const db = autoCommitAccess(store);
  return {
    store,
    repos: repositories(db),
    uow: new InMemoryUnitOfWork(store, ids, clock),
    outbox: new InMemoryOutbox(store, db, ids, clock),
    inbox: new InMemoryWebhookInbox(store, ids),
    idempotency: new InMemoryIdempotencyStore(store),
    outboundLog: new InMemoryOutboundMessageLog(store),
  };
}

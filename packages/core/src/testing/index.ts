// @khaacho/core/testing — in-memory adapters for every port, test-data builders and
// the contract suites that every adapter must pass.

export { AsyncMutex } from './async-mutex.js';
export { ScriptedMediaFetcher } from './scripted-media-fetcher.js';
export { ScriptedSpeechToText } from './scripted-speech-to-text.js';
export {
  aCreditAccount,
  anOffer,
  anOrder,
  aProduct,
  aRetailer,
  aUser,
  aVendor,
  OrderBuilder,
  uniquePhone,
} from './builders.js';
export {
  type Contract,
  ContractAssertionError,
  type ContractCase,
  deepEqual,
  errorWith,
  expectEqual,
  expectRejects,
  expectTrue,
  registerContract,
  type SubjectFactory,
} from './contract.js';
export {
  auditLogContract,
  catalogDefaultRepositoryContract,
  orderDraftRepositoryContract,
  loginThrottleRepositoryContract,
  refreshTokenRepositoryContract,
  creditAccountRepositoryContract,
  idempotencyStoreContract,
  orderRepositoryContract,
  outboundMessageLogContract,
  outboxContract,
  persistenceContracts,
  productRepositoryContract,
  retailerRepositoryContract,
  type SpeechToTextSubject,
  speechToTextContract,
  unitOfWorkContract,
  userRepositoryContract,
  vendorOfferRepositoryContract,
  vendorRepositoryContract,
  webhookInboxContract,
} from './contracts/index.js';
export { catalogCacheContract } from './contracts/catalog-cache.contract.js';
export {
  type CacheSubject,
  cacheContract,
  jobQueueContract,
  type JobQueueSubject,
} from './contracts/job-queue.contract.js';
export {
  type LeaseLockSubject,
  leaseLockContract,
  type RateLimiterSubject,
  rateLimiterContract,
} from './contracts/rate-limit-and-lock.contract.js';
export {
  type EngineRepositoriesSubject,
  engineRepositoriesContract,
} from './contracts/engine-repositories.contract.js';
export { caseTools, type PersistenceSubject } from './contracts/persistence-subject.js';
export { deterministicIds } from './deterministic-ids.js';
export {
  InMemoryPriceHistoryRepository,
  InMemoryProductRepository,
  InMemoryVendorOfferRepository,
} from './in-memory-catalog-repositories.js';
export {
  FakeOpaqueTokenIssuer,
  FakePasswordHasher,
  FakeTotpAuthenticator,
  InMemoryAuditLog,
  InMemoryLoginThrottleRepository,
  InMemoryRefreshTokenRepository,
  inMemoryAuthRepositories,
} from './in-memory-auth-repositories.js';
export { type DraftMarket, draftMarket } from './draft-market.js';
export {
  InMemoryCatalogDefaultRepository,
  InMemoryOrderDraftRepository,
  inMemoryDraftRepositories,
} from './in-memory-draft-repositories.js';
export { InMemoryDeliveryProofRepository, inMemoryDeliveryRepositories } from './in-memory-delivery-repositories.js';
export { InMemoryCache } from './in-memory-cache.js';
export { InMemoryConversationStore, inMemoryConversationRepositories } from './in-memory-conversation-store.js';
export { InMemoryOnboardingRequestStore, inMemoryOnboardingRepositories } from './in-memory-onboarding-requests.js';
export { InMemoryCreditAccountRepository } from './in-memory-credit-account-repository.js';
export {
  createInMemoryEngineRepositories,
  InMemoryCreditScoreRepository,
  InMemoryRiskEventRepository,
  InMemoryRiskRuleRepository,
  InMemoryRoutingDecisionRepository,
  InMemoryVendorRatingRepository,
  InMemoryPriceIntelligenceSnapshotRepository,
  InMemoryVendorPerformanceSnapshotRepository,
  inMemoryEngineRepositories,
} from './in-memory-engine-repositories.js';
export { InMemoryIdempotencyStore } from './in-memory-idempotency-store.js';
export { DEFAULT_CLOSE_TIMEOUT_MS, InMemoryJobQueue, type InMemoryJobQueueOptions } from './in-memory-job-queue.js';
export { InMemoryLeaseLock } from './in-memory-lease-lock.js';
export { InMemoryRateLimiter } from './in-memory-rate-limiter.js';
export { InMemoryMessageSender } from './in-memory-message-sender.js';
export { InMemoryOrderRepository } from './in-memory-order-repository.js';
export { InMemoryOutbox, InMemoryOutboxWriter } from './in-memory-outbox.js';
export { oneEventOfEachType } from './event-samples.js';
export {
  InMemoryRetailerRepository,
  InMemoryUserRepository,
  InMemoryVendorRepository,
} from './in-memory-party-repositories.js';
export { createInMemoryPersistence, type InMemoryPersistence, InMemoryUnitOfWork } from './in-memory-persistence.js';
export { InMemoryStore } from './in-memory-store.js';
export { InMemoryWebhookInbox } from './in-memory-webhook-inbox.js';
export {
  InMemoryOutboundMessageLog,
  InMemoryOutboundMessagePersonalData,
  inMemoryOutboundMessageRepositories,
} from './in-memory-outbound-message-log.js';
export { bodyOf, conversationServiceOn, inboundMessage, only, requestedSince } from './chat-messages.js';
export { ManualClock } from './manual-clock.js';
export { type LogRecord, RecordingLogger } from './recording-logger.js';
export { SeededRandom } from '../shared/seeded-random.js';
export { createTestWorld, createWorldOn, type TestWorld, type TestWorldOptions } from './test-world.js';
export { expectFailure, expectOk } from './outcomes.js';

// The Nepali catalog, the labelled corpus and its scorer are in `@khaacho/core/corpus`.

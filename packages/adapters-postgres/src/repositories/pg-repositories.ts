import type { Repositories } from '@khaacho/core';
import type { SqlSession } from '../sql/sql-session.js';
import { createPgAuthRepositories } from './pg-auth-repositories.js';
import { createPgDraftRepositories } from './pg-draft-repositories.js';
import { createPgConversationRepositories } from './pg-conversation-store.js';
import { createPgOutboundMessageRepositories } from '../messaging/pg-outbound-message-log.js';
import { createPgDeliveryRepositories } from './pg-delivery-repositories.js';
import { createPgOnboardingRepositories } from './pg-onboarding-requests.js';
import { PgCreditScoreRepository } from './pg-credit-score-repository.js';
import { PgCreditAccountRepository } from './pg-credit-account-repository.js';
import { PgOrderRepository } from './pg-order-repository.js';
import { PgPriceHistoryRepository } from './pg-price-history-repository.js';
import { PgProductRepository } from './pg-product-repository.js';
import { PgRiskEventRepository, PgRiskRuleRepository } from './pg-risk-repositories.js';
import { PgRoutingDecisionRepository, PgVendorRatingRepository } from './pg-routing-and-rating-repositories.js';
import { PgRetailerRepository } from './pg-retailer-repository.js';
import { PgUserRepository } from './pg-user-repository.js';
import {
  PgPriceIntelligenceSnapshotRepository,
  PgVendorPerformanceSnapshotRepository,
} from './pg-snapshot-repositories.js';
import { PgVendorOfferRepository } from './pg-vendor-offer-repository.js';
import { PgVendorRepository } from './pg-vendor-repository.js';

export interface PgRepositories extends Repositories {
  readonly credit: PgCreditAccountRepository;
}

/** Every repository over one session (the pool, or one transaction). */
export function createPgRepositories(db: SqlSession): PgRepositories {
  return {
    products: new PgProductRepository(db),
    offers: new PgVendorOfferRepository(db),
    priceHistory: new PgPriceHistoryRepository(db),
    retailers: new PgRetailerRepository(db),
    vendors: new PgVendorRepository(db),
    users: new PgUserRepository(db),
    orders: new PgOrderRepository(db),
    credit: new PgCreditAccountRepository(db),
    creditScores: new PgCreditScoreRepository(db),
    riskRules: new PgRiskRuleRepository(db),
    riskEvents: new PgRiskEventRepository(db),
    routingDecisions: new PgRoutingDecisionRepository(db),
    vendorRatings: new PgVendorRatingRepository(db),
    vendorPerformance: new PgVendorPerformanceSnapshotRepository(db),
    priceIntelligence: new PgPriceIntelligenceSnapshotRepository(db),
    ...createPgAuthRepositories(db),
    ...createPgDraftRepositories(db),
    ...createPgConversationRepositories(db),
    ...createPgOutboundMessageRepositories(db),
    ...createPgDeliveryRepositories(db),
    ...createPgOnboardingRepositories(db),
  };
}

import { PriceHistoryEntity, ProductAliasEntity, ProductEntity, VendorOfferEntity } from './catalog-entities.js';
import {
  CreditAccountEntity,
  CreditHoldEntity,
  CreditOpenItemEntity,
  CreditScoreHistoryEntity,
  LedgerEntryEntity,
} from './credit-entities.js';
import { IdempotencyKeyEntity, OutboundMessageEntity, OutboxEntity, WebhookInboxEntity } from './messaging-entities.js';
import {
  AlertEntity,
  AuditLogEntity,
  RiskEventEntity,
  RiskRuleEntity,
  VendorRatingEntity,
  VendorPerformanceSnapshotEntity,
  PriceIntelligenceSnapshotEntity,
} from './operations-entities.js';
import {
  OrderEntity,
  OrderItemEntity,
  OrderStatusLogEntity,
  RoutingAttemptEntity,
  RoutingDecisionEntity,
} from './order-entities.js';
import { CatalogDefaultEntity, OrderDraftEntity } from './draft-entities.js';
import { ConversationEntity } from './conversation-entities.js';
import { DeliveryProofEntity } from './delivery-entities.js';
import { OnboardingRequestEntity } from './onboarding-entities.js';
import {
  LoginThrottleEntity,
  PartyPhoneEntity,
  RefreshTokenEntity,
  RetailerEntity,
  UserEntity,
  VendorEntity,
} from './party-entities.js';

/** Every table the adapter owns: what migrations and the schema check are generated from. */
export const ENTITIES = [
  ProductEntity,
  ProductAliasEntity,
  VendorOfferEntity,
  PriceHistoryEntity,
  RetailerEntity,
  VendorEntity,
  PartyPhoneEntity,
  UserEntity,
  RefreshTokenEntity,
  LoginThrottleEntity,
  OrderEntity,
  OrderItemEntity,
  OrderStatusLogEntity,
  RoutingAttemptEntity,
  RoutingDecisionEntity,
  CreditAccountEntity,
  LedgerEntryEntity,
  CreditOpenItemEntity,
  CreditHoldEntity,
  CreditScoreHistoryEntity,
  RiskRuleEntity,
  RiskEventEntity,
  VendorRatingEntity,
  VendorPerformanceSnapshotEntity,
  PriceIntelligenceSnapshotEntity,
  AlertEntity,
  AuditLogEntity,
  OutboxEntity,
  WebhookInboxEntity,
  OutboundMessageEntity,
  IdempotencyKeyEntity,
  CatalogDefaultEntity,
  OrderDraftEntity,
  ConversationEntity,
  DeliveryProofEntity,
  OnboardingRequestEntity,
] as const;

/** Truncated between contract cases; the order does not matter with CASCADE. */
export const TABLE_NAMES = ENTITIES.map((e) => e.meta.tableName);

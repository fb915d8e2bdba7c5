import type { Contract } from '../contract.js';
import { auditLogContract, loginThrottleRepositoryContract, refreshTokenRepositoryContract } from './auth.contract.js';
import { productRepositoryContract, vendorOfferRepositoryContract } from './catalog.contract.js';
import { conversationStoreContract } from './conversations.contract.js';
import { creditAccountRepositoryContract } from './credit.contract.js';
import { catalogDefaultRepositoryContract, orderDraftRepositoryContract } from './drafts.contract.js';
import { deliveryProofRepositoryContract } from './deliveries.contract.js';
import { idempotencyStoreContract, outboxContract, webhookInboxContract } from './messaging.contract.js';
import { onboardingRequestStoreContract } from './onboarding.contract.js';
import { orderRepositoryContract } from './order.contract.js';
import { outboundMessageLogContract } from './outbound-message-log.contract.js';
import { retailerRepositoryContract, userRepositoryContract, vendorRepositoryContract } from './parties.contract.js';
import type { PersistenceSubject } from './persistence-subject.js';
import { type SpeechToTextSubject, speechToTextContract } from './speech-to-text.contract.js';
import { unitOfWorkContract } from './unit-of-work.contract.js';

export {
  auditLogContract,
  catalogDefaultRepositoryContract,
  conversationStoreContract,
  deliveryProofRepositoryContract,
  onboardingRequestStoreContract,
  orderDraftRepositoryContract,
  loginThrottleRepositoryContract,
  refreshTokenRepositoryContract,
  creditAccountRepositoryContract,
  idempotencyStoreContract,
  orderRepositoryContract,
  outboundMessageLogContract,
  outboxContract,
  productRepositoryContract,
  retailerRepositoryContract,
  type SpeechToTextSubject,
  speechToTextContract,
  unitOfWorkContract,
  userRepositoryContract,
  vendorOfferRepositoryContract,
  vendorRepositoryContract,
  webhookInboxContract,
};

/** Every persistence contract: run them all against a backend. */
export const persistenceContracts: readonly Contract<PersistenceSubject>[] = [
  productRepositoryContract,
  vendorOfferRepositoryContract,
  retailerRepositoryContract,
  vendorRepositoryContract,
  userRepositoryContract,
  orderRepositoryContract,
  creditAccountRepositoryContract,
  unitOfWorkContract,
  outboxContract,
  webhookInboxContract,
  outboundMessageLogContract,
  idempotencyStoreContract,
  refreshTokenRepositoryContract,
  loginThrottleRepositoryContract,
  auditLogContract,
  catalogDefaultRepositoryContract,
  orderDraftRepositoryContract,
  conversationStoreContract,
  deliveryProofRepositoryContract,
  onboardingRequestStoreContract,
];

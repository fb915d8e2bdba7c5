import type { OnboardingRequest, OnboardingRequestId, OnboardingStatus } from '../onboarding/onboarding-request.js';
import type { PhoneNumber } from '../shared/phone-number.js';
import { type Token, type TokenMap, tokenMap } from '../shared/token.js';
import type { Page, PageRequest } from './pagination.js';

/**
 * Onboarding requests of unknown numbers, for operators to approve (issue 13). At most one
 * PENDING request per phone. Saves use optimistic concurrency on `version`.
 */
export interface OnboardingRequestStore {
  get(id: OnboardingRequestId): Promise<OnboardingRequest | null>;
  /** This number's newest request (any status), or null. */
  latestByPhone(phone: PhoneNumber): Promise<OnboardingRequest | null>;
  /** Every request of this number, newest first (personal-data export). */
  listByPhone(phone: PhoneNumber): Promise<OnboardingRequest[]>;
  /**
   * Insert (version 0) or update if the stored version is still `request.version`; returns it
   * with the version one up. A stale version, or a second PENDING request for the same phone,
   * is `ConcurrencyError` (ENTITY.CONCURRENT_MODIFICATION): read again and retry.
   */
  save(request: OnboardingRequest): Promise<OnboardingRequest>;
  /** Newest first (createdAt desc, id desc), keyset-paginated; by status when given. */
  list(filter: { readonly status?: OnboardingStatus }, page: PageRequest): Promise<Page<OnboardingRequest>>;
  /** How many requests are in each status, every status present (0 when none): one aggregate. */
  countByStatus(): Promise<Readonly<Record<OnboardingStatus, number>>>;
  /** Personal-data erasure of a number: its requests are deleted; returns how many. */
  deleteByPhone(phone: PhoneNumber): Promise<number>;
}

export interface OnboardingRepositories {
  readonly onboardingRequests: OnboardingRequestStore;
}

export const ONBOARDING_REPOSITORY_TOKENS: TokenMap<OnboardingRepositories> = tokenMap<OnboardingRepositories>({
  onboardingRequests: 'OnboardingRequestStore',
});

export const ONBOARDING_REQUEST_STORE: Token<OnboardingRequestStore> = ONBOARDING_REPOSITORY_TOKENS.onboardingRequests;

import {
  ONBOARDING_STATUSES,
  type OnboardingRequest,
  type OnboardingRequestId,
  type OnboardingStatus,
} from '../onboarding/onboarding-request.js';
import type { OnboardingRepositories, OnboardingRequestStore } from '../ports/onboarding-requests.js';
import type { Page, PageRequest } from '../ports/pagination.js';
import { ConcurrencyError } from '../shared/errors.js';
import type { PhoneNumber } from '../shared/phone-number.js';
import { pageByCreated } from './in-memory-party-repositories.js';
import type { StoreAccess } from './in-memory-store.js';

const REQUESTS = 'onboardingRequests';

export class InMemoryOnboardingRequestStore implements OnboardingRequestStore {
  constructor(private readonly db: StoreAccess) {}

  async get(id: OnboardingRequestId): Promise<OnboardingRequest | null> {
    return this.db.read().get<OnboardingRequest>(REQUESTS, id) ?? null;
  }

  async latestByPhone(phone: PhoneNumber): Promise<OnboardingRequest | null> {
    return (await this.listByPhone(phone))[0] ?? null;
  }

  async listByPhone(phone: PhoneNumber): Promise<OnboardingRequest[]> {
    const mine = this.db
      .read()
      .values<OnboardingRequest>(REQUESTS)
      .filter((r) => r.phone.value === phone.value);
    return mine.sort(
      (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0),
    );
  }

  async save(request: OnboardingRequest): Promise<OnboardingRequest> {
    return this.db.write((tx) => {
      const stored = tx.get<OnboardingRequest>(REQUESTS, request.id);
      if ((stored?.version ?? 0) !== request.version) {
        throw new ConcurrencyError('onboarding request was changed by someone else', {
          expectedVersion: request.version,
          actualVersion: stored?.version ?? 0,
        });
      }
      if (request.status === 'PENDING') {
        const other = tx
          .values<OnboardingRequest>(REQUESTS)
          .find((r) => r.status === 'PENDING' && r.phone.value === request.phone.value && r.id !== request.id);
        if (other) throw new ConcurrencyError('this number has a pending onboarding request', { requestId: other.id });
      }
      const saved = { ...request, version: request.version + 1 };
      tx.set(REQUESTS, request.id, saved);
      return saved;
    });
  }

  async list(filter: { readonly status?: OnboardingStatus }, page: PageRequest): Promise<Page<OnboardingRequest>> {
    const rows = this.db
      .read()
      .values<OnboardingRequest>(REQUESTS)
      .filter((r) => filter.status === undefined || r.status === filter.status);
    return pageByCreated(rows, page);
  }

  async countByStatus(): Promise<Readonly<Record<OnboardingStatus, number>>> {
    const counts = Object.fromEntries(ONBOARDING_STATUSES.map((s) => [s, 0])) as Record<OnboardingStatus, number>;
    for (const r of this.db.read().values<OnboardingRequest>(REQUESTS)) counts[r.status] += 1;
    return counts;
  }

  async deleteByPhone(phone: PhoneNumber): Promise<number> {
    return this.db.write((tx) => {
      const gone = tx.values<OnboardingRequest>(REQUESTS).filter((r) => r.phone.value === phone.value);
      for (const r of gone) tx.delete(REQUESTS, r.id);
      return gone.length;
    });
  }
}

export function inMemoryOnboardingRepositories(db: StoreAccess): OnboardingRepositories {
  return { onboardingRequests: new InMemoryOnboardingRequestStore(db) };
}

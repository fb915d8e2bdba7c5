import type { DeliveryProof } from '../order/delivery-proof.js';
import type { OrderId } from '../shared/ids.js';
import { type TokenMap, tokenMap } from '../shared/token.js';
import type { Page, PageRequest } from './pagination.js';

/** Proof of delivery, one per dispatched order (see `DeliveryProof`). */
export interface DeliveryProofRepository {
  get(orderId: OrderId): Promise<DeliveryProof | null>;
  /**
   * Insert when version is 0 (a second proof for an order is `ENTITY.DUPLICATE`), else update
   * if the stored version matches (`ENTITY.CONCURRENT_MODIFICATION` otherwise); the version
   * goes up by one. An unknown order is `ENTITY.REFERENCE_MISSING`.
   */
  save(proof: DeliveryProof): Promise<void>;
  /** Deliveries in dispute, oldest dispute first; the cursor is opaque. */
  listDisputed(page: PageRequest): Promise<Page<DeliveryProof>>;
}

export interface DeliveryRepositories {
  readonly deliveries: DeliveryProofRepository;
}

export const DELIVERY_REPOSITORY_TOKENS: TokenMap<DeliveryRepositories> = tokenMap<DeliveryRepositories>({
  deliveries: 'DeliveryProofRepository',
});

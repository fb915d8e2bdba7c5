import { DeliveryProof, type DeliveryProofSnapshot } from '../order/delivery-proof.js';
import type { DeliveryProofRepository, DeliveryRepositories } from '../ports/delivery-repositories.js';
import { decodeCursor, encodeCursor, type Page, type PageRequest, pageLimit } from '../ports/pagination.js';
import { ConcurrencyError, ConflictError, ErrorCodes } from '../shared/errors.js';
import type { OrderId } from '../shared/ids.js';
import { duplicateKey } from './in-memory-store-errors.js';
import type { StoreAccess } from './in-memory-store.js';

const PROOFS = 'delivery_proofs';

export class InMemoryDeliveryProofRepository implements DeliveryProofRepository {
  constructor(private readonly db: StoreAccess) {}

  async get(orderId: OrderId): Promise<DeliveryProof | null> {
    const stored = this.db.read().get<DeliveryProofSnapshot>(PROOFS, orderId);
    return stored ? DeliveryProof.restore(stored) : null;
  }

  async save(proof: DeliveryProof): Promise<void> {
    const snapshot = proof.snapshot();
    const version = await this.db.write((tx) => {
      const stored = tx.get<DeliveryProofSnapshot>(PROOFS, snapshot.orderId);
      if (snapshot.version === 0) {
        if (stored) throw duplicateKey('order already has a delivery proof', 'delivery_proofs_pkey');
        if (tx.get('orders', snapshot.orderId) === undefined) {
          throw new ConflictError(
            'unknown order',
            { constraint: 'delivery_proofs_order_id_foreign' },
            ErrorCodes.REFERENCE_MISSING,
          );
        }
      } else if (!stored || stored.version !== snapshot.version) {
        throw new ConcurrencyError('delivery proof was changed by someone else', {
          orderId: snapshot.orderId,
          expected: snapshot.version,
          found: stored?.version ?? null,
        });
      }
      const next = snapshot.version + 1;
      tx.set(PROOFS, snapshot.orderId, { ...snapshot, version: next });
      return next;
    });
    proof.markPersisted(version);
  }

  async listDisputed(page: PageRequest): Promise<Page<DeliveryProof>> {
    const limit = pageLimit(page);
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    const key = (p: DeliveryProofSnapshot): [number, string] => [p.disputedAt?.getTime() ?? 0, p.orderId];
    const disputed = this.db
      .read()
      .values<DeliveryProofSnapshot>(PROOFS)
      .filter((p) => p.status === 'DISPUTED')
      .sort((a, b) => {
        const [ta, ia] = key(a);
        const [tb, ib] = key(b);
        return ta - tb || (ia < ib ? -1 : ia > ib ? 1 : 0);
      })
      .filter((p) => {
        if (!after) return true;
        const [t, id] = key(p);
        return t > after.at.getTime() || (t === after.at.getTime() && id > after.id);
      });
    const items = disputed.slice(0, limit).map((p) => DeliveryProof.restore(p));
    const last = items.at(-1)?.snapshot();
    const nextCursor =
      disputed.length > limit && last?.disputedAt ? encodeCursor({ at: last.disputedAt, id: last.orderId }) : null;
    return { items, nextCursor };
  }
}

export function inMemoryDeliveryRepositories(db: StoreAccess): DeliveryRepositories {
  return { deliveries: new InMemoryDeliveryProofRepository(db) };
}

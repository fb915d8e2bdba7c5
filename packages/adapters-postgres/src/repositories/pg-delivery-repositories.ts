import {
  type Actor,
  ConcurrencyError,
  type DeliveryConfirmation,
  type DeliveryDisputeReason,
  DeliveryProof,
  type DeliveryProofRepository,
  type DeliveryProofStatus,
  type DeliveryRepositories,
  decodeCursor,
  encodeCursor,
  type OrderId,
  type Page,
  type PageRequest,
  pageLimit,
  type RetailerId,
  type VendorId,
} from '@khaacho/core';
import type { SqlSession } from '../sql/sql-session.js';
import { jsonParam, toDate, toDateOrNull } from '../sql/row-values.js';

interface ProofRow {
  order_id: string;
  retailer_id: string;
  vendor_id: string;
  code: string | null;
  status: string;
  failed_attempts: number;
  issued_at: unknown;
  confirmed_as: string | null;
  delivered: boolean | null;
  dispute_reason: string | null;
  disputed_at: unknown;
  disputed_by: Actor | null;
  dispute_note: string | null;
  settled_at: unknown;
  settled_by: Actor | null;
  settlement_note: string | null;
  updated_at: unknown;
  version: number;
}

export class PgDeliveryProofRepository implements DeliveryProofRepository {
  constructor(private readonly db: SqlSession) {}

  async get(orderId: OrderId): Promise<DeliveryProof | null> {
    const [row] = await this.db.rows<ProofRow>('select * from delivery_proofs where order_id = $1', [orderId]);
    return row ? toProof(row) : null;
  }

  async save(proof: DeliveryProof): Promise<void> {
    const s = proof.snapshot();
    const values = [
      s.code,
      s.status,
      s.failedAttempts,
      s.confirmedAs,
      s.delivered,
      s.disputeReason,
      s.disputedAt,
      s.disputedBy === null ? null : jsonParam(s.disputedBy),
      s.disputeNote,
      s.settledAt,
      s.settledBy === null ? null : jsonParam(s.settledBy),
      s.settlementNote,
      s.updatedAt,
    ];
    if (s.version === 0) {
      // A second proof for the order is 23505 and an unknown order 23503: the session translates both.
      await this.db.run(
        `insert into delivery_proofs (code, status, failed_attempts, confirmed_as, delivered, dispute_reason, disputed_at,
           disputed_by, dispute_note, settled_at, settled_by, settlement_note, updated_at,
           order_id, retailer_id, vendor_id, issued_at, version)
         values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11::jsonb, $12, $13, $14, $15, $16, $17, 1)`,
        [...values, s.orderId, s.retailerId, s.vendorId, s.issuedAt],
      );
    } else {
      const updated = await this.db.run(
        `update delivery_proofs set code = $1, status = $2, failed_attempts = $3, confirmed_as = $4, delivered = $5,
           dispute_reason = $6, disputed_at = $7, disputed_by = $8::jsonb, dispute_note = $9, settled_at = $10,
           settled_by = $11::jsonb, settlement_note = $12, updated_at = $13, version = version + 1
         where order_id = $14 and version = $15`,
        [...values, s.orderId, s.version],
      );
      if (updated !== 1) {
        throw new ConcurrencyError('delivery proof was changed by someone else', {
          orderId: s.orderId,
          expected: s.version,
        });
      }
    }
    proof.markPersisted(s.version + 1);
  }

  async listDisputed(page: PageRequest): Promise<Page<DeliveryProof>> {
    const limit = pageLimit(page);
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    const rows = await this.db.rows<ProofRow>(
      `select * from delivery_proofs where status = 'DISPUTED'
         and ($1::timestamptz is null or (disputed_at, order_id) > ($1::timestamptz, $2::uuid))
       order by disputed_at, order_id limit $3`,
      [after?.at ?? null, after?.id ?? null, limit + 1],
    );
    const items = rows.slice(0, limit).map(toProof);
    const last = items.at(-1)?.snapshot();
    const nextCursor =
      rows.length > limit && last?.disputedAt ? encodeCursor({ at: last.disputedAt, id: last.orderId }) : null;
    return { items, nextCursor };
  }
}

function toProof(row: ProofRow): DeliveryProof {
  return DeliveryProof.restore({
    orderId: row.order_id as OrderId,
    retailerId: row.retailer_id as RetailerId,
    vendorId: row.vendor_id as VendorId,
    code: row.code,
    status: row.status as DeliveryProofStatus,
    failedAttempts: Number(row.failed_attempts),
    issuedAt: toDate(row.issued_at),
    confirmedAs: row.confirmed_as as DeliveryConfirmation | null,
    delivered: row.delivered,
    disputeReason: row.dispute_reason as DeliveryDisputeReason | null,
    disputedAt: toDateOrNull(row.disputed_at),
    disputedBy: row.disputed_by,
    disputeNote: row.dispute_note,
    settledAt: toDateOrNull(row.settled_at),
    settledBy: row.settled_by,
    settlementNote: row.settlement_note,
    updatedAt: toDate(row.updated_at),
    version: Number(row.version),
  });
}

export function createPgDeliveryRepositories(db: SqlSession): DeliveryRepositories {
  return { deliveries: new PgDeliveryProofRepository(db) };
}

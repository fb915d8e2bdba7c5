import {
  ErrorCodes,
  type OrderId,
  type RetailerId,
  type RoutingDecisionRecord,
  type RoutingDecisionRepository,
  ValidationError,
  type VendorId,
  type VendorRating,
  type VendorRatingRepository,
} from '@khaacho/core';
import { decodeRecord, encodeRecord } from '../sql/json-codec.js';
import { toDate } from '../sql/row-values.js';
import type { SqlSession } from '../sql/sql-session.js';

export class PgRoutingDecisionRepository implements RoutingDecisionRepository {
  constructor(private readonly db: SqlSession) {}

  async append(r: RoutingDecisionRecord): Promise<void> {
    // Unique id and (order_id, attempt) → ConflictError.
    await this.db.run(
      `insert into routing_decisions (id, order_id, attempt, selected_vendor_id, created_at, record)
       values ($1, $2, $3, $4, $5, $6::jsonb)`,
      [r.id, r.orderId, r.attempt, r.decision.selectedVendorId, r.createdAt, JSON.stringify(encodeRecord(r))],
    );
  }

  async listByOrder(orderId: OrderId): Promise<RoutingDecisionRecord[]> {
    const rows = await this.db.rows<{ record: unknown }>(
      'select record from routing_decisions where order_id = $1 order by attempt',
      [orderId],
    );
    return rows.map((r) => decodeRecord<RoutingDecisionRecord>(r.record));
  }
}

interface RatingRow {
  id: string;
  vendor_id: string;
  retailer_id: string;
  order_id: string;
  rating: number;
  comment: string | null;
  rated_at: unknown;
}

export class PgVendorRatingRepository implements VendorRatingRepository {
  constructor(private readonly db: SqlSession) {}

  async append(r: VendorRating): Promise<void> {
    // The CHECK's own code and name: a fraction would otherwise fail as a bad integer (22P02), not as a rating.
    if (!Number.isInteger(r.rating) || r.rating < 1 || r.rating > 5) {
      throw new ValidationError(
        'rating must be a whole number 1-5',
        { rating: r.rating, constraint: 'vendor_ratings_rating_check' },
        ErrorCodes.CONSTRAINT_VIOLATED,
      );
    }
    await this.db.run(
      `insert into vendor_ratings (id, vendor_id, retailer_id, order_id, rating, comment, rated_at)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [r.id, r.vendorId, r.retailerId, r.orderId, r.rating, r.comment, r.ratedAt],
    );
  }

  clearCommentsOfRetailer(retailerId: RetailerId): Promise<number> {
    return this.db.run('update vendor_ratings set comment = null where retailer_id = $1 and comment is not null', [
      retailerId,
    ]);
  }

  async getByOrder(orderId: OrderId): Promise<VendorRating | null> {
    const [row] = await this.db.rows<RatingRow>('select * from vendor_ratings where order_id = $1', [orderId]);
    return row ? toRating(row) : null;
  }

  async listByVendors(vendorIds: readonly VendorId[], since: Date): Promise<VendorRating[]> {
    if (vendorIds.length === 0) return [];
    const rows = await this.db.rows<RatingRow>(
      'select * from vendor_ratings where vendor_id = any($1::uuid[]) and rated_at >= $2 order by rated_at, id',
      [[...vendorIds], since],
    );
    return rows.map(toRating);
  }
}

function toRating(row: RatingRow): VendorRating {
  return {
    id: row.id,
    vendorId: row.vendor_id as VendorId,
    retailerId: row.retailer_id as RetailerId,
    orderId: row.order_id as OrderId,
    rating: row.rating,
    comment: row.comment,
    ratedAt: toDate(row.rated_at),
  };
}

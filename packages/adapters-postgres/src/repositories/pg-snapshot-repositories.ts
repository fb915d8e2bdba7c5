import type {
  PriceIntelligenceSnapshot,
  PriceIntelligenceSnapshotRepository,
  ProductId,
  VendorId,
  VendorPerformanceSnapshot,
  VendorPerformanceSnapshotRepository,
} from '@khaacho/core';
import { decodeRecord, encodeRecord } from '../sql/json-codec.js';
import type { SqlSession } from '../sql/sql-session.js';

/*
 * The whole snapshot is the typed JSON `record`; the other columns serve queries. `save` is
 * one upsert whose update only applies when the stored row was not checked later, so of two
 * racing refreshes the older computation never replaces the newer (port rule).
 */

export class PgVendorPerformanceSnapshotRepository implements VendorPerformanceSnapshotRepository {
  constructor(private readonly db: SqlSession) {}

  async get(vendorId: VendorId): Promise<VendorPerformanceSnapshot | null> {
    const [row] = await this.db.rows<{ record: unknown }>(
      'select record from vendor_performance_snapshots where vendor_id = $1',
      [vendorId],
    );
    return row ? decodeRecord<VendorPerformanceSnapshot>(row.record) : null;
  }

  async getMany(vendorIds: readonly VendorId[]): Promise<VendorPerformanceSnapshot[]> {
    if (vendorIds.length === 0) return [];
    const rows = await this.db.rows<{ record: unknown }>(
      'select record from vendor_performance_snapshots where vendor_id = any($1::uuid[]) order by vendor_id',
      [[...new Set(vendorIds)]],
    );
    return rows.map((r) => decodeRecord<VendorPerformanceSnapshot>(r.record));
  }

  async save(s: VendorPerformanceSnapshot): Promise<boolean> {
    const rows = await this.db.rows<{ vendor_id: string }>(
      `insert into vendor_performance_snapshots
         (vendor_id, fingerprint, version, computed_at, checked_at, reliability, record)
       values ($1, $2, $3, $4, $5, $6, $7::jsonb)
       on conflict (vendor_id) do update set fingerprint = excluded.fingerprint, version = excluded.version,
         computed_at = excluded.computed_at, checked_at = excluded.checked_at,
         reliability = excluded.reliability, record = excluded.record
       where vendor_performance_snapshots.checked_at <= excluded.checked_at
       returning vendor_id`,
      [
        s.vendorId,
        s.fingerprint,
        s.version,
        s.computedAt,
        s.checkedAt,
        s.report.reliability.score,
        JSON.stringify(encodeRecord(s)),
      ],
    );
    return rows.length > 0;
  }
}

export class PgPriceIntelligenceSnapshotRepository implements PriceIntelligenceSnapshotRepository {
  constructor(private readonly db: SqlSession) {}

  async get(productId: ProductId): Promise<PriceIntelligenceSnapshot | null> {
    const [row] = await this.db.rows<{ record: unknown }>(
      'select record from price_intelligence_snapshots where product_id = $1',
      [productId],
    );
    return row ? decodeRecord<PriceIntelligenceSnapshot>(row.record) : null;
  }

  async listWithAlerts(page: {
    afterProductId?: ProductId;
    fromProductId?: ProductId;
    limit: number;
  }): Promise<PriceIntelligenceSnapshot[]> {
    // uuid order in PostgreSQL is the byte order, the same as the lowercase text order in memory.
    const rows = await this.db.rows<{ record: unknown }>(
      `select record from price_intelligence_snapshots
        where alert_count > 0 and ($1::uuid is null or product_id > $1) and ($2::uuid is null or product_id >= $2)
        order by product_id limit $3`,
      [page.afterProductId ?? null, page.fromProductId ?? null, Math.max(0, page.limit)],
    );
    return rows.map((r) => decodeRecord<PriceIntelligenceSnapshot>(r.record));
  }

  async save(s: PriceIntelligenceSnapshot): Promise<boolean> {
    const rows = await this.db.rows<{ product_id: string }>(
      `insert into price_intelligence_snapshots
         (product_id, fingerprint, version, computed_at, checked_at, trend, alert_count, record)
       values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)
       on conflict (product_id) do update set fingerprint = excluded.fingerprint, version = excluded.version,
         computed_at = excluded.computed_at, checked_at = excluded.checked_at,
         trend = excluded.trend, alert_count = excluded.alert_count, record = excluded.record
       where price_intelligence_snapshots.checked_at <= excluded.checked_at
       returning product_id`,
      [
        s.productId,
        s.fingerprint,
        s.version,
        s.computedAt,
        s.checkedAt,
        s.insight.trend.direction,
        s.insight.alerts.length,
        JSON.stringify(encodeRecord(s)),
      ],
    );
    return rows.length > 0;
  }
}

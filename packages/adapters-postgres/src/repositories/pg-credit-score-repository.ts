import type { CreditScoreRecord, CreditScoreRepository, HistoryQuery, RetailerId } from '@khaacho/core';
import { decodeRecord, encodeRecord } from '../sql/json-codec.js';
import type { SqlSession } from '../sql/sql-session.js';
import { historyLimit } from './engine-history.js';

export class PgCreditScoreRepository implements CreditScoreRepository {
  constructor(private readonly db: SqlSession) {}

  async append(r: CreditScoreRecord): Promise<void> {
    await this.db.run(
      `insert into credit_score_history (id, retailer_id, score, band, recommended_limit, currency, limit_rule, trigger,
         calculated_at, record)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)`,
      [
        r.id,
        r.retailerId,
        r.score,
        r.band,
        r.recommendedLimit.amount,
        r.recommendedLimit.currency,
        r.limitRule,
        r.trigger,
        r.calculatedAt,
        JSON.stringify(encodeRecord(r)),
      ],
    );
  }

  async latest(retailerId: RetailerId): Promise<CreditScoreRecord | null> {
    const [row] = await this.db.rows<{ record: unknown }>(
      `select record from credit_score_history where retailer_id = $1 order by calculated_at desc, seq desc limit 1`,
      [retailerId],
    );
    return row ? decodeRecord<CreditScoreRecord>(row.record) : null;
  }

  async latestForRetailers(retailerIds: readonly RetailerId[]): Promise<CreditScoreRecord[]> {
    if (retailerIds.length === 0) return [];
    const rows = await this.db.rows<{ record: unknown }>(
      `select distinct on (retailer_id) record from credit_score_history where retailer_id = any($1::uuid[])
       order by retailer_id, calculated_at desc, seq desc`,
      [[...retailerIds]],
    );
    return rows.map((r) => decodeRecord<CreditScoreRecord>(r.record));
  }

  async history(retailerId: RetailerId, query?: HistoryQuery): Promise<CreditScoreRecord[]> {
    const limit = historyLimit(query);
    const rows = await this.db.rows<{ record: unknown }>(
      `select record from credit_score_history where retailer_id = $1 and ($2::timestamptz is null or calculated_at >= $2)
       order by calculated_at desc, seq desc limit $3`,
      [retailerId, query?.since ?? null, limit],
    );
    return rows.map((r) => decodeRecord<CreditScoreRecord>(r.record));
  }
}

import type {
  HistoryQuery,
  OrderId,
  RetailerId,
  RiskEvent,
  RiskEventRepository,
  RiskRule,
  RiskRuleFilter,
  RiskRuleRepository,
} from '@khaacho/core';
import { decodeRecord, encodeRecord } from '../sql/json-codec.js';
import type { SqlSession } from '../sql/sql-session.js';
import { historyLimit } from './engine-history.js';

export class PgRiskRuleRepository implements RiskRuleRepository {
  constructor(private readonly db: SqlSession) {}

  async list(filter: RiskRuleFilter = {}): Promise<RiskRule[]> {
    const rows = await this.db.rows<{ record: unknown }>(
      // "C" collation: ordered by id byte-wise, like the in-memory adapter.
      `select record from risk_rules where ($1::boolean is null or enabled = $1) order by id collate "C"`,
      [filter.enabled ?? null],
    );
    return rows.map((r) => decodeRecord<RiskRule>(r.record));
  }

  async get(id: string): Promise<RiskRule | null> {
    const [row] = await this.db.rows<{ record: unknown }>('select record from risk_rules where id = $1', [id]);
    return row ? decodeRecord<RiskRule>(row.record) : null;
  }

  async save(rule: RiskRule): Promise<void> {
    await this.db.run(
      `insert into risk_rules (id, type, action, enabled, record, updated_at) values ($1, $2, $3, $4, $5::jsonb, now())
       on conflict (id) do update set type = excluded.type, action = excluded.action, enabled = excluded.enabled,
         record = excluded.record, updated_at = excluded.updated_at`,
      [rule.id, rule.type, rule.action, rule.enabled, JSON.stringify(encodeRecord(rule))],
    );
  }
}

export class PgRiskEventRepository implements RiskEventRepository {
  constructor(private readonly db: SqlSession) {}

  async append(events: readonly RiskEvent[]): Promise<void> {
    if (events.length === 0) return;
    // One statement: a duplicate id anywhere fails the whole batch.
    await this.db.run(
      `insert into risk_events (id, order_id, retailer_id, rule_id, action, outcome, triggered, assessed_at, record)
       select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::boolean[],
         $8::timestamptz[], $9::jsonb[])`,
      [
        events.map((e) => e.id),
        events.map((e) => e.orderId),
        events.map((e) => e.retailerId),
        events.map((e) => e.ruleId),
        events.map((e) => e.action),
        events.map((e) => e.outcome),
        events.map((e) => e.triggered),
        events.map((e) => e.assessedAt),
        events.map((e) => JSON.stringify(encodeRecord(e))),
      ],
    );
  }

  async listByOrder(orderId: OrderId): Promise<RiskEvent[]> {
    const rows = await this.db.rows<{ record: unknown }>(
      `select record from risk_events where order_id = $1 order by assessed_at, rule_id collate "C"`,
      [orderId],
    );
    return rows.map((r) => decodeRecord<RiskEvent>(r.record));
  }

  async listByRetailer(retailerId: RetailerId, query?: HistoryQuery): Promise<RiskEvent[]> {
    const limit = historyLimit(query);
    const rows = await this.db.rows<{ record: unknown }>(
      `select record from risk_events where retailer_id = $1 and ($2::timestamptz is null or assessed_at >= $2)
       order by assessed_at desc, rule_id collate "C" limit $3`,
      [retailerId, query?.since ?? null, limit],
    );
    return rows.map((r) => decodeRecord<RiskEvent>(r.record));
  }
}

import type {
  AggregateType,
  DomainEvent,
  IdGenerator,
  JsonObject,
  Outbox,
  OutboxClaim,
  OutboxMessage,
  OutboxStats,
  OutboxWriter,
} from '@khaacho/core';
import { jsonParam, toDate, toDateOrNull, toSafeInt } from '../sql/row-values.js';
import type { SqlSession } from '../sql/sql-session.js';

interface OutboxRow {
  id: string;
  seq: unknown;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: JsonObject;
  occurred_at: unknown;
  created_at: unknown;
  attempts: number;
  last_error: string | null;
  published_at: unknown;
}

/** Appends inside the caller's session: inside a unit of work, the events commit with the change. */
export class PgOutboxWriter implements OutboxWriter {
  constructor(
    protected readonly db: SqlSession,
    private readonly ids: IdGenerator,
  ) {}

  async append(events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.db.run(
      `insert into outbox (id, event_type, aggregate_type, aggregate_id, payload, occurred_at, created_at, available_at, attempts)
       select t.id, t.event_type, t.aggregate_type, t.aggregate_id, t.payload, t.occurred_at, t.occurred_at, t.occurred_at, 0
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::timestamptz[])
         with ordinality as t(id, event_type, aggregate_type, aggregate_id, payload, occurred_at, ord)
       order by t.ord`,
      [
        events.map(() => this.ids.next()),
        events.map((e) => e.type),
        events.map((e) => e.aggregateType),
        events.map((e) => e.aggregateId),
        events.map((e) => jsonParam(e.payload)),
        events.map((e) => e.occurredAt),
      ],
    );
  }
}

/**
 * The relay side. `claim` is one statement: pick free rows oldest first with
 * FOR UPDATE SKIP LOCKED (concurrent relays skip each other's rows instead of waiting)
 * and stamp a lease, so a message goes to one relay at a time and comes back if that
 * relay dies before marking it.
 */
export class PgOutbox extends PgOutboxWriter implements Outbox {
  async claim(claim: OutboxClaim): Promise<OutboxMessage[]> {
    const rows = await this.db.rows<OutboxRow>(
      `with picked as (
         select id from outbox
         where published_at is null and available_at <= $1 and (lease_until is null or lease_until <= $1)
         order by available_at, seq
         limit $2
         for update skip locked)
       update outbox o set attempts = o.attempts + 1, lease_until = $3
       from picked where o.id = picked.id
       returning o.*`,
      [claim.now, claim.limit, new Date(claim.now.getTime() + claim.leaseMs)],
    );
    // RETURNING has no order: restore creation order.
    return rows.sort((a, b) => toSafeInt(a.seq) - toSafeInt(b.seq)).map(toMessage);
  }

  async markPublished(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.db.run(
      `update outbox set published_at = coalesce(published_at, $2), lease_until = null where id = any($1::uuid[])`,
      [[...ids], at],
    );
  }

  async markFailed(id: string, error: string, retryAt: Date): Promise<void> {
    await this.db.run(
      `update outbox set last_error = left($2, 2000), available_at = $3, lease_until = null
       where id = $1 and published_at is null`,
      [id, error, retryAt],
    );
  }

  async stats(_now: Date): Promise<OutboxStats> {
    const [row] = await this.db.rows<{ pending: string; oldest: unknown; failing: string }>(
      `select count(*) as pending, min(created_at) as oldest, count(*) filter (where last_error is not null) as failing
       from outbox where published_at is null`,
    );
    return {
      pending: Number(row?.pending ?? 0),
      oldestPendingAt: toDateOrNull(row?.oldest ?? null),
      failing: Number(row?.failing ?? 0),
    };
  }
}

function toMessage(row: OutboxRow): OutboxMessage {
  const event: DomainEvent = {
    type: row.event_type,
    aggregateType: row.aggregate_type as AggregateType,
    aggregateId: row.aggregate_id,
    occurredAt: toDate(row.occurred_at),
    payload: row.payload,
  };
  return {
    id: row.id,
    event,
    createdAt: toDate(row.created_at),
    attempts: row.attempts,
    lastError: row.last_error,
    publishedAt: toDateOrNull(row.published_at),
  };
}

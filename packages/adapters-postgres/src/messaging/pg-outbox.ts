import {
  type Clock,
  type DomainEvent,
  EventTypes,
  type IdGenerator,
  type Outbox,
  type OutboxClaim,
  type OutboxMessage,
  type OutboxPublished,
  type OutboxStats,
  type OutboxWriter,
  parseDomainEvent,
  systemClock,
  type UnreadableOutboxMessage,
} from '@khaacho/core';
import { jsonParam, toDate, toDateOrNull, toSafeInt } from '../sql/row-values.js';
import { prepared } from '../sql/prepared-statements.js';
import type { SqlSession } from '../sql/sql-session.js';
import type { CommitSignal } from './local-wakeup.js';

/** `last_error` of a row parked because it does not parse; `stats` counts them by it. */
const UNREADABLE_PREFIX = 'unreadable event: ';

interface OutboxRow {
  id: string;
  seq: unknown;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: unknown;
  occurred_at: unknown;
  created_at: unknown;
  attempts: number;
  last_error: string | null;
  published_at: unknown;
}

/** Appends inside the caller's session: inside a unit of work, the events commit with the change. */
export class PgOutboxWriter implements OutboxWriter {
  /**
   * @param appended told after every append. A unit of work's writer tells the unit, which
   *   wakes the relay once it has committed; the shared session's writer has committed already.
   * @param clock stamps `created_at`, when the row is written (an event's `occurred_at` may be
   *   historic, as the demo seed's are): the outbox's lag is measured from it.
   */
  constructor(
    protected readonly db: SqlSession,
    private readonly ids: IdGenerator,
    private readonly appended: CommitSignal | null = null,
    private readonly clock: Clock = systemClock,
  ) {}

  async append(events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    // Refuse at write what the relay could not read back (an event forced past the types).
    for (const event of events) parseDomainEvent(event);
    await this.db.run(
      prepared(`insert into outbox (id, event_type, aggregate_type, aggregate_id, payload, occurred_at, created_at, available_at, attempts)
       select t.id, t.event_type, t.aggregate_type, t.aggregate_id, t.payload, t.occurred_at, $7::timestamptz, t.occurred_at, 0
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::timestamptz[])
         with ordinality as t(id, event_type, aggregate_type, aggregate_id, payload, occurred_at, ord)
       order by t.ord`),
      [
        events.map(() => this.ids.next()),
        events.map((e) => e.type),
        events.map((e) => e.aggregateType),
        events.map((e) => e.aggregateId),
        events.map((e) => jsonParam(e.payload)),
        events.map((e) => e.occurredAt),
        this.clock.now(),
      ],
    );
    this.appended?.poke();
  }
}

/** Messages of this type to one aggregate (a phone number) are claimed one at a time, in order. */
const PHONE_ORDERED_TYPE: string = EventTypes.MESSAGE_SEND_REQUESTED;

/**
 * The claim: $1 now, $2 limit, $3 lease end, $4 the phone-ordered type (null: no order), $5
 * the unreadable prefix. A send is held while an earlier readable send to its phone is
 * unpublished, that is unless its seq is at most its phone's head (the first readable
 * unpublished send). The heads come from one pass over the unpublished sends (a hash
 * aggregate) and are joined to the candidates: the claim used to probe
 * `outbox_phone_order_idx` once per unpublished send, and in a backlog (sends queued behind
 * each phone's head, the heads leased until their jobs finish) those probes were the claim's
 * cost: on 2,000 unpublished rows (1,400 held sends) ~10x the buffers and ~1.5x the CPU.
 * Exported for the differential test against the per-row form.
 */
export const CLAIM_SQL = `with heads as materialized (
    select e.aggregate_id, min(e.seq) as seq from outbox e
    where e.event_type = $4 and e.published_at is null
      and (e.last_error is null or not starts_with(e.last_error, $5))
    group by e.aggregate_id),
  picked as (
    select c.id from outbox c
      left join heads h on c.event_type = $4 and h.aggregate_id = c.aggregate_id
    where c.published_at is null and c.available_at <= $1 and (c.lease_until is null or c.lease_until <= $1)
      and (h.seq is null or h.seq >= c.seq)
    order by c.available_at, c.seq
    limit $2
    for update of c skip locked)
  update outbox o set attempts = o.attempts + 1, lease_until = $3
  from picked where o.id = picked.id
  returning o.*`;

/**
 * Marks $1 published at $2 and tells whether one of them is a send ($3) with a later
 * unpublished send to its phone: only then may an ack let a held message go, so only then
 * does the relay run a pass for it (a pass per ack round was most of the claims that found
 * nothing). The subquery reads the statement's snapshot, before the update: the marked rows
 * themselves are excluded by `seq`, and each probe is one range of `outbox_phone_order_idx`.
 */
const MARK_PUBLISHED_SQL = prepared(`with done as (
    update outbox set published_at = coalesce(published_at, $2), lease_until = null
    where id = any($1::uuid[])
    returning event_type, aggregate_id, seq)
  select exists (
    select 1 from done d
    join outbox n on n.event_type = d.event_type and n.aggregate_id = d.aggregate_id and n.seq > d.seq
    where d.event_type = $3 and n.published_at is null) as held_behind`);

/**
 * The relay side. `claim` is one statement: pick free rows oldest first with
 * FOR UPDATE SKIP LOCKED (concurrent relays skip each other's rows instead of waiting)
 * and stamp a lease, so a message goes to one relay at a time and comes back if that
 * relay dies before marking it. With `phoneOrder` a phone's messages leave in order: a send
 * is not claimed while an earlier send (by `seq`) to the same phone is unpublished — queued, running or
 * waiting out a retry, since the relay publishes a send only once its job has finished.
 * An unreadable earlier row does not hold the phone (it may never become readable).
 * The heads of the phones come from `outbox_phone_order_idx` (see CLAIM_SQL).
 */
export class PgOutbox extends PgOutboxWriter implements Outbox {
  async claim(claim: OutboxClaim): Promise<OutboxMessage[]> {
    const rows = await this.db.rows<OutboxRow>(CLAIM_SQL, [
      claim.now,
      claim.limit,
      new Date(claim.now.getTime() + claim.leaseMs),
      claim.phoneOrder ? PHONE_ORDERED_TYPE : null,
      UNREADABLE_PREFIX,
    ]);
    // RETURNING has no order: restore creation order.
    const messages: OutboxMessage[] = [];
    const unreadable: UnreadableOutboxMessage[] = [];
    for (const row of rows.sort((a, b) => toSafeInt(a.seq) - toSafeInt(b.seq))) {
      const event = readEvent(row);
      if (typeof event === 'string') {
        // Not handed out: it stays pending, failing, and is claimable again after its lease
        // (by a newer relay that knows its type, during a rolling deploy).
        await this.db.run(`update outbox set last_error = left($2, 2000) where id = $1`, [row.id, event]);
        unreadable.push({ id: row.id, type: row.event_type.slice(0, 100), attempts: row.attempts, error: event });
      } else {
        messages.push(toMessage(row, event));
      }
    }
    for (const parked of unreadable) claim.onUnreadable?.(parked);
    return messages;
  }

  async markPublished(ids: readonly string[], at: Date): Promise<OutboxPublished> {
    if (ids.length === 0) return { heldBehind: false };
    const [row] = await this.db.rows<{ held_behind: boolean }>(MARK_PUBLISHED_SQL, [[...ids], at, PHONE_ORDERED_TYPE]);
    return { heldBehind: row?.held_behind === true };
  }

  async markFailed(id: string, error: string, retryAt: Date): Promise<void> {
    await this.db.run(
      `update outbox set last_error = left($2, 2000), available_at = $3, lease_until = null
       where id = $1 and published_at is null`,
      [id, error, retryAt],
    );
  }

  async stats(_now: Date): Promise<OutboxStats> {
    const [row] = await this.db.rows<{ pending: string; oldest: unknown; failing: string; unreadable: string }>(
      `select count(*) as pending, min(created_at) as oldest, count(*) filter (where last_error is not null) as failing,
         count(*) filter (where starts_with(last_error, $1)) as unreadable
       from outbox where published_at is null`,
      [UNREADABLE_PREFIX],
    );
    return {
      pending: Number(row?.pending ?? 0),
      oldestPendingAt: toDateOrNull(row?.oldest ?? null),
      failing: Number(row?.failing ?? 0),
      unreadable: Number(row?.unreadable ?? 0),
    };
  }
}

/** The event, or why it cannot be read (an unknown type, a payload that is not its type's). */
function readEvent(row: OutboxRow): DomainEvent | string {
  try {
    return parseDomainEvent({
      type: row.event_type,
      aggregateType: row.aggregate_type,
      aggregateId: row.aggregate_id,
      occurredAt: toDate(row.occurred_at),
      payload: row.payload,
    });
  } catch (error) {
    return `${UNREADABLE_PREFIX}${error instanceof Error ? error.message : String(error)}`;
  }
}

function toMessage(row: OutboxRow, event: DomainEvent): OutboxMessage {
  return {
    id: row.id,
    event,
    createdAt: toDate(row.created_at),
    attempts: row.attempts,
    lastError: row.last_error,
    publishedAt: toDateOrNull(row.published_at),
  };
}

import {
  type IdGenerator,
  INBOX_LEASE_EXPIRED_ERROR,
  type InboxClaim,
  type InboxEvent,
  type InboxRecord,
  type InboxStats,
  type InboxStatus,
  type JsonValue,
  type WebhookInbox,
} from '@khaacho/core';
import { jsonParam, toDate, toDateOrNull } from '../sql/row-values.js';
import type { SqlRunner } from '../sql/pool-runner.js';
import type { SqlSession } from '../sql/sql-session.js';
import type { CommitSignal } from './local-wakeup.js';
import { INBOX_CHANNEL } from './pg-outbox-listener.js';

interface InboxRow {
  id: string;
  provider: string;
  external_id: string;
  payload: JsonValue;
  received_at: unknown;
  status: InboxStatus;
  attempts: number;
  last_error: string | null;
  processed_at: unknown;
  chat_key: string | null;
}

/**
 * Claimable at $now with attempt limit $max (see WebhookInbox.claim), over `alias`: RECEIVED;
 * FAILED and not dead; PROCESSING with a lapsed lease, up to the one reclaim of a final attempt.
 * $lapse is INBOX_LEASE_EXPIRED_ERROR.
 */
const claimable = (a: string, now: string, max: string, lapse: string) =>
  `(${a}.status = 'RECEIVED'
    or (${a}.status = 'FAILED' and (${a}.attempts < ${max} or (${a}.attempts = ${max} and ${a}.last_error = ${lapse})))
    or (${a}.status = 'PROCESSING' and ${a}.lease_until <= ${now} and ${a}.attempts <= ${max}))`;

/**
 * Wakes inbox processors (LISTEN `khaacho_inbox`) after new events committed, coalesced: one
 * `pg_notify` per `delayMs` however many events were recorded, sent after them.
 *
 * Not a trigger, as the outbox's is: NOTIFY takes a database-wide lock at commit, which
 * serialises every notifying transaction; on the webhook's stream of one-row inserts a
 * per-statement trigger cut the inbox's insert rate about threefold (179 vs 520 inserts/s at
 * 50 concurrent writers, one run here). The processors still poll, so a notification lost (the process stopped within `delayMs`) only
 * delays an event to the next poll.
 */
export class InboxNotifier implements CommitSignal {
  private pending = false;

  constructor(
    private readonly db: SqlRunner,
    private readonly delayMs = 5,
  ) {}

  /** After a commit that recorded an event. */
  poke(): void {
    if (this.pending) return;
    this.pending = true;
    const timer = setTimeout(() => {
      // Cleared before the statement: a poke during it schedules the next one.
      this.pending = false;
      this.db.rows(`select pg_notify('${INBOX_CHANNEL}', '')`).catch(() => {});
    }, this.delayMs);
    timer.unref();
  }
}

export class PgWebhookInbox implements WebhookInbox {
  /**
   * `direct`: where record/recordAll send their one statement outside a transaction (the
   * pool itself, without the ORM session's per-statement cost: the webhook's hot path).
   */
  constructor(
    private readonly db: SqlSession,
    private readonly ids: IdGenerator,
    private readonly notifier: CommitSignal | null = null,
    private readonly direct: SqlRunner | null = null,
  ) {}

  /** Inside a transaction, its session; else the pool when given. */
  private writer(): SqlRunner {
    return this.db.inTransaction || !this.direct ? this.db : this.direct;
  }

  async record(event: InboxRecord): Promise<{ readonly event: InboxEvent; readonly duplicate: boolean }> {
    const db = this.writer();
    // Insert-or-nothing on (provider, external_id): a redelivery never overwrites the stored
    // event. Only the id comes back: the rest of a new row is what was sent (the payload is
    // not parsed back from jsonb).
    const [inserted] = await db.rows<{ id: string }>(
      `insert into webhook_inbox (id, provider, external_id, payload, received_at, status, attempts, chat_key)
       values ($1, $2, $3, $4::jsonb, $5, 'RECEIVED', 0, $6)
       on conflict (provider, external_id) do nothing
       returning id`,
      [
        this.ids.next(),
        event.provider,
        event.externalId,
        jsonParam(event.payload),
        event.receivedAt,
        event.chatKey ?? null,
      ],
    );
    if (inserted) {
      // Outside a transaction the insert has committed; inside one, the commit is the caller's
      // and the processors find the event at their next poll.
      if (!this.db.inTransaction) this.notifier?.poke();
      return { event: freshEvent(inserted.id, event), duplicate: false };
    }
    const [existing] = await db.rows<InboxRow>('select * from webhook_inbox where provider = $1 and external_id = $2', [
      event.provider,
      event.externalId,
    ]);
    if (!existing) throw new Error('webhook inbox row vanished between insert and read');
    return { event: toEvent(existing), duplicate: true };
  }

  async recordAll(
    events: readonly InboxRecord[],
  ): Promise<readonly { readonly event: InboxEvent; readonly duplicate: boolean }[]> {
    if (events.length === 0) return [];
    if (events.length === 1) return [await this.record(events[0] as InboxRecord)];
    const db = this.writer();
    // One statement, so all or none of the delivery is stored, in one round trip instead of
    // one per event. Ids are taken in delivery order, which `claim` (received_at, id) keeps;
    // rows are inserted in key order, so two overlapping deliveries (Meta redelivering while
    // the first is stored, events in another order) wait for each other instead of deadlocking.
    // The rows as one JSON parameter: pg would write five array literals, escaping every
    // payload's JSON text once more, which costs more than the insert on a large delivery.
    const rows = events.map((e) => ({
      id: this.ids.next(),
      provider: e.provider,
      external_id: e.externalId,
      payload: e.payload,
      received_at: e.receivedAt.toISOString(),
      chat_key: e.chatKey ?? null,
    }));
    const inserted = await db.rows<{ id: string; provider: string; external_id: string }>(
      `insert into webhook_inbox (id, provider, external_id, payload, received_at, status, attempts, chat_key)
       select (t.e->>'id')::uuid, t.e->>'provider', t.e->>'external_id', t.e->'payload', (t.e->>'received_at')::timestamptz,
              'RECEIVED', 0, t.e->>'chat_key'
       from jsonb_array_elements($1::jsonb) with ordinality as t(e, ord)
       order by t.e->>'provider', t.e->>'external_id', t.ord
       on conflict (provider, external_id) do nothing
       returning id, provider, external_id`,
      [jsonParam(rows)],
    );
    if (inserted.length > 0 && !this.db.inTransaction) this.notifier?.poke();
    const key = (provider: string, externalId: string) => `${provider}\u0000${externalId}`;
    const freshIds = new Map(inserted.map((r) => [key(r.provider, r.external_id), r.id]));
    const missing = events.filter((e) => !freshIds.has(key(e.provider, e.externalId)));
    const existing = new Map<string, InboxEvent>();
    if (missing.length > 0) {
      const rows = await db.rows<InboxRow>(
        `select w.* from webhook_inbox w
         join unnest($1::text[], $2::text[]) as k(provider, external_id)
           on w.provider = k.provider and w.external_id = k.external_id`,
        [missing.map((e) => e.provider), missing.map((e) => e.externalId)],
      );
      for (const r of rows) existing.set(key(r.provider, r.external_id), toEvent(r));
    }
    // The first of a repeated id within the delivery is the one stored (the insert keeps the
    // first by delivery order); the rest are duplicates of it.
    const answered = new Map<string, InboxEvent>();
    return events.map((e) => {
      const k = key(e.provider, e.externalId);
      const first = answered.get(k);
      if (first) return { event: first, duplicate: true };
      const id = freshIds.get(k);
      const event = id === undefined ? existing.get(k) : freshEvent(id, e);
      if (!event) throw new Error('webhook inbox row vanished between insert and read');
      answered.set(k, event);
      return { event, duplicate: id === undefined };
    });
  }

  async get(id: string): Promise<InboxEvent | null> {
    const [row] = await this.db.rows<InboxRow>('select * from webhook_inbox where id = $1', [id]);
    return row ? toEvent(row) : null;
  }

  async claim(options: { limit: number; leaseMs: number; maxAttempts: number; now: Date }): Promise<InboxEvent[]> {
    // Chat order in two steps. Before the limit, an event is left out when an earlier event of
    // its chat holds a live lease (else a long chat backlog behind a slow handler would fill
    // every batch and starve the other chats); `busy`, each such chat's first event under way,
    // is found once (few rows: the events in flight) rather than probed per candidate. After
    // the limit and SKIP LOCKED, an event is taken only when every earlier unfinished event of
    // its chat is taken with it: one skipped because another claim holds its row lock right
    // now still counts as unfinished here (this statement's snapshot sees it unclaimed), so two
    // processors never split a chat.
    const rows = await this.db.rows<InboxRow>(
      `with busy as materialized (
         select distinct on (h.chat_key) h.chat_key, h.received_at, h.id from webhook_inbox h
         where h.status = 'PROCESSING' and h.lease_until > $1 and h.chat_key is not null
         order by h.chat_key, h.received_at, h.id),
       cand as (
         select c.id, c.chat_key, c.received_at from webhook_inbox c
         where ${claimable('c', '$1', '$3', '$5')}
           and not exists (
             select 1 from busy h
             where h.chat_key = c.chat_key and (h.received_at, h.id) < (c.received_at, c.id))
         order by c.received_at, c.id
         limit $2
         for update skip locked),
       picked as (
         select k.id from cand k
         where k.chat_key is null or not exists (
           select 1 from webhook_inbox o
           where o.chat_key = k.chat_key and o.status <> 'PROCESSED'
             and (o.received_at, o.id) < (k.received_at, k.id)
             and (${claimable('o', '$1', '$3', '$5')} or (o.status = 'PROCESSING' and o.lease_until > $1))
             and not exists (select 1 from cand t where t.id = o.id)))
       update webhook_inbox w set status = 'PROCESSING', attempts = w.attempts + 1, lease_until = $4
       from picked where w.id = picked.id
       returning w.*`,
      [
        options.now,
        options.limit,
        options.maxAttempts,
        new Date(options.now.getTime() + options.leaseMs),
        INBOX_LEASE_EXPIRED_ERROR,
      ],
    );
    return rows.map(toEvent).sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || (a.id < b.id ? -1 : 1));
  }

  async renewLeases(claims: readonly InboxClaim[], options: { leaseMs: number; now: Date }): Promise<string[]> {
    if (claims.length === 0) return [];
    const rows = await this.db.rows<{ id: string }>(
      `update webhook_inbox w set lease_until = $3
       from unnest($1::uuid[], $2::int[]) as c(id, attempts)
       where w.id = c.id and w.attempts = c.attempts and w.status = 'PROCESSING'
       returning w.id`,
      [claims.map((c) => c.id), claims.map((c) => c.attempts), new Date(options.now.getTime() + options.leaseMs)],
    );
    return rows.map((r) => r.id);
  }

  async release(claims: readonly InboxClaim[], options: { maxAttempts: number }): Promise<void> {
    if (claims.length === 0) return;
    // Beyond the limit only by reclaiming a lapsed final attempt: it stays that, reclaimable.
    await this.db.run(
      `update webhook_inbox w set
         attempts = w.attempts - 1,
         status = case when w.attempts - 1 = 0 then 'RECEIVED' else 'FAILED' end,
         last_error = case when w.attempts - 1 >= $3 then $4 else w.last_error end,
         lease_until = null
       from unnest($1::uuid[], $2::int[]) as c(id, attempts)
       where w.id = c.id and w.attempts = c.attempts and w.status = 'PROCESSING'`,
      [claims.map((c) => c.id), claims.map((c) => c.attempts), options.maxAttempts, INBOX_LEASE_EXPIRED_ERROR],
    );
  }

  async markProcessed(id: string, at: Date): Promise<void> {
    await this.db.run(
      `update webhook_inbox set status = 'PROCESSED', processed_at = $2, lease_until = null where id = $1`,
      [id, at],
    );
  }

  async markAllProcessed(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    // Sorted: two processors marking overlapping lists (a lease lost and re-claimed) lock in one order.
    await this.db.run(
      `update webhook_inbox set status = 'PROCESSED', processed_at = $2, lease_until = null where id = any($1::uuid[])`,
      [[...new Set(ids)].sort(), at],
    );
  }

  async markFailed(id: string, error: string, _at: Date): Promise<void> {
    await this.db.run(
      `update webhook_inbox set status = 'FAILED', last_error = left($2, 2000), lease_until = null
       where id = $1 and status <> 'PROCESSED'`,
      [id, error],
    );
  }

  async releaseExpiredLeases(options: { limit: number; now: Date }): Promise<InboxEvent[]> {
    // SKIP LOCKED: a row a relay is claiming right now is left for the next sweep.
    const rows = await this.db.rows<InboxRow>(
      `with picked as (
         select id from webhook_inbox
         where status = 'PROCESSING' and lease_until <= $1
         order by received_at, id
         limit $2
         for update skip locked)
       update webhook_inbox w set status = 'FAILED', last_error = $3, lease_until = null
       from picked where w.id = picked.id
       returning w.*`,
      [options.now, options.limit, INBOX_LEASE_EXPIRED_ERROR],
    );
    return rows.map(toEvent).sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || (a.id < b.id ? -1 : 1));
  }

  async listDead(options: { maxAttempts: number; limit: number }): Promise<InboxEvent[]> {
    const rows = await this.db.rows<InboxRow>(
      `select * from webhook_inbox
       where status = 'FAILED' and (attempts > $1 or (attempts = $1 and last_error is distinct from $3))
       order by received_at, id limit $2`,
      [options.maxAttempts, options.limit, INBOX_LEASE_EXPIRED_ERROR],
    );
    return rows.map(toEvent);
  }

  async retry(id: string): Promise<InboxEvent | null> {
    const [updated] = await this.db.rows<InboxRow>(
      `update webhook_inbox set status = 'RECEIVED', attempts = 0, lease_until = null
       where id = $1 and status = 'FAILED' returning *`,
      [id],
    );
    return updated ? toEvent(updated) : this.get(id);
  }

  async stats(options: { maxAttempts: number; now: Date }): Promise<InboxStats> {
    const [row] = await this.db.rows<{
      waiting: string;
      oldest: unknown;
      processing: string;
      expired: string;
      dead: string;
    }>(
      `with u as (
         select *, status = 'FAILED' and (attempts > $1 or (attempts = $1 and last_error is distinct from $3)) as dead
         from webhook_inbox where status <> 'PROCESSED')
       select
         count(*) filter (where status = 'RECEIVED' or (status = 'FAILED' and not dead)) as waiting,
         min(received_at) filter (where status = 'RECEIVED' or (status = 'FAILED' and not dead)) as oldest,
         count(*) filter (where status = 'PROCESSING' and lease_until > $2) as processing,
         count(*) filter (where status = 'PROCESSING' and lease_until <= $2) as expired,
         count(*) filter (where dead) as dead
       from u`,
      [options.maxAttempts, options.now, INBOX_LEASE_EXPIRED_ERROR],
    );
    return {
      waiting: Number(row?.waiting ?? 0),
      oldestWaitingAt: toDateOrNull(row?.oldest ?? null),
      processing: Number(row?.processing ?? 0),
      leaseExpired: Number(row?.expired ?? 0),
      dead: Number(row?.dead ?? 0),
    };
  }
}

/** A row just inserted, from what was sent: RECEIVED, no attempts yet. */
function freshEvent(id: string, record: InboxRecord): InboxEvent {
  return {
    id,
    provider: record.provider,
    externalId: record.externalId,
    payload: record.payload,
    receivedAt: new Date(record.receivedAt.getTime()),
    status: 'RECEIVED',
    attempts: 0,
    lastError: null,
    processedAt: null,
    chatKey: record.chatKey ?? null,
  };
}

function toEvent(row: InboxRow): InboxEvent {
  return {
    id: row.id,
    provider: row.provider,
    externalId: row.external_id,
    payload: row.payload,
    receivedAt: toDate(row.received_at),
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    processedAt: toDateOrNull(row.processed_at),
    chatKey: row.chat_key,
  };
}

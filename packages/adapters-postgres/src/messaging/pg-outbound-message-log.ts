import type {
  AppliedStatus,
  DeliveryStatus,
  JsonValue,
  OutboundMessage,
  OutboundMessageEntry,
  OutboundMessageLog,
  OutboundMessagePersonalData,
  OutboundMessageRepositories,
  Page,
  PageRequest,
  ProviderErrorInfo,
  SentMessageRecord,
  StatusCallback,
} from '@khaacho/core';
import { advanceDeliveryStatus, recipientForms } from '@khaacho/core';
import { jsonParam, toDate, toDateOrNull } from '../sql/row-values.js';
import type { SqlSession } from '../sql/sql-session.js';

interface OutboundRow {
  provider_message_id: string;
  recipient: string;
  kind: string | null;
  sent_at: unknown;
  status: DeliveryStatus;
  status_at: unknown;
  errors: unknown;
}

/*
 * The rank of core's advanceDeliveryStatus, in SQL, so that the compare-and-set is one
 * statement: two callbacks of one message applied at once by two workers cannot both read
 * the old status and have the lower one win. (The in-memory adapter and the contract suite
 * pin this order to core's.)
 */
const rank = (status: string) =>
  `array_position(array['accepted','sent','delivered','failed','read']::text[], ${status}::text)`;

interface PendingRecord {
  readonly message: SentMessageRecord;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class PgOutboundMessageLog implements OutboundMessageLog {
  /** Records waiting for the next round (see `record`). */
  private buffer: PendingRecord[] = [];
  private nextRound: Promise<void> | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(private readonly db: SqlSession) {}

  /**
   * Outside a transaction, a group commit: the first record starts a round on the next turn of
   * the event loop, and the records made while a round's INSERT runs go in the next one (a
   * worker's sends finishing together: one INSERT). Each call still resolves only once its row
   * is written, and rejects if it was not; a round that fails is written again one by one, so
   * that only a bad row fails. (A record lost to a crash before its round is a callback that
   * overtook the send: the row is made by the callback, without kind.)
   */
  record(message: SentMessageRecord): Promise<void> {
    if (this.db.inTransaction) return this.recordNow([message]);
    return new Promise<void>((resolve, reject) => {
      this.buffer.push({ message, resolve, reject });
      if (this.nextRound) return;
      const before = this.inFlight ?? new Promise<void>((go) => setImmediate(go));
      this.nextRound = before.then(() => this.recordRound());
    });
  }

  private async recordRound(): Promise<void> {
    this.nextRound = null;
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length === 0) return;
    const write = (async () => {
      try {
        await this.recordNow(batch.map((p) => p.message));
        for (const p of batch) p.resolve();
      } catch (error) {
        if (batch.length === 1) return batch[0]?.reject(error);
        for (const p of batch) await this.recordNow([p.message]).then(p.resolve, p.reject);
      }
    })();
    this.inFlight = write;
    try {
      await write;
    } finally {
      if (this.inFlight === write) this.inFlight = null;
    }
  }

  /** One statement; the first record of an id in the list stands, as it would one by one. */
  private async recordNow(messages: readonly SentMessageRecord[]): Promise<void> {
    const first = new Map<string, SentMessageRecord>();
    for (const m of messages) if (!first.has(m.providerMessageId)) first.set(m.providerMessageId, m);
    // A callback that overtook the send left a row without kind: fill it in, keep its status.
    // In key order, so that two rounds' rows lock in one order.
    const rows = [...first.values()].sort((a, b) => (a.providerMessageId < b.providerMessageId ? -1 : 1));
    await this.db.run(
      `insert into outbound_messages (provider_message_id, recipient, kind, sent_at, status, status_at, errors)
       select m.id, m.recipient, m.kind, m.sent_at, 'accepted', m.sent_at, '[]'::jsonb
       from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) with ordinality as m(id, recipient, kind, sent_at, ord)
       order by m.ord
       on conflict (provider_message_id) do update
         set kind = excluded.kind, sent_at = excluded.sent_at, recipient = excluded.recipient
         where outbound_messages.kind is null`,
      [
        rows.map((m) => m.providerMessageId),
        rows.map((m) => m.recipient),
        rows.map((m) => m.kind),
        rows.map((m) => m.sentAt),
      ],
    );
  }

  async applyStatus(update: StatusCallback): Promise<AppliedStatus> {
    const errors = update.status === 'failed' ? update.errors : [];
    const [changed] = await this.db.rows<OutboundRow>(
      `insert into outbound_messages (provider_message_id, recipient, kind, sent_at, status, status_at, errors)
       values ($1, $2, null, null, $3, $4, $5::jsonb)
       on conflict (provider_message_id) do update
         set status = excluded.status, status_at = excluded.status_at,
             errors = case when excluded.status = 'failed' then excluded.errors else outbound_messages.errors end
         where ${rank('excluded.status')} > ${rank('outbound_messages.status')}
       returning *`,
      [
        update.messageId,
        update.recipient,
        update.status,
        update.at,
        jsonParam(errors as unknown as ProviderErrorInfo[]),
      ],
    );
    if (changed) return { advanced: true, entry: toEntry(changed) };
    const current = await this.get(update.messageId);
    if (!current) throw new Error('outbound message row vanished after a refused status update');
    return { advanced: false, entry: current };
  }

  async applyStatuses(updates: readonly StatusCallback[]): Promise<readonly AppliedStatus[]> {
    if (updates.length === 0) return [];
    if (updates.length === 1) return [await this.applyStatus(updates[0] as StatusCallback)];
    // One statement for the list. Per message, the one-by-one result: the highest rank, at the
    // time of its first update (a later equal one does not advance); the errors of its first
    // `failed` update when that one advanced, i.e. nothing before it in the list (`prior`) nor
    // the stored status ranked as high. A stored status below `failed` has no errors (only a
    // `failed` sets them and nothing moves back), so "failed advanced ? its errors : the stored
    // ones" is "stored below failed ? the list's : the stored ones".
    // `old`, the rows as they were, locked in key order (as the insert goes), so that two
    // workers' overlapping lists wait for each other rather than deadlock; read before the
    // insert runs (`locked_first`: a row this statement already changed would be skipped by the
    // lock). From it each update's `advanced` is worked out here, one by one.
    const rows = await this.db.rows<OutboundRow & { src: 'old' | 'new' }>(
      `with u as (
         select t.e->>'id' as id, t.e->>'recipient' as recipient, t.e->>'status' as status,
                (t.e->>'at')::timestamptz as at, t.e->'errors' as errors, t.ord,
                ${rank("t.e->>'status'")} as rk
         from jsonb_array_elements($1::jsonb) with ordinality as t(e, ord)),
       p as (
         select u.*, coalesce(max(u.rk) over (partition by u.id order by u.ord
                                              rows between unbounded preceding and 1 preceding), 0) as prior
         from u),
       m as (
         select p.id,
                (array_agg(p.recipient order by p.ord))[1] as recipient,
                (array_agg(p.status order by p.rk desc nulls last, p.ord))[1] as status,
                (array_agg(p.at order by p.rk desc nulls last, p.ord))[1] as at,
                coalesce((array_agg(p.errors order by p.ord) filter (where p.status = 'failed' and p.prior < ${rank("'failed'")}))[1],
                         '[]'::jsonb) as errors
         from p group by p.id),
       old as (
         select o.* from outbound_messages o
         where o.provider_message_id in (select id from m)
         order by o.provider_message_id
         for update),
       new as (
         insert into outbound_messages (provider_message_id, recipient, kind, sent_at, status, status_at, errors)
         select m.id, m.recipient, null, null, m.status, m.at, m.errors
         from m cross join (select count(*) from old) as locked_first
         order by m.id
         on conflict (provider_message_id) do update
           set status = excluded.status, status_at = excluded.status_at,
               errors = case when ${rank('outbound_messages.status')} < ${rank("'failed'")}
                        then excluded.errors else outbound_messages.errors end
           where ${rank('excluded.status')} > ${rank('outbound_messages.status')}
         returning *)
       select 'old' as src, old.* from old
       union all
       select 'new' as src, new.* from new`,
      [
        jsonParam(
          updates.map((u) => ({
            id: u.messageId,
            recipient: u.recipient,
            status: u.status,
            at: u.at.toISOString(),
            errors: u.status === 'failed' ? u.errors : [],
          })) as unknown as JsonValue,
        ),
      ],
    );
    const before = new Map<string, DeliveryStatus>();
    const after = new Map<string, OutboundMessageEntry>();
    for (const row of rows) {
      if (row.src === 'old') {
        before.set(row.provider_message_id, row.status);
        if (!after.has(row.provider_message_id)) after.set(row.provider_message_id, toEntry(row));
      } else after.set(row.provider_message_id, toEntry(row));
    }
    // A message neither locked before nor changed: another transaction inserted it after this
    // statement's snapshot, at a status this list does not pass. Read it as it is now.
    for (const u of updates) {
      if (after.has(u.messageId)) continue;
      const current = await this.get(u.messageId);
      if (!current) throw new Error('outbound message row vanished after a refused status update');
      after.set(u.messageId, current);
      before.set(u.messageId, current.status);
    }
    const running = new Map<string, DeliveryStatus | null>(
      updates.map((u) => [u.messageId, before.get(u.messageId) ?? null]),
    );
    return updates.map((u) => {
      const current = running.get(u.messageId) ?? null;
      const next = advanceDeliveryStatus(current, u.status);
      running.set(u.messageId, next);
      return { advanced: next !== current, entry: after.get(u.messageId) as OutboundMessageEntry };
    });
  }

  async get(providerMessageId: string): Promise<OutboundMessageEntry | null> {
    const [row] = await this.db.rows<OutboundRow>('select * from outbound_messages where provider_message_id = $1', [
      providerMessageId,
    ]);
    return row ? toEntry(row) : null;
  }
}

function toEntry(row: OutboundRow): OutboundMessageEntry {
  return {
    providerMessageId: row.provider_message_id,
    recipient: row.recipient,
    kind: row.kind as OutboundMessage['kind'] | null,
    sentAt: toDateOrNull(row.sent_at),
    status: row.status,
    statusAt: toDate(row.status_at),
    errors: (typeof row.errors === 'string' ? JSON.parse(row.errors) : row.errors) as ProviderErrorInfo[],
  };
}

/** The log's rows as personal data, in the session it is given (the erasure's transaction). */
export class PgOutboundMessagePersonalData implements OutboundMessagePersonalData {
  constructor(private readonly db: SqlSession) {}

  async listToRecipient(phone: string, page: PageRequest): Promise<Page<OutboundMessageEntry>> {
    const rows = await this.db.rows<OutboundRow>(
      `select * from outbound_messages
        where recipient = any($1::text[]) and ($2::text is null or provider_message_id > $2)
        order by provider_message_id limit $3`,
      [recipientForms(phone), page.cursor ?? null, page.limit + 1],
    );
    const items = rows.slice(0, page.limit).map(toEntry);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > page.limit && last ? last.providerMessageId : null };
  }

  async replaceRecipient(phone: string, placeholder: string): Promise<number> {
    const rows = await this.db.rows<{ provider_message_id: string }>(
      'update outbound_messages set recipient = $2 where recipient = any($1::text[]) returning provider_message_id',
      [recipientForms(phone), placeholder],
    );
    return rows.length;
  }
}

export function createPgOutboundMessageRepositories(db: SqlSession): OutboundMessageRepositories {
  return { outboundMessages: new PgOutboundMessagePersonalData(db) };
}

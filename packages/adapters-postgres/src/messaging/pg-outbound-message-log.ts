import type {
  AppliedStatus,
  DeliveryStatus,
  MessageStatusUpdate,
  OutboundMessage,
  OutboundMessageEntry,
  OutboundMessageLog,
  OutboundMessagePersonalData,
  OutboundMessageRepositories,
  Page,
  PageRequest,
  ProviderErrorInfo,
  SentMessageRecord,
} from '@khaacho/core';
import { recipientForms } from '@khaacho/core';
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

export class PgOutboundMessageLog implements OutboundMessageLog {
  constructor(private readonly db: SqlSession) {}

  async record(message: SentMessageRecord): Promise<void> {
    // A callback that overtook the send left a row without kind: fill it in, keep its status.
    await this.db.run(
      `insert into outbound_messages (provider_message_id, recipient, kind, sent_at, status, status_at, errors)
       values ($1, $2, $3, $4, 'accepted', $4, '[]'::jsonb)
       on conflict (provider_message_id) do update
         set kind = excluded.kind, sent_at = excluded.sent_at, recipient = excluded.recipient
         where outbound_messages.kind is null`,
      [message.providerMessageId, message.recipient, message.kind, message.sentAt],
    );
  }

  async applyStatus(
    update: Pick<MessageStatusUpdate, 'messageId' | 'recipient' | 'status' | 'at' | 'errors'>,
  ): Promise<AppliedStatus> {
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

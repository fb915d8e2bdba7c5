import { advanceDeliveryStatus } from '../messaging/delivery-status.js';
import type { Page, PageRequest } from '../ports/pagination.js';
import {
  type AppliedStatus,
  type OutboundMessageEntry,
  type OutboundMessageLog,
  type OutboundMessagePersonalData,
  type OutboundMessageRepositories,
  recipientForms,
  type SentMessageRecord,
  type StatusCallback,
} from '../ports/outbound-message-log.js';
import type { InMemoryStore, StoreAccess } from './in-memory-store.js';

const TABLE = 'outbound_messages';

export class InMemoryOutboundMessageLog implements OutboundMessageLog {
  constructor(private readonly store: InMemoryStore) {}

  async record(message: SentMessageRecord): Promise<void> {
    await this.store.transaction(async (tx) => {
      const existing = tx.get<OutboundMessageEntry>(TABLE, message.providerMessageId);
      if (existing?.kind) return;
      const entry: OutboundMessageEntry = existing
        ? { ...existing, kind: message.kind, sentAt: message.sentAt, recipient: message.recipient }
        : {
            providerMessageId: message.providerMessageId,
            recipient: message.recipient,
            kind: message.kind,
            sentAt: message.sentAt,
            status: 'accepted',
            statusAt: message.sentAt,
            errors: [],
          };
      tx.set(TABLE, message.providerMessageId, entry);
    });
  }

  async applyStatus(update: StatusCallback): Promise<AppliedStatus> {
    const [applied] = await this.applyStatuses([update]);
    if (!applied) throw new Error('applyStatuses answered nothing for one update');
    return applied;
  }

  async applyStatuses(updates: readonly StatusCallback[]): Promise<readonly AppliedStatus[]> {
    if (updates.length === 0) return [];
    // One transaction, one by one: the list ends where the single calls in its order end.
    return this.store.transaction(async (tx) => {
      const advanced = updates.map((update) => {
        const existing = tx.get<OutboundMessageEntry>(TABLE, update.messageId);
        const next = advanceDeliveryStatus(existing?.status ?? null, update.status);
        if (existing && next === existing.status) return false;
        tx.set(TABLE, update.messageId, {
          providerMessageId: update.messageId,
          recipient: existing?.recipient ?? update.recipient,
          kind: existing?.kind ?? null,
          sentAt: existing?.sentAt ?? null,
          status: next,
          statusAt: update.at,
          errors: next === 'failed' ? [...update.errors] : (existing?.errors ?? []),
        });
        return true;
      });
      return updates.map((update, i) => {
        const entry = tx.get<OutboundMessageEntry>(TABLE, update.messageId);
        if (!entry) throw new Error('outbound message entry missing after its status update');
        return { advanced: advanced[i] === true, entry };
      });
    });
  }

  async get(providerMessageId: string): Promise<OutboundMessageEntry | null> {
    return this.store.committed.get<OutboundMessageEntry>(TABLE, providerMessageId) ?? null;
  }
}

/** The log's rows as personal data, in the caller's transaction (the same table as the log's). */
export class InMemoryOutboundMessagePersonalData implements OutboundMessagePersonalData {
  constructor(private readonly db: StoreAccess) {}

  async listToRecipient(phone: string, page: PageRequest): Promise<Page<OutboundMessageEntry>> {
    const forms = recipientForms(phone);
    const after = page.cursor ?? null;
    const all = this.db
      .read()
      .values<OutboundMessageEntry>(TABLE)
      .filter((e) => forms.includes(e.recipient) && (after === null || e.providerMessageId > after))
      .sort((a, b) => (a.providerMessageId < b.providerMessageId ? -1 : 1));
    const items = all.slice(0, page.limit);
    const last = items.at(-1);
    return { items, nextCursor: all.length > page.limit && last ? last.providerMessageId : null };
  }

  async replaceRecipient(phone: string, placeholder: string): Promise<number> {
    const forms = recipientForms(phone);
    return this.db.write((tx) => {
      const hits = tx.values<OutboundMessageEntry>(TABLE).filter((e) => forms.includes(e.recipient));
      for (const e of hits) tx.set(TABLE, e.providerMessageId, { ...e, recipient: placeholder });
      return hits.length;
    });
  }
}

export function inMemoryOutboundMessageRepositories(db: StoreAccess): OutboundMessageRepositories {
  return { outboundMessages: new InMemoryOutboundMessagePersonalData(db) };
}

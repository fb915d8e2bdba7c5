import { advanceDeliveryStatus } from '../messaging/delivery-status.js';
import type { MessageStatusUpdate } from '../messaging/inbound-message.js';
import type {
  AppliedStatus,
  OutboundMessageEntry,
  OutboundMessageLog,
  SentMessageRecord,
} from '../ports/outbound-message-log.js';
import type { InMemoryStore } from './in-memory-store.js';

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

  async applyStatus(
    update: Pick<MessageStatusUpdate, 'messageId' | 'recipient' | 'status' | 'at' | 'errors'>,
  ): Promise<AppliedStatus> {
    return this.store.transaction(async (tx) => {
      const existing = tx.get<OutboundMessageEntry>(TABLE, update.messageId);
      const next = advanceDeliveryStatus(existing?.status ?? null, update.status);
      if (existing && next === existing.status) return { advanced: false, entry: existing };
      const entry: OutboundMessageEntry = {
        providerMessageId: update.messageId,
        recipient: existing?.recipient ?? update.recipient,
        kind: existing?.kind ?? null,
        sentAt: existing?.sentAt ?? null,
        status: next,
        statusAt: update.at,
        errors: next === 'failed' ? [...update.errors] : (existing?.errors ?? []),
      };
      tx.set(TABLE, update.messageId, entry);
      return { advanced: true, entry };
    });
  }

  async get(providerMessageId: string): Promise<OutboundMessageEntry | null> {
    return this.store.committed.get<OutboundMessageEntry>(TABLE, providerMessageId) ?? null;
  }
}

import { type ConversationStore, type Logger, MS_PER_DAY, type PurgeExpiredDrafts } from '@khaacho/core';
import { outcomeValue, type SlotHandler } from './slot-handler.js';

/**
 * How long an expired conversation is kept: its language still picks the language of the
 * shop's step notices and payment reminders (`shopLanguage` reads expired ones), so it goes
 * only after a month of silence, not when the 24-hour window closes.
 */
export const CONVERSATION_RETENTION_MS = 30 * MS_PER_DAY;
/** How long an expired draft is kept: a late tap on its [Confirm] still answers "expired", not "unknown". */
export const DRAFT_RETENTION_MS = 7 * MS_PER_DAY;

export interface ConversationPurgeDeps {
  readonly purgeExpiredDrafts: Pick<PurgeExpiredDrafts, 'execute'>;
  readonly conversations: Pick<ConversationStore, 'purgeExpired'>;
  readonly logger: Logger;
  readonly conversationRetentionMs?: number;
  readonly draftRetentionMs?: number;
  /** Rows per delete (default 500); deletes follow while one comes back full, up to `maxBatches` (20). */
  readonly batch?: number;
  readonly maxBatches?: number;
}

/**
 * Hourly housekeeping: delete drafts and conversations expired longer ago than their
 * retention, in bounded batches (a backlog drains over a few slots, never in one long
 * delete). The cut-off is the slot's time, not the clock's: a retried slot deletes the same
 * rows, and deleting what is gone already deletes nothing, so the task is idempotent.
 */
export function conversationPurgeTask(deps: ConversationPurgeDeps): SlotHandler {
  const batch = deps.batch ?? 500;
  const maxBatches = deps.maxBatches ?? 20;
  const conversationRetention = deps.conversationRetentionMs ?? CONVERSATION_RETENTION_MS;
  const draftRetention = deps.draftRetentionMs ?? DRAFT_RETENTION_MS;
  return async (slot) => {
    const conversationsBefore = new Date(slot.getTime() - conversationRetention);
    let conversations = 0;
    for (let i = 0; i < maxBatches; i++) {
      const n = await deps.conversations.purgeExpired(conversationsBefore, batch);
      conversations += n;
      if (n < batch) break;
    }
    let drafts = 0;
    for (let i = 0; i < maxBatches; i++) {
      // PurgeExpiredDrafts counts back from its clock; the slot's lag behind it only keeps more.
      const n = outcomeValue(
        await deps.purgeExpiredDrafts.execute({ retentionMs: draftRetention, batchSize: batch }),
        'PurgeExpiredDrafts',
      ).drafts;
      drafts += n;
      if (n < batch) break;
    }
    if (conversations + drafts > 0)
      deps.logger.info('scheduler: expired conversations and drafts purged', {
        conversations,
        drafts,
        slot: slot.toISOString(),
      });
  };
}

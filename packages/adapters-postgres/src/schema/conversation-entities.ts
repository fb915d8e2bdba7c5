import { defineEntity, p } from '@mikro-orm/core';
import { CONVERSATION_LANGUAGES } from '@khaacho/core';

/**
 * WhatsApp conversation state per phone number (core's ConversationStore). The step and the
 * handled message ids are JSON: a conversation is read whole by its phone and never queried by them.
 * No foreign key to the party: an unknown number has a conversation too, and the party is
 * looked up again on every message.
 */
export const ConversationEntity = defineEntity({
  name: 'Conversation',
  tableName: 'conversations',
  properties: {
    /** E.164. */
    phone: p.text().primary(),
    partyKind: p.enum(['retailer', 'vendor', 'unknown'] as const),
    partyId: p.uuid().nullable(),
    language: p.enum(CONVERSATION_LANGUAGES),
    step: p.json<unknown>(),
    handledMessageIds: p.json<unknown>(),
    updatedAt: p.datetime(),
    expiresAt: p.datetime().index('conversations_expires_idx'),
    version: p.integer(),
  },
});

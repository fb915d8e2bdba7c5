import type { InboundMessage } from '../messaging/inbound-message.js';
import { type Token, token } from '../shared/token.js';

export interface ConversationHandler {
  /** Answer one inbound chat message. Idempotent per message.eventId: a redelivery or a re-claim after a crash
   *  produces no second effect and no second reply. Throws only for transient failures (the inbox retries). */
  handleMessage(message: InboundMessage): Promise<void>;
}
export const CONVERSATION_HANDLER: Token<ConversationHandler> = token('ConversationHandler');

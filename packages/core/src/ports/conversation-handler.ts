import type { InboundMessage } from '../messaging/inbound-message.js';
import { type Token, token } from '../shared/token.js';

/** How the message reached the handler this time: what a retry-aware answer needs. */
export interface MessageDelivery {
  /**
   * True when a throw now leaves the message unanswered for good (the inbox's last attempt):
   * a transient failure is then answered with a reply rather than thrown. Absent means true.
   */
  readonly finalAttempt: boolean;
}

export interface ConversationHandler {
  /** Answer one inbound chat message. Idempotent per message.eventId: a redelivery or a re-claim after a crash
   *  produces no second effect and no second reply. Throws only for transient failures (the inbox retries). */
  handleMessage(message: InboundMessage, delivery?: MessageDelivery): Promise<void>;
}
export const CONVERSATION_HANDLER: Token<ConversationHandler> = token('ConversationHandler');

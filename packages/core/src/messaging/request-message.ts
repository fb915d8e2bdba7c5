import { type DomainEvent, domainEvent, EventTypes } from '../events/event-catalog.js';
import type { OutboundMessage } from '../ports/message-sender.js';
import type { OutboxWriter } from '../ports/outbox.js';
import { outboundMessageToJSON } from './outbound-message-json.js';

/** The `message.send_requested` event for `message` (Contract B of issue 13). */
export function messageSendRequested(message: OutboundMessage, reason: string, at: Date): DomainEvent {
  return domainEvent(EventTypes.MESSAGE_SEND_REQUESTED, message.to.value, at, {
    message: outboundMessageToJSON(message),
    reason,
  });
}

/**
 * Ask for `message` to be sent, inside the caller's transaction: it goes out (once) only if
 * that transaction commits. Core never calls a `MessageSender` itself; this is how any use
 * case messages a party.
 */
export function requestMessage(
  outbox: OutboxWriter,
  message: OutboundMessage,
  reason: string,
  at: Date,
): Promise<void> {
  return outbox.append([messageSendRequested(message, reason, at)]);
}

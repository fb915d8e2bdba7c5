import { type DomainEvent, domainEvent, EventTypes } from '../events/event-catalog.js';
import type { OutboundMessage } from '../ports/message-sender.js';
import type { OutboxWriter } from '../ports/outbox.js';
import { type OutboundMessageJSON, outboundMessageFromJSON, outboundMessageToJSON } from './outbound-message-json.js';

/** The `message.send_requested` event for `message` (Contract B of issue 13). */
export function messageSendRequested(message: OutboundMessage, reason: string, at: Date): DomainEvent {
  return domainEvent(EventTypes.MESSAGE_SEND_REQUESTED, message.to.value, at, {
    message: outboundMessageToJSON(message),
    reason,
  });
}

/**
 * The events for `messages`, which must reach each recipient in this order: one event per run
 * of consecutive messages to the same number, carrying the run (`followedBy`). Its job sends
 * them one after the other, so a queue with concurrent consumers cannot reorder them, and a
 * retry resumes after the last one sent. Separate events would become separate jobs, free to
 * run in any order.
 */
export function messagesSendRequested(messages: readonly OutboundMessage[], reason: string, at: Date): DomainEvent[] {
  const runs: OutboundMessage[][] = [];
  for (const message of messages) {
    const run = runs.at(-1);
    if (run && run[0]?.to.value === message.to.value) run.push(message);
    else runs.push([message]);
  }
  return runs.map(([first, ...rest]) => {
    const head = first as OutboundMessage;
    return domainEvent(EventTypes.MESSAGE_SEND_REQUESTED, head.to.value, at, {
      message: outboundMessageToJSON(head),
      ...(rest.length > 0 ? { followedBy: rest.map(outboundMessageToJSON) } : {}),
      reason,
    });
  });
}

/** The messages of a `message.send_requested` payload, in the order they are to be sent. */
export function requestedMessages(payload: {
  readonly message: OutboundMessageJSON;
  readonly followedBy?: readonly OutboundMessageJSON[];
}): OutboundMessage[] {
  return [payload.message, ...(payload.followedBy ?? [])].map(outboundMessageFromJSON);
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

import type { OutboundMessageJSON } from '../messaging/outbound-message-json.js';
import type { EventSpecs } from './payload-shape.js';

/**
 * A message to send to a party (Contract B of issue 13). Recorded in the same transaction as
 * the change it tells of; the relay hands it to the NOTIFICATIONS queue, whose consumer sends
 * it once, so an outage of the provider delays it and never loses or repeats it.
 * aggregateId: the recipient's phone number (E.164).
 */
export interface MessageSendRequested {
  readonly message: OutboundMessageJSON;
  /**
   * More messages to the same recipient, sent after `message` and in this order by the same
   * job: one answer of several messages (a draft, then a list per unclear line) is one event,
   * so no queue's concurrency can let a list overtake its draft. Absent: `message` alone
   * (events stored before this field existed read the same).
   */
  readonly followedBy?: readonly OutboundMessageJSON[];
  /** Why it is sent, for logs: "draft-reply", "order-placed", … never the text itself. */
  readonly reason: string;
}

export interface MessagingEventDefinitions {
  'message.send_requested': { aggregate: 'conversation'; payload: MessageSendRequested };
}

export const messagingEventSpecs: EventSpecs<MessagingEventDefinitions> = {
  'message.send_requested': {
    aggregate: 'conversation',
    shape: { message: ['object'], followedBy: ['array', 'absent'], reason: ['string'] },
  },
};

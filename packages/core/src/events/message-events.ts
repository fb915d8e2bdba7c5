import type { ListSection, ReplyButton, TemplateRef } from '../ports/message-sender.js';
import type { EventSpecs } from './payload-shape.js';

/**
 * An outbound message as stored in the outbox: `OutboundMessage` with the phone number as
 * its E.164 string (conversations-design, contract B).
 */
export type OutboundMessageJSON =
  | { readonly kind: 'text'; readonly to: string; readonly text: string; readonly fallbackTemplate?: TemplateRef }
  | {
      readonly kind: 'buttons';
      readonly to: string;
      readonly body: string;
      readonly buttons: readonly ReplyButton[];
      readonly fallbackTemplate?: TemplateRef;
    }
  | {
      readonly kind: 'list';
      readonly to: string;
      readonly body: string;
      readonly button: string;
      readonly sections: readonly ListSection[];
      readonly fallbackTemplate?: TemplateRef;
    }
  | ({ readonly kind: 'template'; readonly to: string } & TemplateRef);

/** A message to a party, recorded in the transaction of the change it tells about. */
export interface MessageSendRequested {
  readonly message: OutboundMessageJSON;
  /** Why it is sent (e.g. "order.dispatched"): for logs and the dead-job list. */
  readonly reason: string;
}

/** The aggregate is the conversation, named by the recipient's phone number. */
export interface MessageEventDefinitions {
  'message.send_requested': { aggregate: 'conversation'; payload: MessageSendRequested };
}

export const messageEventSpecs: EventSpecs<MessageEventDefinitions> = {
  'message.send_requested': { aggregate: 'conversation', shape: { message: ['object'], reason: ['string'] } },
};

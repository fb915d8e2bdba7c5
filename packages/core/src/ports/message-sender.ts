import type { PhoneNumber } from '../shared/phone-number.js';
import { type Token, token } from '../shared/token.js';

export interface ReplyButton {
  /** Comes back in the webhook when tapped, e.g. "order:confirm:<draftId>". */
  readonly id: string;
  readonly title: string;
}

export type OutboundMessage =
  | { readonly kind: 'text'; readonly to: PhoneNumber; readonly text: string }
  | {
      readonly kind: 'buttons';
      readonly to: PhoneNumber;
      readonly body: string;
      readonly buttons: readonly ReplyButton[];
    }
  | {
      readonly kind: 'template';
      readonly to: PhoneNumber;
      readonly template: string;
      readonly language: string;
      readonly parameters: readonly string[];
    };

/** Outbound messaging (WhatsApp Cloud API in production). */
export interface MessageSender {
  send(message: OutboundMessage): Promise<{ readonly providerMessageId: string }>;
}

export const MESSAGE_SENDER: Token<MessageSender> = token('MessageSender');

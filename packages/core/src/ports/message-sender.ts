import type { PhoneNumber } from '../shared/phone-number.js';
import { type Token, token } from '../shared/token.js';

export interface ReplyButton {
  /** Comes back in the webhook when tapped, e.g. "order:confirm:<draftId>". */
  readonly id: string;
  readonly title: string;
}

/** One choice of a list message; comes back as its `id` when picked. */
export interface ListRow {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
}

export interface ListSection {
  readonly title?: string;
  readonly rows: readonly ListRow[];
}

/** An approved template (the only kind of message allowed outside the 24-hour window). */
export interface TemplateRef {
  readonly template: string;
  readonly language: string;
  /** The body's {{1}}, {{2}}, … in order. */
  readonly parameters: readonly string[];
}

/**
 * Sent instead when the provider refuses a free-form message because the recipient's
 * 24-hour window has closed.
 */
interface OutsideWindow {
  readonly fallbackTemplate?: TemplateRef;
}

export type OutboundMessage =
  | ({ readonly kind: 'text'; readonly to: PhoneNumber; readonly text: string } & OutsideWindow)
  | ({
      readonly kind: 'buttons';
      readonly to: PhoneNumber;
      readonly body: string;
      readonly buttons: readonly ReplyButton[];
    } & OutsideWindow)
  | ({
      readonly kind: 'list';
      readonly to: PhoneNumber;
      readonly body: string;
      /** The label of the button that opens the list. */
      readonly button: string;
      readonly sections: readonly ListSection[];
    } & OutsideWindow)
  | ({ readonly kind: 'template'; readonly to: PhoneNumber } & TemplateRef);

/** Outbound messaging (WhatsApp Cloud API in production). */
export interface MessageSender {
  send(message: OutboundMessage): Promise<{ readonly providerMessageId: string }>;
}

export const MESSAGE_SENDER: Token<MessageSender> = token('MessageSender');

/**
 * What a chat provider delivers to us, in the provider's own vocabulary only where the
 * conversations need it. Adapters (WhatsApp Cloud API) turn each webhook delivery into a
 * list of `InboundEvent`s; each has an `eventId` that is the same for every redelivery of
 * the same provider event, so the webhook inbox stores it once.
 */

/** A provider error as reported with a message, a status or a whole delivery (codes are numbers). */
export interface ProviderErrorInfo {
  readonly code: number;
  readonly title: string;
  readonly message: string | null;
  readonly details: string | null;
}

/** What an inbound message answers: a reply to one of ours (or theirs), a product enquiry, a forward. */
export type MessageContext =
  | { readonly kind: 'reply'; readonly from: string | null; readonly messageId: string }
  | {
      readonly kind: 'product';
      readonly from: string | null;
      readonly messageId: string;
      readonly catalogId: string;
      readonly productRetailerId: string;
    }
  | { readonly kind: 'forwarded'; readonly frequently: boolean };

export type InboundMediaKind = 'image' | 'audio' | 'video' | 'document' | 'sticker';

/** The body of an inbound message, one variant per message type the conversations can answer. */
export type InboundContent =
  | { readonly type: 'text'; readonly text: string }
  /** A tap on one of our reply buttons. */
  | { readonly type: 'button_reply'; readonly id: string; readonly title: string }
  /** A row picked from one of our list messages. */
  | { readonly type: 'list_reply'; readonly id: string; readonly title: string; readonly description: string | null }
  /** A quick-reply button of a template. */
  | { readonly type: 'template_button'; readonly payload: string; readonly text: string }
  | {
      readonly type: 'location';
      readonly latitude: number;
      readonly longitude: number;
      readonly name: string | null;
      readonly address: string | null;
    }
  | {
      readonly type: 'order';
      readonly catalogId: string;
      readonly text: string | null;
      readonly items: ReadonlyArray<{
        readonly productRetailerId: string;
        readonly quantity: number;
        /** As the provider sends it (a decimal in major units); the conversation prices from our catalog. */
        readonly itemPrice: number;
        readonly currency: string;
      }>;
    }
  | {
      readonly type: 'media';
      readonly media: InboundMediaKind;
      /** Fetched through the provider's media endpoint. */
      readonly mediaId: string;
      readonly mimeType: string | null;
      readonly caption: string | null;
      readonly filename: string | null;
      /** A voice note recorded in the app (as opposed to a forwarded audio file). */
      readonly voice: boolean;
    }
  /** An emoji on one of our messages; null emoji is a removed reaction. */
  | { readonly type: 'reaction'; readonly messageId: string; readonly emoji: string | null }
  /** Shared contact cards: names and phone numbers only. */
  | {
      readonly type: 'contacts';
      readonly contacts: ReadonlyArray<{ readonly name: string; readonly phones: readonly string[] }>;
    }
  /** A notice from the provider, e.g. the user changed number (comes without a `contacts[]` profile). */
  | { readonly type: 'system'; readonly body: string; readonly newWaId: string | null; readonly kind: string | null }
  /** A type the provider cannot or we do not handle; the errors say why. */
  | { readonly type: 'unsupported'; readonly originalType: string };

export interface InboundMessage {
  readonly kind: 'message';
  /** Same for every redelivery of this message. */
  readonly eventId: string;
  /** The business number it was sent to (the provider's id for it). */
  readonly businessNumberId: string;
  readonly messageId: string;
  /** The sender's number as the provider gives it (digits, no "+"). */
  readonly from: string;
  /** From `contacts[]`; absent on system messages. */
  readonly profileName: string | null;
  readonly sentAt: Date;
  readonly context: MessageContext | null;
  readonly content: InboundContent;
  readonly errors: readonly ProviderErrorInfo[];
}

/** Delivery progress of a message we sent, in rank order (see `advanceDeliveryStatus`). */
export type DeliveryStatus = 'accepted' | 'sent' | 'delivered' | 'read' | 'failed';

export interface MessageStatusUpdate {
  readonly kind: 'status';
  readonly eventId: string;
  readonly businessNumberId: string;
  /** Our outbound message (the id `MessageSender.send` returned). */
  readonly messageId: string;
  readonly recipient: string;
  readonly status: Exclude<DeliveryStatus, 'accepted'>;
  readonly at: Date;
  readonly errors: readonly ProviderErrorInfo[];
}

/** Errors about the delivery as a whole (the `errors[]` of a change, not of one message). */
export interface ProviderErrorEvent {
  readonly kind: 'error';
  readonly eventId: string;
  readonly businessNumberId: string;
  readonly errors: readonly ProviderErrorInfo[];
}

export type InboundEvent = InboundMessage | MessageStatusUpdate | ProviderErrorEvent;

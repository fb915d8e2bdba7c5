// A webhook inbox, an outbound log and a recording handler, for the inbox processor's tests:
// on the in-memory persistence or on PostgreSQL, the same scenarios.
import { inboxRecordOf } from '@khaacho/adapters-whatsapp';
import type {
  ConversationHandler,
  IdempotencyStore,
  InboundEvent,
  InboundMessage,
  InboxEvent,
  MessageDelivery,
  MessageStatusUpdate,
  OutboundMessageLog,
  OutboxWakeup,
  PhoneNumber,
  ProviderErrorInfo,
  Timer,
  WebhookInbox,
} from '@khaacho/core';
import { InMemoryMessageSender, ManualClock, RecordingLogger } from '@khaacho/core/testing';
import { InboxProcessor, type InboxProcessorOptions } from '../inbox/inbox-processor.js';

export interface InboxStorage {
  readonly inbox: WebhookInbox;
  readonly outboundLog: OutboundMessageLog;
  readonly idempotency: IdempotencyStore;
}

/** Records each message; throws for the message ids in `failing` (as often as the set says). */
export class RecordingHandler implements ConversationHandler {
  readonly handled: InboundMessage[] = [];
  readonly failing = new Map<string, number>();
  /** Every call's `finalAttempt`, failed ones too, in order. */
  readonly finalAttempts: boolean[] = [];

  async handleMessage(message: InboundMessage, delivery?: MessageDelivery): Promise<void> {
    this.finalAttempts.push(delivery?.finalAttempt ?? true);
    const left = this.failing.get(message.messageId) ?? 0;
    if (left > 0) {
      this.failing.set(message.messageId, left - 1);
      throw new Error(`handler down for ${message.messageId}`);
    }
    this.handled.push(message);
  }
}

export const BUSINESS = '310987654321098';
export const SHOP = '9779812345678';

export function messageEvent(id: string, text: string): InboundMessage {
  return {
    kind: 'message',
    eventId: `wa:msg:${id}`,
    businessNumberId: BUSINESS,
    messageId: id,
    from: SHOP,
    profileName: 'Ram Kirana',
    sentAt: new Date('2026-12-06T03:00:00Z'),
    context: null,
    content: { type: 'text', text },
    errors: [],
  };
}

export function statusEvent(
  messageId: string,
  status: MessageStatusUpdate['status'],
  at: string,
  errors: ProviderErrorInfo[] = [],
): MessageStatusUpdate {
  return {
    kind: 'status',
    eventId: `wa:status:${messageId}:${status}`,
    businessNumberId: BUSINESS,
    messageId,
    recipient: SHOP,
    status,
    at: new Date(at),
    errors,
  };
}

export const providerError = (code: number, title: string): ProviderErrorInfo => ({
  code,
  title,
  message: null,
  details: null,
});

export interface InboxWorld {
  readonly storage: InboxStorage;
  readonly handler: RecordingHandler;
  readonly clock: ManualClock;
  readonly logger: RecordingLogger;
  readonly sender: InMemoryMessageSender;
  record(event: InboundEvent): Promise<InboxEvent>;
  processor(
    options?: InboxProcessorOptions & { operatorPhone?: PhoneNumber | null; wakeup?: OutboxWakeup; timer?: Timer },
  ): InboxProcessor;
}

export function inboxWorld(storage: InboxStorage): InboxWorld {
  const handler = new RecordingHandler();
  const clock = new ManualClock('2026-12-06T03:00:00.000Z');
  const logger = new RecordingLogger();
  const sender = new InMemoryMessageSender();
  const systemTimer: Timer = {
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
  return {
    storage,
    handler,
    clock,
    logger,
    sender,
    async record(event) {
      return (await storage.inbox.record(inboxRecordOf(event, clock.now()))).event;
    },
    processor({ operatorPhone = null, wakeup, timer = systemTimer, ...options } = {}) {
      return new InboxProcessor(
        {
          inbox: storage.inbox,
          handler,
          outboundLog: storage.outboundLog,
          clock,
          timer,
          logger,
          sender,
          idempotency: storage.idempotency,
          operatorPhone,
          ...(wakeup ? { wakeup } : {}),
        },
        options,
      );
    },
  };
}

import type { InboundContent, InboundMessage } from '../messaging/inbound-message.js';
import { requestedMessages } from '../messaging/request-message.js';
import type { OutboundMessage } from '../ports/message-sender.js';
import type { Outbox } from '../ports/outbox.js';
import type { PhoneNumber } from '../shared/phone-number.js';

/** A message from a shop or vendor as the WhatsApp adapter hands it to core (the sender as Meta writes it: digits, no "+"). */
export function inboundMessage(options: {
  readonly from: PhoneNumber | string;
  readonly content: InboundContent;
  readonly eventId: string;
  readonly sentAt: Date;
  readonly profileName?: string | null;
}): InboundMessage {
  const from = typeof options.from === 'string' ? options.from : options.from.value;
  return {
    kind: 'message',
    eventId: options.eventId,
    businessNumberId: 'phone-number-id',
    messageId: options.eventId,
    from: from.replace(/^\+/, ''),
    profileName: options.profileName === undefined ? 'Ram' : options.profileName,
    sentAt: options.sentAt,
    context: null,
    content: options.content,
    errors: [],
  };
}

/**
 * The WhatsApp messages requested since the last call: claims the outbox's unpublished events
 * (due by `now`), marks them published and returns the messages of the `message.send_requested`
 * ones, in order: what the parties would receive, without a relay.
 */
export async function requestedSince(outbox: Outbox, now: Date): Promise<OutboundMessage[]> {
  const claimed = await outbox.claim({ limit: 1000, leaseMs: 60_000, now });
  await outbox.markPublished(
    claimed.map((c) => c.id),
    now,
  );
  return claimed.flatMap((c) => (c.event.type === 'message.send_requested' ? requestedMessages(c.event.payload) : []));
}

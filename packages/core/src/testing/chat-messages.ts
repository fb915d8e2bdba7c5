import type { InboundContent, InboundMessage } from '../messaging/inbound-message.js';
import { requestedMessages } from '../messaging/request-message.js';
import type { OutboundMessage } from '../ports/message-sender.js';
import type { Outbox } from '../ports/outbox.js';
import type { PhoneNumber } from '../shared/phone-number.js';
import { ConversationService, type ConversationServiceDeps } from '../conversations/conversation-service.js';
import { NOOP_LOGGER } from '../ports/logger.js';
import type { TestWorld } from './test-world.js';

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

/** A conversation service on a test world's store and use cases (quiet logger); `overrides` for the rest. */
export function conversationServiceOn(
  world: TestWorld,
  drafts: ConversationServiceDeps['drafts'],
  overrides: Partial<ConversationServiceDeps> = {},
): ConversationService {
  return new ConversationService({
    uow: world.persistence.uow,
    repos: world.repos,
    clock: world.clock,
    ids: world.ids,
    logger: NOOP_LOGGER,
    useCases: world.useCases,
    drafts,
    ...overrides,
  });
}

/** The text a party reads in a message: a text's text, buttons' or a list's body; else (or none) ''. */
export function bodyOf(message: OutboundMessage | undefined): string {
  if (message === undefined) return '';
  return message.kind === 'text'
    ? message.text
    : message.kind === 'buttons' || message.kind === 'list'
      ? message.body
      : '';
}

/** The one element of `list`; throws (naming what it got) when there are none or several. */
export function only<T>(list: readonly T[]): T {
  if (list.length !== 1) throw new Error(`expected one, got ${JSON.stringify(list)}`);
  return list[0] as T;
}

import { defineEntity, p } from '@mikro-orm/core';

/** One NOTIFY per inserting statement; relays LISTEN on the channel (`PgOutboxListener`). */
export const OUTBOX_NOTIFY_BODY = "perform pg_notify('khaacho_outbox', ''); return null;";

/** Transactional outbox: written with the change, drained by relays after commit. */
export const OutboxEntity = defineEntity({
  name: 'OutboxMessage',
  tableName: 'outbox',
  properties: {
    id: p.uuid().primary(),
    /** Insertion order, to claim oldest first even within one millisecond. */
    seq: p.bigint('number').autoincrement().unique('outbox_seq_key'),
    eventType: p.text(),
    aggregateType: p.text(),
    aggregateId: p.text(),
    payload: p.json<unknown>(),
    occurredAt: p.datetime(),
    createdAt: p.datetime(),
    /** Not claimable before this (a failed message's retry time). */
    availableAt: p.datetime(),
    /** A relay holds the message until then; a dead relay's lease simply runs out. */
    leaseUntil: p.datetime().nullable(),
    attempts: p.integer(),
    lastError: p.text().nullable(),
    publishedAt: p.datetime().nullable(),
  },
  indexes: [
    { name: 'outbox_unpublished_idx', properties: ['availableAt', 'seq'], where: 'published_at is null' },
    { name: 'outbox_aggregate_idx', properties: ['aggregateType', 'aggregateId'] },
    // A phone's earlier unsent message holds its next one (PgOutbox.claim; Migration20261206090000_outbox_phone_order).
    { name: 'outbox_phone_order_idx', properties: ['eventType', 'aggregateId', 'seq'], where: 'published_at is null' },
  ],
  // Wakes relays at commit (Migration20261206015200_outbox_notify, which must create exactly this).
  triggers: [
    {
      name: 'outbox_notify',
      timing: 'after',
      events: ['insert'],
      forEach: 'statement',
      body: OUTBOX_NOTIFY_BODY,
    },
  ],
});

export const WebhookInboxEntity = defineEntity({
  name: 'WebhookInboxEvent',
  tableName: 'webhook_inbox',
  properties: {
    id: p.uuid().primary(),
    provider: p.text(),
    externalId: p.text(),
    payload: p.json<unknown>(),
    receivedAt: p.datetime(),
    status: p.enum(['RECEIVED', 'PROCESSING', 'PROCESSED', 'FAILED'] as const),
    attempts: p.integer(),
    lastError: p.text().nullable(),
    leaseUntil: p.datetime().nullable(),
    processedAt: p.datetime().nullable(),
    /** The chat handled in order (a message's sender); null: unordered (Migration20261206090500_inbox_chat_order). */
    chatKey: p.text().nullable(),
  },
  uniques: [{ name: 'webhook_inbox_provider_external_key', properties: ['provider', 'externalId'] }],
  indexes: [
    { name: 'webhook_inbox_pending_idx', properties: ['receivedAt', 'id'], where: "status <> 'PROCESSED'" },
    // The claim's look-backs: a chat's earlier unfinished events, and its earlier ones under
    // way (a probe per candidate: on the first index alone, a chat's long backlog behind a
    // slow event cost a scan of the backlog per candidate, about 1 s per claim at 3000).
    { name: 'webhook_inbox_chat_idx', properties: ['chatKey', 'receivedAt', 'id'], where: "status <> 'PROCESSED'" },
    {
      name: 'webhook_inbox_chat_processing_idx',
      properties: ['chatKey', 'receivedAt', 'id'],
      where: "status = 'PROCESSING'",
    },
  ],
});

export const IdempotencyKeyEntity = defineEntity({
  name: 'IdempotencyKey',
  tableName: 'idempotency_keys',
  properties: {
    scope: p.text().primary(),
    key: p.text().primary(),
    fingerprint: p.text(),
    responseStatus: p.smallint().nullable(),
    responseBody: p.json<unknown>().nullable(),
    /** While set and in the future, a request holds the key; a crashed one's lease runs out. */
    leaseUntil: p.datetime().nullable(),
    createdAt: p.datetime(),
    completedAt: p.datetime().nullable(),
  },
  indexes: [{ name: 'idempotency_keys_created_at_idx', properties: ['createdAt'] }],
});

/**
 * Every message the provider accepted from us and how far its delivery got
 * (Migration20261206045000_outbound_messages). Status callbacks may arrive before the send's
 * own record, so kind and sent_at are null until it lands.
 */
export const OutboundMessageEntity = defineEntity({
  name: 'OutboundMessage',
  tableName: 'outbound_messages',
  properties: {
    providerMessageId: p.text().primary(),
    recipient: p.text(),
    kind: p.text().nullable(),
    sentAt: p.datetime().nullable(),
    status: p.enum(['accepted', 'sent', 'delivered', 'failed', 'read'] as const),
    statusAt: p.datetime(),
    errors: p.json<unknown>(),
  },
  indexes: [{ name: 'outbound_messages_recipient_idx', properties: ['recipient'] }],
});

import { type InboundEvent, type InboxRecord, type JsonValue, ValidationError } from '@khaacho/core';

export const WHATSAPP_PROVIDER = 'whatsapp';

/**
 * What the webhook route stores in the inbox for one event: keyed by its event id, so a
 * redelivery is a duplicate. A message's chat is its sender, so one shop's messages are handled
 * in order; statuses and errors have none: a status never moves a message backwards whatever
 * its order, and keyed to the shop they would queue the shop's next message behind the
 * callbacks of our own replies.
 */
export function inboxRecordOf(event: InboundEvent, receivedAt: Date): InboxRecord {
  return {
    provider: WHATSAPP_PROVIDER,
    externalId: event.eventId,
    payload: JSON.parse(JSON.stringify(event)) as JsonValue,
    receivedAt,
    chatKey: event.kind === 'message' ? event.from : null,
  };
}

function date(value: unknown, field: string): Date {
  const d = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(d.getTime())) throw new ValidationError(`inbox payload ${field} is not a date`, { field });
  return d;
}

/** The event back from an inbox payload written by `inboxRecordOf` (for the worker that processes it). */
export function inboundEventOf(payload: JsonValue): InboundEvent {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new ValidationError('inbox payload is not an object');
  }
  const p = payload as Record<string, unknown>;
  if (typeof p.eventId !== 'string' || typeof p.businessNumberId !== 'string') {
    throw new ValidationError('inbox payload is not an inbound event');
  }
  switch (p.kind) {
    case 'message':
      return { ...(p as unknown as InboundEvent & { kind: 'message' }), sentAt: date(p.sentAt, 'sentAt') };
    case 'status':
      return { ...(p as unknown as InboundEvent & { kind: 'status' }), at: date(p.at, 'at') };
    case 'error':
      return p as unknown as InboundEvent & { kind: 'error' };
    default:
      throw new ValidationError('inbox payload has an unknown kind', { kind: String(p.kind) });
  }
}

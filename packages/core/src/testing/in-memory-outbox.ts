import { type DomainEvent, EventTypes, parseDomainEvent } from '../events/event-catalog.js';
import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/ids.js';
import { systemClock } from '../shared/system-providers.js';
import type {
  Outbox,
  OutboxClaim,
  OutboxMessage,
  OutboxPublished,
  OutboxStats,
  OutboxWriter,
  UnreadableOutboxMessage,
} from '../ports/outbox.js';
import type { InMemoryStore, StoreAccess } from './in-memory-store.js';

/** `lastError` of a row parked because it does not parse; `stats` counts them by it. */
const UNREADABLE_PREFIX = 'unreadable event: ';

const OUTBOX = 'outbox';

/** Messages of this type to one aggregate (a phone number) are claimed one at a time, in order. */
const PHONE_ORDERED_TYPE: string = EventTypes.MESSAGE_SEND_REQUESTED;

/** The event as PostgreSQL keeps it: text columns and the payload as a JSON string. */
export interface StoredOutboxEvent {
  readonly type: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly occurredAt: Date;
  readonly payloadJson: string;
}

interface OutboxRow extends Omit<OutboxMessage, 'event'> {
  readonly event: StoredOutboxEvent;
  readonly availableAt: Date;
  readonly leaseUntil: Date | null;
}

export class InMemoryOutboxWriter implements OutboxWriter {
  /** @param clock stamps `createdAt`, when the row is written (an event's `occurredAt` may be historic). */
  constructor(
    private readonly db: StoreAccess,
    private readonly ids: IdGenerator,
    private readonly clock: Clock = systemClock,
  ) {}

  async append(events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    const writtenAt = this.clock.now();
    await this.db.write((tx) => {
      for (const event of events) {
        // Refuse at write what could not be read back, as the PostgreSQL writer does.
        parseDomainEvent(event);
        const row: OutboxRow = {
          id: this.ids.next(),
          event: {
            type: event.type,
            aggregateType: event.aggregateType,
            aggregateId: event.aggregateId,
            occurredAt: event.occurredAt,
            payloadJson: JSON.stringify(event.payload),
          },
          createdAt: writtenAt,
          attempts: 0,
          lastError: null,
          publishedAt: null,
          availableAt: event.occurredAt,
          leaseUntil: null,
        };
        tx.set(OUTBOX, row.id, row);
      }
    });
  }
}

export class InMemoryOutbox extends InMemoryOutboxWriter implements Outbox {
  constructor(
    private readonly store: InMemoryStore,
    db: StoreAccess,
    ids: IdGenerator,
    clock: Clock = systemClock,
  ) {
    super(db, ids, clock);
  }

  async claim(claim: OutboxClaim): Promise<OutboxMessage[]> {
    const unreadable: UnreadableOutboxMessage[] = [];
    const messages = await this.store.transaction(async (tx) => {
      const now = claim.now.getTime();
      const unpublished = tx
        .values<OutboxRow>(OUTBOX)
        .filter((r) => r.publishedAt === null)
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      // A phone's messages leave one at a time, in order (the PostgreSQL claim's rule): a
      // send is held while an earlier send to that phone is unpublished (not yet sent, dead
      // or readable). An unreadable one does not hold the phone: it may never be readable.
      const phonesBusy = new Set<string>();
      const rows: OutboxRow[] = [];
      for (const r of unpublished) {
        if (rows.length >= claim.limit) break;
        const phone = claim.phoneOrder && r.event.type === PHONE_ORDERED_TYPE ? r.event.aggregateId : null;
        const held = phone !== null && phonesBusy.has(phone);
        if (phone !== null && !r.lastError?.startsWith(UNREADABLE_PREFIX)) phonesBusy.add(phone);
        if (held) continue;
        if (r.availableAt.getTime() <= now && (r.leaseUntil === null || r.leaseUntil.getTime() <= now)) rows.push(r);
      }
      const messages: OutboxMessage[] = [];
      for (const r of rows) {
        const claimed: OutboxRow = { ...r, attempts: r.attempts + 1, leaseUntil: new Date(now + claim.leaseMs) };
        const event = readEvent(claimed.event);
        if (typeof event === 'string') {
          // Not handed out: it stays pending, failing, and is claimable again after its lease.
          tx.set(OUTBOX, r.id, { ...claimed, lastError: event });
          unreadable.push({ id: r.id, type: r.event.type.slice(0, 100), attempts: claimed.attempts, error: event });
        } else {
          tx.set(OUTBOX, r.id, claimed);
          messages.push(toMessage(claimed, event));
        }
      }
      return messages;
    });
    for (const parked of unreadable) claim.onUnreadable?.(parked);
    return messages;
  }

  async markPublished(ids: readonly string[], at: Date): Promise<OutboxPublished> {
    return this.store.transaction(async (tx) => {
      const rows = ids.map((id) => tx.get<OutboxRow>(OUTBOX, id)).filter((r) => r !== undefined);
      // The PostgreSQL statement's rule, read before the marking as its snapshot is: a later
      // (by id, the outbox's order) unpublished send to the phone of one of the sends.
      const sends = rows.filter((r) => r.event.type === PHONE_ORDERED_TYPE);
      const heldBehind =
        sends.length > 0 &&
        tx
          .values<OutboxRow>(OUTBOX)
          .some(
            (n) =>
              n.publishedAt === null &&
              n.event.type === PHONE_ORDERED_TYPE &&
              sends.some((s) => s.event.aggregateId === n.event.aggregateId && s.id < n.id),
          );
      for (const r of rows) tx.set(OUTBOX, r.id, { ...r, publishedAt: r.publishedAt ?? at, leaseUntil: null });
      return { heldBehind };
    });
  }

  async markFailed(id: string, error: string, retryAt: Date): Promise<void> {
    await this.store.transaction(async (tx) => {
      const r = tx.get<OutboxRow>(OUTBOX, id);
      if (r && r.publishedAt === null) {
        tx.set(OUTBOX, id, { ...r, lastError: error.slice(0, 2000), availableAt: retryAt, leaseUntil: null });
      }
    });
  }

  async stats(_now: Date): Promise<OutboxStats> {
    const pending = this.store.committed.values<OutboxRow>(OUTBOX).filter((r) => r.publishedAt === null);
    const oldest = pending.reduce<Date | null>(
      (min, r) => (min === null || r.createdAt.getTime() < min.getTime() ? r.createdAt : min),
      null,
    );
    return {
      pending: pending.length,
      oldestPendingAt: oldest,
      failing: pending.filter((r) => r.lastError !== null).length,
      unreadable: pending.filter((r) => r.lastError?.startsWith(UNREADABLE_PREFIX)).length,
    };
  }
}

/** The event, or why it cannot be read (an unknown type, a payload that is not its type's). */
function readEvent(stored: StoredOutboxEvent): DomainEvent | string {
  try {
    return parseDomainEvent({ ...stored, payload: JSON.parse(stored.payloadJson) });
  } catch (error) {
    return `${UNREADABLE_PREFIX}${error instanceof Error ? error.message : String(error)}`;
  }
}

function toMessage(r: OutboxRow, event: DomainEvent): OutboxMessage {
  return {
    id: r.id,
    event,
    createdAt: r.createdAt,
    attempts: r.attempts,
    lastError: r.lastError,
    publishedAt: r.publishedAt,
  };
}

import type { IdGenerator } from '../shared/ids.js';
import {
  INBOX_LEASE_EXPIRED_ERROR,
  type InboxClaim,
  type InboxEvent,
  type InboxRecord,
  type InboxStats,
  isDeadInboxEvent,
  type WebhookInbox,
} from '../ports/webhook-inbox.js';
import type { InMemoryStore } from './in-memory-store.js';

const INBOX = 'webhook_inbox';

interface InboxRow extends InboxEvent {
  readonly leaseUntil: Date | null;
}

const keyOf = (r: { readonly provider: string; readonly externalId: string }) => `${r.provider}\u0000${r.externalId}`;

export class InMemoryWebhookInbox implements WebhookInbox {
  constructor(
    private readonly store: InMemoryStore,
    private readonly ids: IdGenerator,
  ) {}

  async record(event: InboxRecord): Promise<{ event: InboxEvent; duplicate: boolean }> {
    const [one] = await this.recordAll([event]);
    if (!one) throw new Error('recordAll answered nothing for one event');
    return one;
  }

  async recordAll(events: readonly InboxRecord[]): Promise<{ event: InboxEvent; duplicate: boolean }[]> {
    if (events.length === 0) return [];
    // One transaction: a throw part-way commits none of them.
    return this.store.transaction(async (tx) => {
      const known = new Map<string, InboxRow>();
      for (const r of tx.values<InboxRow>(INBOX)) known.set(keyOf(r), r);
      return events.map((event) => {
        const existing = known.get(keyOf(event));
        if (existing) return { event: toEvent(existing), duplicate: true };
        const row = this.newRow(event);
        known.set(keyOf(row), row);
        tx.set(INBOX, row.id, row);
        return { event: toEvent(row), duplicate: false };
      });
    });
  }

  private newRow(event: InboxRecord): InboxRow {
    return {
      id: this.ids.next(),
      provider: event.provider,
      externalId: event.externalId,
      payload: event.payload,
      receivedAt: event.receivedAt,
      status: 'RECEIVED',
      attempts: 0,
      lastError: null,
      processedAt: null,
      chatKey: event.chatKey ?? null,
      leaseUntil: null,
    };
  }

  async get(id: string): Promise<InboxEvent | null> {
    const r = this.store.committed.get<InboxRow>(INBOX, id);
    return r ? toEvent(r) : null;
  }

  async claim(options: { limit: number; leaseMs: number; maxAttempts: number; now: Date }): Promise<InboxEvent[]> {
    const now = options.now.getTime();
    const max = options.maxAttempts;
    return this.store.transaction(async (tx) => {
      const all = tx.values<InboxRow>(INBOX).sort(byReceived);
      const live = (r: InboxRow) => r.status === 'PROCESSING' && r.leaseUntil !== null && r.leaseUntil.getTime() > now;
      const claimable = (r: InboxRow) =>
        r.status === 'RECEIVED' ||
        (r.status === 'FAILED' && !isDeadInboxEvent(r, max)) ||
        (r.status === 'PROCESSING' && !live(r) && r.attempts <= max);
      // Walking in inbox order: a chat stays open while each of its events so far is taken or
      // finished/dead; the first one held elsewhere (a live lease) or left out closes it.
      const closed = new Set<string>();
      const picked: InboxRow[] = [];
      for (const r of all) {
        const chat = r.chatKey;
        if (chat !== null && closed.has(chat)) continue;
        if (claimable(r) && picked.length < options.limit) picked.push(r);
        else if (chat !== null && (claimable(r) || live(r))) closed.add(chat);
      }
      return picked.map((r) => {
        const claimed: InboxRow = {
          ...r,
          status: 'PROCESSING',
          attempts: r.attempts + 1,
          leaseUntil: new Date(now + options.leaseMs),
        };
        tx.set(INBOX, r.id, claimed);
        return toEvent(claimed);
      });
    });
  }

  async renewLeases(claims: readonly InboxClaim[], options: { leaseMs: number; now: Date }): Promise<string[]> {
    const until = new Date(options.now.getTime() + options.leaseMs);
    return this.store.transaction(async (tx) => {
      const renewed: string[] = [];
      for (const c of claims) {
        const r = tx.get<InboxRow>(INBOX, c.id);
        if (r?.status !== 'PROCESSING' || r.attempts !== c.attempts) continue;
        tx.set(INBOX, r.id, { ...r, leaseUntil: until });
        renewed.push(r.id);
      }
      return renewed;
    });
  }

  async release(claims: readonly InboxClaim[], options: { maxAttempts: number }): Promise<void> {
    await this.store.transaction(async (tx) => {
      for (const c of claims) {
        const r = tx.get<InboxRow>(INBOX, c.id);
        if (r?.status !== 'PROCESSING' || r.attempts !== c.attempts) continue;
        const attempts = r.attempts - 1;
        tx.set(INBOX, r.id, {
          ...r,
          status: attempts === 0 ? 'RECEIVED' : 'FAILED',
          attempts,
          // Beyond the limit only by reclaiming a lapsed final attempt: it stays that.
          lastError: attempts >= options.maxAttempts ? INBOX_LEASE_EXPIRED_ERROR : r.lastError,
          leaseUntil: null,
        });
      }
    });
  }

  async markProcessed(id: string, at: Date): Promise<void> {
    await this.markAllProcessed([id], at);
  }

  async markAllProcessed(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.store.transaction(async (tx) => {
      for (const id of ids) {
        const r = tx.get<InboxRow>(INBOX, id);
        if (r) tx.set(INBOX, id, { ...r, status: 'PROCESSED', processedAt: at, leaseUntil: null, lastError: null });
      }
    });
  }

  async markFailed(id: string, error: string, _at: Date): Promise<void> {
    await this.store.transaction(async (tx) => {
      const r = tx.get<InboxRow>(INBOX, id);
      if (r && r.status !== 'PROCESSED') {
        tx.set(INBOX, id, { ...r, status: 'FAILED', lastError: error.slice(0, 2000), leaseUntil: null });
      }
    });
  }

  async releaseExpiredLeases(options: { limit: number; now: Date }): Promise<InboxEvent[]> {
    const now = options.now.getTime();
    return this.store.transaction(async (tx) => {
      const rows = tx
        .values<InboxRow>(INBOX)
        .filter((r) => r.status === 'PROCESSING' && r.leaseUntil !== null && r.leaseUntil.getTime() <= now)
        .sort(byReceived)
        .slice(0, options.limit);
      return rows.map((r) => {
        const released: InboxRow = { ...r, status: 'FAILED', lastError: INBOX_LEASE_EXPIRED_ERROR, leaseUntil: null };
        tx.set(INBOX, r.id, released);
        return toEvent(released);
      });
    });
  }

  async listDead(options: { maxAttempts: number; limit: number }): Promise<InboxEvent[]> {
    return this.store.committed
      .values<InboxRow>(INBOX)
      .filter((r) => isDeadInboxEvent(r, options.maxAttempts))
      .sort(byReceived)
      .slice(0, options.limit)
      .map(toEvent);
  }

  async retry(id: string): Promise<InboxEvent | null> {
    return this.store.transaction(async (tx) => {
      const r = tx.get<InboxRow>(INBOX, id);
      if (!r) return null;
      if (r.status !== 'FAILED') return toEvent(r);
      const again: InboxRow = { ...r, status: 'RECEIVED', attempts: 0, leaseUntil: null };
      tx.set(INBOX, id, again);
      return toEvent(again);
    });
  }

  async stats(options: { maxAttempts: number; now: Date }): Promise<InboxStats> {
    const now = options.now.getTime();
    const rows = this.store.committed.values<InboxRow>(INBOX);
    const waiting = rows
      .filter((r) => r.status === 'RECEIVED' || (r.status === 'FAILED' && !isDeadInboxEvent(r, options.maxAttempts)))
      .sort(byReceived);
    const processing = rows.filter((r) => r.status === 'PROCESSING');
    const expired = (r: InboxRow) => r.leaseUntil !== null && r.leaseUntil.getTime() <= now;
    return {
      waiting: waiting.length,
      oldestWaitingAt: waiting[0]?.receivedAt ?? null,
      processing: processing.filter((r) => !expired(r)).length,
      leaseExpired: processing.filter(expired).length,
      dead: rows.filter((r) => isDeadInboxEvent(r, options.maxAttempts)).length,
    };
  }
}

function byReceived(a: InboxRow, b: InboxRow): number {
  return a.receivedAt.getTime() - b.receivedAt.getTime() || (a.id < b.id ? -1 : 1);
}

function toEvent(r: InboxRow): InboxEvent {
  const { leaseUntil: _lease, ...event } = r;
  return event;
}

import type { Logger, OutboxWakeup } from '@khaacho/core';
import pg from 'pg';

/** The channel `Migration20261206015200_outbox_notify`'s trigger notifies on each outbox insert. */
export const OUTBOX_CHANNEL = 'khaacho_outbox';
/** The channel `PgWebhookInbox` notifies (coalesced, `InboxNotifier`) after recording new events. */
export const INBOX_CHANNEL = 'khaacho_inbox';

export interface PgOutboxListenerOptions {
  readonly databaseUrl: string;
  /** Default `khaacho_outbox`; `khaacho_inbox` wakes inbox processors the same way. */
  readonly channel?: typeof OUTBOX_CHANNEL | typeof INBOX_CHANNEL;
  /** Bound on opening the connection (default 5 s). */
  readonly connectTimeoutMs?: number;
  /** First reconnect delay (default 100 ms), doubling up to `reconnectMaxMs` (default 5 s). */
  readonly reconnectBaseMs?: number;
  readonly reconnectMaxMs?: number;
  /**
   * Pass notifications on only while this listener leads (default: on `khaacho_outbox`, off
   * on `khaacho_inbox`). See the class comment.
   */
  readonly leader?: boolean;
  /** How often a listener that does not lead tries to (default 1 s, the relay's poll). */
  readonly leaderRetryMs?: number;
  /** Connection lost and regained: a warn and an info line (never the URL). */
  readonly logger?: Logger;
}

export interface PgOutboxListenerStatus {
  readonly listening: boolean;
  /** Connections opened after the first (each one after a lost connection). */
  readonly reconnects: number;
  readonly notifications: number;
  /** This listener holds the leader lock (always false without `leader`). */
  readonly leading: boolean;
  /** Notifications not passed on: another listener leads. */
  readonly ignored: number;
}

/** The leader lock's two halves: "kh" (as the migration lock's) and the outbox relays. */
const LEADER_LOCK = [0x6b68, 2] as const;

/**
 * `OutboxWakeup` on PostgreSQL LISTEN: one dedicated connection (outside the pool, which
 * would hand it to a transaction) listening on `khaacho_outbox`. When it is lost (the server
 * restarted, the backend terminated, the network dropped) it reconnects with a doubling
 * delay and then wakes every subscriber once, since notifications sent meanwhile are gone.
 * Only for a server: embedded PGlite serves one connection, which the pool holds.
 *
 * With `leader` (the outbox's), of all the listeners with subscribers on one database only
 * the one holding a session advisory lock on its connection passes notifications on. Every
 * NOTIFY reaches every listener; passed on by all, it woke the relay of each worker, each
 * claimed, and all but one found nothing (SKIP LOCKED) — the heaviest statement, run once
 * per worker per commit. Now one relay claims what is committed; the others keep their
 * poll (so nothing waits longer than a poll if the leader's relay is stuck) and their own
 * process's ack wake-ups. The lock goes with the connection (a dead process, a terminated
 * backend) or with the last subscriber; the others try for it every `leaderRetryMs`, and
 * the one that gets it wakes its subscribers once (notifications it ignored may have gone
 * to a leader that died before acting on them).
 */
export class PgOutboxListener implements OutboxWakeup {
  private readonly listeners = new Set<() => void>();
  private client: pg.Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;
  private failures = 0;
  private counts = { reconnects: 0, notifications: 0, ignored: 0 };
  private listening = false;
  private readonly leader: boolean;
  private leading = false;
  /** A lock statement is running (on the listener's connection). */
  private locking = false;
  private leaderRetry: NodeJS.Timeout | null = null;
  /** Since it last led, this listener ignored a notification or found the lock taken. */
  private followed = false;
  private connected = 0;

  private readonly channel: string;

  constructor(private readonly options: PgOutboxListenerOptions) {
    this.channel = options.channel ?? OUTBOX_CHANNEL;
    this.leader = options.leader ?? this.channel === OUTBOX_CHANNEL;
  }

  /** Opens the connection in the background; `subscribe` works before and after. */
  start(): this {
    if (!this.client && !this.retry && !this.closed) void this.connect();
    return this;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    this.start();
    void this.lead();
    return () => {
      this.listeners.delete(listener);
      // No relay left here to act on notifications: let another listener lead.
      if (this.listeners.size === 0) void this.resign();
    };
  }

  status(): PgOutboxListenerStatus {
    return { listening: this.listening, leading: this.leading, ...this.counts };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.stopLeaderRetry();
    this.leading = false;
    const client = this.client;
    this.client = null;
    this.listening = false;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.databaseUrl,
      connectionTimeoutMillis: this.options.connectTimeoutMs ?? 5_000,
      // A dropped network must end the connection (and start a reconnect), not leave a
      // listener that hears nothing while the relay falls back to its slow poll.
      keepAlive: true,
      application_name: `${this.channel.replace('_', '-')}-listener`,
    });
    this.client = client;
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      this.listening = false;
      // The session's lock is gone with it (or will be, as the backend exits).
      this.leading = false;
      this.stopLeaderRetry();
      if (this.client === client) this.client = null;
      if (this.closed) return;
      this.failures += 1;
      this.options.logger?.warn('notify listener connection lost; reconnecting (its consumer polls meanwhile)', {
        channel: this.channel,
        error: error?.message ?? 'connection ended',
        attempt: this.failures,
      });
      client.end().catch(() => {});
      this.scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel !== this.channel) return;
      this.counts.notifications += 1;
      if (this.leader && !this.leading) {
        this.counts.ignored += 1;
        this.followed = true;
      } else this.wakeAll();
    });
    try {
      await client.connect();
      await client.query(`listen ${this.channel}`);
    } catch (error) {
      onLost(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.closed || lost) return;
    this.listening = true;
    this.connected += 1;
    if (this.connected > 1) {
      this.counts.reconnects += 1;
      this.options.logger?.info('notify listener reconnected', {
        channel: this.channel,
        reconnects: this.counts.reconnects,
      });
      // Whatever was committed while the connection was down notified no one.
      this.wakeAll();
    }
    this.failures = 0;
    void this.lead();
  }

  /** Tries for the leader lock when this listener has subscribers (else retries later). */
  private async lead(): Promise<void> {
    const client = this.client;
    if (!this.leader || this.leading || this.locking || !this.listening || !client || this.listeners.size === 0) {
      return;
    }
    this.locking = true;
    let won = false;
    try {
      const result = await client.query('select pg_try_advisory_lock($1, $2) as won', [...LEADER_LOCK]);
      won = result.rows[0]?.won === true;
    } catch {
      // The connection is failing: its 'error'/'end' handler reconnects, and this runs again.
      return;
    } finally {
      this.locking = false;
    }
    if (this.client !== client || this.closed) return;
    if (won && this.listeners.size === 0) {
      // Unsubscribed meanwhile: give it back at once.
      await client.query('select pg_advisory_unlock($1, $2)', [...LEADER_LOCK]).catch(() => {});
      return;
    }
    if (won) {
      this.leading = true;
      this.stopLeaderRetry();
      // What was committed while another listener led (and perhaps died), or while this one
      // waited for the lock, may be unclaimed. A first try that wins needs no wake-up: the
      // subscriber has just started, and runs its first pass anyway.
      if (this.followed) this.wakeAll();
      this.followed = false;
      return;
    }
    this.followed = true;
    if (!this.leaderRetry && this.listeners.size > 0) {
      this.leaderRetry = setInterval(() => void this.lead(), this.options.leaderRetryMs ?? 1_000);
      this.leaderRetry.unref();
    }
  }

  private async resign(): Promise<void> {
    this.stopLeaderRetry();
    const client = this.client;
    if (!this.leading || !client) return;
    this.leading = false;
    await client.query('select pg_advisory_unlock($1, $2)', [...LEADER_LOCK]).catch(() => {});
  }

  private stopLeaderRetry(): void {
    if (this.leaderRetry) clearInterval(this.leaderRetry);
    this.leaderRetry = null;
  }

  private scheduleReconnect(): void {
    const base = this.options.reconnectBaseMs ?? 100;
    const max = this.options.reconnectMaxMs ?? 5_000;
    const delay = Math.min(max, base * 2 ** Math.max(0, this.failures - 1));
    this.retry = setTimeout(() => {
      this.retry = null;
      if (!this.closed) void this.connect();
    }, delay);
    // The listener never keeps a process alive by itself.
    this.retry.unref();
  }

  private wakeAll(): void {
    for (const listener of this.listeners) listener();
  }
}

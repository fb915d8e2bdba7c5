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
  /** Connection lost and regained: a warn and an info line (never the URL). */
  readonly logger?: Logger;
}

export interface PgOutboxListenerStatus {
  readonly listening: boolean;
  /** Connections opened after the first (each one after a lost connection). */
  readonly reconnects: number;
  readonly notifications: number;
}

/**
 * `OutboxWakeup` on PostgreSQL LISTEN: one dedicated connection (outside the pool, which
 * would hand it to a transaction) listening on `khaacho_outbox`. When it is lost (the server
 * restarted, the backend terminated, the network dropped) it reconnects with a doubling
 * delay and then wakes every subscriber once, since notifications sent meanwhile are gone.
 * Only for a server: embedded PGlite serves one connection, which the pool holds.
 */
export class PgOutboxListener implements OutboxWakeup {
  private readonly listeners = new Set<() => void>();
  private client: pg.Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;
  private failures = 0;
  private counts = { reconnects: 0, notifications: 0 };
  private listening = false;
  private connected = 0;

  private readonly channel: string;

  constructor(private readonly options: PgOutboxListenerOptions) {
    this.channel = options.channel ?? OUTBOX_CHANNEL;
  }

  /** Opens the connection in the background; `subscribe` works before and after. */
  start(): this {
    if (!this.client && !this.retry && !this.closed) void this.connect();
    return this;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    this.start();
    return () => {
      this.listeners.delete(listener);
    };
  }

  status(): PgOutboxListenerStatus {
    return { listening: this.listening, ...this.counts };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
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
      this.wakeAll();
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

import { ErrorCodes, type Logger, NOOP_LOGGER, UnavailableError, ValidationError } from '@khaacho/core';
import { Redis } from 'ioredis';

export interface RedisConnectionConfig {
  /** `redis://[user:password@]host:port[/db]` (REDIS_URL). */
  readonly url: string;
  /** A command that gets no reply within this long fails (the fail-fast client). Default 1,000 ms. */
  readonly commandTimeoutMs?: number;
  /** Give up one connection attempt after this long. Default 2,000 ms. */
  readonly connectTimeoutMs?: number;
  /** Reconnect attempts back off linearly (100 ms per attempt) up to this. Default 2,000 ms. */
  readonly maxReconnectDelayMs?: number;
  readonly logger?: Logger;
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_COMMAND_TIMEOUT_MS = 1_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
export const DEFAULT_MAX_RECONNECT_DELAY_MS = 2_000;

/** Reads REDIS_URL (default redis://127.0.0.1:6379) and KHAACHO_REDIS_COMMAND_TIMEOUT_MS. */
export function redisConfigFromEnv(env: Readonly<Record<string, string | undefined>>): RedisConnectionConfig {
  const url = env.REDIS_URL?.trim() || DEFAULT_REDIS_URL;
  if (!/^rediss?:\/\//.test(url)) {
    throw new ValidationError('REDIS_URL must be a redis:// or rediss:// URL', { variable: 'REDIS_URL' });
  }
  const raw = env.KHAACHO_REDIS_COMMAND_TIMEOUT_MS;
  if (raw === undefined || raw === '') return { url };
  const ms = Number(raw);
  if (!Number.isSafeInteger(ms) || ms <= 0) {
    throw new ValidationError('KHAACHO_REDIS_COMMAND_TIMEOUT_MS must be a whole number of ms > 0', {
      variable: 'KHAACHO_REDIS_COMMAND_TIMEOUT_MS',
    });
  }
  return { url, commandTimeoutMs: ms };
}

/** A server's answer to SELECT of a database it does not have (or may not select). */
const REFUSED_SELECT = /DB index is out of range|invalid DB index|SELECT is not allowed/i;

/**
 * One Redis server as the adapters see it. `client` fails fast while the server is away
 * (no offline queue, a command timeout), so callers get an error or a cache miss at once
 * instead of waiting on a reconnect. Blocking and subscriber connections (bee-queue's
 * workers) are made by `duplicateWaiting`: those queue their commands through an outage
 * and resume after it. The owner closes it last, after the adapters built on it.
 */
export type RedisDurability = 'aof' | 'none' | 'unknown';

export class RedisConnection {
  /** @internal */
  readonly client: Redis;
  /**
   * @internal The command client of bee-queue's workers: fails fast too, but without
   * `commandTimeout`, which costs ioredis a timer per command (a third of a worker's
   * throughput); a worker's commands are bounded by the stall check instead.
   */
  readonly workerClient: Redis;
  private readonly duplicates = new Set<Redis>();
  private readonly readyListeners = new Set<() => void>();
  private readonly logger: Logger;
  private lastErrorLog = 0;
  private closed = false;
  /** The server refused the database the URL selects: nothing may run on this connection. */
  private refusedDb: string | null = null;

  constructor(private readonly config: RedisConnectionConfig) {
    this.logger = config.logger ?? NOOP_LOGGER;
    this.client = this.make('command', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: config.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    });
    this.workerClient = this.make('worker', { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    let connectedBefore = false;
    this.client.on('ready', () => {
      if (connectedBefore) this.logger.info('redis reconnected', { role: 'command' });
      connectedBefore = true;
      for (const listener of this.readyListeners) listener();
    });
    this.workerClient.on('ready', () => {
      for (const listener of this.readyListeners) listener();
    });
  }

  /** @internal Both command clients are connected (what a worker needs to start). */
  get workersReady(): boolean {
    return this.ready && this.workerClient.status === 'ready';
  }

  /** True while commands can be sent. */
  get ready(): boolean {
    return this.refusedDb === null && this.client.status === 'ready';
  }

  /**
   * Readiness of every client this connection made: the command and worker clients answer a
   * PING, and each duplicate (bee-queue's blocking and subscriber connections, which may be
   * inside a blocking command, so they are not pinged) is connected. Rejects with
   * `UnavailableError` (`details.reason`: `config` when the server refused the URL's
   * database, `connection` otherwise), naming the client.
   */
  async check(): Promise<void> {
    this.throwIfRefused();
    const down = (client: string) =>
      new UnavailableError(
        `Redis does not answer on the ${client} connection`,
        { dependency: 'redis', reason: 'connection', client },
        ErrorCodes.UNAVAILABLE,
      );
    for (const [role, client] of [
      ['command', this.client],
      ['worker', this.workerClient],
    ] as const) {
      if (client.status !== 'ready') throw down(role);
      const answer = await client.ping().catch(() => null);
      if (answer !== 'PONG') throw down(role);
    }
    for (const dup of this.duplicates) if (dup.status !== 'ready') throw down('queue worker');
    this.throwIfRefused();
  }

  private throwIfRefused(): void {
    if (this.refusedDb === null) return;
    const db = /^rediss?:\/\/[^/]*\/(\d+)/.exec(this.config.url)?.[1] ?? '?';
    throw new UnavailableError(
      `REDIS_URL selects database ${db}, which the server refused (${this.refusedDb}): use a database index the server has (0–15 by default)`,
      { dependency: 'redis', reason: 'config', variable: 'REDIS_URL', db },
      ErrorCodes.UNAVAILABLE,
    );
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  /**
   * Whether the server keeps what it acknowledged across a restart: `aof` with an append-only
   * file, `none` without one (a restart comes back empty, or with its last snapshot), `unknown`
   * when CONFIG is refused (managed services often rename it) or the server is away.
   */
  async durability(): Promise<RedisDurability> {
    try {
      const answer: unknown = await this.client.config('GET', 'appendonly');
      const value = Array.isArray(answer) ? answer[1] : undefined;
      return value === 'yes' ? 'aof' : value === 'no' ? 'none' : 'unknown';
    } catch {
      return 'unknown';
    }
  }

  /** @internal Called on every (re)connect of either command client. */
  onReady(listener: () => void): () => void {
    this.readyListeners.add(listener);
    return () => this.readyListeners.delete(listener);
  }

  /** @internal A connection that waits through outages (for blocking reads and subscriptions). */
  duplicateWaiting(role: string): Redis {
    const dup = this.make(role, { enableOfflineQueue: true, maxRetriesPerRequest: null });
    this.duplicates.add(dup);
    dup.once('end', () => this.duplicates.delete(dup));
    return dup;
  }

  /** Drops every connection at once (no QUIT round trip: it must not wait on a server that is down). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.readyListeners.clear();
    for (const dup of this.duplicates) dup.disconnect();
    this.duplicates.clear();
    this.workerClient.disconnect();
    this.client.disconnect();
  }

  private make(
    role: string,
    options: { enableOfflineQueue: boolean; maxRetriesPerRequest: number | null; commandTimeout?: number },
  ): Redis {
    const maxDelay = this.config.maxReconnectDelayMs ?? DEFAULT_MAX_RECONNECT_DELAY_MS;
    const client = new Redis(this.config.url, {
      ...options,
      connectTimeout: this.config.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      retryStrategy: (attempt: number) => Math.min(attempt * 100, maxDelay),
      // bee-queue waits for 'ready' itself; connecting at once makes `ready` meaningful.
      lazyConnect: false,
    });
    client.on('error', (error: Error) => {
      // ioredis reports a refused SELECT as an error and then goes ready on database 0: the
      // queue and cache would silently share another database. Stop every client instead.
      if (REFUSED_SELECT.test(error.message)) this.refuseDb(error.message);
      this.logError(role, error);
    });
    // ioredis 6 mixes EventEmitter in after the class, so `constructor` reads EventEmitter;
    // bee-queue 2 recognises a client by `constructor.name === 'Redis'` and would otherwise
    // treat it as connection options (and crash in node_redis).
    Object.defineProperty(client, 'constructor', { value: Redis, configurable: true });
    return client;
  }

  private refuseDb(reason: string): void {
    if (this.refusedDb !== null) return;
    this.refusedDb = reason;
    this.logger.error('redis refused the database REDIS_URL selects; Redis is not used', { error: reason });
    for (const dup of this.duplicates) dup.disconnect();
    this.workerClient.disconnect();
    this.client.disconnect();
  }

  /** A server that is down errors on every reconnect attempt: log at most once a second. */
  private logError(role: string, error: Error): void {
    const now = Date.now();
    if (now - this.lastErrorLog < 1_000) return;
    this.lastErrorLog = now;
    this.logger.warn('redis connection error', { role, error: error.message });
  }
}

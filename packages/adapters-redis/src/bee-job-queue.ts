import { createRequire } from 'node:module';
import {
  DEFAULT_QUEUE_CONCURRENCY,
  ErrorCodes,
  isQueueName,
  type JobConsumer,
  type JobHandler,
  type JobInfo,
  type JobListPage,
  type JobListState,
  type JobQueue,
  type JobQueueStats,
  type JobSpec,
  type JobState,
  type JsonObject,
  type Logger,
  NOOP_LOGGER,
  UnavailableError,
  ValidationError,
} from '@khaacho/core';
import BeeQueue from 'bee-queue';
import { messageOf, translateRedisError, within } from './redis-errors.js';
import type { RedisConnection } from './redis-connection.js';
import { type BeeJobOptions, jobInfoOf, type StoredJob } from './bee-job-record.js';

// bee-queue loads its Lua scripts once per process; a restarted server (nothing persisted)
// has lost them, so they are loaded again on every reconnect. Internal API of the pinned 2.0.0.
const beeLua = createRequire(import.meta.url)('bee-queue/lib/lua/index.js') as {
  buildCache(client: unknown): Promise<unknown>;
};

export interface QueueSettings {
  /** Jobs this process runs at once for the queue (a `process` option wins). */
  readonly concurrency?: number;
  /** A run that takes longer fails (and is retried); the handler is not cancelled. */
  readonly timeoutMs?: number;
}

export interface BeeJobQueueConfig {
  readonly connection: RedisConnection;
  /** bee-queue key prefix, e.g. `khaacho:bq`; keys are `<prefix>:<queue>:…`. */
  readonly prefix: string;
  /** Per-queue settings; the named queues default to core's DEFAULT_QUEUE_CONCURRENCY, others to 1. */
  readonly queues?: Readonly<Record<string, QueueSettings>>;
  /** Default for queues without their own. Default 60,000 ms. */
  readonly jobTimeoutMs?: number;
  /** A job whose worker stopped renewing for this long is put back (crash recovery). Default 5,000 ms. */
  readonly stallIntervalMs?: number;
  /** Delayed jobs due within this window are raised together. Default 100 ms. */
  readonly delayedDebounceMs?: number;
  /** `stop()`/`close()` wait this long for running jobs. Default 10,000 ms. */
  readonly stopTimeoutMs?: number;
  /**
   * How long a succeeded job's record is kept (default 7 days): within it, the same job id
   * is still recognised as a duplicate; after it, a consumer's trim deletes the record. Its
   * payload is dropped at success already (the record keeps id, name, attempts and times).
   */
  readonly succeededRetentionMs?: number;
  /** How often a consumer trims its queue's succeeded records (default 60 s). */
  readonly trimIntervalMs?: number;
  readonly logger?: Logger;
}

type BeeData = { name: string; payload: JsonObject };

const DEFAULT_ATTEMPTS = 5;
const DEFAULT_BACKOFF_MS = 1_000;
const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_SUCCEEDED_RETENTION_MS = 7 * 24 * 3_600_000;
const DEFAULT_TRIM_INTERVAL_MS = 60_000;
/** Records deleted per trim call: one script never blocks Redis for long. */
const TRIM_BATCH = 500;

/** What a worker's bee-queue exposes beyond its typings (pinned 2.0.0). */
interface WorkerInternals {
  _activateDelayed(): void;
}

interface Worker {
  readonly queue: string;
  bee: BeeQueue<BeeData> | null;
  readonly stopping: { value: boolean };
  stop(): Promise<void>;
}

// Marks a job's final failure with the job record, atomically; returns 0 when the job is not dead.
const RETRY_DEAD = `
if redis.call('srem', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('hset', KEYS[1], ARGV[1], ARGV[2])
redis.call('lpush', KEYS[3], ARGV[1])
return 1`;

// Deletes succeeded records whose success is older than ARGV[1] (their ids are in the
// `succeeded_at` index, scored by the time the handler returned). A job that is not (or no
// longer) succeeded — its finish never landed, or it was enqueued again after an earlier
// trim — only leaves the index. Returns how many records were deleted.
const TRIM_SUCCEEDED = `
local ids = redis.call('zrangebyscore', KEYS[3], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local deleted = 0
for _, id in ipairs(ids) do
  if redis.call('sismember', KEYS[2], id) == 1 then
    redis.call('hdel', KEYS[1], id)
    redis.call('srem', KEYS[2], id)
    deleted = deleted + 1
  end
  redis.call('zrem', KEYS[3], id)
end
return deleted`;

/**
 * Core's `JobQueue` on bee-queue 2 over ioredis. One bee-queue per named queue for
 * producing (no blocking connection), and one worker bee-queue per `process` call with
 * its own blocking and subscriber connections. Job ids are the caller's (`setId`), so
 * the same id twice is one job. Attempts, backoff and dead letters map onto bee-queue's
 * retries, exponential backoff and `failed` set (see the README).
 */
export class BeeJobQueue implements JobQueue {
  private readonly producers = new Map<string, Promise<BeeQueue<BeeData>>>();
  private readonly workers = new Set<Worker>();
  private readonly logger: Logger;
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(private readonly config: BeeJobQueueConfig) {
    this.logger = config.logger ?? NOOP_LOGGER;
    if (!config.prefix || config.prefix.includes('{')) {
      throw new ValidationError('BeeJobQueue needs a plain key prefix', { prefix: config.prefix });
    }
    this.unsubscribe = config.connection.onReady(() => void this.afterReconnect());
  }

  async enqueue(spec: JobSpec): Promise<{ job: JobInfo; duplicate: boolean }> {
    if (!spec.jobId) throw new ValidationError('a job needs a jobId', { queue: spec.queue });
    const maxAttempts = spec.maxAttempts ?? DEFAULT_ATTEMPTS;
    const backoffMs = spec.backoffMs ?? DEFAULT_BACKOFF_MS;
    if (!(Number.isSafeInteger(maxAttempts) && maxAttempts >= 1 && Number.isSafeInteger(backoffMs) && backoffMs >= 0)) {
      throw new ValidationError('maxAttempts must be ≥ 1 and backoffMs ≥ 0 (whole numbers)', {
        maxAttempts,
        backoffMs,
      });
    }
    const bee = await this.producer(spec.queue);
    const now = Date.now();
    const job = bee
      .createJob({ name: spec.name, payload: spec.payload })
      .setId(spec.jobId)
      .retries(maxAttempts - 1);
    if (maxAttempts > 1)
      job.backoff(backoffMs > 0 ? 'exponential' : 'immediate', backoffMs > 0 ? backoffMs : undefined);
    const delayed = (spec.delayMs ?? 0) > 0;
    if (delayed) job.delayUntil(now + (spec.delayMs ?? 0));
    Object.assign(job.options, { maxAttempts, backoffMs } satisfies Partial<BeeJobOptions>);
    try {
      await this.saveJob(job);
    } catch (error) {
      throw this.unavailable(error, `enqueue ${spec.queue}`);
    }
    if (job.id === null) {
      const existing = await this.get(spec.queue, spec.jobId);
      if (existing) return { job: existing, duplicate: true };
      // Deleted between the two reads: report the duplicate with what was asked.
    }
    const created = new Date(now);
    return {
      job: {
        queue: spec.queue,
        jobId: spec.jobId,
        name: spec.name,
        payload: spec.payload,
        state: delayed ? 'delayed' : 'waiting',
        attempts: 0,
        maxAttempts,
        lastError: null,
        createdAt: created,
        updatedAt: created,
      },
      duplicate: job.id === null,
    };
  }

  async get(queue: string, jobId: string): Promise<JobInfo | null> {
    const client = this.client();
    let replies: [Error | null, unknown][] | null;
    try {
      replies = await client
        .multi()
        .hget(this.key(queue, 'jobs'), jobId)
        .zscore(this.key(queue, 'delayed'), jobId)
        .lpos(this.key(queue, 'active'), jobId)
        .exec();
    } catch (error) {
      throw this.unavailable(error, `get ${queue}`);
    }
    const [raw, delayedScore, activePos] = (replies ?? []).map(([, v]) => v);
    if (typeof raw !== 'string') return null;
    return jobInfoOf(queue, jobId, JSON.parse(raw) as StoredJob, stateOf(raw, delayedScore != null, activePos != null));
  }

  process(queue: string, handler: JobHandler, options: { readonly concurrency?: number } = {}): JobConsumer {
    if (this.closed) throw new UnavailableError('queue is closed', { queue }, ErrorCodes.QUEUE_UNAVAILABLE);
    if ([...this.workers].some((w) => w.queue === queue)) {
      throw new ValidationError(`queue ${queue} already has a consumer in this process`, { queue });
    }
    const settings = this.config.queues?.[queue];
    const concurrency =
      options.concurrency ?? settings?.concurrency ?? (isQueueName(queue) ? DEFAULT_QUEUE_CONCURRENCY[queue] : 1);
    const timeoutMs = settings?.timeoutMs ?? this.config.jobTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    const worker = this.startWorker(queue, handler, concurrency, timeoutMs);
    this.workers.add(worker);
    return {
      stop: async () => {
        await worker.stop();
        this.workers.delete(worker);
      },
    };
  }

  async deadLetters(queue: string, limit: number): Promise<JobInfo[]> {
    const client = this.client();
    try {
      const ids = await client.smembers(this.key(queue, 'failed'));
      if (ids.length === 0) return [];
      const raws = await client.hmget(this.key(queue, 'jobs'), ...ids);
      const dead: JobInfo[] = [];
      ids.forEach((id, i) => {
        const raw = raws[i];
        if (typeof raw === 'string') dead.push(jobInfoOf(queue, id, JSON.parse(raw) as StoredJob, 'dead'));
      });
      return dead.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime()).slice(0, Math.max(0, limit));
    } catch (error) {
      throw this.unavailable(error, `dead letters of ${queue}`);
    }
  }

  /**
   * Reads bee-queue's own keys rather than its `getJobs`, which pages the waiting, active and
   * delayed lists but always scans the succeeded and failed sets from their start. Waiting and
   * active are lists (LPUSH: newest first), delayed a sorted set by due time; succeeded pages
   * over our `succeeded_at` index (latest first; a record whose index write failed is not
   * listed); failed, an unordered set, is read whole and sorted like `deadLetters`.
   */
  async list(queue: string, state: JobListState, page: { limit: number; cursor?: string }): Promise<JobListPage> {
    const offset = offsetOf(page.cursor);
    const limit = Math.max(0, Math.floor(page.limit));
    if (limit === 0) return { items: [], nextCursor: null };
    const client = this.client();
    try {
      if (state === 'failed') {
        const dead = await this.deadLetters(queue, Number.MAX_SAFE_INTEGER);
        const items = dead.slice(offset, offset + limit);
        return { items, nextCursor: offset + limit < dead.length ? String(offset + limit) : null };
      }
      // One more id than asked tells whether a next page exists.
      const end = offset + limit;
      let ids: string[];
      if (state === 'waiting' || state === 'active') ids = await client.lrange(this.key(queue, state), offset, end);
      else if (state === 'delayed') ids = await client.zrange(this.key(queue, 'delayed'), String(offset), String(end));
      else ids = await client.zrevrange(this.key(queue, 'succeeded_at'), offset, end);
      const more = ids.length > limit;
      ids = ids.slice(0, limit);
      const raws = ids.length > 0 ? await client.hmget(this.key(queue, 'jobs'), ...ids) : [];
      const items: JobInfo[] = [];
      ids.forEach((id, i) => {
        const raw = raws[i];
        // Gone (trimmed) or moved on since the range was read: left out of this page.
        if (typeof raw !== 'string') return;
        const stored = JSON.parse(raw) as StoredJob;
        if (state === 'succeeded') {
          if (stored.status === 'succeeded') items.push(jobInfoOf(queue, id, stored, 'succeeded'));
        } else if (stored.status !== 'succeeded' && stored.status !== 'failed') {
          const jobState = state === 'delayed' ? (stored.status === 'retrying' ? 'failed' : 'delayed') : state;
          items.push(jobInfoOf(queue, id, stored, jobState));
        }
      });
      return { items, nextCursor: more ? String(end) : null };
    } catch (error) {
      if (ValidationError.is(error)) throw error;
      throw this.unavailable(error, `list ${state} of ${queue}`);
    }
  }

  async retryDead(queue: string, jobId: string): Promise<boolean> {
    const client = this.client();
    try {
      const raw = await client.hget(this.key(queue, 'jobs'), jobId);
      if (raw === null) return false;
      const stored = JSON.parse(raw) as StoredJob;
      if (stored.status !== 'failed') return false;
      const o = stored.options;
      const fresh: StoredJob = {
        ...stored,
        status: 'created',
        options: {
          ...o,
          retries: o.maxAttempts - 1,
          // bee-queue doubles the stored delay on each retry: start again from the first one.
          ...(o.backoff?.strategy === 'exponential' ? { backoff: { ...o.backoff, delay: o.backoffMs } } : {}),
          stacktraces: [],
          lastError: o.stacktraces[0] ?? o.lastError ?? null,
          finishedAt: Date.now(),
        },
      };
      const moved = await client.eval(
        RETRY_DEAD,
        3,
        this.key(queue, 'jobs'),
        this.key(queue, 'failed'),
        this.key(queue, 'waiting'),
        jobId,
        JSON.stringify(fresh),
      );
      return Number(moved) === 1;
    } catch (error) {
      throw this.unavailable(error, `retry ${queue}/${jobId}`);
    }
  }

  async stats(queue: string): Promise<JobQueueStats> {
    try {
      const replies = await this.client()
        .multi()
        .llen(this.key(queue, 'waiting'))
        .llen(this.key(queue, 'active'))
        .zcard(this.key(queue, 'delayed'))
        .scard(this.key(queue, 'succeeded'))
        .scard(this.key(queue, 'failed'))
        .exec();
      const [waiting, active, delayed, succeeded, failed] = (replies ?? []).map(([, v]) => Number(v));
      return {
        waiting: waiting ?? 0,
        active: active ?? 0,
        delayed: delayed ?? 0,
        succeeded: succeeded ?? 0,
        failed: failed ?? 0,
      };
    } catch (error) {
      throw this.unavailable(error, `stats of ${queue}`);
    }
  }

  /**
   * Deletes the records of jobs that succeeded more than `succeededRetentionMs` before `now`
   * (at most 500 per call); returns how many. Consumers call it every `trimIntervalMs`.
   */
  async trimSucceeded(queue: string, now: number = Date.now()): Promise<number> {
    const retention = this.config.succeededRetentionMs ?? DEFAULT_SUCCEEDED_RETENTION_MS;
    try {
      const deleted = await this.client().eval(
        TRIM_SUCCEEDED,
        3,
        this.key(queue, 'jobs'),
        this.key(queue, 'succeeded'),
        this.key(queue, 'succeeded_at'),
        String(now - retention),
        String(TRIM_BATCH),
      );
      return Number(deleted);
    } catch (error) {
      throw this.unavailable(error, `trim ${queue}`);
    }
  }

  /** Stops every consumer (running jobs get `stopTimeoutMs`), then the producers. Resolves while Redis is down too. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    await Promise.all([...this.workers].map((w) => w.stop()));
    this.workers.clear();
    const producers = [...this.producers.values()];
    this.producers.clear();
    await Promise.all(
      producers.map(async (p) => {
        const bee = await p.catch(() => null);
        // Producers own no connection (the shared command client is not quit), so this is quick.
        await bee?.close(1).catch(() => {});
      }),
    );
  }

  private client(): RedisConnection['client'] {
    if (this.closed) throw new UnavailableError('queue is closed', {}, ErrorCodes.QUEUE_UNAVAILABLE);
    if (!this.config.connection.ready) {
      throw new UnavailableError(
        'job queue: Redis is unavailable (connection)',
        { dependency: 'redis', reason: 'connection' },
        ErrorCodes.QUEUE_UNAVAILABLE,
      );
    }
    return this.config.connection.client;
  }

  private key(queue: string, what: string): string {
    return `${this.config.prefix}:${queue}:${what}`;
  }

  private unavailable(error: unknown, what: string): UnavailableError {
    return translateRedisError(error, `job queue ${what}`, ErrorCodes.QUEUE_UNAVAILABLE);
  }

  private async producer(queue: string): Promise<BeeQueue<BeeData>> {
    const client = this.client();
    let bee = this.producers.get(queue);
    if (!bee) {
      // Built only on a ready client: bee-queue would otherwise wait for 'ready' and, on an
      // error first, disconnect the shared client.
      const created = new BeeQueue<BeeData>(queue, {
        prefix: this.config.prefix,
        redis: client as never,
        isWorker: false,
        getEvents: false,
        sendEvents: false,
        storeJobs: false,
        activateDelayedJobs: false,
        quitCommandClient: false,
      });
      // bee-queue re-emits every error of the client it was given on the Queue, and an
      // EventEmitter 'error' without a listener kills the process: with Redis down, each
      // reconnect attempt did. RedisConnection already logs connection errors (once a second).
      created.on('error', () => {});
      bee = created.ready().then(() => created);
      this.producers.set(queue, bee);
      bee.catch(() => this.producers.delete(queue));
    }
    try {
      return await bee;
    } catch (error) {
      throw this.unavailable(error, `enqueue ${queue}`);
    }
  }

  /** A restarted server lost the scripts: load them once and save again. */
  private async saveJob(job: BeeQueue.Job<BeeData>): Promise<void> {
    try {
      await job.save();
    } catch (error) {
      if (!messageOf(error).startsWith('NOSCRIPT')) throw error;
      await beeLua.buildCache(this.client());
      await job.save();
    }
  }

  private async afterReconnect(): Promise<void> {
    try {
      await beeLua.buildCache(this.config.connection.client);
      // A raise of delayed jobs that failed during the outage is not retried by bee-queue.
      for (const w of this.workers) (w.bee as unknown as WorkerInternals | null)?._activateDelayed();
    } catch (error) {
      this.logger.warn('job queue: reloading scripts after a reconnect failed', { error: messageOf(error) });
    }
  }

  private startWorker(queue: string, handler: JobHandler, concurrency: number, timeoutMs: number): Worker {
    const { connection } = this.config;
    const stopTimeoutMs = this.config.stopTimeoutMs ?? 10_000;
    const stopping = { value: false };
    const owned: RedisConnection['client'][] = [];
    let stopped: Promise<void> | null = null;
    let offReady: (() => void) | null = null;
    let running = 0;
    const idle: Array<() => void> = [];

    const worker: Worker = {
      queue,
      bee: null,
      stopping,
      stop: () => {
        stopped ??= (async () => {
          stopping.value = true;
          offReady?.();
          const bee = worker.bee;
          // bee-queue stops taking jobs (it drops the blocking connection) and waits for the
          // running ones; its QUIT of the subscriber would wait for a server that is down, so
          // we wait for our own running count and then drop the connections it was given.
          const closing = bee?.close(stopTimeoutMs).catch(() => {});
          if (running > 0) {
            await within(stopTimeoutMs, `stop ${queue}`, new Promise<void>((resolve) => idle.push(resolve))).catch(() =>
              this.logger.warn('job queue: jobs still running at stop', { queue, running }),
            );
          }
          for (const c of owned) c.disconnect();
          if (closing) await within(1_000, `close ${queue}`, closing).catch(() => {});
        })();
        return stopped;
      },
    };

    const run = async (bjob: BeeQueue.Job<BeeData>): Promise<void> => {
      const options = bjob.options as BeeJobOptions;
      options.startedAt = Date.now();
      running += 1;
      const info = jobInfoOf(queue, bjob.id, { data: bjob.data, options, status: 'created' }, 'active');
      try {
        await within(timeoutMs, `job ${queue}/${bjob.id}`, handler(info));
        options.finishedAt = Date.now();
        // Retention: bee-queue writes this job object as the succeeded record right after
        // we return, so the record it keeps carries no payload; the index lets a trim find
        // it once it is older than the retention (the id stays a duplicate until then).
        bjob.data = { name: bjob.data.name, payload: {} };
        // Not awaited: it goes out on the worker's connection just before bee-queue's finish,
        // in order, without a round trip of its own in the job's path.
        void connection.workerClient
          .zadd(this.key(queue, 'succeeded_at'), options.finishedAt, bjob.id)
          .catch((error: unknown) =>
            this.logger.warn('job queue: indexing a succeeded job failed; its record is kept', {
              queue,
              jobId: bjob.id,
              error: messageOf(error),
            }),
          );
      } catch (error) {
        options.finishedAt = Date.now();
        const message = messageOf(error);
        this.logger.warn('job failed', {
          queue,
          jobId: bjob.id,
          attempt: info.attempts,
          maxAttempts: info.maxAttempts,
          error: message,
          stack: error instanceof Error ? error.stack : undefined,
        });
        // bee-queue stores `stack || message`: store the message, the stack went to the log.
        const stored = new Error(message);
        stored.stack = message;
        throw stored;
      } finally {
        running -= 1;
        if (running === 0) for (const resolve of idle.splice(0)) resolve();
      }
    };

    const start = () => {
      // bee-queue waits for a client that is not ready and disconnects it on an error: only hand over ready ones.
      if (stopping.value || worker.bee || !connection.workersReady) return;
      const client = connection.workerClient;
      const original = client.duplicate;
      // bee-queue duplicates the client it is given for its blocking and subscriber
      // connections, synchronously in its constructor: hand it ones that wait through outages.
      client.duplicate = (() => {
        const dup = connection.duplicateWaiting(`worker ${queue}`);
        owned.push(dup);
        return dup;
      }) as typeof client.duplicate;
      let bee: BeeQueue<BeeData>;
      try {
        bee = new BeeQueue(queue, {
          prefix: this.config.prefix,
          redis: client as never,
          isWorker: true,
          getEvents: false,
          sendEvents: false,
          storeJobs: false,
          activateDelayedJobs: true,
          removeOnSuccess: false,
          removeOnFailure: false,
          quitCommandClient: false,
          stallInterval: this.config.stallIntervalMs ?? 5_000,
          delayedDebounce: this.config.delayedDebounceMs ?? 100,
        });
      } finally {
        client.duplicate = original;
      }
      worker.bee = bee;
      bee.on('error', (error: Error) => {
        if (!stopping.value) this.logger.warn('job queue worker error', { queue, error: error.message });
      });
      bee.process(concurrency, run);
      bee.checkStalledJobs(Math.max(1, Math.floor((this.config.stallIntervalMs ?? 5_000) / 2))).catch(() => {});
    };
    // Not connected yet (or down): start on the next ready.
    offReady = connection.onReady(start);
    start();
    const trim = setInterval(() => {
      if (stopping.value || !connection.ready) return;
      this.trimSucceeded(queue).catch((error: unknown) =>
        this.logger.warn('job queue: trimming succeeded jobs failed', { queue, error: messageOf(error) }),
      );
    }, this.config.trimIntervalMs ?? DEFAULT_TRIM_INTERVAL_MS);
    trim.unref();
    const stopWorker = worker.stop;
    worker.stop = () => {
      clearInterval(trim);
      return stopWorker();
    };
    return worker;
  }
}

function offsetOf(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (!/^(0|[1-9]\d{0,8})$/.test(cursor)) throw new ValidationError('invalid cursor', { field: 'cursor' });
  return Number(cursor);
}

/** bee-queue keeps a job's place in its lists and its last outcome in the record. */
function stateOf(raw: string, inDelayed: boolean, inActive: boolean): JobState {
  const status = (JSON.parse(raw) as StoredJob).status;
  if (status === 'succeeded') return 'succeeded';
  if (status === 'failed') return 'dead';
  if (inActive) return 'active';
  // A retry waiting out its backoff sits in the delayed set with status 'retrying'.
  if (inDelayed) return status === 'retrying' ? 'failed' : 'delayed';
  return 'waiting';
}

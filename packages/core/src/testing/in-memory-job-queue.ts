import type { Clock } from '../shared/clock.js';
import type {
  JobConsumer,
  JobHandler,
  JobInfo,
  JobListPage,
  JobListState,
  JobQueue,
  JobQueueStats,
  JobSpec,
} from '../ports/job-queue.js';
import type { Timer } from '../ports/timer.js';
import { ErrorCodes, UnavailableError, ValidationError } from '../shared/errors.js';

interface Consumer {
  readonly handler: JobHandler;
  readonly concurrency: number;
  running: number;
  stopped: boolean;
  idle: Array<() => void>;
}

const DEFAULT_ATTEMPTS = 5;
const DEFAULT_BACKOFF_MS = 1_000;
/** How long `close()` waits for running handlers before it returns without them. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;

export interface InMemoryJobQueueOptions {
  /**
   * `close()` waits this long for running handlers (default 10 s). A handler that never
   * settles would otherwise hang the close, and with it the process's shutdown; past the
   * bound it is abandoned (its outcome is ignored: the queue is closed).
   */
  readonly closeTimeoutMs?: number;
}

/**
 * An in-process queue with the semantics of the Redis one: idempotent job ids,
 * delays, exponential backoff, a dead-letter list and graceful stop. Good for tests
 * and the single-process embedded mode (jobs do not survive a restart — the outbox
 * and the recovery sweep re-drive anything lost).
 */
export class InMemoryJobQueue implements JobQueue {
  private readonly jobs = new Map<string, JobInfo>();
  private readonly ready = new Map<string, string[]>();
  private readonly consumers = new Map<string, Consumer>();
  private readonly timers = new Set<unknown>();
  private readonly specs = new Map<string, { backoffMs: number }>();
  /** When each delayed job (or retry) is due, for the delayed listing's order. */
  private readonly due = new Map<string, number>();
  private closed = false;
  private readonly closeTimeoutMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly timer: Timer,
    options: InMemoryJobQueueOptions = {},
  ) {
    this.closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
  }

  async enqueue(spec: JobSpec): Promise<{ job: JobInfo; duplicate: boolean }> {
    if (this.closed) throw new UnavailableError('queue is closed', { queue: spec.queue }, ErrorCodes.QUEUE_UNAVAILABLE);
    const key = jobKey(spec.queue, spec.jobId);
    const existing = this.jobs.get(key);
    if (existing) return { job: existing, duplicate: true };
    const now = this.clock.now();
    const delay = spec.delayMs ?? 0;
    const job: JobInfo = {
      queue: spec.queue,
      jobId: spec.jobId,
      name: spec.name,
      payload: spec.payload,
      state: delay > 0 ? 'delayed' : 'waiting',
      attempts: 0,
      maxAttempts: spec.maxAttempts ?? DEFAULT_ATTEMPTS,
      lastError: null,
      createdAt: now,
      updatedAt: now,
    };
    this.jobs.set(key, job);
    this.specs.set(key, { backoffMs: spec.backoffMs ?? DEFAULT_BACKOFF_MS });
    if (delay > 0) this.later(delay, () => this.makeReady(key), key);
    else this.makeReady(key);
    return { job, duplicate: false };
  }

  async get(queue: string, jobId: string): Promise<JobInfo | null> {
    return this.jobs.get(jobKey(queue, jobId)) ?? null;
  }

  process(queue: string, handler: JobHandler, options: { concurrency?: number } = {}): JobConsumer {
    if (this.consumers.has(queue)) throw new Error(`queue ${queue} already has a consumer`);
    const consumer: Consumer = { handler, concurrency: options.concurrency ?? 1, running: 0, stopped: false, idle: [] };
    this.consumers.set(queue, consumer);
    this.pump(queue);
    return {
      stop: async () => {
        consumer.stopped = true;
        if (consumer.running > 0) await new Promise<void>((resolve) => consumer.idle.push(resolve));
        this.consumers.delete(queue);
      },
    };
  }

  async deadLetters(queue: string, limit: number): Promise<JobInfo[]> {
    return [...this.jobs.values()]
      .filter((j) => j.queue === queue && j.state === 'dead')
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())
      .slice(0, limit);
  }

  async list(queue: string, state: JobListState, page: { limit: number; cursor?: string }): Promise<JobListPage> {
    const offset = offsetOf(page.cursor);
    const limit = Math.max(0, Math.floor(page.limit));
    if (limit === 0) return { items: [], nextCursor: null };
    const jobs = [...this.jobs.entries()]
      .map(([key, job], seq) => ({ key, job, seq }))
      .filter(({ job }) => job.queue === queue && listStateOf(job) === state);
    // The orders the Redis lists and sets give (see the port); ties by enqueue order, newest first.
    if (state === 'delayed') jobs.sort((a, b) => this.dueAt(a.key, a.job) - this.dueAt(b.key, b.job) || a.seq - b.seq);
    else jobs.sort((a, b) => b.job.updatedAt.getTime() - a.job.updatedAt.getTime() || b.seq - a.seq);
    const items = jobs.slice(offset, offset + limit).map(({ job }) => job);
    return { items, nextCursor: offset + limit < jobs.length ? String(offset + limit) : null };
  }

  async retryDead(queue: string, jobId: string): Promise<boolean> {
    const key = jobKey(queue, jobId);
    const job = this.jobs.get(key);
    if (job?.state !== 'dead') return false;
    this.jobs.set(key, { ...job, state: 'waiting', attempts: 0, updatedAt: this.clock.now() });
    this.makeReady(key);
    return true;
  }

  async stats(queue: string): Promise<JobQueueStats> {
    const counts = { waiting: 0, active: 0, delayed: 0, succeeded: 0, failed: 0 };
    for (const job of this.jobs.values()) {
      if (job.queue !== queue) continue;
      if (job.state === 'dead') counts.failed += 1;
      // A failed attempt waits for its backoff: delayed, as in Redis.
      else if (job.state === 'failed') counts.delayed += 1;
      else counts[job.state] += 1;
    }
    return counts;
  }

  async close(): Promise<void> {
    this.closed = true;
    // Retry and delay timers first: nothing new becomes ready while the running jobs drain.
    for (const t of this.timers) this.timer.clearTimeout(t);
    this.timers.clear();
    const drained = Promise.all([...this.consumers.keys()].map((q) => this.stopConsumer(q)));
    let bound: unknown;
    await Promise.race([
      drained,
      new Promise<void>((resolve) => {
        bound = this.timer.setTimeout(resolve, this.closeTimeoutMs);
      }),
    ]);
    this.timer.clearTimeout(bound);
    this.consumers.clear();
  }

  private async stopConsumer(queue: string): Promise<void> {
    const c = this.consumers.get(queue);
    if (!c) return;
    c.stopped = true;
    if (c.running > 0) await new Promise<void>((resolve) => c.idle.push(resolve));
    this.consumers.delete(queue);
  }

  private makeReady(key: string): void {
    const job = this.jobs.get(key);
    if (!job || this.closed) return;
    if (job.state === 'delayed' || job.state === 'failed') {
      this.jobs.set(key, { ...job, state: 'waiting', updatedAt: this.clock.now() });
    }
    const list = this.ready.get(job.queue) ?? [];
    list.push(key);
    this.ready.set(job.queue, list);
    this.pump(job.queue);
  }

  private pump(queue: string): void {
    const c = this.consumers.get(queue);
    const list = this.ready.get(queue);
    while (c && !c.stopped && list && list.length > 0 && c.running < c.concurrency) {
      const key = list.shift() as string;
      c.running += 1;
      void this.run(key, c).finally(() => {
        c.running -= 1;
        if (c.running === 0 && c.stopped) for (const resolve of c.idle.splice(0)) resolve();
        this.pump(queue);
      });
    }
  }

  private async run(key: string, c: Consumer): Promise<void> {
    const job = this.jobs.get(key);
    if (!job) return;
    const active: JobInfo = { ...job, state: 'active', attempts: job.attempts + 1, updatedAt: this.clock.now() };
    this.jobs.set(key, active);
    try {
      await c.handler(active);
      // Abandoned by a bounded close: the job stays as it was taken, like a crashed process's.
      if (this.closed && !this.consumers.has(active.queue)) return;
      this.jobs.set(key, { ...active, state: 'succeeded', lastError: null, updatedAt: this.clock.now() });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (active.attempts >= active.maxAttempts) {
        this.jobs.set(key, { ...active, state: 'dead', lastError: message, updatedAt: this.clock.now() });
        return;
      }
      this.jobs.set(key, { ...active, state: 'failed', lastError: message, updatedAt: this.clock.now() });
      const backoff = (this.specs.get(key)?.backoffMs ?? DEFAULT_BACKOFF_MS) * 2 ** (active.attempts - 1);
      this.later(backoff, () => this.makeReady(key), key);
    }
  }

  private later(ms: number, fn: () => void, key?: string): void {
    if (this.closed) return; // a retry after close would never run; its job stays as it is
    if (key) this.due.set(key, this.clock.now().getTime() + ms);
    const handle = this.timer.setTimeout(() => {
      this.timers.delete(handle);
      if (key) this.due.delete(key);
      fn();
    }, ms);
    this.timers.add(handle);
  }

  private dueAt(key: string, job: JobInfo): number {
    return this.due.get(key) ?? job.updatedAt.getTime();
  }
}

/** Where `stats` counts a job. */
function listStateOf(job: JobInfo): JobListState {
  if (job.state === 'dead') return 'failed';
  if (job.state === 'failed') return 'delayed';
  return job.state;
}

function offsetOf(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (!/^(0|[1-9]\d{0,8})$/.test(cursor)) {
    throw new ValidationError('invalid cursor', { field: 'cursor' });
  }
  return Number(cursor);
}

function jobKey(queue: string, jobId: string): string {
  return `${queue}\u0000${jobId}`;
}

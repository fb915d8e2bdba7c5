import type { JsonObject } from '../shared/domain-event.js';
import { type Token, token } from '../shared/token.js';

export type JobState = 'waiting' | 'delayed' | 'active' | 'succeeded' | 'failed' | 'dead';

export interface JobSpec {
  readonly queue: string;
  readonly name: string;
  readonly payload: JsonObject;
  /** Deterministic (e.g. the outbox message id): enqueueing the same id twice is a no-op. */
  readonly jobId: string;
  readonly delayMs?: number;
  /** Attempts before the job is dead-lettered (default 5). */
  readonly maxAttempts?: number;
  /** First retry delay; doubles each attempt (default 1000 ms). */
  readonly backoffMs?: number;
}

export interface JobInfo {
  readonly queue: string;
  readonly jobId: string;
  readonly name: string;
  readonly payload: JsonObject;
  readonly state: JobState;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Counts per state for one queue. */
export interface JobQueueStats {
  readonly waiting: number;
  readonly active: number;
  /** Waiting for their delay or for a retry's backoff. */
  readonly delayed: number;
  readonly succeeded: number;
  /** Used up their attempts: the dead letters. */
  readonly failed: number;
}

/**
 * A state a job listing asks for, as `JobQueueStats` counts them: `delayed` holds delayed
 * jobs and retries waiting out their backoff (JobInfo state `failed`), `failed` the dead
 * letters (JobInfo state `dead`).
 */
export type JobListState = keyof JobQueueStats;

export const JOB_LIST_STATES: readonly JobListState[] = ['waiting', 'active', 'delayed', 'succeeded', 'failed'];

export interface JobListPage {
  readonly items: readonly JobInfo[];
  /** Opaque; hand it back for the next page. null when this page is the last. */
  readonly nextCursor: string | null;
}

export type JobHandler = (job: JobInfo) => Promise<void>;

export interface JobConsumer {
  /** Stop taking jobs and wait for the running ones to finish. */
  stop(): Promise<void>;
}

/** Background work. Adapters: InMemoryJobQueue (core/testing), BeeJobQueue (Redis). */
export interface JobQueue {
  /** Returns the job as stored; `duplicate` when that jobId already existed. */
  enqueue(job: JobSpec): Promise<{ readonly job: JobInfo; readonly duplicate: boolean }>;
  get(queue: string, jobId: string): Promise<JobInfo | null>;
  process(queue: string, handler: JobHandler, options?: { readonly concurrency?: number }): JobConsumer;
  /** Jobs that used up their attempts, newest first. */
  deadLetters(queue: string, limit: number): Promise<JobInfo[]>;
  /**
   * One page (at most `limit` jobs) of a queue's jobs in a state. Order per state: waiting and
   * active newest first, delayed soonest due first, succeeded and failed latest finish first.
   * Jobs move while one pages: a job may show on two pages or on none, never a made-up one.
   * An unknown or malformed cursor is a ValidationError.
   */
  list(
    queue: string,
    state: JobListState,
    page: { readonly limit: number; readonly cursor?: string },
  ): Promise<JobListPage>;
  /** Put a dead job back in the queue with fresh attempts; false when it is not dead. */
  retryDead(queue: string, jobId: string): Promise<boolean>;
  stats(queue: string): Promise<JobQueueStats>;
  close(): Promise<void>;
}

export const JOB_QUEUE: Token<JobQueue> = token('JobQueue');

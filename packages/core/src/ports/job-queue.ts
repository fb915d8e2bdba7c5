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
  /** Put a dead job back in the queue with fresh attempts; false when it is not dead. */
  retryDead(queue: string, jobId: string): Promise<boolean>;
  stats(queue: string): Promise<JobQueueStats>;
  close(): Promise<void>;
}

export const JOB_QUEUE: Token<JobQueue> = token('JobQueue');

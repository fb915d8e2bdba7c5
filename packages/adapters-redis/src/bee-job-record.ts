import type { JobInfo, JobState, JsonObject } from '@khaacho/core';

/** The options bee-queue stores with a job, plus ours (maxAttempts … finishedAt). */
export interface BeeJobOptions {
  timestamp: number;
  retries?: number;
  backoff?: { strategy: string; delay?: number };
  delay?: number;
  /** Newest first; we store messages, not stacks. */
  stacktraces: string[];
  maxAttempts: number;
  backoffMs: number;
  /** The last failure before a hand retry (stacktraces are cleared by it). */
  lastError?: string | null;
  startedAt?: number;
  finishedAt?: number;
}

/** A job record in `<prefix>:<queue>:jobs`, as bee-queue's `Job#toData` writes it. */
export interface StoredJob {
  readonly data: { readonly name: string; readonly payload: JsonObject };
  readonly options: BeeJobOptions;
  readonly status: 'created' | 'succeeded' | 'failed' | 'retrying';
}

/**
 * Attempts are counted from the failures bee-queue recorded (one stack entry each) plus
 * the run in progress or the one that succeeded; updatedAt is the last start or finish.
 */
export function jobInfoOf(queue: string, jobId: string, stored: StoredJob, state: JobState): JobInfo {
  const o = stored.options;
  const failures = o.stacktraces?.length ?? 0;
  const running = state === 'active' || state === 'succeeded' ? 1 : 0;
  return {
    queue,
    jobId,
    name: stored.data.name,
    payload: stored.data.payload,
    state,
    attempts: failures + running,
    maxAttempts: o.maxAttempts,
    lastError: state === 'succeeded' ? null : (o.stacktraces?.[0] ?? o.lastError ?? null),
    createdAt: new Date(o.timestamp),
    updatedAt: new Date(Math.max(o.timestamp, o.startedAt ?? 0, o.finishedAt ?? 0)),
  };
}

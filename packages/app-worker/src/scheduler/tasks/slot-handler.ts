import type { JobInfo, JobQueue, JobSpec, Page } from '@khaacho/core';

/** Runs one slot of a scheduled task. Must be idempotent: a retried slot job runs it again. */
export type SlotHandler = (slot: Date, job: JobInfo) => Promise<void>;

/** Unwraps a use case's Outcome for a job: an expected failure is a failed attempt. */
export function outcomeValue<T>(
  outcome: { ok: true; value: T } | { ok: false; error: { code: string } },
  what: string,
): T {
  if (!outcome.ok) throw new Error(`${what} failed: ${outcome.error.code}`);
  return outcome.value;
}

/**
 * Pages through a list and enqueues one job per item (deterministic ids make a rerun of
 * the slot a run of duplicates); returns how many jobs were new.
 */
export async function enqueueEachPage<T>(
  queue: JobQueue,
  fetchPage: (cursor: string | null) => Promise<Page<T>>,
  jobOf: (item: T) => JobSpec,
): Promise<number> {
  let cursor: string | null = null;
  let enqueued = 0;
  do {
    const page: Page<T> = await fetchPage(cursor);
    const results = await Promise.all(page.items.map((item) => queue.enqueue(jobOf(item))));
    enqueued += results.filter((r) => !r.duplicate).length;
    cursor = page.nextCursor;
  } while (cursor);
  return enqueued;
}

import type { JobInfo } from '@khaacho/core';

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

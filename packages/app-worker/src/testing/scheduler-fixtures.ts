import type { JobInfo, JobQueue, Timer } from '@khaacho/core';

/** A timer that fires only when the test says so; it remembers what was asked. */
export class ManualTimer implements Timer {
  readonly pending = new Map<number, { callback: () => void; ms: number }>();
  private next = 1;

  setTimeout(callback: () => void, ms: number): unknown {
    const handle = this.next++;
    this.pending.set(handle, { callback, ms });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** The delays currently waiting. */
  delays(): number[] {
    return [...this.pending.values()].map((p) => p.ms);
  }

  /** Fires every pending callback once. */
  fireAll(): void {
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const p of due) p.callback();
  }
}

/** Resolves once `check` holds, polling between macrotasks; a bounded hang guard, not a timing assertion. */
export async function until(check: () => boolean | Promise<boolean>, what: string, tries = 2_000): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`never happened: ${what}`);
}

/** Waits until each job is in a final state. */
export async function settled(queue: JobQueue, queueName: string, jobIds: readonly string[]): Promise<JobInfo[]> {
  const final = new Set(['succeeded', 'dead']);
  let jobs: (JobInfo | null)[] = [];
  await until(
    async () => {
      jobs = await Promise.all(jobIds.map((id) => queue.get(queueName, id)));
      return jobs.every((j) => j !== null && final.has(j.state));
    },
    `jobs ${jobIds.join(', ')} settled`,
  );
  return jobs as JobInfo[];
}

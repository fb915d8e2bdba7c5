import {
  type Clock,
  type JobQueue,
  type JsonObject,
  type Logger,
  type QueueName,
  QueueNames,
  type Timer,
} from '@khaacho/core';
import { type SlotClock, type SlotPattern, slotClock, slotJobId } from './slots.js';

/** One recurring task: its slots come from a cron pattern; each slot is one job. */
export interface ScheduledTask extends SlotPattern {
  /** The job name and the first part of its id (`<name>:<slot ISO>`). */
  readonly name: string;
  /** Default `SCHEDULER`. */
  readonly queue?: QueueName;
  readonly maxAttempts?: number;
  readonly backoffMs?: number;
}

/** What a slot job carries. */
export interface SlotPayload extends JsonObject {
  readonly task: string;
  /** ISO instant of the slot. */
  readonly slot: string;
}

export interface SchedulerDeps {
  readonly queue: JobQueue;
  readonly clock: Clock;
  readonly timer: Timer;
  readonly logger: Logger;
  readonly tasks: readonly ScheduledTask[];
  /** The longest sleep between two looks at the clock (a clock that jumps is caught up with). Default 30 s. */
  readonly maxSleepMs?: number;
}

export interface FiredSlot {
  readonly task: string;
  readonly slot: Date;
  readonly jobId: string;
  /** Another worker (or an earlier run of this one) had already enqueued it. */
  readonly duplicate: boolean;
}

export interface Scheduler {
  /** What the first look at the clock fired: each task's last due slot (the catch-up after a gap). */
  readonly caughtUp: Promise<FiredSlot[]>;
  /**
   * Enqueue, for each task, its latest slot at or before `now` unless this scheduler already
   * did. What the timer calls; tests call it with a clock they move.
   */
  fireDue(now?: Date): Promise<FiredSlot[]>;
  /** No more wake-ups; waits for a running `fireDue`. Enqueued jobs stay. */
  stop(): Promise<void>;
}

const DEFAULT_MAX_SLEEP_MS = 30_000;
const DEFAULT_SLOT_ATTEMPTS = 3;
const DEFAULT_SLOT_BACKOFF_MS = 5_000;

/*
 * Exactly once per slot, however many workers run: every scheduler enqueues the same
 * deterministic job id for a slot and the queue keeps one job per id (BeeJobQueue and the
 * in-memory queue both keep finished jobs, so a late duplicate is still recognised). No
 * lock is needed: a lock would only spare a duplicate enqueue, which costs one round trip.
 *
 * Missed slots: each task fires only its latest due slot. A worker starting after a gap
 * (none ran at 02:00) enqueues the last missed slot once and skips older ones; if that
 * slot's job already exists (another worker ran it), the enqueue is a duplicate. A slot
 * whose enqueue failed (Redis down) is tried again at the next wake, until a newer slot
 * replaces it.
 */
export function startScheduler(deps: SchedulerDeps): Scheduler {
  const maxSleep = deps.maxSleepMs ?? DEFAULT_MAX_SLEEP_MS;
  const tasks = deps.tasks.map((task) => ({ task, slots: slotClock(task), last: null as Date | null }));
  const names = new Set(tasks.map((t) => t.task.name));
  if (names.size !== tasks.length) throw new Error('scheduled task names must be unique');
  const { logger } = deps;
  let handle: unknown = null;
  let stopped = false;
  let running: Promise<FiredSlot[]> = Promise.resolve([]);

  const fireTask = async (entry: (typeof tasks)[number], now: Date): Promise<FiredSlot | null> => {
    const slot = entry.slots.latest(now);
    if (!slot || (entry.last && slot.getTime() <= entry.last.getTime())) return null;
    const { task } = entry;
    const jobId = slotJobId(task.name, slot);
    const payload: SlotPayload = { task: task.name, slot: slot.toISOString() };
    const { duplicate } = await deps.queue.enqueue({
      queue: task.queue ?? QueueNames.SCHEDULER,
      name: task.name,
      jobId,
      payload,
      maxAttempts: task.maxAttempts ?? DEFAULT_SLOT_ATTEMPTS,
      backoffMs: task.backoffMs ?? DEFAULT_SLOT_BACKOFF_MS,
    });
    entry.last = slot;
    // The first worker to enqueue a slot logs it; the others stay quiet.
    if (!duplicate) logger.info('slot fired', { task: task.name, slot: payload.slot, jobId });
    return { task: task.name, slot, jobId, duplicate };
  };

  const fireDue = (now: Date = deps.clock.now()): Promise<FiredSlot[]> => {
    running = running.then(async () => {
      const fired: FiredSlot[] = [];
      for (const entry of tasks) {
        try {
          const slot = await fireTask(entry, now);
          if (slot) fired.push(slot);
        } catch (error) {
          // Not marked fired: the next wake tries this slot again.
          logger.warn('scheduler: slot could not be enqueued', {
            task: entry.task.name,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
      return fired;
    });
    return running;
  };

  const wake = (): Promise<FiredSlot[]> => {
    handle = null;
    const fired = fireDue();
    void fired.finally(() => {
      if (!stopped) sleep();
    });
    return fired;
  };

  const sleep = (): void => {
    const now = deps.clock.now();
    const next = nextSlot(tasks, now);
    const ms = next === null ? maxSleep : Math.min(maxSleep, Math.max(0, next.getTime() - now.getTime()));
    handle = deps.timer.setTimeout(() => {
      if (!stopped) void wake();
    }, ms);
  };

  // Catch up at once (the last missed slot of each task), then follow the slots.
  const caughtUp = wake();
  return {
    caughtUp,
    fireDue,
    async stop() {
      stopped = true;
      if (handle !== null) deps.timer.clearTimeout(handle);
      handle = null;
      await running;
    },
  };
}

function nextSlot(tasks: readonly { slots: SlotClock }[], now: Date): Date | null {
  let soonest: Date | null = null;
  for (const { slots } of tasks) {
    const next = slots.next(now);
    if (next && (soonest === null || next.getTime() < soonest.getTime())) soonest = next;
  }
  return soonest;
}

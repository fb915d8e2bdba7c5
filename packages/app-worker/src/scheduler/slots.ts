import { Cron } from 'croner';

/** Calendar days, nightly runs and reminders follow Nepal's clock. */
export const SCHEDULE_TIMEZONE = 'Asia/Kathmandu';

/** A cron pattern read by croner; only its slot times are used (croner runs no timer here). */
export interface SlotPattern {
  readonly cron: string;
  readonly timezone?: string;
}

/** A parsed pattern: `latest(now)` is the last slot at or before `now`, `next(now)` the first after it. */
export interface SlotClock {
  latest(now: Date): Date | null;
  next(now: Date): Date | null;
}

export function slotClock(pattern: SlotPattern): SlotClock {
  // paused and without a callback: croner only evaluates the pattern.
  const cron = new Cron(pattern.cron, { timezone: pattern.timezone ?? SCHEDULE_TIMEZONE, paused: true });
  return {
    latest(now) {
      // croner works in whole seconds and `previousRuns` excludes its reference: a slot at
      // exactly `now` is the first run after `now - 1 s` (slots are at least a second apart).
      const atNow = cron.nextRun(new Date(now.getTime() - 1_000));
      if (atNow && atNow.getTime() <= now.getTime()) return atNow;
      return cron.previousRuns(1, now)[0] ?? null;
    },
    next: (now) => cron.nextRun(now),
  };
}

/** The job id of one slot of one task: the same slot on any worker is the same job. */
export function slotJobId(task: string, slot: Date): string {
  return `${task}:${slot.toISOString()}`;
}

/** The Nepali calendar date (YYYY-MM-DD) of an instant: the "day" of a daily job id. */
export function nepalDate(at: Date): string {
  return new Date(at.getTime() + 345 * 60_000).toISOString().slice(0, 10);
}

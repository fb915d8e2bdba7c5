import { MS_PER_DAY } from '../../shared/clock.js';

/** Midnight UTC of the day containing `date` (engines bucket by UTC day, like `daysBetween`). */
export function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** Is `at` inside the half-open window (asOf − days, asOf]? */
export function withinDaysBefore(at: Date, asOf: Date, days: number): boolean {
  const t = at.getTime();
  return t <= asOf.getTime() && t > asOf.getTime() - days * MS_PER_DAY;
}

/** Fractional days from `from` to `to` (can be negative). */
export function elapsedDays(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / MS_PER_DAY;
}

/** `YYYY-MM-DD` of a UTC day. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

import { type Token, token } from './token.js';
/** Port: the only source of "now" in the core. */
export interface Clock {
  now(): Date;
}

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

export function addMs(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms);
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * MS_PER_DAY);
}

/**
 * Nepal Standard Time is UTC+05:45 all year (no daylight saving). Shops, due dates and
 * days past due follow the Nepali calendar day, not the UTC one: an invoice due on a
 * Nepali day is one day late from 00:00 NPT the next day (18:15Z the evening before).
 */
export const NEPAL_UTC_OFFSET_MINUTES = 345;

/** The Nepali calendar day containing `date`, as a day number since the epoch. */
export function businessDayNumber(date: Date): number {
  return Math.floor((date.getTime() + NEPAL_UTC_OFFSET_MINUTES * MS_PER_MINUTE) / MS_PER_DAY);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `date` as Nepal's wall clock reads it: the UTC fields of the returned Date are Nepal's. */
function nepalWallClock(date: Date): Date {
  return new Date(date.getTime() + NEPAL_UTC_OFFSET_MINUTES * MS_PER_MINUTE);
}

/** "6 Dec 2026": the Nepali calendar day of an instant, as messages to shops and vendors write it. */
export function nepalDayLabel(date: Date): string {
  const local = nepalWallClock(date);
  return `${local.getUTCDate()} ${MONTHS[local.getUTCMonth()]} ${local.getUTCFullYear()}`;
}

/** "11:07": Nepal's time of day of an instant. */
export function nepalTimeLabel(date: Date): string {
  const local = nepalWallClock(date);
  return `${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')}`;
}

/** Whole Nepali calendar days from `from` to `to` (a due date is a day, not an instant). */
export function daysBetween(from: Date, to: Date): number {
  return businessDayNumber(to) - businessDayNumber(from);
}

/** Service identifier of the process clock. */
export const CLOCK: Token<Clock> = token('Clock');

import { businessDayNumber, MS_PER_DAY, MS_PER_MINUTE, NEPAL_UTC_OFFSET_MINUTES } from '../shared/clock.js';
import { ValidationError } from '../shared/errors.js';

/** Which approved WhatsApp template a rule sends (reminders go out as templates: the 24-hour window is usually closed). */
export const REMINDER_TEMPLATES = {
  BEFORE: 'payment_reminder_before',
  DUE_TODAY: 'payment_due_today',
  OVERDUE: 'payment_overdue',
} as const;
export type ReminderTemplate = (typeof REMINDER_TEMPLATES)[keyof typeof REMINDER_TEMPLATES];

/**
 * One payment reminder: sent on the Nepali day `offsetDays` from an invoice's due day
 * (negative before it, 0 on it, positive after it). `name` is part of the reminder's job id
 * (`reminder:<invoiceId>:<name>`), so it must stay stable while reminders are in flight.
 */
export interface ReminderRule {
  readonly name: string;
  readonly offsetDays: number;
  readonly template: ReminderTemplate;
}

/** The widest offsets accepted: a quarter before due, a year after. */
export const MIN_REMINDER_OFFSET_DAYS = -90;
export const MAX_REMINDER_OFFSET_DAYS = 365;
/** More rules than this would be a nag, not a reminder (and it bounds the query's windows). */
export const MAX_REMINDER_RULES = 10;

/** The rule for an offset; its name and template follow from the offset alone. */
export function reminderRule(offsetDays: number): ReminderRule {
  if (
    !Number.isSafeInteger(offsetDays) ||
    offsetDays < MIN_REMINDER_OFFSET_DAYS ||
    offsetDays > MAX_REMINDER_OFFSET_DAYS
  ) {
    throw new ValidationError(
      `a reminder offset must be a whole number of days ${MIN_REMINDER_OFFSET_DAYS}..${MAX_REMINDER_OFFSET_DAYS}`,
      { offsetDays },
    );
  }
  if (offsetDays < 0) return { name: `before-${-offsetDays}`, offsetDays, template: REMINDER_TEMPLATES.BEFORE };
  if (offsetDays === 0) return { name: 'due', offsetDays, template: REMINDER_TEMPLATES.DUE_TODAY };
  return { name: `after-${offsetDays}`, offsetDays, template: REMINDER_TEMPLATES.OVERDUE };
}

/** The product's default: 3 days before the due date, on it, and 3 and 7 days after. */
export const DEFAULT_REMINDER_RULES: readonly ReminderRule[] = Object.freeze([-3, 0, 3, 7].map(reminderRule));

/** Rules from offsets, e.g. `[-3, 0, 3, 7]`: each offset once, 1–MAX_REMINDER_RULES of them, sorted. */
export function reminderRules(offsets: readonly number[]): readonly ReminderRule[] {
  if (offsets.length === 0 || offsets.length > MAX_REMINDER_RULES) {
    throw new ValidationError(`1-${MAX_REMINDER_RULES} reminder offsets are needed`, { count: offsets.length });
  }
  if (new Set(offsets).size !== offsets.length) {
    throw new ValidationError('each reminder offset may appear once', { offsets: [...offsets] });
  }
  return Object.freeze([...offsets].sort((a, b) => a - b).map(reminderRule));
}

/**
 * Rules from a comma-separated list of day offsets, e.g. `-3,0,3,7` (what the worker's
 * configuration holds).
 */
export function parseReminderRules(spec: string): readonly ReminderRule[] {
  const parts = spec.split(',').map((s) => s.trim());
  if (parts.some((p) => !/^[+-]?\d{1,3}$/.test(p))) {
    throw new ValidationError('reminder offsets are whole days separated by commas, e.g. -3,0,3,7', { spec });
  }
  return reminderRules(parts.map(Number));
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A Nepali calendar date (YYYY-MM-DD) as a day number (`businessDayNumber`); refuses impossible dates. */
export function nepalDayNumber(date: string): number {
  const m = DATE.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new ValidationError('a date must be a real calendar date YYYY-MM-DD', { date });
  }
  return ms / MS_PER_DAY;
}

/** The Nepali calendar date (YYYY-MM-DD) of a day number. */
export function nepalDateOfDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The Nepali calendar date (YYYY-MM-DD) containing an instant. */
export function nepalDateOf(at: Date): string {
  return nepalDateOfDay(businessDayNumber(at));
}

/** The instants of one Nepali day: [00:00 NPT, next 00:00 NPT). */
export interface DayWindow {
  readonly from: Date;
  readonly to: Date;
}

export function nepalDayWindow(day: number): DayWindow {
  const start = day * MS_PER_DAY - NEPAL_UTC_OFFSET_MINUTES * MS_PER_MINUTE;
  return { from: new Date(start), to: new Date(start + MS_PER_DAY) };
}

/** The Nepali due day an invoice must have for `rule` to fire on `date`. */
export function dueDayFor(rule: ReminderRule, date: string): number {
  return nepalDayNumber(date) - rule.offsetDays;
}

/** The rule that fires on `date` for an invoice due at `dueAt`, if any. */
export function ruleFiring(rules: readonly ReminderRule[], date: string, dueAt: Date): ReminderRule | null {
  const offset = nepalDayNumber(date) - businessDayNumber(dueAt);
  return rules.find((r) => r.offsetDays === offset) ?? null;
}

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ValidationError } from '../shared/errors.js';
import {
  DEFAULT_REMINDER_RULES,
  dueDayFor,
  nepalDateOf,
  nepalDateOfDay,
  nepalDayNumber,
  nepalDayWindow,
  parseReminderRules,
  reminderRule,
  ruleFiring,
} from './reminder-rules.js';

const due = (rule: number, date: string) => nepalDateOfDay(dueDayFor(reminderRule(rule), date));

test('default rules: 3 days before, on the day, 3 and 7 days after, each with its template', () => {
  assert.equal(
    DEFAULT_REMINDER_RULES.map((r) => [r.name, r.offsetDays, r.template]),
    [
      ['before-3', -3, 'payment_reminder_before'],
      ['due', 0, 'payment_due_today'],
      ['after-3', 3, 'payment_overdue'],
      ['after-7', 7, 'payment_overdue'],
    ],
  );
});

test('due dates across month and year ends, leap and common Februaries', () => {
  assert.is(due(-3, '2026-12-30'), '2027-01-02', 'before-3 on 30 Dec: due 2 Jan');
  assert.is(due(7, '2027-01-03'), '2026-12-27', 'after-7 on 3 Jan: due 27 Dec');
  assert.is(due(3, '2026-03-01'), '2026-02-26', 'common year');
  assert.is(due(3, '2028-03-01'), '2028-02-27', 'leap year');
  assert.is(due(-3, '2028-02-27'), '2028-03-01', 'forward over 29 Feb 2028');
  assert.is(due(-3, '2026-02-27'), '2026-03-02', 'forward over 28 Feb 2026');
  assert.is(due(0, '2026-04-30'), '2026-04-30');
  assert.is(due(7, '2026-05-06'), '2026-04-29', '30-day month');
});

test('the Nepali day: 00:00 NPT is 18:15Z the evening before; windows are half-open', () => {
  const w = nepalDayWindow(nepalDayNumber('2026-03-25'));
  assert.is(w.from.toISOString(), '2026-03-24T18:15:00.000Z');
  assert.is(w.to.toISOString(), '2026-03-25T18:15:00.000Z');
  assert.is(nepalDateOf(new Date('2026-03-24T18:14:59.999Z')), '2026-03-24');
  assert.is(nepalDateOf(new Date('2026-03-24T18:15:00.000Z')), '2026-03-25');
  // An invoice due late in the Nepali evening is overdue by UTC date but not by Nepali date, and the reverse.
  const rules = DEFAULT_REMINDER_RULES;
  assert.is(ruleFiring(rules, '2026-03-25', new Date('2026-03-24T18:15:00.000Z'))?.name, 'due');
  assert.is(ruleFiring(rules, '2026-03-25', new Date('2026-03-24T18:14:59.999Z')), null, 'a day late: no rule');
  assert.is(ruleFiring(rules, '2026-03-27', new Date('2026-03-24T18:14:59.999Z'))?.name, 'after-3');
  assert.is(ruleFiring(rules, '2026-03-27', new Date('2026-03-24T18:15:00.000Z')), null, 'due the 25th: 2 days');
});

test('ruleFiring: each rule on its own day only', () => {
  const dueAt = new Date('2026-01-31T04:00:00.000Z'); // 31 Jan, 09:45 NPT
  const fired = ['2026-01-27', '2026-01-28', '2026-01-31', '2026-02-01', '2026-02-03', '2026-02-07', '2026-02-08'].map(
    (d) => ruleFiring(DEFAULT_REMINDER_RULES, d, dueAt)?.name ?? null,
  );
  assert.equal(fired, [null, 'before-3', 'due', null, 'after-3', 'after-7', null]);
});

test('parseReminderRules: offsets from configuration; refuses junk, repeats and out-of-range days', () => {
  assert.equal(
    parseReminderRules(' 7, -3 ,0,+3').map((r) => r.name),
    ['before-3', 'due', 'after-3', 'after-7'],
  );
  for (const bad of ['', '1,,2', 'a', '1.5', '0,0', '-91', '366', '1,2,3,4,5,6,7,8,9,10,11']) {
    assert.throws(
      () => parseReminderRules(bad),
      (e: unknown) => e instanceof ValidationError,
      bad,
    );
  }
});

test('nepalDayNumber refuses impossible dates', () => {
  for (const bad of ['2026-02-29', '2026-13-01', '2026-1-01', 'today']) {
    assert.throws(
      () => nepalDayNumber(bad),
      (e: unknown) => e instanceof ValidationError,
      bad,
    );
  }
  assert.is(nepalDateOfDay(nepalDayNumber('2028-02-29')), '2028-02-29');
});

test.run();

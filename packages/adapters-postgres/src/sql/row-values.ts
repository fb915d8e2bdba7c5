import { Money } from '@khaacho/core';

/*
 * Column value decoding. MikroORM's pg pool keeps timestamps as the server's text and
 * pg returns int8/numeric as strings: decode them exactly here, in one place.
 */

export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value !== 'string') throw new TypeError(`expected a timestamp, got ${typeof value}`);
  // "2026-03-01 08:00:00.123+00" (text output) or ISO from json: make it ISO 8601.
  let iso = value.includes('T') ? value : value.replace(' ', 'T');
  iso = iso.replace(/([+-]\d{2})$/, '$1:00').replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new TypeError(`unparseable timestamp ${value}`);
  return date;
}

export function toDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}

/** int2/int4/int8/numeric → number; refuses anything that would lose precision. */
export function toNumber(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw new TypeError(`expected a number, got ${String(value)}`);
  return n;
}

export function toSafeInt(value: unknown): number {
  const n = toNumber(value);
  if (!Number.isSafeInteger(n)) throw new TypeError(`integer out of safe range: ${String(value)}`);
  return n;
}

export function toMoney(amount: unknown, currency: unknown): Money {
  return Money.of(toSafeInt(amount), String(currency));
}

export function toMoneyOrNull(amount: unknown, currency: unknown): Money | null {
  return amount === null || amount === undefined ? null : toMoney(amount, currency);
}

export function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** JSON for a `$n::jsonb` parameter (pg would send a JS array as a PG array literal). */
export function jsonParam(value: unknown): string {
  return JSON.stringify(value);
}

/** Escape LIKE wildcards so user text matches literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

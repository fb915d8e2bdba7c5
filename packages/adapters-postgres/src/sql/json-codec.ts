import { Money } from '@khaacho/core';

/*
 * Domain records (score explanations, routing decisions, risk rules) hold Money and Date
 * values deep inside. Stored as JSON with tags, they come back as the same types, so a
 * round trip is exact and the domain never sees a half-decoded number or string.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function encodeRecord(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return { $date: value.toISOString() };
  if (value instanceof Money) return { $money: value.amount, currency: value.currency };
  if (Array.isArray(value)) return value.map(encodeRecord);
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = encodeRecord(v);
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('cannot store a non-finite number');
  return value as Json;
}

export function decodeRecord<T>(value: unknown): T {
  return decode(value) as T;
}

function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  if (typeof o.$date === 'string' && Object.keys(o).length === 1) return new Date(o.$date);
  if (typeof o.$money === 'number' && typeof o.currency === 'string' && Object.keys(o).length === 2) {
    return Money.of(o.$money, o.currency);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = decode(v);
  return out;
}

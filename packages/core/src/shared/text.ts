import { ErrorCodes, ValidationError } from './errors.js';

/*
 * Free text is bounded where it enters the domain. What the store keeps must be what
 * the caller gets back: PostgreSQL refuses NUL and turns a lone UTF-16 surrogate into
 * U+FFFD, so both are refused here rather than altered there.
 */

/** Notes on orders, payments and credit notes. */
export const NOTE_MAX_LENGTH = 1000;
/** Why an order changed state; a cancel reason also lands in the ledger's release note. */
export const REASON_MAX_LENGTH = 500;
/** Names of shops, vendors and products. */
export const NAME_MAX_LENGTH = 200;

/** Characters, not UTF-16 units: a Devanagari or emoji note counts what a person sees. */
export function characterCount(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/** The first offending index, or -1: control characters (tab, LF, CR allowed when `multiline`) and lone surrogates. */
function firstInvalidCharacter(value: string, multiline: boolean): number {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return i;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return i;
    const control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
    if (control && !(multiline && (c === 0x09 || c === 0x0a || c === 0x0d))) return i;
  }
  return -1;
}

interface TextRule {
  readonly max: number;
  readonly multiline: boolean;
}

function checkText(raw: unknown, field: string, rule: TextRule): string | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw !== 'string') {
    throw new ValidationError(`${field} must be text`, { field }, ErrorCodes.INVALID_COMMAND);
  }
  const v = raw.trim();
  if (v.length === 0) return null;
  const at = firstInvalidCharacter(v, rule.multiline);
  if (at >= 0) {
    throw new ValidationError(
      `${field} contains a control character or an unpaired surrogate`,
      { field, index: at },
      ErrorCodes.INVALID_CHARACTERS,
    );
  }
  const length = characterCount(v);
  if (length > rule.max) {
    throw new ValidationError(
      `${field} must be at most ${rule.max} characters`,
      { field, max: rule.max, length },
      ErrorCodes.TEXT_TOO_LONG,
    );
  }
  return v;
}

/** Required single-line text (names, categories, aliases), trimmed, 1..max characters. */
export function requireText(value: string, field: string, max = NAME_MAX_LENGTH): string {
  const v = checkText(value, field, { max, multiline: false });
  if (v === null)
    throw new ValidationError(`${field} must be 1-${max} characters`, { field }, ErrorCodes.TEXT_REQUIRED);
  return v;
}

/** Optional multi-line text, trimmed; empty becomes null. */
export function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  return checkText(value, field, { max, multiline: true });
}

export function noteText(value: string | null | undefined, field = 'note'): string | null {
  return optionalText(value, field, NOTE_MAX_LENGTH);
}

export function reasonText(value: string | null | undefined, field = 'reason'): string | null {
  return optionalText(value, field, REASON_MAX_LENGTH);
}

export function requireNonNegativeInt(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(`${field} must be a non-negative integer`, { field, value });
  }
  return value;
}

/** The largest count a store column holds (PostgreSQL int4): counts past it are refused, not wrapped. */
export const MAX_STORED_COUNT = 2_147_483_647;

/** A whole count 0..MAX_STORED_COUNT; past it VALIDATION.OUT_OF_RANGE. */
export function requireStorableCount(value: number, field: string): number {
  requireNonNegativeInt(value, field);
  if (value > MAX_STORED_COUNT) {
    throw new ValidationError(`${field} is too large`, { field, max: MAX_STORED_COUNT }, ErrorCodes.OUT_OF_RANGE);
  }
  return value;
}

/** `undefined` → `fallback`; anything but a boolean is refused (a string "false" is truthy). */
export function optionalFlag(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new ValidationError(`${field} must be true or false`, { field }, ErrorCodes.INVALID_COMMAND);
  }
  return value;
}

export function requirePositiveNumber(value: number, field: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new ValidationError(`${field} must be positive`, { field, value });
  return value;
}

import { ValidationError } from './errors.js';

export function requireText(value: string, field: string, max = 200): string {
  const v = typeof value === 'string' ? value.trim() : '';
  if (v.length === 0 || v.length > max) throw new ValidationError(`${field} must be 1-${max} characters`, { field });
  return v;
}

export function requireNonNegativeInt(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(`${field} must be a non-negative integer`, { field, value });
  }
  return value;
}

export function requirePositiveNumber(value: number, field: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new ValidationError(`${field} must be positive`, { field, value });
  return value;
}

import { ErrorCodes, ValidationError } from './errors.js';

/**
 * Whether `value` has at most `places` decimals, allowing for binary floating point
 * (0.1 + 0.2 has one decimal; 10.0004 has four).
 */
export function decimalsWithin(value: number, places: number): boolean {
  if (!Number.isFinite(value)) return false;
  const scaled = value * 10 ** places;
  return Math.abs(scaled - Math.round(scaled)) <= 1e-9 * Math.max(1, Math.abs(scaled));
}

/**
 * A non-negative number as a store column `numeric(precision, scale)` holds it exactly.
 * More decimals would be rounded away on store and a bigger number refused by the store,
 * so both are refused here; the value comes back normalised (0.30000000000000004 → 0.3),
 * so what a use case returns is what the store keeps.
 */
export function storableDecimal(value: number, field: string, precision: number, scale: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValidationError(`${field} must be zero or more`, { field, value });
  }
  if (!decimalsWithin(value, scale)) {
    throw new ValidationError(
      `${field} allows at most ${scale} decimals`,
      { field, value, scale },
      ErrorCodes.TOO_MANY_DECIMALS,
    );
  }
  const normalised = Math.round(value * 10 ** scale) / 10 ** scale;
  if (normalised >= 10 ** (precision - scale)) {
    throw new ValidationError(`${field} is too large`, { field, value }, ErrorCodes.OUT_OF_RANGE);
  }
  return normalised;
}

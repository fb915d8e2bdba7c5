import { decimalsWithin } from './decimals.js';
import { ErrorCodes, ValidationError } from './errors.js';

export const UNITS = ['piece', 'kg', 'g', 'litre', 'ml', 'carton', 'bag', 'packet', 'dozen', 'bottle', 'box'] as const;
export type Unit = (typeof UNITS)[number];

export function isUnit(value: string): value is Unit {
  return (UNITS as readonly string[]).includes(value);
}

/** Conversions that hold for every product; product-specific ones (1 carton = 24 packets) live on Product. */
const UNIVERSAL: ReadonlyArray<{ from: Unit; to: Unit; factor: number }> = [
  { from: 'kg', to: 'g', factor: 1000 },
  { from: 'litre', to: 'ml', factor: 1000 },
  { from: 'dozen', to: 'piece', factor: 12 },
];

/** An exact conversion: 1 `from` = numerator / denominator `to` (both safe integers, reduced). */
export interface UnitRatio {
  readonly numerator: number;
  readonly denominator: number;
}

export const ONE_TO_ONE: UnitRatio = Object.freeze({ numerator: 1, denominator: 1 });

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** a/b reduced; undefined when it cannot be held exactly in safe integers. */
export function ratio(numerator: number, denominator: number): UnitRatio | undefined {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || numerator <= 0 || denominator <= 0) {
    return undefined;
  }
  const g = gcd(numerator, denominator);
  return { numerator: numerator / g, denominator: denominator / g };
}

export function multiplyRatios(a: UnitRatio, b: UnitRatio): UnitRatio | undefined {
  // Cross-reduce first so that the products stay small.
  const g1 = gcd(a.numerator, b.denominator);
  const g2 = gcd(b.numerator, a.denominator);
  return ratio((a.numerator / g1) * (b.numerator / g2), (a.denominator / g2) * (b.denominator / g1));
}

export function invertRatio(r: UnitRatio): UnitRatio {
  return { numerator: r.denominator, denominator: r.numerator };
}

export const MAX_CONVERSION_DECIMALS = 6;

/** A positive decimal with at most six decimals (0.5, 2.25) as an exact ratio. */
export function decimalRatio(value: number): UnitRatio | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  for (let k = 0, scale = 1; k <= MAX_CONVERSION_DECIMALS; k++, scale *= 10) {
    const scaled = Math.round(value * scale);
    if (Math.abs(scaled - value * scale) < 1e-7) return ratio(scaled, scale);
  }
  return undefined;
}

export function universalRatio(from: Unit, to: Unit): UnitRatio | undefined {
  if (from === to) return ONE_TO_ONE;
  for (const c of UNIVERSAL) {
    if (c.from === from && c.to === to) return { numerator: c.factor, denominator: 1 };
    if (c.from === to && c.to === from) return { numerator: 1, denominator: c.factor };
  }
  return undefined;
}

const SCALE = 1000;

export interface QuantityJSON {
  readonly value: number;
  readonly unit: Unit;
}

/**
 * A positive amount of a unit, exact to three decimals (2.5 kg, 0.25 litre). Held as
 * integer thousandths so that pricing never multiplies money by a float.
 */
export class Quantity {
  private constructor(
    readonly milli: number,
    readonly unit: Unit,
  ) {}

  static of(value: number, unit: Unit): Quantity {
    if (!isUnit(unit)) throw new ValidationError('unknown unit', { unit }, ErrorCodes.UNKNOWN_UNIT);
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new ValidationError('quantity must be a positive number', { value, unit }, ErrorCodes.INVALID_QUANTITY);
    }
    const milli = Math.round(value * SCALE);
    if (!decimalsWithin(value, 3) || !Number.isSafeInteger(milli)) {
      throw new ValidationError(
        'quantity allows at most three decimals',
        { value, unit },
        ErrorCodes.TOO_MANY_DECIMALS,
      );
    }
    return new Quantity(milli, unit);
  }

  static fromMilli(milli: number, unit: Unit): Quantity {
    if (!Number.isSafeInteger(milli) || milli <= 0) throw new ValidationError('quantity must be positive', { milli });
    return new Quantity(milli, unit);
  }

  static fromJSON(json: QuantityJSON): Quantity {
    return Quantity.of(json.value, json.unit);
  }

  get value(): number {
    return this.milli / SCALE;
  }

  add(other: Quantity): Quantity {
    if (other.unit !== this.unit) {
      throw new ValidationError(
        'cannot add different units',
        { left: this.unit, right: other.unit },
        ErrorCodes.QUANTITY_UNIT_MISMATCH,
      );
    }
    return new Quantity(this.milli + other.milli, this.unit);
  }

  /** Re-express in another unit given `1 this.unit = factor target` (rounded half-up to 0.001). */
  scaled(factor: number, unit: Unit): Quantity {
    const milli = Math.round(this.milli * factor);
    if (milli <= 0) throw new ValidationError('quantity too small for the unit', { value: this.value, unit });
    return new Quantity(milli, unit);
  }

  compare(other: Quantity): -1 | 0 | 1 {
    if (other.unit !== this.unit) {
      throw new ValidationError(
        'cannot compare different units',
        { left: this.unit, right: other.unit },
        ErrorCodes.QUANTITY_UNIT_MISMATCH,
      );
    }
    return this.milli < other.milli ? -1 : this.milli > other.milli ? 1 : 0;
  }

  equals(other: Quantity): boolean {
    return this.unit === other.unit && this.milli === other.milli;
  }

  toJSON(): QuantityJSON {
    return { value: this.value, unit: this.unit };
  }

  toString(): string {
    return `${this.value} ${this.unit}`;
  }
}

export const QUANTITY_SCALE = SCALE;

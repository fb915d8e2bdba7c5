import { ErrorCodes, ValidationError } from './errors.js';

export type CurrencyCode = string;
export const DEFAULT_CURRENCY: CurrencyCode = 'NPR';

const CURRENCY = /^[A-Z]{3}$/;
/** Minor units per major unit. NPR, INR and USD all use 2 decimals. */
const MINOR_DIGITS = 2;
const MINOR_PER_MAJOR = 100n;

export interface MoneyJSON {
  readonly amount: number;
  readonly currency: CurrencyCode;
}

/**
 * Money in integer minor units (paisa). Arithmetic is exact; the only rounding is in
 * `multiply`/`percent` (half-up, i.e. half away from zero) and `allocate` distributes
 * remainders so that no paisa is lost or invented.
 */
export class Money {
  private constructor(
    readonly amount: number,
    readonly currency: CurrencyCode,
  ) {}

  static of(amount: number, currency: CurrencyCode = DEFAULT_CURRENCY): Money {
    if (!Number.isSafeInteger(amount)) {
      throw new ValidationError('money amount must be a safe integer of minor units', { amount });
    }
    if (!CURRENCY.test(currency)) throw new ValidationError('currency must be an ISO 4217 code', { currency });
    return new Money(amount === 0 ? 0 : amount, currency);
  }

  static zero(currency: CurrencyCode = DEFAULT_CURRENCY): Money {
    return Money.of(0, currency);
  }

  /** Parse a decimal string in major units ("12.5", "-3.25") without touching floats. */
  static parse(major: string, currency: CurrencyCode = DEFAULT_CURRENCY): Money {
    const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(major.trim());
    if (!m) throw new ValidationError('money must look like 123 or 123.45', { value: major });
    const minor = BigInt(m[2] ?? '0') * MINOR_PER_MAJOR + BigInt((m[3] ?? '').padEnd(MINOR_DIGITS, '0'));
    return Money.of(toSafe(m[1] ? -minor : minor), currency);
  }

  static fromJSON(json: MoneyJSON): Money {
    return Money.of(json.amount, json.currency);
  }

  /** Sum in `currency`; a term in another currency throws rather than being converted. */
  static sum(items: readonly Money[], currency: CurrencyCode = DEFAULT_CURRENCY): Money {
    return items.reduce((acc, m) => acc.add(m), Money.zero(currency));
  }

  add(other: Money): Money {
    this.assertSameCurrency(other);
    return Money.of(checked(this.amount + other.amount), this.currency);
  }

  subtract(other: Money): Money {
    this.assertSameCurrency(other);
    return Money.of(checked(this.amount - other.amount), this.currency);
  }

  negate(): Money {
    return Money.of(-this.amount, this.currency);
  }

  abs(): Money {
    return Money.of(Math.abs(this.amount), this.currency);
  }

  /**
   * Multiply by an exact rational `numerator / denominator` (e.g. a quantity in
   * thousandths: 2.5 kg = 2500/1000), rounding half-up (away from zero).
   */
  multiplyRatio(numerator: number | bigint, denominator: number | bigint = 1): Money {
    const safe = (x: number | bigint) => typeof x === 'bigint' || Number.isSafeInteger(x);
    if (!safe(numerator) || !safe(denominator) || BigInt(denominator) === 0n) {
      throw new ValidationError('ratio must be integers with a non-zero denominator', {
        numerator: String(numerator),
        denominator: String(denominator),
      });
    }
    return Money.of(toSafe(divideHalfUp(BigInt(this.amount) * BigInt(numerator), BigInt(denominator))), this.currency);
  }

  /** Multiply by an integer count (exact). */
  times(count: number): Money {
    return this.multiplyRatio(count, 1);
  }

  /** `basisPoints`/10000 of this amount, half-up. 250 bp = 2.5 %. */
  percent(basisPoints: number): Money {
    return this.multiplyRatio(basisPoints, 10_000);
  }

  /**
   * Split into parts proportional to `ratios` (largest-remainder method). The parts
   * always sum to this amount exactly; ties go to the earlier part.
   */
  allocate(ratios: readonly number[]): Money[] {
    if (ratios.length === 0) throw new ValidationError('allocate needs at least one ratio');
    if (ratios.some((r) => !Number.isSafeInteger(r) || r < 0)) {
      throw new ValidationError('allocation ratios must be non-negative integers', { ratios });
    }
    const total = ratios.reduce((a, b) => a + b, 0);
    if (total === 0) throw new ValidationError('allocation ratios must not all be zero', { ratios });
    const amount = BigInt(this.amount);
    const sign = amount < 0n ? -1n : 1n;
    const magnitude = amount * sign;
    const bigTotal = BigInt(total);
    const shares = ratios.map((r) => (magnitude * BigInt(r)) / bigTotal);
    const remainders = ratios.map((r, i) => ({ i, rem: (magnitude * BigInt(r)) % bigTotal }));
    let left = magnitude - shares.reduce((a, b) => a + b, 0n);
    remainders.sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
    for (const { i } of remainders) {
      if (left === 0n) break;
      shares[i] = (shares[i] ?? 0n) + 1n;
      left -= 1n;
    }
    return shares.map((s) => Money.of(toSafe(s * sign), this.currency));
  }

  compare(other: Money): -1 | 0 | 1 {
    this.assertSameCurrency(other);
    return this.amount < other.amount ? -1 : this.amount > other.amount ? 1 : 0;
  }

  equals(other: Money): boolean {
    return this.currency === other.currency && this.amount === other.amount;
  }

  greaterThan(other: Money): boolean {
    return this.compare(other) > 0;
  }

  greaterThanOrEqual(other: Money): boolean {
    return this.compare(other) >= 0;
  }

  lessThan(other: Money): boolean {
    return this.compare(other) < 0;
  }

  min(other: Money): Money {
    return this.compare(other) <= 0 ? this : other;
  }

  max(other: Money): Money {
    return this.compare(other) >= 0 ? this : other;
  }

  isZero(): boolean {
    return this.amount === 0;
  }

  isNegative(): boolean {
    return this.amount < 0;
  }

  isPositive(): boolean {
    return this.amount > 0;
  }

  /** "1234.50" — exact decimal string in major units. */
  toDecimalString(): string {
    const sign = this.amount < 0 ? '-' : '';
    const abs = BigInt(Math.abs(this.amount));
    const major = abs / MINOR_PER_MAJOR;
    const minor = (abs % MINOR_PER_MAJOR).toString().padStart(MINOR_DIGITS, '0');
    return `${sign}${major}.${minor}`;
  }

  /** "NPR 1,234.50" for messages to people. */
  format(): string {
    const [major = '0', minor = '00'] = this.toDecimalString().replace('-', '').split('.');
    const grouped = major.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return `${this.amount < 0 ? '-' : ''}${this.currency} ${grouped}.${minor}`;
  }

  toJSON(): MoneyJSON {
    return { amount: this.amount, currency: this.currency };
  }

  toString(): string {
    return this.format();
  }

  private assertSameCurrency(other: Money): void {
    if (other.currency !== this.currency) {
      throw new ValidationError(
        `cannot combine ${this.currency} with ${other.currency}`,
        { left: this.currency, right: other.currency },
        ErrorCodes.MONEY_CURRENCY_MISMATCH,
      );
    }
  }
}

/** Integer division rounding half away from zero. */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  // (n + floor(d/2)) / d is half-up for even d; an odd d has no exact half to break.
  const q = (n + d / 2n) / d;
  return negative ? -q : q;
}

function checked(value: number): number {
  if (!Number.isSafeInteger(value)) {
    throw new ValidationError('money amount overflowed', { value }, ErrorCodes.MONEY_OVERFLOW);
  }
  return value;
}

function toSafe(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new ValidationError('money amount overflowed', { value: value.toString() }, ErrorCodes.MONEY_OVERFLOW);
  }
  return Number(value);
}

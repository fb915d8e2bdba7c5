import { ValidationError } from './errors.js';

const E164 = /^\+[1-9]\d{7,14}$/;
/** Nepal mobiles: 97x/98x + 8 digits (NTC, Ncell, Smart). */
const NEPAL_MOBILE = /^9[678]\d{8}$/;
/** After +977: a mobile, or a landline (area code + subscriber, 7-9 digits, never starting with 9). */
const NEPAL_NATIONAL = /^(9[678]\d{8}|[1-8]\d{6,8})$/;

/** A phone number in E.164. Local Nepali mobile numbers are accepted and normalised to +977. */
export class PhoneNumber {
  private constructor(readonly value: string) {}

  static parse(input: string): PhoneNumber {
    const compact = input.replace(/[\s\-().]/g, '');
    let candidate = compact;
    if (compact.startsWith('00')) candidate = `+${compact.slice(2)}`;
    else if (NEPAL_MOBILE.test(compact)) candidate = `+977${compact}`;
    else if (/^977\d{10}$/.test(compact)) candidate = `+${compact}`;
    else if (/^0\d+$/.test(compact)) {
      throw new ValidationError('phone number needs a country code', { phone: PhoneNumber.maskRaw(input) });
    }
    if (!E164.test(candidate)) {
      throw new ValidationError('phone number must be E.164 (e.g. +9779812345678)', {
        phone: PhoneNumber.maskRaw(input),
      });
    }
    if (candidate.startsWith('+977') && !NEPAL_NATIONAL.test(candidate.slice(4))) {
      throw new ValidationError('not a valid Nepal number', { phone: PhoneNumber.maskRaw(input) });
    }
    return new PhoneNumber(candidate);
  }

  /** Digits only, as WhatsApp Cloud API sends and expects them ("9779812345678"). */
  get digits(): string {
    return this.value.slice(1);
  }

  /** Safe for logs: keeps the country code and the last 3 digits. */
  masked(): string {
    return PhoneNumber.maskRaw(this.value);
  }

  equals(other: PhoneNumber): boolean {
    return other.value === this.value;
  }

  toJSON(): string {
    return this.value;
  }

  toString(): string {
    return this.value;
  }

  static maskRaw(raw: string): string {
    const s = raw.trim();
    if (s.length <= 6) return '***';
    const head = s.startsWith('+977') ? 4 : Math.min(3, s.length - 3);
    return `${s.slice(0, head)}${'*'.repeat(Math.max(3, s.length - head - 3))}${s.slice(-3)}`;
  }
}

import { ErrorCodes, ValidationError } from './errors.js';

const E164 = /^\+[1-9]\d{7,14}$/;
/** Nepal mobiles: 97x/98x + 8 digits (NTC, Ncell, Smart). */
const NEPAL_MOBILE = /^9[678]\d{8}$/;
/** After +977: a mobile, or a landline (area code + subscriber, 7-9 digits, never starting with 9). */
const NEPAL_NATIONAL = /^(9[678]\d{8}|[1-8]\d{6,8})$/;
/** E.164 is at most 16 characters; room for spaces and dashes, and no more before any regex runs. */
export const MAX_PHONE_INPUT_LENGTH = 32;

const ERASED_PHONE_PREFIX = 'erased:';

/** A phone number in E.164. Local Nepali mobile numbers are accepted and normalised to +977. */
export class PhoneNumber {
  private constructor(readonly value: string) {}

  static parse(input: string): PhoneNumber {
    if (typeof input !== 'string' || input.length > MAX_PHONE_INPUT_LENGTH) {
      throw new ValidationError(
        `phone number must be a string of at most ${MAX_PHONE_INPUT_LENGTH} characters`,
        { field: 'phone', max: MAX_PHONE_INPUT_LENGTH },
        ErrorCodes.INVALID_PHONE,
      );
    }
    const compact = input.replace(/[\s\-().]/g, '');
    let candidate = compact;
    if (compact.startsWith('00')) candidate = `+${compact.slice(2)}`;
    else if (NEPAL_MOBILE.test(compact)) candidate = `+977${compact}`;
    else if (/^977\d{10}$/.test(compact)) candidate = `+${compact}`;
    else if (/^0\d+$/.test(compact)) {
      throw new ValidationError(
        'phone number needs a country code',
        { phone: PhoneNumber.maskRaw(input) },
        ErrorCodes.INVALID_PHONE,
      );
    }
    if (!E164.test(candidate)) {
      throw new ValidationError(
        'phone number must be E.164 (e.g. +9779812345678)',
        { phone: PhoneNumber.maskRaw(input) },
        ErrorCodes.INVALID_PHONE,
      );
    }
    if (candidate.startsWith('+977') && !NEPAL_NATIONAL.test(candidate.slice(4))) {
      throw new ValidationError(
        'not a valid Nepal number',
        { phone: PhoneNumber.maskRaw(input) },
        ErrorCodes.INVALID_PHONE,
      );
    }
    return new PhoneNumber(candidate);
  }

  /**
   * A number read back from storage: parsed when it parses, otherwise kept as stored. A row
   * written before the checks tightened (or by hand) must not make its party, or a listing
   * that includes it, unreadable; new numbers always go through `parse`.
   */
  static fromStored(stored: string): PhoneNumber {
    try {
      return PhoneNumber.parse(stored);
    } catch {
      return new PhoneNumber(stored);
    }
  }

  /**
   * What an erased party's phone becomes: `erased:<party id>`. Unique per party (the stores'
   * unique phone constraints hold), never a number (`parse` refuses it, so nobody can register
   * or log in with it, and no provider can route it), and it frees the real number for a new
   * registration.
   */
  static erased(partyId: string): PhoneNumber {
    return new PhoneNumber(`${ERASED_PHONE_PREFIX}${partyId}`);
  }

  /** The placeholder of an erased party: never message it. */
  get isErased(): boolean {
    return this.value.startsWith(ERASED_PHONE_PREFIX);
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

import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { PasswordHasher } from '@khaacho/core';

/**
 * scrypt cost. The default is one of OWASP's equivalent settings for scrypt (N=2^15, r=8,
 * p=3): 32 MiB per hash (128·N·r bytes), about 0.1–0.2 s of one core here. Memory, not
 * time, is what makes a GPU attack expensive; 32 MiB (rather than the 128 MiB of N=2^17)
 * keeps a burst of logins inside the API's memory budget, since libuv runs at most 4 at once.
 */
export interface ScryptParameters {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  /** Block size. */
  readonly r: number;
  /** Parallelisation (run one after another by Node: time, not memory). */
  readonly p: number;
}

export const DEFAULT_SCRYPT: ScryptParameters = Object.freeze({ N: 2 ** 15, r: 8, p: 3 });

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** What `verify` accepts from a stored hash: a tampered row must not buy gigabytes or minutes. */
const MAX = { N: 2 ** 20, r: 16, p: 16 };

/**
 * `scrypt$N=32768,r=8,p=3$<salt>$<key>` (base64url): the parameters travel with each hash,
 * so raising them later keeps old hashes verifiable.
 */
export class ScryptPasswordHasher implements PasswordHasher {
  constructor(private readonly params: ScryptParameters = DEFAULT_SCRYPT) {
    if (!validParams(params)) throw new RangeError('scrypt parameters out of range');
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_LENGTH);
    const key = await derive(password, salt, this.params);
    const { N, r, p } = this.params;
    return `scrypt$N=${N},r=${r},p=${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const parsed = parse(stored);
    if (parsed === null) return false;
    const key = await derive(password, parsed.salt, parsed.params);
    return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
  }
}

function derive(password: string, salt: Buffer, { N, r, p }: ScryptParameters): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N, r, p, maxmem: 256 * N * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function validParams({ N, r, p }: ScryptParameters): boolean {
  const int = (v: number, max: number) => Number.isSafeInteger(v) && v >= 1 && v <= max;
  return int(N, MAX.N) && N >= 2 && (N & (N - 1)) === 0 && int(r, MAX.r) && int(p, MAX.p);
}

const FORMAT = /^scrypt\$N=(\d{1,8}),r=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9_-]{16,64})\$([A-Za-z0-9_-]{32,128})$/;

function parse(stored: string): { params: ScryptParameters; salt: Buffer; key: Buffer } | null {
  const m = FORMAT.exec(stored);
  if (!m) return null;
  const params = { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (!validParams(params)) return null;
  return { params, salt: Buffer.from(m[4] ?? '', 'base64url'), key: Buffer.from(m[5] ?? '', 'base64url') };
}

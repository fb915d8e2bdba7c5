import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { TotpAuthenticator } from '@khaacho/core';

/** The RFC 6238 time step. */
export const TOTP_STEP_SECONDS = 30;
const DIGITS = 6;
const SECRET_BYTES = 20; // 160 bits: RFC 4226's recommended length for HMAC-SHA1
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits: what every authenticator app speaks), one step
 * of drift either way. Secrets are sealed with AES-256-GCM before they reach the store
 * (`v1.<iv>.<ciphertext>.<tag>`, base64url), so a copy of the database holds no usable
 * second factor; a sealed value that does not open (another key, tampering) verifies nothing.
 */
export class RfcTotpAuthenticator implements TotpAuthenticator {
  private readonly key: Buffer;

  /** `sealKey`: at least 32 bytes; it is stretched with HKDF-SHA256 into the AES key. */
  constructor(
    sealKey: string,
    private readonly issuer = 'Khaacho',
  ) {
    if (Buffer.byteLength(sealKey, 'utf8') < 32) throw new RangeError('the TOTP seal key must be at least 32 bytes');
    this.key = Buffer.from(hkdfSync('sha256', sealKey, 'khaacho', 'totp seal v1', 32));
  }

  enrol(accountName: string): { secret: string; uri: string; sealed: string } {
    const raw = randomBytes(SECRET_BYTES);
    const secret = base32(raw);
    const label = encodeURIComponent(`${this.issuer}:${accountName}`);
    const uri = `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(this.issuer)}&algorithm=SHA1&digits=${DIGITS}&period=${TOTP_STEP_SECONDS}`;
    return { secret, uri, sealed: this.seal(raw) };
  }

  verify(sealed: string, code: string, at: Date): number | null {
    if (!/^[0-9]{6}$/.test(code)) return null;
    const raw = this.open(sealed);
    if (raw === null) return null;
    const step = Math.floor(at.getTime() / 1000 / TOTP_STEP_SECONDS);
    for (const s of [step - 1, step, step + 1]) if (hotp(raw, s) === code) return s;
    return null;
  }

  private seal(raw: Buffer): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(raw), cipher.final()]);
    return ['v1', iv, body, cipher.getAuthTag()]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  private open(sealed: string): Buffer | null {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== 'v1' || !iv || !body || !tag) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
    } catch {
      return null;
    }
  }
}

/** RFC 4226 HOTP: HMAC-SHA1 over the 8-byte counter, dynamic truncation, 6 digits. */
export function hotp(secret: Buffer, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', secret).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return (binary % 10 ** DIGITS).toString().padStart(DIGITS, '0');
}

/** The code an app would show for `secret` (base32) at `at`: for tests and tooling. */
export function totpCode(secretBase32: string, at: Date): string {
  return hotp(fromBase32(secretBase32), Math.floor(at.getTime() / 1000 / TOTP_STEP_SECONDS));
}

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function fromBase32(text: string): Buffer {
  const clean = text.replace(/=+$/, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const i = BASE32.indexOf(ch);
    if (i < 0) throw new RangeError('not base32');
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

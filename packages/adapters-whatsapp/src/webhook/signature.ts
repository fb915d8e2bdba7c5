import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-hub-signature-256';
const PREFIX = 'sha256=';

/** `sha256=` + the hex HMAC-SHA256 of the bytes, keyed with the app secret (what Meta sends). */
export function signBody(rawBody: Uint8Array, appSecret: string): string {
  return PREFIX + createHmac('sha256', appSecret).update(rawBody).digest('hex');
}

/**
 * Whether `X-Hub-Signature-256` signs these exact bytes. It must be checked on the raw
 * request body: parsing and re-serialising JSON changes the bytes (escapes, spacing, key
 * order) and with them the HMAC. A missing or malformed header is false; the digests are
 * compared in constant time.
 */
export function verifySignature(
  rawBody: Uint8Array,
  header: string | readonly string[] | undefined | null,
  appSecret: string,
): boolean {
  if (typeof header !== 'string' || !header.startsWith(PREFIX)) return false;
  const given = header.slice(PREFIX.length);
  if (!/^[0-9a-fA-F]{64}$/.test(given)) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(given, 'hex'), expected);
}

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hotp, RfcTotpAuthenticator, totpCode } from './totp.js';

const KEY = 'a-seal-key-of-at-least-thirty-two-bytes!';

test('RFC 4226 appendix D test vectors', () => {
  const secret = Buffer.from('12345678901234567890');
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  assert.equal(
    expected.map((_, i) => hotp(secret, i)),
    expected,
  );
});

test('RFC 6238 appendix B (SHA-1), last 6 digits', () => {
  // The RFC secret "12345678901234567890" in base32.
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  for (const [seconds, code] of [
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ] as const) {
    assert.is(totpCode(secret, new Date(seconds * 1000)), code, String(seconds));
  }
});

test('enrol → a base32 secret and otpauth URI; the sealed value hides the secret and verifies codes ±1 step', () => {
  const totp = new RfcTotpAuthenticator(KEY);
  const { secret, uri, sealed } = totp.enrol('ram@shop.np');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.ok(uri.startsWith('otpauth://totp/Khaacho%3Aram%40shop.np?secret='));
  assert.not.ok(sealed.includes(secret));
  const at = new Date('2026-12-06T01:00:10Z');
  const step = Math.floor(at.getTime() / 30_000);
  assert.is(totp.verify(sealed, totpCode(secret, at), at), step);
  assert.is(totp.verify(sealed, totpCode(secret, new Date(at.getTime() - 30_000)), at), step - 1, 'one step late');
  assert.is(totp.verify(sealed, totpCode(secret, new Date(at.getTime() + 30_000)), at), step + 1, 'one step early');
  assert.is(totp.verify(sealed, totpCode(secret, new Date(at.getTime() - 90_000)), at), null, 'too old');
  assert.is(totp.verify(sealed, 'abcdef', at), null);
});

test('a sealed secret opens only with its key and untouched', () => {
  const a = new RfcTotpAuthenticator(KEY);
  const b = new RfcTotpAuthenticator(`${KEY}-other`);
  const { secret, sealed } = a.enrol('x@y.np');
  const at = new Date();
  const code = totpCode(secret, at);
  assert.is(b.verify(sealed, code, at), null, 'another key');
  const parts = sealed.split('.');
  // Change the FIRST base64url character: the last one may carry only padding bits, which
  // decode to the same bytes (the test then failed about one run in six).
  const sealedPart = parts[2] ?? '';
  const flipped = [
    parts[0],
    parts[1],
    `${sealedPart.startsWith('A') ? 'B' : 'A'}${sealedPart.slice(1)}`,
    parts[3],
  ].join('.');
  assert.is(a.verify(flipped, code, at), null, 'tampered');
  assert.is(a.verify('garbage', code, at), null);
  assert.throws(() => new RfcTotpAuthenticator('short'));
});

test.run();

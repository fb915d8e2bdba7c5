import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_SCRYPT, ScryptPasswordHasher } from './password-hasher.js';
import { RandomRefreshTokens } from './refresh-tokens.js';

const cheap = new ScryptPasswordHasher({ N: 2 ** 10, r: 8, p: 1 });

test('the default cost: hash carries its parameters, verifies the password and nothing else', async () => {
  const hasher = new ScryptPasswordHasher();
  const hash = await hasher.hash('नमस्ते correct horse');
  assert.match(hash, new RegExp(`^scrypt\\$N=${DEFAULT_SCRYPT.N},r=8,p=3\\$[A-Za-z0-9_-]{22}\\$[A-Za-z0-9_-]{43}$`));
  assert.ok(await hasher.verify('नमस्ते correct horse', hash));
  assert.not.ok(await hasher.verify('नमस्ते correct hors', hash));
});

test('salted: the same password hashes differently; NFC and NFD forms are one password', async () => {
  const a = await cheap.hash('café password');
  const b = await cheap.hash('café password');
  assert.is.not(a, b);
  assert.ok(await cheap.verify('cafe\u0301 password', a));
});

test('a hash made with other parameters still verifies (they travel with it)', async () => {
  const old = await new ScryptPasswordHasher({ N: 2 ** 11, r: 8, p: 2 }).hash('long enough pw');
  assert.ok(await cheap.verify('long enough pw', old));
});

test('malformed, foreign or absurd hashes verify false and never throw', async () => {
  const good = await cheap.hash('long enough pw');
  for (const bad of [
    '',
    'fake$1$abc',
    '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
    good.replace('N=1024', 'N=1000'),
    good.replace('N=1024', 'N=1073741824'),
    good.replace(/\$[^$]+$/, '$short'),
  ]) {
    assert.is(await cheap.verify('long enough pw', bad), false, bad);
  }
  assert.throws(() => new ScryptPasswordHasher({ N: 1000, r: 8, p: 1 }));
});

test('refresh tokens: 32 random bytes base64url; the digest is their SHA-256', () => {
  const tokens = new RandomRefreshTokens();
  const a = tokens.issue();
  const b = tokens.issue();
  assert.match(a.token, /^[A-Za-z0-9_-]{43}$/);
  assert.is.not(a.token, b.token);
  assert.is(a.digest, tokens.digest(a.token));
  assert.is.not(a.digest, a.token);
  assert.is(tokens.digest('abc'), 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
});

test.run();

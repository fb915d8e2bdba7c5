import { createHmac } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { change, contact, delivery, message, SHOP_WA_ID } from '../testing/whatsapp-fixtures.js';
import { parseDelivery } from './parse-delivery.js';
import { signBody, verifySignature } from './signature.js';

const SECRET = 'app-secret-for-tests';
// Written as a phone sends it: Devanagari, an emoji, and a JSON escape ("\u2013") that parsing would undo.
const RAW = Buffer.from(
  JSON.stringify(
    delivery([
      change({
        contacts: [contact(SHOP_WA_ID, 'राम किराना')],
        messages: [message('text', { body: 'चामल २ बोरा, तेल १ पेटी 🙏' })],
      }),
    ]),
  ).replace('🙏', '🙏 \\u2013 छिटो'),
  'utf8',
);
const hmac = (bytes: Uint8Array, key = SECRET) => `sha256=${createHmac('sha256', key).update(bytes).digest('hex')}`;

test('a good signature over the raw bytes is accepted (Devanagari, emoji and escapes in the body)', () => {
  assert.ok(verifySignature(RAW, hmac(RAW), SECRET));
  assert.is(signBody(RAW, SECRET), hmac(RAW));
  // The body really is what the shop wrote, so the test is about non-ASCII bytes.
  const parsed = parseDelivery(JSON.parse(RAW.toString('utf8')));
  const first = parsed.events[0];
  assert.ok(first?.kind === 'message' && first.content.type === 'text');
  assert.is(first.content.text, 'चामल २ बोरा, तेल १ पेटी 🙏 – छिटो');
});

test('upper-case hex is the same digest', () => {
  assert.ok(verifySignature(RAW, `sha256=${hmac(RAW).slice(7).toUpperCase()}`, SECRET));
});

test('a wrong signature is refused: another secret, another body, one changed digit', () => {
  assert.not.ok(verifySignature(RAW, hmac(RAW, 'another-secret'), SECRET));
  assert.not.ok(verifySignature(Buffer.concat([RAW, Buffer.from(' ')]), hmac(RAW), SECRET));
  const good = hmac(RAW);
  const flipped = good.slice(0, -1) + (good.endsWith('0') ? '1' : '0');
  assert.not.ok(verifySignature(RAW, flipped, SECRET));
});

test('a missing or malformed header is refused', () => {
  const digest = hmac(RAW).slice(7);
  for (const header of [
    undefined,
    null,
    '',
    digest,
    `sha1=${digest}`,
    'sha256=',
    `sha256=${digest.slice(2)}`,
    `sha256=${digest}00`,
    [hmac(RAW)],
  ]) {
    assert.not.ok(verifySignature(RAW, header as string | undefined, SECRET), String(header));
  }
});

test('a body re-serialised after signing fails: the signature is of the bytes, not of the JSON', () => {
  const signature = hmac(RAW);
  const reserialised = Buffer.from(JSON.stringify(JSON.parse(RAW.toString('utf8'))), 'utf8');
  assert.is.not(reserialised.toString('utf8'), RAW.toString('utf8'));
  assert.not.ok(verifySignature(reserialised, signature, SECRET));
  // The same holds for an ASCII-escaped re-serialisation (what some frameworks emit).
  const escaped = Buffer.from(
    JSON.stringify(JSON.parse(RAW.toString('utf8'))).replace(/[^ -~]/gu, (c) =>
      c
        .split('')
        .map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)
        .join(''),
    ),
  );
  assert.equal(JSON.parse(escaped.toString('ascii')), JSON.parse(RAW.toString('utf8')));
  assert.not.ok(verifySignature(escaped, signature, SECRET));
});

test.run();

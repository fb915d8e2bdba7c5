// The access tokens' memory of verified tokens must not change a single answer: a remembered
// token still expires on time, a look-alike is still checked by jose, and the memory is bounded.
import { AuthenticationError, ErrorCodes, type Principal, type UserId } from '@khaacho/core';
import { ManualClock } from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { JwtAccessTokens } from './access-tokens.js';

const SECRET = 'access-token-test-secret-of-32-bytes!!';
const principal = (n: number): Principal => ({
  userId: `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}` as UserId,
  role: 'RETAILER',
  retailerId: null,
  vendorId: null,
});

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(AuthenticationError.is(error), String(error));
    return (error as AuthenticationError).code;
  }
  assert.unreachable('the token was accepted');
  return '';
}

test('a remembered token still expires when its exp (plus the 5 s tolerance) has passed', async () => {
  const clock = new ManualClock(new Date('2026-12-06T06:00:00Z'));
  const tokens = new JwtAccessTokens({ jwtSecret: SECRET, accessTtlSeconds: 60, issuer: 'khaacho' }, clock);
  const { token } = await tokens.sign(principal(1));
  assert.is(await tokens.verify(token), principal(1).userId);
  assert.is(tokens.rememberedTokens, 1);
  clock.advance(64_000);
  assert.is(await tokens.verify(token), principal(1).userId, 'within the tolerance');
  clock.advance(1_000);
  assert.is(await refusal(tokens.verify(token)), ErrorCodes.AUTH_TOKEN_EXPIRED);
  assert.is(tokens.rememberedTokens, 0, 'an expired token is forgotten');
  assert.is(await refusal(tokens.verify(token)), ErrorCodes.AUTH_TOKEN_EXPIRED, 'and jose says the same');
});

test("a remembered token's look-alikes (other signature, other payload, truncated) are refused", async () => {
  const clock = new ManualClock(new Date('2026-12-06T06:00:00Z'));
  const tokens = new JwtAccessTokens({ jwtSecret: SECRET, accessTtlSeconds: 900, issuer: 'khaacho' }, clock);
  const { token } = await tokens.sign(principal(2));
  await tokens.verify(token);
  const [h, p, s] = token.split('.') as [string, string, string];
  const flipped = `${s.slice(0, -2)}${s.at(-2) === 'A' ? 'B' : 'A'}${s.at(-1)}`;
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  const admin = Buffer.from(JSON.stringify({ ...claims, role: 'ADMIN' })).toString('base64url');
  for (const lookAlike of [`${h}.${p}.${flipped}`, `${h}.${admin}.${s}`, `${h}.${p}.`]) {
    assert.is(await refusal(tokens.verify(lookAlike)), ErrorCodes.AUTH_TOKEN_INVALID, lookAlike);
  }
  assert.is(await tokens.verify(token), principal(2).userId);
});

test('the memory is bounded: the oldest token goes first, and a forgotten token still verifies', async () => {
  const clock = new ManualClock(new Date('2026-12-06T06:00:00Z'));
  const tokens = new JwtAccessTokens(
    { jwtSecret: SECRET, accessTtlSeconds: 900, issuer: 'khaacho', verifiedCacheSize: 3 },
    clock,
  );
  const signed = [];
  for (let i = 0; i < 5; i++) signed.push((await tokens.sign(principal(10 + i))).token);
  for (const token of signed) await tokens.verify(token);
  assert.is(tokens.rememberedTokens, 3);
  assert.is(await tokens.verify(signed[0] as string), principal(10).userId);
  assert.is(tokens.rememberedTokens, 3);
  const none = new JwtAccessTokens(
    { jwtSecret: SECRET, accessTtlSeconds: 900, issuer: 'khaacho', verifiedCacheSize: 0 },
    clock,
  );
  assert.is(await none.verify(signed[1] as string), principal(11).userId);
  assert.is(none.rememberedTokens, 0);
});

test.run();

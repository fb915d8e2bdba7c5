import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { verifySubscription } from './verify-subscription.js';

const TOKEN = 'khaacho-verify';

test('subscribe with our token: 200 with the challenge echoed', () => {
  const query = { 'hub.mode': 'subscribe', 'hub.challenge': '1158201444', 'hub.verify_token': TOKEN };
  assert.equal(verifySubscription(query, TOKEN), { status: 200, body: '1158201444' });
});

test('the same from URLSearchParams (a raw query string)', () => {
  const query = new URLSearchParams(`hub.mode=subscribe&hub.challenge=98765&hub.verify_token=${TOKEN}`);
  assert.equal(verifySubscription(query, TOKEN), { status: 200, body: '98765' });
});

test('a wrong token, another mode, a missing challenge or token: 403', () => {
  const ok = { 'hub.mode': 'subscribe', 'hub.challenge': '1', 'hub.verify_token': TOKEN };
  for (const query of [
    { ...ok, 'hub.verify_token': 'khaacho-verifx' },
    { ...ok, 'hub.verify_token': `${TOKEN}x` },
    { ...ok, 'hub.mode': 'unsubscribe' },
    { 'hub.mode': 'subscribe', 'hub.verify_token': TOKEN },
    { 'hub.mode': 'subscribe', 'hub.challenge': '1' },
    { ...ok, 'hub.challenge': '' },
    {},
  ]) {
    assert.equal(verifySubscription(query, TOKEN), { status: 403, body: 'Forbidden' }, JSON.stringify(query));
  }
});

test('a repeated parameter is refused rather than guessed', () => {
  const query = { 'hub.mode': 'subscribe', 'hub.challenge': '1', 'hub.verify_token': ['nope', TOKEN] };
  assert.is(verifySubscription(query, TOKEN).status, 403);
  assert.is(
    verifySubscription(
      new URLSearchParams(`hub.mode=subscribe&hub.challenge=1&hub.verify_token=x&hub.verify_token=${TOKEN}`),
      TOKEN,
    ).status,
    403,
  );
});

test.run();

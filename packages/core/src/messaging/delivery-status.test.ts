import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { advanceDeliveryStatus, isDeliveryStatusAdvance } from './delivery-status.js';
import type { DeliveryStatus } from './inbound-message.js';

const ALL: readonly DeliveryStatus[] = ['accepted', 'sent', 'delivered', 'read', 'failed'];
const fold = (seq: readonly DeliveryStatus[]): DeliveryStatus | null =>
  seq.reduce<DeliveryStatus | null>((s, next) => advanceDeliveryStatus(s, next), null);

test('in order, each callback moves the status forward', () => {
  assert.is(fold(['sent']), 'sent');
  assert.is(fold(['sent', 'delivered']), 'delivered');
  assert.is(fold(['sent', 'delivered', 'read']), 'read');
});

test('a late callback never moves the status backwards', () => {
  assert.is(advanceDeliveryStatus('read', 'delivered'), 'read');
  assert.is(advanceDeliveryStatus('read', 'sent'), 'read');
  assert.is(advanceDeliveryStatus('delivered', 'sent'), 'delivered');
  assert.is(advanceDeliveryStatus('sent', 'accepted'), 'sent');
  assert.not.ok(isDeliveryStatusAdvance('read', 'delivered'));
  assert.not.ok(isDeliveryStatusAdvance('delivered', 'delivered'));
});

test('a read without a delivered before it is taken', () => {
  assert.is(fold(['sent', 'read']), 'read');
  assert.ok(isDeliveryStatusAdvance('sent', 'read'));
});

test('failed replaces sent and delivered, but not read', () => {
  assert.is(advanceDeliveryStatus('sent', 'failed'), 'failed');
  assert.is(advanceDeliveryStatus('delivered', 'failed'), 'failed');
  assert.is(advanceDeliveryStatus('read', 'failed'), 'read');
  assert.is(advanceDeliveryStatus('failed', 'delivered'), 'failed');
  assert.is(advanceDeliveryStatus('failed', 'read'), 'read');
});

test('the final status does not depend on the order the callbacks arrive in, nor on duplicates', () => {
  const status = fc.constantFrom(...ALL);
  fc.assert(
    fc.property(fc.array(status, { minLength: 1, maxLength: 12 }), fc.integer(), (seq, seed) => {
      const shuffled = [...seq, ...seq.slice(0, seed & 3)];
      let s = Math.abs(seed) || 1;
      for (let i = shuffled.length - 1; i > 0; i--) {
        s = (s * 1103515245 + 12345) % 2147483648;
        const j = s % (i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j] as DeliveryStatus, shuffled[i] as DeliveryStatus];
      }
      assert.is(fold(shuffled), fold(seq));
    }),
  );
});

test('the status after a callback is never ranked below the status before it', () => {
  for (const current of ALL) {
    for (const incoming of ALL) {
      const next = advanceDeliveryStatus(current, incoming);
      // Advancing again with the old status changes nothing: no way back.
      assert.is(advanceDeliveryStatus(next, current), next, `${current} + ${incoming}`);
      assert.ok(next === current || next === incoming);
    }
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type DomainEvent, EventTypes, parseDomainEvent } from '../events/event-catalog.js';
import type { OutboundMessage } from '../ports/message-sender.js';
import { PhoneNumber } from '../shared/phone-number.js';
import { messageSendRequested, messagesSendRequested, requestedMessages } from './request-message.js';

const at = new Date('2026-12-06T06:00:00.000Z');
const SHOP = PhoneNumber.parse('9841000111');
const VENDOR = PhoneNumber.parse('9851000222');
const text = (to: PhoneNumber, t: string): OutboundMessage => ({ kind: 'text', to, text: t });
const list = (to: PhoneNumber, body: string): OutboundMessage => ({
  kind: 'list',
  to,
  body,
  button: 'Choose',
  sections: [{ rows: [{ id: `pick:${body}`, title: body }] }],
});

/** Through the outbox's JSON and back, as a relay reads it. */
const stored = (e: DomainEvent): DomainEvent =>
  parseDomainEvent({ ...e, payload: JSON.parse(JSON.stringify(e.payload)) as unknown });

test('an answer of several messages to one number is one event that keeps their order', () => {
  const answer = [text(SHOP, 'draft'), list(SHOP, 'rice'), list(SHOP, 'oil')];
  const events = messagesSendRequested(answer, 'draft-reply', at);
  assert.is(events.length, 1);
  const [event] = events.map(stored);
  assert.ok(event?.type === EventTypes.MESSAGE_SEND_REQUESTED);
  if (event?.type !== EventTypes.MESSAGE_SEND_REQUESTED) return;
  assert.is(event.aggregateId, SHOP.value);
  assert.is(event.payload.reason, 'draft-reply');
  assert.equal(requestedMessages(event.payload), answer);
});

test('runs to different numbers are separate events, each in order; one message has no followedBy', () => {
  const events = messagesSendRequested([text(SHOP, 'a'), text(SHOP, 'b'), text(VENDOR, 'c'), text(SHOP, 'd')], 'r', at);
  assert.equal(
    events.map((e) => e.aggregateId),
    [SHOP.value, VENDOR.value, SHOP.value],
  );
  const payloads = events.map((e) => (e.type === EventTypes.MESSAGE_SEND_REQUESTED ? e.payload : null));
  assert.equal(
    payloads.map((p) => (p ? requestedMessages(p).map((m) => (m.kind === 'text' ? m.text : '')) : [])),
    [['a', 'b'], ['c'], ['d']],
  );
  assert.not.ok(payloads[1] && 'followedBy' in payloads[1], 'a lone message is stored as before');
  assert.equal(messagesSendRequested([], 'r', at), []);
});

test('an event stored before followedBy existed still reads as its one message', () => {
  const old = stored(messageSendRequested(text(SHOP, 'hello'), 'old', at));
  assert.ok(old.type === EventTypes.MESSAGE_SEND_REQUESTED);
  if (old.type !== EventTypes.MESSAGE_SEND_REQUESTED) return;
  assert.equal(requestedMessages(old.payload), [text(SHOP, 'hello')]);
});

test('a followedBy that is not a list is refused when read back', () => {
  const [event] = messagesSendRequested([text(SHOP, 'a'), text(SHOP, 'b')], 'r', at);
  assert.ok(event);
  if (!event) return;
  assert.throws(() => parseDomainEvent({ ...event, payload: { ...event.payload, followedBy: 'b' } }), /followedBy/);
});

test.run();

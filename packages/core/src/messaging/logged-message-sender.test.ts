import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { OutboundMessageLog } from '../ports/outbound-message-log.js';
import { PhoneNumber } from '../shared/phone-number.js';
import { InMemoryMessageSender } from '../testing/in-memory-message-sender.js';
import { InMemoryOutboundMessageLog } from '../testing/in-memory-outbound-message-log.js';
import { InMemoryStore } from '../testing/in-memory-store.js';
import { ManualClock } from '../testing/manual-clock.js';
import { RecordingLogger } from '../testing/recording-logger.js';
import { LoggedMessageSender } from './logged-message-sender.js';

const to = PhoneNumber.parse('+9779812345678');

test('a sent message is recorded with its provider id, recipient, kind and time; a refused one is not', async () => {
  const clock = new ManualClock('2026-12-06T03:00:00.000Z');
  const inner = new InMemoryMessageSender();
  const log = new InMemoryOutboundMessageLog(new InMemoryStore());
  const sender = new LoggedMessageSender(inner, log, clock, new RecordingLogger());
  const { providerMessageId } = await sender.send({
    kind: 'buttons',
    to,
    body: 'Total',
    buttons: [{ id: 'a', title: 'OK' }],
  });
  assert.equal(await log.get(providerMessageId), {
    providerMessageId,
    recipient: to.value,
    kind: 'buttons',
    sentAt: clock.now(),
    status: 'accepted',
    statusAt: clock.now(),
    errors: [],
  });
  inner.failNext(1);
  const refused = await sender.send({ kind: 'text', to, text: 'no' }).then(
    () => null,
    (error: unknown) => error,
  );
  assert.instance(refused, Error);
  assert.is(inner.sent.length, 1);
});

test('a log that fails after the send is reported, not thrown: a throw would make the job send the message again', async () => {
  const inner = new InMemoryMessageSender();
  const broken: OutboundMessageLog = {
    record: async () => {
      throw new Error('database down');
    },
    applyStatus: async () => {
      throw new Error('unused');
    },
    applyStatuses: async () => {
      throw new Error('unused');
    },
    get: async () => null,
  };
  const logger = new RecordingLogger();
  const sender = new LoggedMessageSender(inner, broken, new ManualClock('2026-12-06T03:00:00.000Z'), logger);
  const result = await sender.send({ kind: 'text', to, text: 'hi' });
  assert.is(result.providerMessageId, inner.sent[0]?.providerMessageId);
  assert.equal(
    logger.records.map((r) => [r.level, r.message, r.fields.error]),
    [['error', 'outbound message sent but not logged', 'database down']],
  );
});

test.run();

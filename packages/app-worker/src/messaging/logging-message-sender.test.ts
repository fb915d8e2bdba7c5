import { PhoneNumber } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PinoLogger } from '../logging/pino-logger.js';
import { captureLines } from '../testing/order-journey.js';
import { LoggingMessageSender } from './logging-message-sender.js';

test('each message is one info line; the recipient and any number in the text are hidden', async () => {
  const { lines, destination } = captureLines();
  const logger = PinoLogger.create({ level: 'info', destination });
  const sender = new LoggingMessageSender(logger);
  const to = PhoneNumber.parse('9841234567');
  const first = await sender.send({ kind: 'text', to, text: 'call 9851000001 about order KH-1' });
  const second = await sender.send({
    kind: 'buttons',
    to,
    body: 'New order KH-2',
    buttons: [{ id: 'offer:accept:x', title: 'Accept' }],
  });
  await logger.flush();
  assert.is.not(first.providerMessageId, second.providerMessageId);
  const sent = lines.filter((line) => line.msg === 'message sent (logged, not delivered)');
  assert.is(sent.length, 2);
  assert.equal(sent[0]?.message, { kind: 'text', to: '[redacted]', text: 'call [phone] about order KH-1' });
  assert.equal((sent[1]?.message as { buttons?: string[] } | undefined)?.buttons, ['offer:accept:x']);
  assert.not.ok(JSON.stringify(lines).includes('9841234567'));
});

test.run();

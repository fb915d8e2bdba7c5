import { ValidationError } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { whatsappConfig, whatsappConfigFromEnv } from './whatsapp-config.js';

const REQUIRED = { phoneNumberId: '310987654321098', accessToken: 'EAAx', appSecret: 's3cret', verifyToken: 'v' };

test('defaults: Meta’s Graph origin, v23.0, 80 messages/s', () => {
  const config = whatsappConfig(REQUIRED);
  assert.is(config.baseUrl, 'https://graph.facebook.com');
  assert.is(config.graphApiVersion, 'v23.0');
  assert.is(config.sendRatePerSecond, 80);
  assert.ok(Object.isFrozen(config));
});

test('a bad value is refused, naming it', () => {
  const bad: Array<[Record<string, unknown>, string]> = [
    [{ phoneNumberId: '+977 98' }, 'phoneNumberId'],
    [{ accessToken: ' ' }, 'accessToken'],
    [{ graphApiVersion: '23' }, 'graphApiVersion'],
    [{ baseUrl: 'ftp://graph' }, 'baseUrl'],
    [{ sendRatePerSecond: 0 }, 'sendRatePerSecond'],
  ];
  for (const [over, variable] of bad) {
    try {
      whatsappConfig({ ...REQUIRED, ...over } as never);
      assert.unreachable(variable);
    } catch (error) {
      assert.ok(ValidationError.is(error), String(error));
      assert.is(error.details.variable, variable);
    }
  }
});

test('from the environment: WHATSAPP_* variables; errors name the variable', () => {
  const config = whatsappConfigFromEnv({
    WHATSAPP_PHONE_NUMBER_ID: '1234',
    WHATSAPP_ACCESS_TOKEN: 'EAAy',
    WHATSAPP_APP_SECRET: 'sec',
    WHATSAPP_VERIFY_TOKEN: 'vt',
    WHATSAPP_GRAPH_BASE_URL: 'http://127.0.0.1:4010/',
    WHATSAPP_GRAPH_API_VERSION: 'v24.0',
    WHATSAPP_SEND_RATE_PER_SECOND: '20',
  });
  assert.equal(
    [config.baseUrl, config.graphApiVersion, config.sendRatePerSecond],
    ['http://127.0.0.1:4010', 'v24.0', 20],
  );
  assert.throws(
    () => whatsappConfigFromEnv({}),
    (e: ValidationError) => e.details.variable === 'WHATSAPP_PHONE_NUMBER_ID',
  );
  assert.throws(
    () =>
      whatsappConfigFromEnv({
        WHATSAPP_PHONE_NUMBER_ID: '1',
        WHATSAPP_ACCESS_TOKEN: 'a',
        WHATSAPP_APP_SECRET: 'b',
        WHATSAPP_VERIFY_TOKEN: 'c',
        WHATSAPP_SEND_RATE_PER_SECOND: 'fast',
      }),
    (e: ValidationError) => e.details.variable === 'WHATSAPP_SEND_RATE_PER_SECOND',
  );
});

test.run();

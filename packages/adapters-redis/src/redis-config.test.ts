import { ErrorCodes, UnavailableError, ValidationError } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_REDIS_URL, redisConfigFromEnv } from './redis-connection.js';
import { translateRedisError } from './redis-errors.js';

test('redisConfigFromEnv: default URL, explicit URL and command timeout', () => {
  assert.equal(redisConfigFromEnv({}), { url: DEFAULT_REDIS_URL });
  assert.equal(redisConfigFromEnv({ REDIS_URL: 'redis://cache:6380/2', KHAACHO_REDIS_COMMAND_TIMEOUT_MS: '250' }), {
    url: 'redis://cache:6380/2',
    commandTimeoutMs: 250,
  });
});

test('redisConfigFromEnv: a malformed variable is refused, naming it', () => {
  for (const [env, variable] of [
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ KHAACHO_REDIS_COMMAND_TIMEOUT_MS: '1.5' }, 'KHAACHO_REDIS_COMMAND_TIMEOUT_MS'],
    [{ KHAACHO_REDIS_COMMAND_TIMEOUT_MS: '0' }, 'KHAACHO_REDIS_COMMAND_TIMEOUT_MS'],
  ] as const) {
    try {
      redisConfigFromEnv(env);
      assert.unreachable(variable);
    } catch (error) {
      assert.ok(ValidationError.is(error));
      assert.is((error as ValidationError).details.variable, variable);
    }
  }
});

test('translateRedisError: one core error with the reason, never the client text', () => {
  const connection = translateRedisError(
    new Error('connect ECONNREFUSED 127.0.0.1:6379'),
    'enqueue',
    ErrorCodes.QUEUE_UNAVAILABLE,
  );
  assert.ok(UnavailableError.is(connection));
  assert.is(connection.code, ErrorCodes.QUEUE_UNAVAILABLE);
  assert.equal(connection.details, { dependency: 'redis', reason: 'connection' });
  assert.is(connection.message.includes('ECONNREFUSED'), false);
  assert.is(translateRedisError(new Error('Command timed out'), 'get').details.reason, 'timeout');
  const reply = Object.assign(new Error('OOM command not allowed when used memory > maxmemory'), {
    name: 'ReplyError',
  });
  assert.equal(translateRedisError(reply, 'set').details, { dependency: 'redis', reason: 'server_busy', reply: 'OOM' });
  assert.is(translateRedisError(reply, 'set').code, ErrorCodes.UNAVAILABLE);
});

test.run();

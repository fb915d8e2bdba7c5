import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { reminderRules } from '@khaacho/core';
import { ConfigError } from './config-error.js';
import { workerConfigFromEnv } from './worker-config.js';

test('operations settings: health port, progress interval, sweep thresholds and the inbox processor are read and coerced', () => {
  const config = workerConfigFromEnv({
    KHAACHO_WORKER_HEALTH_PORT: '8080',
    KHAACHO_PROGRESS_INTERVAL_MS: '5000',
    KHAACHO_SWEEP_ORDER_IDLE_MS: '120000',
    KHAACHO_SWEEP_OUTBOX_LAG_MS: '30000',
    KHAACHO_REMINDER_DAYS: '-1, 0,5',
    KHAACHO_INBOX_MAX_ATTEMPTS: '5',
    KHAACHO_INBOX_LEASE_MS: '30000',
  });
  assert.equal(config.ops, {
    healthPort: 8080,
    progressIntervalMs: 5_000,
    sweep: { orderIdleMs: 120_000, outboxLagWarnMs: 30_000, inboxMaxAttempts: 5 },
    reminderRules: reminderRules([-1, 0, 5]),
    inbox: { maxAttempts: 5, leaseMs: 30_000 },
  });
});

test('reminder days: the default rules unless given; junk, repeats and out-of-range days are refused, naming the variable', () => {
  assert.equal(
    workerConfigFromEnv({}).ops.reminderRules.map((r) => r.name),
    ['before-3', 'due', 'after-3', 'after-7'],
  );
  for (const bad of ['3,3', 'soon', '400', '']) {
    try {
      workerConfigFromEnv({ KHAACHO_REMINDER_DAYS: bad, ...(bad === '' ? { KHAACHO_SWEEP_ORDER_IDLE_MS: '10' } : {}) });
      if (bad !== '') assert.unreachable(`accepted ${bad}`);
    } catch (error) {
      assert.ok(ConfigError.is(error));
      const variables = error.problems.map((p) => p.variable);
      // An empty value counts as unset: the default applies and only the other problem is named.
      assert.equal(variables, bad === '' ? ['KHAACHO_SWEEP_ORDER_IDLE_MS'] : ['KHAACHO_REMINDER_DAYS'], bad);
    }
  }
});

test('inbox settings out of range are refused, naming the variable', () => {
  for (const [variable, value] of [
    ['KHAACHO_INBOX_MAX_ATTEMPTS', '0'],
    ['KHAACHO_INBOX_LEASE_MS', '999'],
  ] as const) {
    try {
      workerConfigFromEnv({ [variable]: value });
      assert.unreachable(`${variable}=${value} was accepted`);
    } catch (error) {
      assert.ok(ConfigError.is(error), String(error));
      assert.equal(
        error.problems.map((p) => p.variable),
        [variable],
      );
    }
  }
});

test('0 turns the health server and the progress lines off', () => {
  const { ops } = workerConfigFromEnv({ KHAACHO_WORKER_HEALTH_PORT: '0', KHAACHO_PROGRESS_INTERVAL_MS: '0' });
  assert.equal([ops.healthPort, ops.progressIntervalMs], [null, null]);
});

test('a port out of range or a sweep threshold under a second is refused, naming the variable', () => {
  try {
    workerConfigFromEnv({ KHAACHO_WORKER_HEALTH_PORT: '70000', KHAACHO_SWEEP_ORDER_IDLE_MS: '10' });
    assert.unreachable('accepted');
  } catch (error) {
    assert.ok(ConfigError.is(error));
    assert.equal(
      error.problems.map((p) => p.variable),
      ['KHAACHO_WORKER_HEALTH_PORT', 'KHAACHO_SWEEP_ORDER_IDLE_MS'],
    );
    assert.match(error.message, /TCP port/);
  }
});

test.run();

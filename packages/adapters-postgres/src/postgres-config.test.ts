import * as assert from 'uvu/assert';
import { test } from 'uvu';
import { DEFAULT_TIMEOUTS, persistenceConfigFromEnv, resolveTimeouts } from './postgres-config.js';

test('issue 8 #2: API defaults are statement 5 s, lock 2 s, idle in transaction 10 s, connect 5 s, acquire 5 s', () => {
  assert.equal(resolveTimeouts(), {
    statementMs: 5_000,
    lockMs: 2_000,
    idleInTransactionMs: 10_000,
    connectMs: 5_000,
    acquireMs: 5_000,
  });
  assert.equal(resolveTimeouts({ lockMs: 250 }), { ...DEFAULT_TIMEOUTS, lockMs: 250 });
});

test('issue 8 #2: timeouts come from KHAACHO_DB_*_TIMEOUT_MS; garbage is refused at startup', () => {
  const config = persistenceConfigFromEnv({
    KHAACHO_DB_STATEMENT_TIMEOUT_MS: '8000',
    KHAACHO_DB_LOCK_TIMEOUT_MS: '500',
    KHAACHO_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '0',
    KHAACHO_DB_CONNECT_TIMEOUT_MS: '3000',
    KHAACHO_DB_ACQUIRE_TIMEOUT_MS: '1500',
  });
  assert.equal(config.timeouts, {
    statementMs: 8000,
    lockMs: 500,
    idleInTransactionMs: 0,
    connectMs: 3000,
    acquireMs: 1500,
  });
  assert.is(persistenceConfigFromEnv({}).timeouts, undefined, 'unset: the defaults apply');
  assert.throws(() => persistenceConfigFromEnv({ KHAACHO_DB_LOCK_TIMEOUT_MS: '2s' }), /KHAACHO_DB_LOCK_TIMEOUT_MS/);
  assert.throws(
    () => persistenceConfigFromEnv({ KHAACHO_DB_ACQUIRE_TIMEOUT_MS: '-1' }),
    /KHAACHO_DB_ACQUIRE_TIMEOUT_MS/,
  );
  assert.throws(() => resolveTimeouts({ statementMs: 1.5 }), /statementMs/);
});

test.run();

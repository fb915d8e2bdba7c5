import { DEFAULT_DATA_DIR, DEFAULT_TIMEOUTS } from '@khaacho/adapters-postgres';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError } from './config-error.js';
import { workerConfigFromEnv } from './worker-config.js';

function problemsOf(env: Record<string, string>): ConfigError {
  try {
    workerConfigFromEnv(env);
  } catch (error) {
    if (ConfigError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

test('an empty environment runs embedded with every default', () => {
  const config = workerConfigFromEnv({});
  assert.equal(config, {
    store: 'embedded',
    postgres: { databaseUrl: null, dataDir: DEFAULT_DATA_DIR, poolMax: 10, timeouts: DEFAULT_TIMEOUTS },
    logLevel: 'info',
    risk: 'rules',
    messageSender: 'log',
    operatorPhone: null,
    redisUrl: null,
  });
});

test('DATABASE_URL alone selects postgres; numbers and booleans are coerced', () => {
  const config = workerConfigFromEnv({
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/khaacho',
    KHAACHO_DB_POOL_MAX: '25',
    KHAACHO_DB_MIGRATE: 'true',
    KHAACHO_DB_LOCK_TIMEOUT_MS: '0',
    LOG_LEVEL: 'debug',
    REDIS_URL: 'redis://127.0.0.1:6379/3',
    PATH: '/usr/bin',
  });
  assert.is(config.store, 'postgres');
  assert.is(config.postgres.databaseUrl, 'postgres://postgres@127.0.0.1:5432/khaacho');
  assert.is(config.postgres.poolMax, 25);
  assert.is(config.postgres.migrate, true);
  assert.equal(config.postgres.timeouts, { ...DEFAULT_TIMEOUTS, lockMs: 0 });
  assert.is(config.logLevel, 'debug');
  assert.is(config.redisUrl, 'redis://127.0.0.1:6379/3');
});

test('KHAACHO_STORE wins over DATABASE_URL; empty values count as unset', () => {
  const memory = workerConfigFromEnv({ KHAACHO_STORE: 'memory', DATABASE_URL: 'postgres://x@h/db', LOG_LEVEL: ' ' });
  assert.is(memory.store, 'memory');
  assert.is(memory.postgres.databaseUrl, null);
  assert.is(memory.logLevel, 'info');
  assert.is(
    workerConfigFromEnv({ KHAACHO_STORE: 'embedded', KHAACHO_DATA_DIR: 'memory://' }).postgres.dataDir,
    'memory://',
  );
});

test('a bad variable is named, with what was given and what was expected', () => {
  const error = problemsOf({ KHAACHO_DB_POOL_MAX: 'lots' });
  assert.is(error.code, 'CONFIG.INVALID');
  assert.equal(
    error.problems.map((p) => p.variable),
    ['KHAACHO_DB_POOL_MAX'],
  );
  assert.match(error.message, 'KHAACHO_DB_POOL_MAX: got "lots", which must be integer');
  assert.match(error.message, 'expected a whole number of connections, 1–1000');
});

test('every problem is listed at once, one line per variable', () => {
  const error = problemsOf({
    KHAACHO_STORE: 'mongo',
    KHAACHO_DB_POOL_MAX: '0',
    KHAACHO_DB_STATEMENT_TIMEOUT_MS: '-5',
    KHAACHO_DB_MIGRATE: 'maybe',
    LOG_LEVEL: 'loud',
    REDIS_URL: 'http://cache',
  });
  assert.equal(error.problems.map((p) => p.variable).sort(), [
    'KHAACHO_DB_MIGRATE',
    'KHAACHO_DB_POOL_MAX',
    'KHAACHO_DB_STATEMENT_TIMEOUT_MS',
    'KHAACHO_STORE',
    'LOG_LEVEL',
    'REDIS_URL',
  ]);
  assert.match(error.message, 'invalid configuration (6 problems)');
  assert.match(error.message, 'KHAACHO_STORE: got "mongo"');
  assert.match(error.message, 'expected one of memory, embedded, postgres');
  assert.match(error.message, 'LOG_LEVEL: got "loud"');
  assert.match(error.message, 'expected a redis:// or rediss:// URL');
});

test('a URL with a password is never echoed back', () => {
  const error = problemsOf({ DATABASE_URL: 'mysql://admin:hunter2@db/khaacho' });
  assert.equal(
    error.problems.map((p) => p.variable),
    ['DATABASE_URL'],
  );
  assert.match(error.message, 'DATABASE_URL: got (value hidden)');
  assert.match(error.message, 'expected a postgres:// or postgresql:// URL');
  assert.not.match(error.message, 'hunter2');
});

test('KHAACHO_STORE=postgres needs DATABASE_URL', () => {
  const error = problemsOf({ KHAACHO_STORE: 'postgres' });
  assert.equal(
    error.problems.map((p) => p.variable),
    ['DATABASE_URL'],
  );
  assert.match(error.message, 'required when KHAACHO_STORE=postgres');
});

test('an unknown KHAACHO_ variable (a typo) is refused, naming the known ones', () => {
  const error = problemsOf({ KHAACHO_DB_POOLMAX: '5' });
  assert.equal(
    error.problems.map((p) => p.variable),
    ['KHAACHO_DB_POOLMAX'],
  );
  assert.match(error.message, 'KHAACHO_DB_POOL_MAX');
});

test('ConfigError.is recognises the brand, not the class name', () => {
  assert.ok(ConfigError.is(new ConfigError([{ variable: 'X', problem: 'bad' }])));
  assert.not.ok(ConfigError.is(Object.assign(new Error('x'), { name: 'ConfigError' })));
});

test.run();

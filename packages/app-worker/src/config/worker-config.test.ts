import { DEFAULT_DATA_DIR, DEFAULT_TIMEOUTS } from '@khaacho/adapters-postgres';
import { DEFAULT_COMMAND_TIMEOUT_MS, DEFAULT_REDIS_PREFIX } from '@khaacho/adapters-redis';
import { aiConfig } from '@khaacho/adapters-ai';
import { DEFAULT_DRAFT_TTL_MS, DEFAULT_QUEUE_CONCURRENCY, DEFAULT_REMINDER_RULES, QUEUE_NAMES } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError } from './config-error.js';
import { WORKER_QUEUES } from './env-schema.js';
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
    whatsapp: null,
    ai: aiConfig(),
    drafts: { ttlMs: DEFAULT_DRAFT_TTL_MS },
    operatorPhone: null,
    redisUrl: null,
    ops: {
      healthPort: 9464,
      progressIntervalMs: 30_000,
      sweep: { orderIdleMs: 300_000, outboxLagWarnMs: 60_000, inboxMaxAttempts: 8 },
      reminderRules: DEFAULT_REMINDER_RULES,
      inbox: { maxAttempts: 8, leaseMs: 60_000 },
    },
    redis: { prefix: DEFAULT_REDIS_PREFIX, commandTimeoutMs: DEFAULT_COMMAND_TIMEOUT_MS },
    queues: { concurrency: DEFAULT_QUEUE_CONCURRENCY, jobTimeoutMs: 60_000 },
  });
});

test('KHAACHO_QUEUE_CONCURRENCY overrides the named queues only; prefix and job timeout are read', () => {
  const config = workerConfigFromEnv({
    REDIS_URL: 'redis://127.0.0.1:6379',
    KHAACHO_QUEUE_CONCURRENCY: ' ORDER_ROUTING=7 , NOTIFICATIONS = 12',
    KHAACHO_REDIS_PREFIX: 'khaacho:staging',
    KHAACHO_REDIS_COMMAND_TIMEOUT_MS: '300',
    KHAACHO_JOB_TIMEOUT_MS: '15000',
  });
  assert.equal(config.queues.concurrency, { ...DEFAULT_QUEUE_CONCURRENCY, ORDER_ROUTING: 7, NOTIFICATIONS: 12 });
  assert.is(config.queues.jobTimeoutMs, 15_000);
  assert.equal(config.redis, { prefix: 'khaacho:staging', commandTimeoutMs: 300 });
});

test('a bad KHAACHO_QUEUE_CONCURRENCY is named with each wrong pair; a bad prefix or timeout too', () => {
  const shape = problemsOf({ KHAACHO_QUEUE_CONCURRENCY: 'ORDER_ROUTING:3' });
  assert.equal(
    shape.problems.map((p) => p.variable),
    ['KHAACHO_QUEUE_CONCURRENCY'],
  );
  assert.match(shape.message, 'expected QUEUE=N pairs separated by commas');
  const values = problemsOf({ KHAACHO_QUEUE_CONCURRENCY: 'ORDER_ROUTING=0,BILLING=2,CREDIT_SCORE=1,CREDIT_SCORE=2' });
  assert.equal(
    values.problems.map((p) => p.variable),
    ['KHAACHO_QUEUE_CONCURRENCY'],
  );
  assert.match(values.message, 'ORDER_ROUTING=0 is not 1–100');
  assert.match(values.message, 'BILLING is not a queue');
  assert.match(values.message, 'CREDIT_SCORE is given twice');
  const other = problemsOf({ KHAACHO_REDIS_PREFIX: 'a{b}', KHAACHO_JOB_TIMEOUT_MS: '10' });
  assert.equal(other.problems.map((p) => p.variable).sort(), ['KHAACHO_JOB_TIMEOUT_MS', 'KHAACHO_REDIS_PREFIX']);
});

test('worker-ops 5: every named queue is consumed (REPORT_GENERATION carries the snapshot refreshes), so each takes a concurrency', () => {
  // Before snapshots, REPORT_GENERATION had no consumer and was refused here as a likely typo.
  assert.equal([...WORKER_QUEUES].sort(), [...QUEUE_NAMES].sort());
  const ok = workerConfigFromEnv({
    KHAACHO_QUEUE_CONCURRENCY: 'ORDER_PROCESSING=4,REPORT_GENERATION=2,SCHEDULER=3,PAYMENT_REMINDER=4',
  });
  assert.is(ok.queues.concurrency.ORDER_PROCESSING, 4);
  assert.is(ok.queues.concurrency.REPORT_GENERATION, 2);
  assert.is(ok.queues.concurrency.SCHEDULER, 3);
  assert.is(ok.queues.concurrency.PAYMENT_REMINDER, 4);
});

test('worker-ops 5: numeric variables take plain decimal integers only (no hex, exponent or fraction)', () => {
  const error = problemsOf({
    KHAACHO_DB_POOL_MAX: '0x10',
    KHAACHO_JOB_TIMEOUT_MS: '1e4',
    KHAACHO_WORKER_HEALTH_PORT: '9464.0',
    KHAACHO_DB_STATEMENT_TIMEOUT_MS: '-5',
  });
  assert.equal(error.problems.map((p) => p.variable).sort(), [
    'KHAACHO_DB_POOL_MAX',
    'KHAACHO_DB_STATEMENT_TIMEOUT_MS',
    'KHAACHO_JOB_TIMEOUT_MS',
    'KHAACHO_WORKER_HEALTH_PORT',
  ]);
  assert.match(error.message, 'KHAACHO_DB_POOL_MAX: got "0x10", which must be integer (plain decimal digits only)');
  assert.match(error.message, 'KHAACHO_JOB_TIMEOUT_MS: got "1e4"');
  assert.is(
    workerConfigFromEnv({ KHAACHO_DB_POOL_MAX: ' 16 ' }).postgres.poolMax,
    16,
    'surrounding blanks are trimmed',
  );
});

test('worker-ops 5: a progress interval under a second is refused (it would flood the logs); 0 is off', () => {
  const error = problemsOf({ KHAACHO_PROGRESS_INTERVAL_MS: '5' });
  assert.equal(
    error.problems.map((p) => p.variable),
    ['KHAACHO_PROGRESS_INTERVAL_MS'],
  );
  assert.match(
    error.message,
    'would flood the logs; expected time between progress log lines: whole milliseconds 1000–3600000',
  );
  assert.is(workerConfigFromEnv({ KHAACHO_PROGRESS_INTERVAL_MS: '1000' }).ops.progressIntervalMs, 1_000);
  assert.is(workerConfigFromEnv({ KHAACHO_PROGRESS_INTERVAL_MS: '0' }).ops.progressIntervalMs, null);
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

test('probe 3: a blank DATABASE_URL or REDIS_URL is refused, not read as unset (a secret that failed to arrive)', () => {
  const error = problemsOf({ DATABASE_URL: '  ', REDIS_URL: '' });
  assert.equal(
    error.problems.map((p) => p.variable),
    ['DATABASE_URL', 'REDIS_URL'],
  );
  assert.match(error.message, 'set but empty');
  assert.is(workerConfigFromEnv({}).store, 'embedded', 'unset still means embedded');
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

test('REDIS_URL: the path is a database number or nothing (probe: /abc crashed the worker with SELECT NaN)', () => {
  for (const bad of ['redis://127.0.0.1:6379/abc', 'redis://127.0.0.1:6379/-1', 'redis://127.0.0.1:6379/0/x']) {
    const error = problemsOf({ REDIS_URL: bad });
    assert.equal(
      error.problems.map((p) => p.variable),
      ['REDIS_URL'],
      bad,
    );
    assert.not.ok(error.message.includes(bad), 'the URL is not echoed');
  }
  for (const good of [
    'redis://127.0.0.1:6379',
    'redis://127.0.0.1:6379/',
    'redis://:pw@127.0.0.1:6379/3',
    'rediss://h:6380/0?x=1',
  ]) {
    assert.is(workerConfigFromEnv({ REDIS_URL: good }).redisUrl, good);
  }
});

test.run();

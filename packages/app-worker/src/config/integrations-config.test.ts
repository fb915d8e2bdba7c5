import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { DEFAULT_AI_MODEL } from '@khaacho/adapters-ai';
import { DEFAULT_DRAFT_TTL_MS } from '@khaacho/core';
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

const WHATSAPP = {
  KHAACHO_MESSAGE_SENDER: 'whatsapp',
  WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
  WHATSAPP_ACCESS_TOKEN: 'EAAsecret-token',
  WHATSAPP_APP_SECRET: 'app-secret-value',
  WHATSAPP_VERIFY_TOKEN: 'verify-token-value',
};

test('KHAACHO_MESSAGE_SENDER=whatsapp without its variables: one ConfigError naming every required one', () => {
  const error = problemsOf({ KHAACHO_MESSAGE_SENDER: 'whatsapp' });
  assert.equal(
    error.problems.map((p) => p.variable),
    ['WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN'],
  );
  for (const p of error.problems) assert.match(p.problem, 'required when KHAACHO_MESSAGE_SENDER=whatsapp');
});

test('whatsapp: malformed values are listed together with the missing ones and with other variables; secrets are not echoed', () => {
  const error = problemsOf({
    KHAACHO_MESSAGE_SENDER: 'whatsapp',
    WHATSAPP_PHONE_NUMBER_ID: '+977 9851000000',
    WHATSAPP_ACCESS_TOKEN: 'EAA secret with spaces',
    WHATSAPP_SEND_RATE_PER_SECOND: '0',
    WHATSAPP_GRAPH_API_VERSION: '23',
    KHAACHO_DB_POOL_MAX: 'many',
  });
  const byVariable = new Map(error.problems.map((p) => [p.variable, p.problem]));
  assert.equal([...byVariable.keys()].sort(), [
    'KHAACHO_DB_POOL_MAX',
    'WHATSAPP_ACCESS_TOKEN',
    'WHATSAPP_APP_SECRET',
    'WHATSAPP_GRAPH_API_VERSION',
    'WHATSAPP_PHONE_NUMBER_ID',
    'WHATSAPP_SEND_RATE_PER_SECOND',
    'WHATSAPP_VERIFY_TOKEN',
  ]);
  assert.match(byVariable.get('WHATSAPP_ACCESS_TOKEN') ?? '', 'value hidden');
  assert.not.match(error.message, 'EAA secret');
  assert.match(byVariable.get('WHATSAPP_SEND_RATE_PER_SECOND') ?? '', '1–10000');
});

test('whatsapp: the Cloud API config with the adapter defaults, and overrides read', () => {
  const config = workerConfigFromEnv(WHATSAPP);
  assert.is(config.messageSender, 'whatsapp');
  assert.equal(config.whatsapp, {
    baseUrl: 'https://graph.facebook.com',
    graphApiVersion: 'v23.0',
    phoneNumberId: '106540352242922',
    accessToken: 'EAAsecret-token',
    appSecret: 'app-secret-value',
    verifyToken: 'verify-token-value',
    sendRatePerSecond: 80,
    maxRateWaitMs: 30_000,
    timeoutMs: 10_000,
  });
  const tuned = workerConfigFromEnv({
    ...WHATSAPP,
    WHATSAPP_GRAPH_BASE_URL: 'http://127.0.0.1:8089/',
    WHATSAPP_GRAPH_API_VERSION: 'v24.0',
    WHATSAPP_SEND_RATE_PER_SECOND: '20',
    WHATSAPP_MAX_RATE_WAIT_MS: '5000',
    WHATSAPP_TIMEOUT_MS: '3000',
  });
  assert.equal(
    [
      tuned.whatsapp?.baseUrl,
      tuned.whatsapp?.graphApiVersion,
      tuned.whatsapp?.sendRatePerSecond,
      tuned.whatsapp?.maxRateWaitMs,
      tuned.whatsapp?.timeoutMs,
    ],
    ['http://127.0.0.1:8089', 'v24.0', 20, 5000, 3000],
  );
});

test('another sender ignores unset WHATSAPP_* (the webhook side reads its own) and has no whatsapp config', () => {
  assert.is(workerConfigFromEnv({}).whatsapp, null);
  assert.is(workerConfigFromEnv({ ...WHATSAPP, KHAACHO_MESSAGE_SENDER: 'log' }).whatsapp, null);
});

test('OPENAI_API_KEY and KHAACHO_AI_*: read into the AI config; without a key it is off', () => {
  const off = workerConfigFromEnv({});
  assert.is(off.ai.apiKey, null);
  assert.is(off.ai.model, DEFAULT_AI_MODEL);
  const on = workerConfigFromEnv({
    OPENAI_API_KEY: 'sk-test',
    KHAACHO_AI_BASE_URL: 'http://127.0.0.1:8090/v1',
    KHAACHO_AI_MODEL: 'gpt-4.1-mini',
    KHAACHO_AI_TIMEOUT_MS: '2500',
    KHAACHO_AI_TRANSCRIPTION_TIMEOUT_MS: '9000',
    KHAACHO_AI_BREAKER_ERROR_PERCENT: '40',
    KHAACHO_AI_BREAKER_VOLUME: '8',
    KHAACHO_AI_BREAKER_RESET_MS: '10000',
  });
  assert.equal(
    [on.ai.apiKey, on.ai.baseUrl, on.ai.model, on.ai.timeoutMs, on.ai.transcriptionTimeoutMs],
    ['sk-test', 'http://127.0.0.1:8090/v1', 'gpt-4.1-mini', 2500, 9000],
  );
  assert.equal(
    [on.ai.breaker.errorThresholdPercentage, on.ai.breaker.volumeThreshold, on.ai.breaker.resetTimeoutMs],
    [40, 8, 10_000],
  );
});

test('bad AI variables are named (the key and the endpoint hidden); an unknown KHAACHO_AI_* is refused', () => {
  const error = problemsOf({
    OPENAI_API_KEY: 'sk with spaces',
    KHAACHO_AI_BASE_URL: 'ftp://user:pw@example.com',
    KHAACHO_AI_TIMEOUT_MS: '1e4',
    KHAACHO_AI_BREAKER_ERROR_PERCENT: '101',
    KHAACHO_AI_MODLE: 'gpt-4o',
  });
  assert.equal(error.problems.map((p) => p.variable).sort(), [
    'KHAACHO_AI_BASE_URL',
    'KHAACHO_AI_BREAKER_ERROR_PERCENT',
    'KHAACHO_AI_MODLE',
    'KHAACHO_AI_TIMEOUT_MS',
    'OPENAI_API_KEY',
  ]);
  assert.not.match(error.message, 'sk with spaces');
  assert.not.match(error.message, 'user:pw');
});

test('KHAACHO_DRAFT_TTL_MS: default 30 minutes, read, bounded to 1 minute – 1 day', () => {
  assert.equal(workerConfigFromEnv({}).drafts, { ttlMs: DEFAULT_DRAFT_TTL_MS });
  assert.equal(workerConfigFromEnv({ KHAACHO_DRAFT_TTL_MS: '600000' }).drafts, { ttlMs: 600_000 });
  for (const bad of ['59999', '86400001', '1e5', '-1']) {
    const error = problemsOf({ KHAACHO_DRAFT_TTL_MS: bad });
    assert.equal(
      error.problems.map((p) => p.variable),
      ['KHAACHO_DRAFT_TTL_MS'],
      bad,
    );
    assert.match(error.problems[0]?.problem ?? '', '60000–86400000');
  }
});

test('the worker process refuses a whatsapp sender without its variables: exit 78, each named on stderr', async () => {
  const main = fileURLToPath(new URL('../main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: {
      PATH: process.env.PATH ?? '',
      KHAACHO_STORE: 'memory',
      KHAACHO_MESSAGE_SENDER: 'whatsapp',
      WHATSAPP_APP_SECRET: 's3cret',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const [code] = (await once(child, 'close')) as [number | null];
  assert.is(code, 78);
  for (const name of ['WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_VERIFY_TOKEN']) {
    assert.match(stderr, name);
  }
  assert.not.match(stderr, 'WHATSAPP_APP_SECRET:', 'the one given is fine');
});

test('the worker process with OPENAI_API_KEY and a whatsapp sender says so in its "composed" line, no secret in it', async () => {
  const main = fileURLToPath(new URL('../main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: {
      PATH: process.env.PATH ?? '',
      KHAACHO_STORE: 'memory',
      KHAACHO_WORKER_HEALTH_PORT: '0',
      KHAACHO_PROGRESS_INTERVAL_MS: '0',
      OPENAI_API_KEY: 'sk-never-logged',
      // Nothing is sent at start; a closed port proves it would not be reached anyway.
      KHAACHO_AI_BASE_URL: 'http://127.0.0.1:9/v1',
      ...WHATSAPP,
      WHATSAPP_GRAPH_BASE_URL: 'http://127.0.0.1:9',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  const exited = once(child, 'close') as Promise<[number | null]>;
  const died = exited.then(([code]) => {
    throw new Error(`the worker exited (${code}) before starting: ${stdout}`);
  });
  while (!stdout.includes('"msg":"worker started"')) await Promise.race([once(child.stdout, 'data'), died]);
  child.kill('SIGTERM');
  const [code] = await exited;
  assert.is(code, 0, stdout);
  const composed = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .find((line) => line.msg === 'composed');
  assert.is(composed?.parser, 'openai');
  assert.is(composed?.messageSender, 'whatsapp');
  for (const secret of ['sk-never-logged', 'EAAsecret-token', 'app-secret-value', 'verify-token-value']) {
    assert.not.match(stdout, secret);
  }
});

test.run();

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { OUTBOX } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { composeContainer } from './composition/compose-container.js';
import { workerConfigFromEnv } from './config/worker-config.js';
import { eventually, flowWorld } from './testing/flow-world.js';
import { scratchDatabase } from './testing/scratch-database.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const database = scratchDatabase('khaacho_main');
const { url } = database;

test.before(async () => {
  await database.create();
});
test.after(async () => {
  await database.drop();
});

test('on PostgreSQL, the running worker routes an order placed by another process and logs the offer, phone hidden', async () => {
  // This process plays the API: it migrates, then places an order; the worker process does the rest.
  const api = await composeContainer(
    workerConfigFromEnv({ DATABASE_URL: url.toString(), KHAACHO_DB_MIGRATE: 'true', LOG_LEVEL: 'silent' }),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: url.toString(), KHAACHO_WORKER_HEALTH_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  let closed = false;
  void exited.then(() => {
    closed = true;
  });
  const lines = () =>
    stdout
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  try {
    await eventually('the worker starts', () => {
      if (closed) throw new Error(`the worker exited: ${stderr}`);
      return stdout.includes('"msg":"worker started"');
    });
    const world = await flowWorld(api, 2, 'm');
    const orderId = await world.placeOrder();
    const sent = await eventually('the offer is sent', () =>
      lines().find((line) => line.msg === 'message sent (logged, not delivered)'),
    );
    const routed = lines().find((line) => line.msg === 'order routed');
    assert.is(routed?.orderId, orderId);
    assert.is(routed?.outcome, 'OFFERED');
    assert.is(routed?.queue, 'ORDER_ROUTING');
    assert.type(routed?.jobId, 'string', 'the job id is on the line');
    assert.is(sent.queue, 'NOTIFICATIONS');
    assert.is((sent.message as { to?: unknown }).to, '[redacted]');
    assert.not.ok(stdout.includes(world.vendors[0]?.phone.slice(-10) as string), 'no phone number in the logs');
    // The queue is in-process (no REDIS_URL), so messages are published on completion: all done.
    await eventually('the outbox drains', async () => (await api.get(OUTBOX).stats(new Date())).pending === 0);
  } finally {
    child.kill('SIGTERM');
    const [code] = await exited;
    await api.close();
    assert.is(code, 0, stderr);
  }
});

test('worker-ops 4: DATABASE_URL naming a database that does not exist is a config error: exit 78, naming DATABASE_URL and the database', async () => {
  const missing = new URL(url.toString());
  missing.pathname = `/khaacho_missing_${process.pid}`;
  missing.password = 's3cret';
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: missing.toString(), KHAACHO_WORKER_HEALTH_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const [code] = (await once(child, 'close')) as [number | null];
  assert.is(code, 78, stderr);
  assert.match(stderr, `DATABASE_URL: database "khaacho_missing_${process.pid}" does not exist`);
  assert.not.match(stderr, 's3cret');
  assert.not.match(stderr, /\n\s+at /, 'a config message, not a stack');
});

test('worker-ops 2: REDIS_URL selecting a database the server does not have stops the worker: exit 78 naming REDIS_URL', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      KHAACHO_STORE: 'memory',
      REDIS_URL: 'redis://127.0.0.1:6379/99',
      KHAACHO_REDIS_PREFIX: `khaacho-db99-${process.pid}`,
      KHAACHO_WORKER_HEALTH_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const [code] = (await once(child, 'close')) as [number | null];
  assert.is(code, 78, stderr);
  assert.match(stderr, 'REDIS_URL: REDIS_URL selects database 99, which the server refused');
  assert.not.match(stdout, '"msg":"worker started"');
});

test.run();

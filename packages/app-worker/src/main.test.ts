import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Runs the worker entry with only `env` (plus PATH), under tsx. */
function startWorker(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
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
  return { child, exited, out: () => stdout, err: () => stderr };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

test('the worker composes in memory, logs "composed" with its adapters, starts, serves /health and /ready, and exits 0 on SIGTERM after stopping', async () => {
  const port = await freePort();
  const worker = startWorker({ KHAACHO_STORE: 'memory', KHAACHO_WORKER_HEALTH_PORT: String(port) });
  const died = worker.exited.then(([code]) => {
    throw new Error(`the worker exited (${code}) before composing: ${worker.err()}`);
  });
  while (!worker.out().includes('"msg":"worker started"')) {
    await Promise.race([once(worker.child.stdout, 'data'), died]);
  }
  const live = await fetch(`http://127.0.0.1:${port}/health`);
  assert.is(live.status, 200);
  const ready = await fetch(`http://127.0.0.1:${port}/ready`);
  assert.is(ready.status, 200, await ready.clone().text());
  const body = (await ready.json()) as { checks: Record<string, { ok: boolean }> };
  assert.equal(Object.keys(body.checks).sort(), ['consumers', 'dependencies']);
  worker.child.kill('SIGTERM');
  const [code, signal] = await worker.exited;
  assert.is(code, 0, `signal ${signal}; stdout ${worker.out()}; stderr ${worker.err()}`);
  const lines = worker
    .out()
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  // The milestones in order; the scheduler's catch-up slots and their jobs log in between.
  const milestones = ['composed', 'health endpoints listening', 'worker started', 'stopping', 'worker stopped'];
  assert.equal(
    lines.map((line) => line.msg).filter((msg) => milestones.includes(msg as string)),
    milestones,
    worker.out(),
  );
  assert.ok(
    lines.some((line) => line.msg === 'recovery sweep'),
    'the catch-up slot ran the recovery sweep',
  );
  const at = (msg: string) => lines.find((line) => line.msg === msg);
  assert.is(at('composed')?.store, 'memory');
  assert.is(at('composed')?.messageSender, 'log');
  assert.is(at('worker started')?.relay, 'completion', 'the in-process queue acks on completion');
  assert.is(at('stopping')?.signal, 'SIGTERM');
  assert.equal(at('worker started')?.scheduler, [
    'offer-expiry',
    'recovery-sweep',
    'credit-rescoring',
    'payment-reminders',
    'vendor-performance-refresh',
    'price-intelligence-refresh',
    'conversation-purge',
  ]);
});

test('probe 5: a health port already in use stops the process before the worker takes a job', async () => {
  const taken = createServer();
  taken.listen(0, '0.0.0.0');
  await once(taken, 'listening');
  const address = taken.address();
  assert.ok(address !== null && typeof address !== 'string');
  try {
    const worker = startWorker({ KHAACHO_STORE: 'memory', KHAACHO_WORKER_HEALTH_PORT: String(address.port) });
    const [code] = await worker.exited;
    assert.is(code, 1);
    assert.match(worker.err(), 'EADDRINUSE');
    assert.not.match(worker.out(), '"msg":"worker started"');
  } finally {
    taken.close();
  }
});

test('a bad variable stops the worker before composing: exit 78, the variable and the expectation on stderr', async () => {
  const worker = startWorker({ KHAACHO_STORE: 'memory', KHAACHO_DB_POOL_MAX: 'many' });
  const [code] = await worker.exited;
  assert.is(code, 78);
  assert.match(worker.err(), 'KHAACHO_DB_POOL_MAX: got "many"');
  assert.match(worker.err(), 'expected a whole number of connections');
  // Only the line main writes before loading the program: nothing was composed.
  assert.equal(
    worker
      .out()
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { msg: string }).msg),
    ['starting'],
  );
});

test.run();

import { spawn } from 'node:child_process';
import { once } from 'node:events';
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

test('the worker composes in memory, logs "composed" with its adapters, starts, and exits 0 on SIGTERM after stopping', async () => {
  const worker = startWorker({ KHAACHO_STORE: 'memory' });
  const died = worker.exited.then(([code]) => {
    throw new Error(`the worker exited (${code}) before composing: ${worker.err()}`);
  });
  while (!worker.out().includes('"msg":"worker started"')) {
    await Promise.race([once(worker.child.stdout, 'data'), died]);
  }
  worker.child.kill('SIGTERM');
  const [code, signal] = await worker.exited;
  assert.is(code, 0, `signal ${signal}; stdout ${worker.out()}; stderr ${worker.err()}`);
  const lines = worker
    .out()
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.equal(
    lines.map((line) => line.msg),
    ['composed', 'worker started', 'stopping', 'worker stopped'],
  );
  assert.is(lines[0]?.store, 'memory');
  assert.is(lines[0]?.messageSender, 'log');
  assert.is(lines[1]?.relay, 'completion', 'the in-process queue acks on completion');
  assert.is(lines[2]?.signal, 'SIGTERM');
});

test('a bad variable stops the worker before composing: exit 78, the variable and the expectation on stderr', async () => {
  const worker = startWorker({ KHAACHO_STORE: 'memory', KHAACHO_DB_POOL_MAX: 'many' });
  const [code] = await worker.exited;
  assert.is(code, 78);
  assert.match(worker.err(), 'KHAACHO_DB_POOL_MAX: got "many"');
  assert.match(worker.err(), 'expected a whole number of connections');
  assert.is(worker.out(), '');
});

test.run();

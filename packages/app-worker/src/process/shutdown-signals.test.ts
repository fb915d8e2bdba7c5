import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ShutdownSignals } from './shutdown-signals.js';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const SLOW = fileURLToPath(new URL('../testing/slow-drain-worker.ts', import.meta.url));
/** Far beyond a worker's start on a loaded machine (seconds); a bound, not a speed check. */
const WAIT_LIMIT_MS = 120_000;

function spawnWorker(entry: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { PATH: process.env.PATH ?? '', KHAACHO_WORKER_HEALTH_PORT: '0', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
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
  const lines = () =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  /**
   * Waits for a log line with this msg; fails if the process exits first, or kills it and
   * fails after `WAIT_LIMIT_MS` (once seen in CI: a child stuck loading its modules through
   * tsx, its loader thread gone, hung the suite with no output).
   */
  const waitFor = async (msg: string) => {
    const died = exited.then(([code, signal]) => {
      throw new Error(`exited (${code ?? signal}) before "${msg}": ${stdout}\n${stderr}`);
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`no "${msg}" within ${WAIT_LIMIT_MS} ms: ${stdout}\n${stderr}`));
      }, WAIT_LIMIT_MS);
    });
    try {
      while (!lines().some((l) => l.msg === msg)) await Promise.race([once(child.stdout, 'data'), died, late]);
    } finally {
      clearTimeout(timer);
    }
  };
  return { child, exited, lines, waitFor, out: () => stdout, err: () => stderr };
}

test('ShutdownSignals: a signal before the listener is replayed; the second is passed on; the third exits 1', () => {
  const exits: Array<[number, string]> = [];
  const signals = new ShutdownSignals((code, why) => exits.push([code, why]));
  signals.receive('SIGTERM');
  const seen: Array<[string, number]> = [];
  signals.listen((signal, count) => seen.push([signal, count]));
  assert.equal(seen, [['SIGTERM', 1]]);
  signals.receive('SIGINT');
  assert.equal(seen, [
    ['SIGTERM', 1],
    ['SIGINT', 2],
  ]);
  assert.equal(exits, []);
  signals.receive('SIGTERM');
  assert.equal(exits, [[1, 'SIGTERM received 3 times: exiting before the drain finished']]);
  assert.is(signals.first, 'SIGTERM');
});

test('worker-ops 6: SIGTERM as soon as the process says "starting" (modules still loading) is a clean empty drain: exit 0', async () => {
  const worker = spawnWorker(MAIN, { KHAACHO_STORE: 'memory' });
  await worker.waitFor('starting');
  worker.child.kill('SIGTERM');
  const [code, signal] = await worker.exited;
  assert.is(code, 0, `signal ${signal}; stdout ${worker.out()}; stderr ${worker.err()}`);
  assert.is(worker.err(), '');
  const msgs = worker.lines().map((l) => l.msg);
  assert.is(msgs[0], 'starting');
  assert.ok(msgs.includes('stopping'), worker.out());
});

test('worker-ops 6: a second SIGTERM during a slow drain logs "already draining" and the drain finishes: exit 0', async () => {
  const worker = spawnWorker(SLOW, { KHAACHO_STORE: 'memory' });
  await worker.waitFor('slow job started');
  worker.child.kill('SIGTERM');
  await worker.waitFor('stopping');
  worker.child.kill('SIGTERM');
  await worker.waitFor('already draining; one more signal exits at once');
  assert.is(worker.child.exitCode, null, 'still draining');
  worker.child.stdin.write('go\n');
  const [code, signal] = await worker.exited;
  assert.is(code, 0, `signal ${signal}; stderr ${worker.err()}`);
  const msgs = worker.lines().map((l) => l.msg);
  assert.ok(msgs.indexOf('slow job finished') < msgs.indexOf('worker stopped'), worker.out());
  assert.is(worker.lines().find((l) => l.msg === 'already draining; one more signal exits at once')?.count, 2);
});

test('worker-ops 6: a third signal during the drain ends the process at once with status 1', async () => {
  const worker = spawnWorker(SLOW, { KHAACHO_STORE: 'memory' });
  await worker.waitFor('slow job started');
  worker.child.kill('SIGTERM');
  await worker.waitFor('stopping');
  worker.child.kill('SIGINT');
  await worker.waitFor('already draining; one more signal exits at once');
  worker.child.kill('SIGTERM');
  const [code] = await worker.exited;
  assert.is(code, 1);
  assert.match(worker.err(), 'SIGTERM received 3 times: exiting before the drain finished');
  assert.not.ok(worker.lines().some((l) => l.msg === 'slow job finished'));
});

test('worker-ops 6: the drain bound ends a drain that does not finish: "worker stopped" with jobs running, exit 0', async () => {
  const worker = spawnWorker(SLOW, { KHAACHO_STORE: 'memory', TEST_STOP_TIMEOUT_MS: '1000' });
  await worker.waitFor('slow job started');
  worker.child.kill('SIGTERM');
  const [code] = await worker.exited;
  assert.is(code, 0, worker.err());
  assert.ok(worker.lines().some((l) => l.msg === 'worker stopped with jobs still running; they will be retried'));
});

test.run();

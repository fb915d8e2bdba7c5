// `npm start` at the repository root, as a person runs it: in its own process group, so a
// Ctrl-C reaches npm and node at once, as a terminal sends it. Zero services: embedded
// PostgreSQL in a temporary data dir and the in-process queue.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

test('npm start: builds, serves /ready and the API document with no services, and a Ctrl-C ends it with 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'khaacho-npm-start-'));
  const port = await freePort();
  const env = { ...process.env, KHAACHO_DATA_DIR: join(dir, 'data'), KHAACHO_HTTP_PORT: String(port) };
  for (const name of Object.keys(env)) {
    if (
      (name.startsWith('KHAACHO_') && !['KHAACHO_DATA_DIR', 'KHAACHO_HTTP_PORT'].includes(name)) ||
      name === 'DATABASE_URL' ||
      name === 'REDIS_URL'
    ) {
      delete env[name];
    }
  }
  const child = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => {
    out += c;
  });
  child.stderr.on('data', (c) => {
    err += c;
  });
  const exited = once(child, 'close');
  try {
    const died = exited.then(([code]) => {
      throw new Error(`npm start exited (${code}) early: ${err}\n${out.slice(-2000)}`);
    });
    while (!out.includes('Khaacho is running at')) await Promise.race([once(child.stdout, 'data'), died]);
    const ready = await fetch(`http://127.0.0.1:${port}/ready`);
    assert.is(ready.status, 200, await ready.text());
    const doc = await fetch(`http://127.0.0.1:${port}/api/v1/openapi.json`);
    assert.is((await doc.json()).openapi, '3.1.0');
    process.kill(-child.pid, 'SIGINT');
    const [code] = await exited;
    assert.is(code, 0, `${err}\n${out.slice(-2000)}`);
  } finally {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();

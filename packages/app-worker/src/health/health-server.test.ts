import { RecordingLogger } from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type HealthServer, startHealthServer, stateCheck } from './health-server.js';

let server: HealthServer | null = null;
test.after.each(async () => {
  await server?.stop();
  server = null;
});

async function get(path: string, method = 'GET'): Promise<{ status: number; body: unknown; text: string }> {
  if (!server) throw new Error('no server');
  const res = await fetch(`http://127.0.0.1:${server.port}${path}`, { method });
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : null };
}

test('GET /health is 200 {status:"ok"} whatever the checks say (liveness)', async () => {
  server = await startHealthServer({
    port: 0,
    host: '127.0.0.1',
    checks: { storage: () => Promise.reject(new Error('down')) },
  });
  assert.ok(server.port > 0, 'port 0 binds a free port');
  const res = await get('/health');
  assert.is(res.status, 200);
  assert.equal(res.body, { status: 'ok' });
});

test('GET /ready follows a check that flips: 200 → 503 with the failing check named → 200; transitions logged once', async () => {
  let storageUp = true;
  const logger = new RecordingLogger();
  server = await startHealthServer({
    port: 0,
    host: '127.0.0.1',
    logger,
    checks: {
      storage: async () => {
        if (!storageUp) throw new Error('connection refused');
      },
      consumers: stateCheck(() => true, 'consumers are stopped'),
    },
  });
  const up = await get('/ready');
  assert.is(up.status, 200);
  assert.equal(up.body, { status: 'ready', checks: { storage: { ok: true }, consumers: { ok: true } } });

  storageUp = false;
  const down = await get('/ready');
  assert.is(down.status, 503);
  assert.equal(down.body, {
    status: 'not ready',
    checks: { storage: { ok: false, error: 'connection refused' }, consumers: { ok: true } },
  });
  assert.is((await get('/ready')).status, 503, 'still down');

  storageUp = true;
  assert.is((await get('/ready')).status, 200, 'back');
  assert.equal(
    logger.records.map((r) => [r.level, r.message]),
    [
      ['info', 'ready'],
      ['warn', 'not ready'],
      ['info', 'ready'],
    ],
    'one line per transition, not per probe',
  );
});

test('a hanging check answers 503 within its timeout, and its signal is aborted', async () => {
  let aborted: unknown = null;
  server = await startHealthServer({
    port: 0,
    host: '127.0.0.1',
    checkTimeoutMs: 50,
    checks: {
      redis: (signal) =>
        new Promise(() => {
          signal.addEventListener('abort', () => {
            aborted = signal.reason;
          });
        }),
      storage: async () => {},
    },
  });
  const res = await get('/ready');
  assert.is(res.status, 503);
  assert.equal(res.body, {
    status: 'not ready',
    checks: { redis: { ok: false, error: 'timed out after 50 ms' }, storage: { ok: true } },
  });
  assert.ok(aborted instanceof Error, 'the check was told to give up');
});

test('a check that throws synchronously or rejects with a non-Error still yields 503, not a crash', async () => {
  server = await startHealthServer({
    port: 0,
    host: '127.0.0.1',
    checks: {
      sync: () => {
        throw new Error('boom');
      },
      odd: () => Promise.reject('plain string'),
    },
  });
  const res = await get('/ready');
  assert.is(res.status, 503);
  assert.equal(res.body, {
    status: 'not ready',
    checks: { sync: { ok: false, error: 'boom' }, odd: { ok: false, error: 'plain string' } },
  });
});

test('no checks: ready; unknown paths and other methods are 404; HEAD has no body', async () => {
  server = await startHealthServer({ port: 0, host: '127.0.0.1', checks: {} });
  assert.is((await get('/ready')).status, 200);
  assert.is((await get('/nope')).status, 404);
  assert.is((await get('/health', 'POST')).status, 404);
  assert.is((await get('/health?verbose=1')).status, 200, 'a query string is ignored');
  const head = await get('/health', 'HEAD');
  assert.equal([head.status, head.text], [200, '']);
});

test('stop() closes the listener (even with a keep-alive connection open) and is idempotent', async () => {
  server = await startHealthServer({ port: 0, host: '127.0.0.1', checks: {} });
  const port = server.port;
  assert.is((await get('/health')).status, 200); // fetch keeps the connection alive
  await Promise.all([server.stop(), server.stop()]);
  server = null;
  try {
    await fetch(`http://127.0.0.1:${port}/health`);
    assert.unreachable('still listening');
  } catch (error) {
    assert.instance(error, TypeError, 'fetch failed: connection refused');
  }
});

test('a bad port is refused before listening', async () => {
  try {
    await startHealthServer({ port: 70_000, checks: {} });
    assert.unreachable('listened');
  } catch (error) {
    assert.instance(error, RangeError);
  }
});

test.run();

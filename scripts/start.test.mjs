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

/** A command's exit code and output (the walk-through prints a transcript to stdout). */
async function run(command, args, env) {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => {
    stdout += c;
  });
  child.stderr.on('data', (c) => {
    stderr += c;
  });
  const [code] = await once(child, 'close');
  return { code, stdout, stderr };
}

async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

test('npm start: builds, serves /ready and the API document with no services, a demo retailer logs in and places an order, and a Ctrl-C ends it with 0', async () => {
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
    // The walk-through of the README: the demo vendor's catalogue, then the demo retailer orders from it.
    const api = `http://127.0.0.1:${port}/api/v1`;
    const password = /password for all: (\S+)/.exec(out)?.[1];
    const call = async (method, path, { token, body } = {}) => {
      const res = await fetch(api + path, {
        method,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: await res.json() };
    };
    const login = (identifier) => call('POST', '/auth/login', { body: { identifier, password } });
    const vendor = await login('vendor@demo.khaacho.np');
    assert.is(vendor.status, 200, JSON.stringify(vendor.body));
    const offers = await call('GET', `/vendors/${vendor.body.principal.vendorId}/offers`, {
      token: vendor.body.accessToken,
    });
    const offer = offers.body.items.find((o) => o.active && o.stockOnHand >= 2);
    const retailer = await login('retailer@demo.khaacho.np');
    assert.is(retailer.status, 200, JSON.stringify(retailer.body));
    const product = await call('GET', `/products/${offer.productId}`, { token: retailer.body.accessToken });
    const order = await call('POST', '/orders', {
      token: retailer.body.accessToken,
      body: { lines: [{ sku: product.body.sku, quantity: 2, unit: offer.unit }] },
    });
    assert.is(order.status, 201, JSON.stringify(order.body));
    assert.is(order.body.order.retailerId, retailer.body.principal.retailerId);
    assert.is(order.body.order.status, 'ROUTING', JSON.stringify(order.body.reasons));
    // The README's whole journey, as its script prints it: a failure here means the README's
    // curl commands no longer work against the code.
    const operatorTotp = /OPERATOR\s+\S+\s+TOTP secret (\S+)/.exec(out)?.[1];
    const adminTotp = /ADMIN\s+\S+\s+TOTP secret (\S+)/.exec(out)?.[1];
    assert.ok(operatorTotp && adminTotp, 'the banner shows the ADMIN and OPERATOR TOTP secrets');
    const walk = await run('bash', [join(root, 'scripts', 'walkthrough.sh'), `http://127.0.0.1:${port}`], {
      ...env,
      OPERATOR_TOTP_SECRET: operatorTotp,
      ADMIN_TOTP_SECRET: adminTotp,
      KHAACHO_DEMO_PASSWORD: password,
    });
    assert.is(walk.code, 0, `walkthrough.sh failed:\n${walk.stdout}\n${walk.stderr}`);
    for (const answer of [
      '"code":"AUTH.UNAUTHENTICATED"',
      '{"status":"CONFIRMED"}',
      '{"status":"DISPATCHED"}',
      '{"code":"DELIVERY.WRONG_CODE","attemptsLeft":2}',
      '{"status":"DELIVERED"}',
      '"status":"COMPLETED"',
      'key,label,orderCount,lineCount,value,quantities',
      '"AUTH.FORBIDDEN_ROLE"',
      '["auth.login","ADMIN",',
    ]) {
      assert.ok(walk.stdout.includes(answer), `the walk-through shows ${answer}:\n${walk.stdout}`);
    }
    assert.match(walk.stdout, /Your delivery code is [0-9]{4}/);
    assert.match(walk.stdout, /\{"held":0,"outstanding":0,/, 'paid in full, nothing held');
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

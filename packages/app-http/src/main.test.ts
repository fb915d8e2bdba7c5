import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { totpCode } from './auth/totp.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const CREATE_ADMIN = fileURLToPath(new URL('./create-admin.ts', import.meta.url));

async function post(url: string, body: unknown, token?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the route answered.
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** Runs the create-admin command to its end: exit code and output. */
async function createAdmin(env: Record<string, string>, args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', CREATE_ADMIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  child.stderr.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, out };
}

/** Runs the process entry with only `env` (plus PATH), under tsx: what `npm start` runs, built. */
function start(env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
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
  const until = async (text: string) => {
    const died = exited.then(([code]) => {
      throw new Error(`exited (${code}) before "${text}": ${stderr}\n${stdout.slice(-2000)}`);
    });
    while (!stdout.includes(text)) await Promise.race([once(child.stdout, 'data'), died]);
  };
  const lines = () =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { child, exited, until, lines, out: () => stdout, err: () => stderr };
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

test('with no configuration but a data dir: migrates, loads the demo data, serves API + docs beside the worker, exits 0 on SIGINT; a restart keeps the data', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'khaacho-start-'));
  try {
    const port = await freePort();
    const env = { KHAACHO_DATA_DIR: join(dir, 'data'), KHAACHO_HTTP_PORT: String(port) };
    const first = start(env);
    await first.until('Khaacho is running at');
    const base = `http://127.0.0.1:${port}`;
    assert.match(first.out(), `${base}/docs`);
    const ready = await fetch(`${base}/ready`);
    assert.is(ready.status, 200, await ready.clone().text());
    assert.equal(Object.keys(((await ready.json()) as { checks: object }).checks).sort(), [
      'migrations',
      'storage',
      'worker',
    ]);
    assert.is((await fetch(`${base}/api/v1/openapi.json`)).status, 200);
    assert.is((await fetch(`${base}/docs`)).status, 200);
    // Embedded, not production: the chat simulator is served, and the banner says where.
    assert.match(first.out(), `${base}/simulator`);
    assert.is((await fetch(`${base}/simulator`)).status, 200);
    const orders = await fetch(`${base}/api/v1/orders`);
    assert.is(orders.status, 401, 'no token: protected routes refuse');
    // The banner's demo logins work: a retailer's session, and the ADMIN with a code from its printed TOTP secret.
    const api = `${base}/api/v1`;
    const password = /password for all: (\S+)/.exec(first.out())?.[1] ?? '';
    const retailer = await post(`${api}/auth/login`, { identifier: 'retailer@demo.khaacho.np', password });
    assert.is(retailer.status, 200, JSON.stringify(retailer.body));
    const adminSecret = /ADMIN\s+admin@demo\.khaacho\.np\s+TOTP secret ([A-Z2-7]+)/.exec(first.out())?.[1] ?? '';
    assert.ok(adminSecret, first.out());
    const admin = await post(`${api}/auth/login`, {
      identifier: 'admin@demo.khaacho.np',
      password,
      // The next step's code (accepted: ±1 step): the current one may be the code enrolment confirmed with.
      totpCode: totpCode(adminSecret, new Date(Date.now() + 30_000)),
    });
    assert.is(admin.status, 200, JSON.stringify(admin.body));
    const audit = await fetch(`${api}/admin/audit-log?action=auth.login`, {
      headers: { Authorization: `Bearer ${admin.body.accessToken}` },
    });
    assert.is(audit.status, 200);
    assert.ok(((await audit.json()) as { items: unknown[] }).items.length >= 2, 'both logins audited');
    const demo = first.lines().find((l) => l.msg === 'demo data') as { created: Record<string, number> };
    assert.is(demo.created.products, 36);
    assert.ok((demo.created.orders ?? 0) > 0);
    first.child.kill('SIGINT');
    const [code] = await first.exited;
    assert.is(code, 0, first.err());

    // The first-admin command: refused while an ADMIN exists, unless forced.
    const refused = await createAdmin(env, ['--email', 'root@example.com']);
    assert.is(refused.code, 1, refused.out);
    assert.match(refused.out, 'an ADMIN exists already');
    const forced = await createAdmin(env, ['--email', 'root@example.com', '--force']);
    assert.is(forced.code, 0, forced.out);
    assert.match(forced.out, /TOTP secret {2}[A-Z2-7]{32}/);
    assert.match(forced.out, /password {5}\S{24}/, 'a generated password, shown once');
    assert.is((await createAdmin(env, [])).code, 64, '--email is required');

    const second = start(env);
    await second.until('Khaacho is running at');
    const again = second.lines().find((l) => l.msg === 'demo data') as {
      created: Record<string, number>;
      alreadyThere: Record<string, number>;
    };
    assert.equal(again.created, {}, 'nothing new: the data survived the restart');
    assert.is(again.alreadyThere.products, 36);
    // The token key was kept in the data dir: a session from before the restart goes on.
    const me = await fetch(`${api}/auth/me`, { headers: { Authorization: `Bearer ${retailer.body.accessToken}` } });
    assert.is(me.status, 200);
    const refreshed = await post(`${api}/auth/refresh`, { refreshToken: retailer.body.refreshToken });
    assert.is(refreshed.status, 200);
    assert.match(second.out(), `TOTP secret ${adminSecret}`, 'the same demo secrets, printed again');
    second.child.kill('SIGINT');
    assert.is((await second.exited)[0], 0, second.err());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--http-only runs without the worker; in memory there is no demo data to load', async () => {
  const port = await freePort();
  const app = start({ KHAACHO_STORE: 'memory', KHAACHO_HTTP_PORT: String(port) }, ['--http-only']);
  await app.until('Khaacho is running at');
  const ready = (await (await fetch(`http://127.0.0.1:${port}/ready`)).json()) as { checks: object };
  assert.equal(Object.keys(ready.checks), ['storage']);
  assert.not.ok(app.lines().some((l) => l.msg === 'demo data'));
  assert.is((await fetch(`http://127.0.0.1:${port}/simulator`)).status, 200, 'no DATABASE_URL: the simulator is on');
  app.child.kill('SIGTERM');
  assert.is((await app.exited)[0], 0, app.err());
});

test('NODE_ENV=production: no simulator, even without DATABASE_URL', async () => {
  const port = await freePort();
  const app = start({ KHAACHO_STORE: 'memory', KHAACHO_HTTP_PORT: String(port), NODE_ENV: 'production' }, [
    '--http-only',
  ]);
  try {
    await app.until('Khaacho is running at');
    for (const path of ['/simulator', '/simulator/assets/simulator.js', '/simulator/api/parties']) {
      assert.is((await fetch(`http://127.0.0.1:${port}${path}`)).status, 404, path);
    }
    assert.not.match(app.out(), 'chat simulator');
    assert.ok(app.lines().some((l) => l.msg === 'listening' && l.simulator === false));
  } finally {
    app.child.kill('SIGTERM');
  }
  assert.is((await app.exited)[0], 0, app.err());
});

test('with DATABASE_URL a token key must be given: exits 78 naming KHAACHO_JWT_SECRET', async () => {
  const app = start({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', KHAACHO_HTTP_PORT: '0' });
  const [code] = await app.exited;
  assert.is(code, 78);
  assert.match(app.err(), 'KHAACHO_JWT_SECRET');
});

test('a bad variable exits 78 naming it, before opening anything', async () => {
  const app = start({ KHAACHO_STORE: 'memory', KHAACHO_HTTP_PORT: 'eighty' });
  const [code] = await app.exited;
  assert.is(code, 78);
  assert.match(app.err(), 'KHAACHO_HTTP_PORT');
});

test.run();

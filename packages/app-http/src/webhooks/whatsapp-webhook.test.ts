import { connect } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp, type TestApp } from '../testing/test-app.js';
import { WEBHOOK_SECRET, WEBHOOK_VERIFY_TOKEN, signed, textDelivery } from '../testing/webhook-fixtures.js';
import { post, postSigned, takeStored, WEBHOOK, WEBHOOK_SCENARIOS } from '../testing/webhook-scenarios.js';

const secrets = { appSecret: WEBHOOK_SECRET, verifyToken: WEBHOOK_VERIFY_TOKEN, maxBodyBytes: 1_048_576 };
let app: TestApp;

test.before(async () => {
  app = await startTestApp({ whatsappWebhook: secrets });
});
test.after(async () => {
  await app?.close();
});

for (const [name, run] of WEBHOOK_SCENARIOS) test(`in memory: ${name}`, () => run(app));

test('without the app secret and verify token the webhook is not mounted: 404, nothing stored', async () => {
  const bare = await startTestApp();
  try {
    const body = signed(textDelivery('unmounted.1', 'hi'));
    const response = await post(bare, body.bytes, { 'X-Hub-Signature-256': body.signature });
    assert.is(response.status, 404);
    const get = await fetch(
      `${bare.url}${WEBHOOK}?hub.mode=subscribe&hub.verify_token=${WEBHOOK_VERIFY_TOKEN}&hub.challenge=1`,
    );
    assert.is(get.status, 404);
    assert.equal(await takeStored(bare), []);
    const spec = bare.http.document as { paths: Record<string, unknown> };
    assert.is(spec.paths[WEBHOOK], undefined);
  } finally {
    await bare.close();
  }
});

test('the path matches as a router would (trailing slash, any case); other methods fall through to 404/405', async () => {
  const slash = await fetch(`${app.url}${WEBHOOK}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Hub-Signature-256': signed(textDelivery('path.1', 'x')).signature,
    },
    body: signed(textDelivery('path.1', 'x')).bytes,
  });
  assert.is(slash.status, 200);
  const upper = await fetch(
    `${app.url}/Webhooks/WhatsApp?hub.mode=subscribe&hub.verify_token=${WEBHOOK_VERIFY_TOKEN}&hub.challenge=77`,
  );
  assert.equal([upper.status, await upper.text()], [200, '77']);
  const head = await fetch(`${app.url}${WEBHOOK}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`, {
    method: 'HEAD',
  });
  assert.is(head.status, 403);
  const put = await fetch(app.url + WEBHOOK, { method: 'PUT', body: '{}' });
  assert.ok([404, 405].includes(put.status), String(put.status));
  const other = await fetch(`${app.url}/webhooks/whatsappx`, { method: 'POST', body: '{}' });
  assert.is(other.status, 404);
  assert.equal(
    (await takeStored(app)).map((e) => e.externalId),
    ['wa:msg:wamid.path.1'],
  );
});

const big = { points: 1_000_000, durationMs: 60_000 };

test('forged deliveries spend the webhook class per address: 401 until over it, then 429 with Retry-After; the API budget is untouched', async () => {
  const limited = await startTestApp({
    whatsappWebhook: secrets,
    rateLimits: { api: big, auth: big, admin: big, webhook: { points: 2, durationMs: 60_000 } },
  });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const forged = signed(textDelivery(`forged.${i}`, 'x'), 'not-the-app-secret');
      statuses.push((await postSigned(limited, forged)).status);
    }
    // Unsigned as well: the same budget.
    const unsigned = await post(limited, signed(textDelivery('forged.9', 'x')).bytes, {});
    assert.equal([...statuses, unsigned.status], [401, 401, 429, 429, 429]);
    assert.ok(Number(unsigned.headers.get('retry-after')) >= 1);
    assert.equal(await takeStored(limited), []);
    assert.is((await limited.request('GET', '/health')).status, 200);
    // The handshake spends the same budget.
    const handshake = await fetch(
      `${limited.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${WEBHOOK_VERIFY_TOKEN}&hub.challenge=1`,
    );
    assert.is(handshake.status, 429);
  } finally {
    await limited.close();
  }
});

test("signed deliveries do not spend the webhook class (Meta's 429 is only a delay): far past it, all stored", async () => {
  const limited = await startTestApp({
    whatsappWebhook: secrets,
    rateLimits: { api: big, auth: big, admin: big, webhook: { points: 2, durationMs: 60_000 } },
  });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await postSigned(limited, signed(textDelivery(`meta.${i}`, 'x')))).status);
    assert.equal(statuses, [200, 200, 200, 200, 200, 200]);
    assert.is((await takeStored(limited)).length, 6);
  } finally {
    await limited.close();
  }
});

test('a replayed signed body is bounded by the per-address signed limit (429 past it), and stored once', async () => {
  const limited = await startTestApp({
    whatsappWebhook: { ...secrets, signedRateLimit: { points: 3, durationMs: 60_000 } },
  });
  try {
    const replay = signed(textDelivery('replay.1', 'x'));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await postSigned(limited, replay)).status);
    assert.equal(statuses, [200, 200, 200, 429, 429]);
    assert.is((await takeStored(limited)).length, 1);
  } finally {
    await limited.close();
  }
});

test("an address flooding forgeries is refused before its body is read; another address's signed deliveries are not", async () => {
  const limited = await startTestApp({
    trustProxy: true,
    whatsappWebhook: secrets,
    rateLimits: { api: big, auth: big, admin: big, webhook: { points: 1, durationMs: 60_000 } },
  });
  try {
    const from = (ip: string, body: { bytes: Buffer; signature: string }) =>
      post(limited, body.bytes, { 'X-Hub-Signature-256': body.signature, 'X-Forwarded-For': ip });
    const forged = signed(textDelivery('flood.1', 'x'), 'not-the-app-secret');
    const flood = [];
    for (let i = 0; i < 3; i++) flood.push((await from('203.0.113.7', forged)).status);
    assert.equal(flood, [401, 429, 429]);
    // Refused from memory before the body is read, so even a signed one from there waits (Meta
    // retries; a forging address is not Meta's).
    const after = await from('203.0.113.7', signed(textDelivery('flood.2', 'x')));
    assert.is(after.status, 429);
    assert.is(after.headers.get('connection'), 'close');
    const meta = await from('198.51.100.20', signed(textDelivery('meta.ok', 'x')));
    assert.is(meta.status, 200, meta.text);
    assert.equal(
      (await takeStored(limited)).map((e) => e.externalId),
      ['wa:msg:wamid.meta.ok'],
    );
  } finally {
    await limited.close();
  }
});

test('the webhook answers without browser headers (helmet, CORS); the API keeps them', async () => {
  const response = await fetch(app.url + WEBHOOK, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Origin: 'https://evil.example',
      'X-Hub-Signature-256': signed(textDelivery('hdrs.1', 'x')).signature,
    },
    body: signed(textDelivery('hdrs.1', 'x')).bytes,
  });
  assert.is(response.status, 200);
  assert.is(response.headers.get('x-content-type-options'), null);
  assert.is(response.headers.get('content-security-policy'), null);
  assert.ok(response.headers.get('x-request-id'));
  const health = await fetch(`${app.url}/health`);
  assert.is(health.headers.get('x-content-type-options'), 'nosniff');
  await takeStored(app);
});

test('a client that closes the connection before its body is sent is a refused request (info), not a server failure (error)', async () => {
  const body = signed(textDelivery('cut.1', 'chamal 2 bora'));
  const before = app.lines.length;
  const { port } = new URL(app.url);
  await new Promise<void>((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(
        `POST ${WEBHOOK} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
          `X-Hub-Signature-256: ${body.signature}\r\nContent-Length: ${body.bytes.length}\r\n\r\n`,
      );
      socket.write(body.bytes.subarray(0, 10), () => setTimeout(() => socket.destroy(), 50));
    });
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  const lines = () => app.lines.slice(before).filter((l) => l.path === WEBHOOK);
  const deadline = Date.now() + 5_000;
  while (!lines().some((l) => l.msg === 'request refused' || l.msg === 'request failed') && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  assert.equal(
    lines().filter((l) => l.msg === 'request failed'),
    [],
    'no error-level failure',
  );
  assert.ok(
    lines().some((l) => l.msg === 'request refused' && l.status === 400),
    `refused: ${JSON.stringify(lines())}`,
  );
  assert.equal(await takeStored(app), []);
});

test.run();

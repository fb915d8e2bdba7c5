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

test('the webhook spends its own rate-limit class: over it is 429 with Retry-After, and the API budget is untouched', async () => {
  const big = { points: 1_000_000, durationMs: 60_000 };
  const limited = await startTestApp({
    whatsappWebhook: secrets,
    rateLimits: { api: big, auth: big, admin: big, webhook: { points: 2, durationMs: 60_000 } },
  });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await postSigned(limited, signed(textDelivery(`rl.${i}`, 'x')))).status);
    assert.equal(statuses, [200, 200, 429]);
    const refused = await postSigned(limited, signed(textDelivery('rl.9', 'x')));
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.equal(
      (await takeStored(limited)).map((e) => e.externalId),
      ['wa:msg:wamid.rl.0', 'wa:msg:wamid.rl.1'],
    );
    assert.is((await limited.request('GET', '/health')).status, 200);
  } finally {
    await limited.close();
  }
});

test.run();

import { DEFAULT_SWEEP_THRESHOLDS } from '@khaacho/app-worker';
import { CLOCK, JOB_QUEUE, type OrderId, REPOSITORIES, WEBHOOK_INBOX } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Shop, seedShop, startTestApp, type TestApp } from '../../testing/test-app.js';

let app: TestApp;
let shop: Shop;

test.before(async () => {
  app = await startTestApp({ risk: 'allow-all' });
  shop = await seedShop(app);
});
test.after(async () => app?.close());

/** A NOTIFICATIONS job whose handler always throws, with one attempt: it ends dead. */
async function deadJob(jobId: string): Promise<void> {
  const queue = app.composition.get(JOB_QUEUE);
  await queue.enqueue({ queue: 'NOTIFICATIONS', name: 'send', payload: { to: 'x' }, jobId, maxAttempts: 1 });
  const consumer = queue.process('NOTIFICATIONS', async () => {
    throw new Error('provider down');
  });
  // The in-memory queue runs it on the next tick; wait until it is dead, then stop consuming.
  while ((await queue.get('NOTIFICATIONS', jobId))?.state !== 'dead') await new Promise((r) => setImmediate(r));
  await consumer.stop();
}

const auditActions = async () =>
  (await app.composition.get(REPOSITORIES).auditLog.list({}, { limit: 100 })).items.map((e) => [
    e.action,
    e.target?.id,
  ]);

test('queues: status per queue, dead letters listed, retried once (audited), a second retry changes nothing', async () => {
  const staff = shop.tokens.operator;
  await deadJob('notify-1');
  const status = await app.request('GET', '/api/v1/queues', { token: staff });
  assert.is(status.status, 200, JSON.stringify(status.body));
  const notifications = status.body.items.find((q: { queue: string }) => q.queue === 'NOTIFICATIONS');
  assert.equal([notifications.failed, notifications.waiting], [1, 0]);
  assert.is(status.body.items.length, 7, 'every named queue');

  const dead = await app.request('GET', '/api/v1/queues/NOTIFICATIONS/jobs?state=failed', { token: staff });
  assert.equal(
    dead.body.items.map((j: { jobId: string; state: string; lastError: string }) => [j.jobId, j.state, j.lastError]),
    [['notify-1', 'dead', 'provider down']],
  );
  assert.is((await app.request('GET', '/api/v1/queues/NOPE/jobs', { token: staff })).status, 422);
  assert.is((await app.request('GET', '/api/v1/queues/NOTIFICATIONS/jobs?state=dead', { token: staff })).status, 422);

  const retried = await app.request('POST', '/api/v1/queues/NOTIFICATIONS/jobs/notify-1/retry', { token: staff });
  assert.equal([retried.status, retried.body.retried, retried.body.job.state], [200, true, 'waiting']);
  const again = await app.request('POST', '/api/v1/queues/NOTIFICATIONS/jobs/notify-1/retry', { token: staff });
  assert.equal([again.status, again.body.retried, again.body.job.state], [200, false, 'waiting']);
  const audited = (await auditActions()).filter(([a]) => a === 'queues.retry_dead');
  assert.equal(audited, [['queues.retry_dead', 'NOTIFICATIONS/notify-1']], 'one audit entry for one retry');
  assert.is((await app.request('POST', '/api/v1/queues/NOTIFICATIONS/jobs/nope/retry', { token: staff })).status, 404);
  assert.is(
    (await app.request('POST', '/api/v1/queues/NOTIFICATIONS/jobs/notify-1/retry', { token: shop.tokens.retailer }))
      .status,
    403,
  );
  const after = await app.request('GET', '/api/v1/queues', { token: staff });
  const n = after.body.items.find((q: { queue: string }) => q.queue === 'NOTIFICATIONS');
  assert.equal([n.failed, n.waiting], [0, 1]);
});

test('queues: jobs by state, paged with a cursor; bad states, limits and cursors are 422', async () => {
  const staff = shop.tokens.admin;
  const queue = app.composition.get(JOB_QUEUE);
  // No consumer on REPORT_GENERATION here: enqueued jobs stay waiting (or delayed).
  for (const id of ['score-a', 'score-b', 'score-c']) {
    await queue.enqueue({ queue: 'REPORT_GENERATION', name: 'rescore', payload: { retailerId: id }, jobId: id });
  }
  await queue.enqueue({
    queue: 'REPORT_GENERATION',
    name: 'rescore',
    payload: {},
    jobId: 'score-later',
    delayMs: 3_600_000,
  });
  const list = (query: string) =>
    app.request('GET', `/api/v1/queues/REPORT_GENERATION/jobs?${query}`, { token: staff });

  const first = await list('state=waiting&limit=2');
  assert.is(first.status, 200, JSON.stringify(first.body));
  const second = await list(`state=waiting&limit=2&cursor=${first.body.nextCursor}`);
  const ids = [...first.body.items, ...second.body.items].map((j: { jobId: string; state: string }) => [
    j.jobId,
    j.state,
  ]);
  assert.equal(ids, [
    ['score-c', 'waiting'],
    ['score-b', 'waiting'],
    ['score-a', 'waiting'],
  ]);
  assert.is(second.body.nextCursor, null, 'the last page');
  const delayed = await list('state=delayed');
  assert.equal(
    delayed.body.items.map((j: { jobId: string; state: string }) => [j.jobId, j.state]),
    [['score-later', 'delayed']],
  );
  assert.equal((await list('state=active')).body, { items: [], nextCursor: null });
  assert.equal((await list('state=succeeded')).body.items, []);
  for (const bad of ['state=dead', 'state=waiting&limit=0', 'state=waiting&limit=101', 'state=waiting&cursor=x1']) {
    assert.is((await list(bad)).status, 422, bad);
  }
  const forbidden = await app.request('GET', '/api/v1/queues/REPORT_GENERATION/jobs?state=waiting', {
    token: shop.tokens.retailer,
  });
  assert.is(forbidden.status, 403);
});

test('recovery: failed workflows across queues, status of outbox and inbox, re-driving an order routes it once', async () => {
  const staff = shop.tokens.admin;
  await deadJob('notify-2');
  const failed = await app.request('GET', '/api/v1/recovery/failed-workflows', { token: staff });
  assert.is(failed.status, 200);
  assert.ok(failed.body.jobs.some((j: { jobId: string }) => j.jobId === 'notify-2'));
  assert.equal(failed.body.webhooks, []);

  const status = await app.request('GET', '/api/v1/recovery/status', { token: staff });
  assert.is(status.status, 200, JSON.stringify(status.body));
  assert.ok(status.body.outbox.pending >= 0 && status.body.inbox.dead === 0);

  const placed = await app.request('POST', '/api/v1/orders', {
    token: shop.tokens.retailer,
    body: { lines: [{ sku: 'WAIWAI-75', quantity: 1 }] },
  });
  const orderId = placed.body.order.id as OrderId;
  const first = await app.request('POST', `/api/v1/recovery/orders/${orderId}/retry`, { token: staff });
  assert.equal([first.status, first.body.outcome], [200, 'OFFERED']);
  const second = await app.request('POST', `/api/v1/recovery/orders/${orderId}/retry`, { token: staff });
  assert.equal([second.status, second.body.outcome], [200, 'SKIPPED'], 'an offer is waiting: nothing re-driven');
  const audited = (await auditActions()).filter(([a]) => a === 'recovery.retry_order');
  assert.equal(audited, [['recovery.retry_order', orderId]]);
  assert.is(
    (await app.request('POST', '/api/v1/recovery/orders/00000000-0000-7000-8000-000000000000/retry', { token: staff }))
      .status,
    404,
  );
  assert.is((await app.request('GET', '/api/v1/recovery/status', { token: shop.tokens.vendor })).status, 403);
});

test('recovery: a dead webhook event is listed, retried once (audited) and claimable again; others left alone', async () => {
  const staff = shop.tokens.operator;
  const inbox = app.composition.get(WEBHOOK_INBOX);
  const clock = app.composition.get(CLOCK);
  const { event } = await inbox.record({
    provider: 'whatsapp',
    externalId: 'wamid.1',
    payload: { x: 1 },
    receivedAt: clock.now(),
  });
  // Failed on every attempt the sweep (and the processor) allow, so it is dead.
  const limit = DEFAULT_SWEEP_THRESHOLDS.inboxMaxAttempts;
  for (let i = 0; i < limit; i++) {
    await inbox.claim({ limit: 1, leaseMs: 1_000, maxAttempts: limit, now: clock.now() });
    await inbox.markFailed(event.id, 'unparseable', clock.now());
  }
  const status = await app.request('GET', '/api/v1/recovery/status', { token: staff });
  assert.is(status.body.inbox.dead, 1);
  const failed = await app.request('GET', '/api/v1/recovery/failed-workflows', { token: staff });
  assert.equal(
    failed.body.webhooks.map((e: { id: string; attempts: number; lastError: string }) => [
      e.id,
      e.attempts,
      e.lastError,
    ]),
    [[event.id, limit, 'unparseable']],
  );
  const retried = await app.request('POST', `/api/v1/recovery/webhooks/${event.id}/retry`, { token: staff });
  assert.equal(
    [retried.status, retried.body.retried, retried.body.event.status, retried.body.event.attempts],
    [200, true, 'RECEIVED', 0],
  );
  const again = await app.request('POST', `/api/v1/recovery/webhooks/${event.id}/retry`, { token: staff });
  assert.equal([again.status, again.body.retried], [200, false]);
  const audited = (await auditActions()).filter(([a]) => a === 'recovery.retry_webhook');
  assert.equal(audited, [['recovery.retry_webhook', event.id]]);
  const claimed = await inbox.claim({ limit: 10, leaseMs: 1_000, maxAttempts: limit, now: clock.now() });
  assert.equal(
    claimed.map((e) => e.id),
    [event.id],
    'the processor takes it again',
  );
  const missing = await app.request('POST', '/api/v1/recovery/webhooks/00000000-0000-7000-8000-000000000000/retry', {
    token: staff,
  });
  assert.is(missing.status, 404);
  assert.is((await app.request('POST', '/api/v1/recovery/webhooks/not-a-uuid/retry', { token: staff })).status, 422);
});

test.run();

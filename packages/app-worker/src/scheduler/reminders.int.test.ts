// Payment reminders on PostgreSQL and Redis: two workers run the same daily slot (twice) and
// the job is redelivered; the invoice's rule sends its template once in all.
import { randomUUID } from 'node:crypto';
import {
  type JobInfo,
  nepalDateOf,
  nepalDateOfDay,
  nepalDayNumber,
  QueueNames,
  REPOSITORIES,
  SYSTEM_ACTOR,
  USE_CASE_TOKENS,
  unwrap,
  JOB_QUEUE,
} from '@khaacho/core';
import { Redis } from 'ioredis';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Composition, composeContainer } from '../composition/compose-container.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { createOwnDatabase, type OwnDatabase } from '../testing/fault-harness.js';
import { recordingSender } from '../testing/flow-world.js';
import { seedWaiWaiWorld } from '../testing/order-journey.js';
import { settled } from '../testing/scheduler-fixtures.js';
import { scheduledHandlersFrom } from '../worker/queue-handlers.js';
import { handlerByName, ScheduledTaskNames } from './scheduled-jobs.js';
import { reminderJobId } from './tasks/payment-reminders.js';

const REDIS = process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
const prefix = `khaacho-test:remind:${randomUUID().slice(0, 8)}`;
const ctx: { db?: OwnDatabase; apps: Composition[] } = { apps: [] };

async function deleteKeys(): Promise<void> {
  const redis = new Redis(REDIS);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

test.before(async () => {
  ctx.db = await createOwnDatabase('reminders');
  const env = {
    DATABASE_URL: ctx.db.url,
    REDIS_URL: REDIS,
    KHAACHO_REDIS_PREFIX: prefix,
    KHAACHO_MESSAGE_SENDER: 'memory',
    LOG_LEVEL: 'silent',
  };
  // The first one migrates; the second opens the migrated database.
  ctx.apps.push(await composeContainer(workerConfigFromEnv({ ...env, KHAACHO_DB_MIGRATE: 'true' })));
  await ctx.apps[0]?.ready();
  ctx.apps.push(await composeContainer(workerConfigFromEnv(env)));
  await ctx.apps[1]?.ready();
});

test.after(async () => {
  await Promise.all(ctx.apps.map((app) => app.close()));
  await ctx.db?.drop();
  await deleteKeys();
});

test('two workers on PostgreSQL + Redis, the slot run twice and the job redelivered: one template per invoice and rule', async () => {
  const [a, b] = ctx.apps as [Composition, Composition];
  const uc = USE_CASE_TOKENS;
  const { vendor, shop } = await seedWaiWaiWorld(a);
  const placed = unwrap(
    await a.get(uc.placeOrder).execute({
      retailerId: shop.id,
      lines: [{ sku: 'WAIWAI-75', quantity: 2, unit: 'carton' }],
      source: 'whatsapp',
      actor: SYSTEM_ACTOR,
    }),
  );
  const orderId = placed.order.id;
  unwrap(await a.get(uc.routeOrder).execute({ orderId, actor: SYSTEM_ACTOR }));
  const vendorActor = { type: 'vendor', id: vendor.id } as const;
  unwrap(await a.get(uc.acceptVendorOffer).execute({ orderId, vendorId: vendor.id, actor: vendorActor }));
  unwrap(await a.get(uc.dispatchOrder).execute({ orderId, actor: vendorActor }));
  const code = (await a.get(REPOSITORIES).deliveries.get(orderId))?.code;
  assert.ok(code, 'a delivery code was issued on dispatch');
  const delivered = unwrap(await a.get(uc.deliverOrder).execute({ orderId, actor: vendorActor, code }));
  const invoice = (await a.get(REPOSITORIES).credit.get(shop.id))?.openItems()[0];
  assert.ok(invoice, 'the delivery invoiced the order');
  const dueDate = nepalDateOf(invoice.dueAt);
  // 09:00 in Kathmandu (03:15Z) on the seventh day after the due date.
  const slotDate = nepalDateOfDay(nepalDayNumber(dueDate) + 7);
  const slotJob = (): JobInfo => {
    const at = new Date();
    return {
      queue: QueueNames.SCHEDULER,
      jobId: `payment-reminders:${slotDate}`,
      name: ScheduledTaskNames.PAYMENT_REMINDERS,
      payload: { slot: `${slotDate}T03:15:00.000Z` },
      state: 'active',
      attempts: 1,
      maxAttempts: 3,
      lastError: null,
      createdAt: at,
      updatedAt: at,
    };
  };
  const handlers = [a, b].map((app) => scheduledHandlersFrom(app, {}));
  const slot = (w: number) => handlerByName(handlers[w] ?? [], QueueNames.SCHEDULER)(slotJob());
  await Promise.all([slot(0), slot(1)]);
  await slot(1);
  const queue = a.get(JOB_QUEUE);
  const jobId = reminderJobId(invoice.entryId, 'after-7');
  const consumers = [a, b].map((app, w) =>
    app
      .get(JOB_QUEUE)
      .process(QueueNames.PAYMENT_REMINDER, handlerByName(handlers[w] ?? [], QueueNames.PAYMENT_REMINDER)),
  );
  try {
    const [done] = await settled(queue, QueueNames.PAYMENT_REMINDER, [jobId]);
    assert.is(done?.state, 'succeeded');
    // Worker b gets the finished job again (a lost acknowledgement): the idempotency row in PostgreSQL stops it.
    await handlerByName(handlers[1] ?? [], QueueNames.PAYMENT_REMINDER)({ ...(done as JobInfo), state: 'active' });
    const sent = [a, b].flatMap((app) => recordingSender(app).sent);
    assert.equal(
      sent.map(({ providerMessageId: _, ...message }) => message),
      [
        {
          kind: 'template',
          to: shop.phone,
          template: 'payment_overdue',
          language: 'en',
          parameters: ['Sita Kirana Pasal', delivered.total.format(), dueDate, placed.order.number],
        },
      ],
    );
    const stats = await queue.stats(QueueNames.PAYMENT_REMINDER);
    assert.equal([stats.succeeded, stats.failed], [1, 0], 'one reminder job in all');
  } finally {
    await Promise.all(consumers.map((c) => c.stop()));
  }
});

test.run();

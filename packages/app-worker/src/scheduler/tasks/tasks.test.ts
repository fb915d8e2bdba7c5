import {
  type DraftId,
  freshConversation,
  type JobInfo,
  Money,
  MS_PER_DAY,
  MS_PER_MINUTE,
  type OrderId,
  type OrderDraft,
  orderLine,
  PhoneNumber,
  PurgeExpiredDrafts,
  Quantity,
  QueueNames,
  reminderRules,
  type RetailerId,
  SYSTEM_ACTOR,
  type Timer,
} from '@khaacho/core';
import {
  createTestWorld,
  expectOk,
  InMemoryJobQueue,
  InMemoryMessageSender,
  type TestWorld,
} from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { settled } from '../../testing/scheduler-fixtures.js';
import { handlerByName, ScheduledTaskNames, scheduledJobHandlers, WORKER_SCHEDULE } from '../scheduled-jobs.js';
import { slotJobId } from '../slots.js';
import { CONVERSATION_RETENTION_MS, conversationPurgeTask, DRAFT_RETENTION_MS } from './conversation-purge.js';
import { creditRescoringTask, rescoreJobId } from './credit-rescoring.js';
import { offerExpiryTask } from './offer-expiry.js';
import { conversationLanguageOf, reminderJobId } from './payment-reminders.js';
import { priceIntelligenceRefreshTask, vendorPerformanceRefreshTask } from './snapshot-refresh.js';

/** The scheduler's housekeeping over a world: drafts through their use case, its conversation store. */
function housekeepingOf(world: TestWorld) {
  return { purgeExpiredDrafts: new PurgeExpiredDrafts(world.ctx), conversations: world.repos.conversations };
}

const nodeTimer: Timer = {
  setTimeout: (cb, ms) => setTimeout(cb, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

function job(queue: string, name: string, payload: JobInfo['payload']): JobInfo {
  const at = new Date();
  return {
    queue,
    jobId: 'j',
    name,
    payload,
    state: 'active',
    attempts: 1,
    maxAttempts: 1,
    lastError: null,
    createdAt: at,
    updatedAt: at,
  };
}

/** A delivered order on net terms: the retailer owes its total from delivery. */
async function deliveredOrder(world: TestWorld, retailerId: RetailerId): Promise<OrderId> {
  const vendor = await world.given.vendor();
  const product = await world.given.product();
  await world.given.offer({ vendorId: vendor.id, productId: product.id });
  const placed = expectOk(
    await world.useCases.placeOrder.execute({
      retailerId,
      lines: [{ productId: product.id, quantity: 3 }],
      source: 'api',
      actor: { type: 'retailer', id: retailerId },
    }),
  );
  const orderId = placed.order.id;
  expectOk(await world.useCases.offerOrderToVendor.execute({ orderId, vendorId: vendor.id, actor: SYSTEM_ACTOR }));
  expectOk(
    await world.useCases.acceptVendorOffer.execute({
      orderId,
      vendorId: vendor.id,
      actor: { type: 'vendor', id: vendor.id },
    }),
  );
  expectOk(await world.useCases.dispatchOrder.execute({ orderId, actor: SYSTEM_ACTOR }));
  expectOk(
    await world.useCases.deliverOrder.execute({
      orderId,
      actor: SYSTEM_ACTOR,
      code: await world.deliveryCode(orderId),
    }),
  );
  return orderId;
}

test('offer expiry: an offer past its deadline is expired by the slot handler, once', async () => {
  const world = createTestWorld();
  const retailer = await world.given.retailer();
  const vendor = await world.given.vendor();
  const product = await world.given.product();
  await world.given.offer({ vendorId: vendor.id, productId: product.id });
  const placed = expectOk(
    await world.useCases.placeOrder.execute({
      retailerId: retailer.id,
      lines: [{ productId: product.id, quantity: 1 }],
      source: 'api',
      actor: { type: 'retailer', id: retailer.id },
    }),
  );
  const orderId: OrderId = placed.order.id;
  expectOk(await world.useCases.offerOrderToVendor.execute({ orderId, vendorId: vendor.id, actor: SYSTEM_ACTOR }));
  const expire = offerExpiryTask({
    expireOverdueOffers: world.useCases.expireOverdueOffers,
    logger: world.logger,
    batch: 1,
  });
  await expire(world.clock.now(), job(QueueNames.SCHEDULER, ScheduledTaskNames.OFFER_EXPIRY, {}));
  const before = expectOk(await world.useCases.getOrder.execute({ orderId }));
  assert.is(before.pendingOffer()?.vendorId, vendor.id, 'not yet due');
  world.clock.advance(16 * MS_PER_MINUTE);
  const slot = world.clock.now();
  await expire(slot, job(QueueNames.SCHEDULER, ScheduledTaskNames.OFFER_EXPIRY, {}));
  await expire(slot, job(QueueNames.SCHEDULER, ScheduledTaskNames.OFFER_EXPIRY, {}));
  const after = expectOk(await world.useCases.getOrder.execute({ orderId }));
  assert.not.ok(after.pendingOffer());
  assert.equal(
    after.routingAttempts.map((a) => a.outcome),
    ['EXPIRED'],
    'expired once, though the slot ran twice',
  );
});

test('nightly rescoring: one CREDIT_SCORE job per ACTIVE retailer with rescore:<date>:<id>, and a rerun adds none', async () => {
  const world = createTestWorld({ start: '2026-12-04T20:15:00.000Z' });
  const active: RetailerId[] = [];
  for (let i = 0; i < 5; i++) active.push((await world.given.retailer()).id);
  await world.given.retailer({ status: 'PENDING_KYC' });
  const queue = new InMemoryJobQueue(world.clock, nodeTimer);
  const rescore = creditRescoringTask({
    listRetailers: world.useCases.listRetailers,
    queue,
    logger: world.logger,
    pageSize: 2,
  });
  const slot = world.clock.now();
  await rescore(slot, job(QueueNames.SCHEDULER, ScheduledTaskNames.CREDIT_RESCORING, {}));
  await rescore(slot, job(QueueNames.SCHEDULER, ScheduledTaskNames.CREDIT_RESCORING, {}));
  const stats = await queue.stats(QueueNames.CREDIT_SCORE);
  assert.is(stats.waiting, 5, 'five jobs, not ten, and none for the retailer awaiting KYC');
  for (const id of active) {
    const queued = await queue.get(QueueNames.CREDIT_SCORE, rescoreJobId('2026-12-05', id));
    assert.ok(queued, id);
    assert.equal(queued.payload, { retailerId: id, date: '2026-12-05', slot: slot.toISOString() });
  }
  await queue.close();
});

test('end to end in memory: the nightly slot job fans out, each retailer is scored once with NIGHTLY, a retried job scores no more', async () => {
  const world = createTestWorld({ start: '2026-12-04T20:15:30.000Z' });
  const a = await world.given.retailer();
  const b = await world.given.retailer();
  const queue = new InMemoryJobQueue(world.clock, nodeTimer);
  const handlers = scheduledJobHandlers({
    queue,
    logger: world.logger,
    useCases: world.useCases,
    repos: world.repos,
    messages: new InMemoryMessageSender(),
    idempotency: world.persistence.idempotency,
    clock: world.clock,
    runRecoverySweep: async () => {},
    housekeeping: housekeepingOf(world),
  });
  const consumers = [QueueNames.SCHEDULER, QueueNames.CREDIT_SCORE].map((q) =>
    queue.process(q, handlerByName(handlers, q)),
  );
  try {
    const slot = new Date('2026-12-04T20:15:00.000Z');
    const slotId = slotJobId(ScheduledTaskNames.CREDIT_RESCORING, slot);
    await queue.enqueue({
      queue: QueueNames.SCHEDULER,
      name: ScheduledTaskNames.CREDIT_RESCORING,
      jobId: slotId,
      payload: { task: ScheduledTaskNames.CREDIT_RESCORING, slot: slot.toISOString() },
    });
    await settled(queue, QueueNames.SCHEDULER, [slotId]);
    const ids = [a.id, b.id].map((id) => rescoreJobId('2026-12-05', id));
    const done = await settled(queue, QueueNames.CREDIT_SCORE, ids);
    assert.equal(
      done.map((j) => j.state),
      ['succeeded', 'succeeded'],
    );
    for (const id of [a.id, b.id]) {
      const history = await world.repos.creditScores.history(id);
      assert.equal(
        history.map((h) => h.trigger),
        ['NIGHTLY'],
        id,
      );
    }
    // The same job again (a retry whose first run committed): nothing more is recorded.
    const retry = handlers.find((h) => h.queue === QueueNames.CREDIT_SCORE)?.handle;
    const first = done[0];
    assert.ok(retry && first);
    await retry({ ...first, state: 'active' });
    assert.is((await world.repos.creditScores.history(a.id)).length, 1);
    // A job name nobody handles fails instead of vanishing.
    try {
      await handlerByName(handlers, QueueNames.SCHEDULER)(job(QueueNames.SCHEDULER, 'vendor-refresh', {}));
      assert.unreachable('an unknown job passed');
    } catch (error) {
      assert.match(String(error), 'no handler for job vendor-refresh');
    }
  } finally {
    await Promise.all(consumers.map((c) => c.stop()));
    await queue.close();
  }
});

test("payment reminders: two workers running one slot twice send each due invoice its rule's template once", async () => {
  const world = createTestWorld(); // 2026-02-01T06:00Z, 11:45 in Nepal
  const late = await world.given.retailer({ netTermsDays: 7, name: 'Ram Kirana' });
  const orderId = await deliveredOrder(world, late.id); // due 2026-02-08 (Nepali)
  const paid = await world.given.retailer({ netTermsDays: 7 });
  await deliveredOrder(world, paid.id);
  const owed = (await world.repos.credit.get(paid.id))?.outstanding();
  expectOk(
    await world.useCases.recordPayment.execute({
      retailerId: paid.id,
      amount: owed as Money,
      reference: 'PAID-1',
      actor: { type: 'operator', id: 'op-1' },
    }),
  );
  const notYet = await world.given.retailer({ netTermsDays: 30 });
  await deliveredOrder(world, notYet.id);
  world.clock.advance(10 * MS_PER_DAY);
  const queue = new InMemoryJobQueue(world.clock, nodeTimer);
  const messages = new InMemoryMessageSender();
  const workers = [0, 1].map(() =>
    scheduledJobHandlers({
      queue,
      logger: world.logger,
      useCases: world.useCases,
      repos: world.repos,
      messages,
      idempotency: world.persistence.idempotency,
      clock: world.clock,
      runRecoverySweep: async () => {},
      housekeeping: housekeepingOf(world),
    }),
  );
  const selection = (w: number) =>
    handlerByName(
      workers[w] ?? [],
      QueueNames.SCHEDULER,
    )(job(QueueNames.SCHEDULER, ScheduledTaskNames.PAYMENT_REMINDERS, { slot: '2026-02-11T03:15:00.000Z' }));
  // 09:00 in Kathmandu on 11 February: three days after the due date.
  await Promise.all([selection(0), selection(1)]);
  await selection(0);
  assert.is((await queue.stats(QueueNames.PAYMENT_REMINDER)).waiting, 1);
  const invoiceId = (await world.repos.credit.get(late.id))?.openItems()[0]?.entryId as string;
  const jobId = reminderJobId(invoiceId, 'after-3');
  // The in-memory queue has one consumer; the second worker's handler gets a redelivery below.
  const consumer = queue.process(
    QueueNames.PAYMENT_REMINDER,
    handlerByName(workers[0] ?? [], QueueNames.PAYMENT_REMINDER),
  );
  try {
    assert.equal(
      (await settled(queue, QueueNames.PAYMENT_REMINDER, [jobId])).map((j) => j.state),
      ['succeeded'],
    );
    // A redelivery of the finished job (a worker lost its acknowledgement) sends nothing.
    const finished = await queue.get(QueueNames.PAYMENT_REMINDER, jobId);
    await handlerByName(workers[1] ?? [], QueueNames.PAYMENT_REMINDER)({ ...(finished as JobInfo), state: 'active' });
    await selection(1);
    await settled(queue, QueueNames.PAYMENT_REMINDER, [jobId]);
    const order = expectOk(await world.useCases.getOrder.execute({ orderId }));
    assert.equal(
      messages.sent.map(({ providerMessageId: _, ...message }) => message),
      [
        {
          kind: 'template',
          to: late.phone,
          template: 'payment_overdue',
          language: 'en',
          parameters: ['Ram Kirana', order.total.format(), '2026-02-08', order.number],
        },
      ],
    );
    assert.ok(
      world.logger.records.some((r) => r.message === 'scheduler: payment reminders enqueued' && r.fields.jobs === 1),
      'progress logged',
    );
  } finally {
    await consumer.stop();
    await queue.close();
  }
});

test('payment reminders: the rule of the day picks the template; a stored Nepali preference the language; paid meanwhile, nothing', async () => {
  const world = createTestWorld();
  const shop = await world.given.retailer({ netTermsDays: 3, name: 'Sita Pasal' });
  await deliveredOrder(world, shop.id); // due 2026-02-04 (Nepali)
  const queue = new InMemoryJobQueue(world.clock, nodeTimer);
  const messages = new InMemoryMessageSender();
  const handlers = scheduledJobHandlers({
    queue,
    logger: world.logger,
    useCases: world.useCases,
    repos: world.repos,
    messages,
    idempotency: world.persistence.idempotency,
    clock: world.clock,
    runRecoverySweep: async () => {},
    housekeeping: housekeepingOf(world),
    reminders: { rules: reminderRules([-1, 0, 2]), languageOf: async (r) => (r.id === shop.id ? 'ne-Latn' : null) },
  });
  const select = handlerByName(handlers, QueueNames.SCHEDULER);
  const consumer = queue.process(QueueNames.PAYMENT_REMINDER, handlerByName(handlers, QueueNames.PAYMENT_REMINDER));
  const slotOn = (date: string) =>
    select(job(QueueNames.SCHEDULER, ScheduledTaskNames.PAYMENT_REMINDERS, { slot: `${date}T03:15:00.000Z` }));
  const invoiceId = (await world.repos.credit.get(shop.id))?.openItems()[0]?.entryId as string;
  try {
    await slotOn('2026-02-02'); // due in two days: no rule
    await slotOn('2026-02-03'); // before-1
    await slotOn('2026-02-04'); // due
    await settled(queue, QueueNames.PAYMENT_REMINDER, [
      reminderJobId(invoiceId, 'before-1'),
      reminderJobId(invoiceId, 'due'),
    ]);
    assert.equal(
      messages.sent.map((m) => (m.kind === 'template' ? [m.template, m.language, m.parameters[2]] : m.kind)),
      [
        ['payment_reminder_before', 'ne', '2026-02-04'],
        ['payment_due_today', 'ne', '2026-02-04'],
      ],
    );
    // Paid in full after the slot chose it, before its job ran: no reminder.
    await consumer.stop();
    await slotOn('2026-02-06'); // after-2
    const owed = (await world.repos.credit.get(shop.id))?.outstanding() as Money;
    expectOk(
      await world.useCases.recordPayment.execute({
        retailerId: shop.id,
        amount: owed,
        reference: 'CASH-1',
        actor: { type: 'operator', id: 'op-1' },
      }),
    );
    const again = queue.process(QueueNames.PAYMENT_REMINDER, handlerByName(handlers, QueueNames.PAYMENT_REMINDER));
    try {
      const [after] = await settled(queue, QueueNames.PAYMENT_REMINDER, [reminderJobId(invoiceId, 'after-2')]);
      assert.is(after?.state, 'succeeded');
      assert.is(messages.sent.length, 2, 'no reminder for a paid invoice');
    } finally {
      await again.stop();
    }
  } finally {
    await consumer.stop();
    await queue.close();
  }
});

test('payment reminders: an erased retailer with an open invoice gets none (and the job does not fail)', async () => {
  const world = createTestWorld();
  const shop = await world.given.retailer({ netTermsDays: 3, name: 'Gita Pasal' });
  await deliveredOrder(world, shop.id); // due 2026-02-04 (Nepali); the invoice outlives the erasure
  expectOk(
    await world.useCases.erasePersonalData.execute({
      retailerId: shop.id,
      actor: SYSTEM_ACTOR,
      reason: 'the shop asked to be forgotten',
    }),
  );
  const queue = new InMemoryJobQueue(world.clock, nodeTimer);
  const messages = new InMemoryMessageSender();
  const handlers = scheduledJobHandlers({
    queue,
    logger: world.logger,
    useCases: world.useCases,
    repos: world.repos,
    messages,
    idempotency: world.persistence.idempotency,
    clock: world.clock,
    runRecoverySweep: async () => {},
    housekeeping: housekeepingOf(world),
  });
  const invoiceId = (await world.repos.credit.get(shop.id))?.openItems()[0]?.entryId as string;
  assert.ok(invoiceId, 'the invoice is kept');
  const consumer = queue.process(QueueNames.PAYMENT_REMINDER, handlerByName(handlers, QueueNames.PAYMENT_REMINDER));
  try {
    await handlerByName(
      handlers,
      QueueNames.SCHEDULER,
    )(job(QueueNames.SCHEDULER, ScheduledTaskNames.PAYMENT_REMINDERS, { slot: '2026-02-04T03:15:00.000Z' }));
    const [due] = await settled(queue, QueueNames.PAYMENT_REMINDER, [reminderJobId(invoiceId, 'due')]);
    assert.is(due?.state, 'succeeded', due?.lastError ?? '');
    assert.equal(messages.sent, [], 'nothing is sent to an erased placeholder');
    assert.ok(
      world.logger.records.some((r) => r.message === 'payment reminder not sent' && r.fields.reason === 'erased'),
    );
  } finally {
    await consumer.stop();
    await queue.close();
  }
});

test('snapshot refresh slots: two workers running the same slot enqueue each vendor and product once, paged', async () => {
  const world = createTestWorld();
  const vendors = [];
  for (let i = 0; i < 5; i++) vendors.push(await world.given.vendor());
  await world.given.vendor({ status: 'SUSPENDED' });
  const products = [await world.given.product(), await world.given.product(), await world.given.product()];
  const queue = new InMemoryJobQueue(world.clock, nodeTimer);
  const worker = () => {
    const deps = {
      queue,
      logger: world.logger,
      vendors: world.repos.vendors,
      products: world.repos.products,
      pageSize: 2,
    };
    return { vendors: vendorPerformanceRefreshTask(deps), prices: priceIntelligenceRefreshTask(deps) };
  };
  const [one, two] = [worker(), worker()];
  const slot = new Date('2026-02-01T06:25:00.000Z');
  const slotJob = job(QueueNames.SCHEDULER, ScheduledTaskNames.VENDOR_PERFORMANCE_REFRESH, {
    slot: slot.toISOString(),
  });
  await Promise.all([one.vendors(slot, slotJob), two.vendors(slot, slotJob)]);
  await Promise.all([one.prices(slot, slotJob), two.prices(slot, slotJob)]);
  let stats = await queue.stats(QueueNames.REPORT_GENERATION);
  assert.is(stats.waiting, vendors.length + products.length, 'active vendors and products, each once');
  for (const v of vendors) {
    assert.ok(
      await queue.get(QueueNames.REPORT_GENERATION, `refresh-vendor-performance:slot:${slot.toISOString()}:${v.id}`),
    );
  }
  await one.vendors(new Date(slot.getTime() + 60 * MS_PER_MINUTE), slotJob);
  stats = await queue.stats(QueueNames.REPORT_GENERATION);
  assert.is(stats.waiting, 2 * vendors.length + products.length, 'the next hour is a slot of its own');
  await queue.close();
});

test('the worker schedule has the snapshot refreshes, each job handled by name', async () => {
  const world = createTestWorld();
  const queue = new InMemoryJobQueue(world.clock, nodeTimer);
  const handlers = scheduledJobHandlers({
    queue,
    logger: world.logger,
    useCases: world.useCases,
    repos: world.repos,
    messages: new InMemoryMessageSender(),
    idempotency: world.persistence.idempotency,
    clock: world.clock,
    runRecoverySweep: async () => {},
    housekeeping: housekeepingOf(world),
  });
  const names = handlers.filter((h) => h.queue === QueueNames.SCHEDULER).map((h) => h.name);
  assert.ok(names.includes(ScheduledTaskNames.VENDOR_PERFORMANCE_REFRESH));
  assert.ok(names.includes(ScheduledTaskNames.PRICE_INTELLIGENCE_REFRESH));
  await world.given.vendor();
  const slot = '2026-02-01T06:25:00.000Z';
  await handlerByName(
    handlers,
    QueueNames.SCHEDULER,
  )(job(QueueNames.SCHEDULER, ScheduledTaskNames.VENDOR_PERFORMANCE_REFRESH, { slot }));
  assert.is((await queue.stats(QueueNames.REPORT_GENERATION)).waiting, 1);
  await queue.close();
});

test('reminder language from the conversation: the language the shop writes in, kept past expiry; none → en', async () => {
  const world = createTestWorld();
  const shop = await world.given.retailer();
  const quiet = await world.given.retailer({ phone: PhoneNumber.parse('+9779800000999') });
  const now = world.clock.now();
  const fresh = await world.repos.conversations.get(shop.phone, now);
  await world.repos.conversations.save({
    ...fresh,
    party: { kind: 'retailer', id: shop.id },
    language: 'ne-Latn',
    updatedAt: now,
    expiresAt: new Date(now.getTime() + MS_PER_MINUTE),
  });
  const languageOf = conversationLanguageOf(world.repos.conversations);
  assert.is(await languageOf(shop), 'ne-Latn');
  world.clock.advance(MS_PER_DAY);
  assert.is(
    (await world.repos.conversations.get(shop.phone, world.clock.now())).language,
    'en',
    'the conversation itself has expired',
  );
  assert.is(await languageOf(shop), 'ne-Latn', "the language is still the shop's");
  assert.is(await languageOf(quiet), 'en');
});

test.run();

test('conversation purge: drafts and conversations expired past their retention go, in batches; the rest stay; a rerun deletes nothing', async () => {
  const world = createTestWorld({ start: '2026-12-06T06:40:00.000Z' });
  const retailer = await world.given.retailer();
  const product = await world.given.product();
  const now = world.clock.now();
  const ago = (ms: number) => new Date(now.getTime() - ms);
  // Conversations: three long expired, one expired a day ago (its language still serves notices), one live.
  const phones = ['+9779800000101', '+9779800000102', '+9779800000103', '+9779800000104', '+9779800000105'].map((p) =>
    PhoneNumber.parse(p),
  );
  const expiries = [
    ago(CONVERSATION_RETENTION_MS + MS_PER_DAY),
    ago(CONVERSATION_RETENTION_MS + 2 * MS_PER_DAY),
    ago(CONVERSATION_RETENTION_MS + 1),
    ago(MS_PER_DAY),
    new Date(now.getTime() + MS_PER_MINUTE),
  ];
  for (const [i, phone] of phones.entries()) {
    const expiresAt = expiries[i] as Date;
    await world.repos.conversations.save({
      ...freshConversation(phone, ago(40 * MS_PER_DAY)),
      language: 'ne',
      expiresAt,
    });
  }
  // Drafts: an open one expired past retention, a confirmed one as old (its order refers to it), a recent one.
  const line = orderLine({
    productId: product.id,
    sku: product.sku,
    name: product.name,
    quantity: Quantity.of(2, 'packet'),
    unitPrice: Money.of(2_000),
  });
  const draft = (expiresAt: Date, status: OrderDraft['status']): OrderDraft => ({
    id: world.ids.next() as DraftId,
    retailerId: retailer.id,
    text: 'wai wai 2',
    source: 'whatsapp',
    lines: [{ raw: 'wai wai 2', line, resolvedBy: 'match' }],
    questions: [],
    total: line.lineTotal,
    availableBefore: Money.of(100_000),
    availableAfter: Money.of(96_000),
    replacesOrderId: null,
    status,
    orderId: null,
    supersededBy: null,
    createdAt: ago(20 * MS_PER_DAY),
    expiresAt,
  });
  const old = draft(ago(DRAFT_RETENTION_MS + MS_PER_DAY), 'OPEN');
  const recent = draft(ago(MS_PER_DAY), 'OPEN');
  for (const d of [old, recent]) await world.repos.orderDrafts.insert(d);

  const run = conversationPurgeTask({ ...housekeepingOf(world), logger: world.logger, batch: 2 });
  const slot = new Date('2026-12-06T06:40:00.000Z');
  await run(slot, job(QueueNames.SCHEDULER, ScheduledTaskNames.CONVERSATION_PURGE, {}));
  // Read as of the epoch: a stored (even expired) conversation keeps its language, a purged one is fresh.
  const kept = async (phone: PhoneNumber) => (await world.repos.conversations.get(phone, new Date(0))).version > 0;
  assert.equal(await Promise.all(phones.map(kept)), [false, false, false, true, true]);
  assert.is(await world.repos.orderDrafts.get(old.id), null, 'the old draft is gone');
  assert.ok(await world.repos.orderDrafts.get(recent.id), 'the recent draft stays');
  assert.ok(
    world.logger.records.some((e) => e.message === 'scheduler: expired conversations and drafts purged'),
    'logged',
  );
  // The same slot again (a retried job): nothing more goes.
  await run(slot, job(QueueNames.SCHEDULER, ScheduledTaskNames.CONVERSATION_PURGE, {}));
  assert.equal(await Promise.all(phones.map(kept)), [false, false, false, true, true]);
  assert.ok(await world.repos.orderDrafts.get(recent.id));
});

test('conversation purge is in the schedule and has a SCHEDULER handler', () => {
  const world = createTestWorld();
  const names = scheduledJobHandlers({
    queue: new InMemoryJobQueue(world.clock, nodeTimer),
    logger: world.logger,
    useCases: world.useCases,
    repos: world.repos,
    messages: new InMemoryMessageSender(),
    idempotency: world.persistence.idempotency,
    clock: world.clock,
    runRecoverySweep: async () => {},
    housekeeping: housekeepingOf(world),
  })
    .filter((h) => h.queue === QueueNames.SCHEDULER)
    .map((h) => h.name);
  assert.ok(names.includes(ScheduledTaskNames.CONVERSATION_PURGE));
  assert.ok(WORKER_SCHEDULE.some((t) => t.name === ScheduledTaskNames.CONVERSATION_PURGE));
});

import {
  domainEvent,
  EventTypes,
  IDEMPOTENCY_STORE,
  type JobInfo,
  type DomainEvent,
  type MessageSender,
  messageSendRequested,
  messagesSendRequested,
  Money,
  outboundMessageFromJSON,
  NOOP_LOGGER,
  type OrderId,
  type OrderLine,
  type OutboundMessage,
  PhoneNumber,
  type ProductId,
  QueueNames,
  REPOSITORY_TOKENS,
  type RetailerId,
  TIMER,
  UnavailableError,
  USE_CASES,
  type VendorId,
  type VendorOfferId,
} from '@khaacho/core';
import { InMemoryJobQueue, ManualClock } from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Composition, composeContainer } from '../composition/compose-container.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { eventually, flowWorld, recordingSender } from '../testing/flow-world.js';
import { createEventConsumer, nepalTime, offerBody } from './event-consumers.js';
import { eventToJobPayload, routeEvent } from './event-routes.js';

const clock = new ManualClock('2026-03-02T04:00:00.000Z');
// Ids as the stores make them (UUIDv7): the use cases refuse anything else.
const ORDER_ID = '01950000-0000-7000-8000-000000000001' as OrderId;
const ENTRY_ID = '01950000-0000-7000-8000-000000000002';

async function setup(tag: string) {
  const app = await composeContainer(
    workerConfigFromEnv({ KHAACHO_STORE: 'memory', KHAACHO_MESSAGE_SENDER: 'memory', LOG_LEVEL: 'silent' }),
    { clock },
  );
  const world = await flowWorld(app, 1, tag);
  const consume = createEventConsumer({
    useCases: app.get(USE_CASES),
    vendors: app.get(REPOSITORY_TOKENS.vendors),
    retailers: app.get(REPOSITORY_TOKENS.retailers),
    sender: recordingSender(app),
    idempotency: app.get(IDEMPOTENCY_STORE),
    clock,
    logger: NOOP_LOGGER,
    operatorPhone: PhoneNumber.parse('9851099999'),
  });
  return { app, world, consume, sender: recordingSender(app) };
}

function offeredJob(vendorId: string, jobId = 'msg-1'): JobInfo {
  const event = domainEvent(EventTypes.ORDER_OFFERED, ORDER_ID, clock.now(), {
    vendorId: vendorId as never,
    attempt: 1,
    deadline: new Date(clock.now().getTime() + 600_000).toISOString(),
    manual: false,
    total: Money.parse('1200').toJSON(),
  });
  const route = routeEvent(event);
  return job(route?.queue ?? '', route?.job ?? '', jobId, eventToJobPayload(event));
}

function job(queue: string, name: string, jobId: string, payload: JobInfo['payload']): JobInfo {
  const at = clock.now();
  return {
    queue,
    name,
    jobId,
    payload,
    state: 'active',
    attempts: 1,
    maxAttempts: 5,
    lastError: null,
    createdAt: at,
    updatedAt: at,
  };
}

async function closing(app: Composition, work: () => Promise<void>) {
  try {
    await work();
  } finally {
    await app.close();
  }
}

test("the vendor's offer deadline is written in Nepal time (UTC+05:45), across midnight too", () => {
  assert.is(nepalTime('2026-12-06T05:22:08.240Z'), '11:07 (Nepal time), 6 Dec 2026');
  assert.is(nepalTime('2026-12-31T18:20:00.000Z'), '00:05 (Nepal time), 1 Jan 2027');
  assert.is(nepalTime('not a time'), 'not a time');
});

test('the offer tells the vendor what to deliver and where: its lines, total, area and deadline', async () => {
  // Seen in the simulator: "New order KH-000041 for NPR 4,008.00. Please answer by …", with no
  // line and no area, so the vendor could not know what it accepts.
  const { app, world, consume, sender } = await setup('o');
  await closing(app, async () => {
    const vendor = world.vendors[0] as { id: string; phone: string };
    const orderId = await world.placeOrder();
    const order = await app.get(REPOSITORY_TOKENS.orders).get(orderId);
    if (!order) return assert.unreachable('placed');
    const event = domainEvent(EventTypes.ORDER_OFFERED, orderId, clock.now(), {
      vendorId: vendor.id as never,
      attempt: 1,
      deadline: '2026-03-02T04:10:00.000Z',
      manual: false,
      total: order.total.toJSON(),
    });
    const route = routeEvent(event);
    await consume(job(route?.queue ?? '', route?.job ?? '', 'offer-lines', eventToJobPayload(event)));
    const [offer] = sender.to(vendor.phone);
    const body = offer?.kind === 'buttons' ? offer.body : '';
    const line = order.lines[0];
    if (!line) return assert.unreachable('a line');
    assert.is(
      body,
      `New order ${order.number} for ${order.total.format()}, to kathmandu-o:\n` +
        `1. ${line.name}: ${line.quantity} × ${line.unitPrice.format()} = ${line.lineTotal.format()}\n` +
        `Please answer by ${nepalTime('2026-03-02T04:10:00.000Z')}.`,
    );
  });
});

test("a long order still fits one offer: the lines past WhatsApp's 1,024 characters are counted, not listed", () => {
  const line = {
    name: 'Mansuli Rice 25kg premium',
    quantity: '2 bag',
    unitPrice: Money.parse('2004'),
    lineTotal: Money.parse('4008'),
  } as unknown as OrderLine;
  const body = offerBody({
    number: 'KH-000042',
    total: 'NPR 240,480.00',
    area: 'kathmandu-22',
    lines: Array.from({ length: 60 }, () => line),
    deadline: '14:39 (Nepal time), 6 Dec 2026',
  });
  assert.ok(body.length <= 1024, `${body.length} characters`);
  const rows = body.split('\n');
  const listed = rows.filter((r) => /^\d+\. /.test(r)).length;
  assert.ok(listed > 5, `${listed} lines listed`);
  assert.is(rows.at(-2), `… and ${60 - listed} more lines`);
  assert.is(rows.at(-1), 'Please answer by 14:39 (Nepal time), 6 Dec 2026.');
});

test('an offer job delivered twice sends the vendor one message', async () => {
  const { app, world, consume, sender } = await setup('c');
  await closing(app, async () => {
    const vendor = world.vendors[0] as { id: string; phone: string };
    await consume(offeredJob(vendor.id));
    await consume(offeredJob(vendor.id));
    assert.is(sender.to(vendor.phone).length, 1);
    await consume(offeredJob(vendor.id, 'msg-2'));
    assert.is(sender.to(vendor.phone).length, 2, 'another job (another offer) is another message');
  });
});

test('a job that fails after its effect is retried by the queue without a second message', async () => {
  const { app, world, consume, sender } = await setup('d');
  await closing(app, async () => {
    const vendor = world.vendors[0] as { id: string; phone: string };
    const queue = new InMemoryJobQueue(clock, app.get(TIMER));
    let crashes = 1;
    const consumer = queue.process(QueueNames.NOTIFICATIONS, async (j) => {
      await consume(j);
      if (crashes-- > 0) throw new Error('process died after sending');
    });
    const spec = offeredJob(vendor.id);
    await queue.enqueue({ queue: spec.queue, name: spec.name, jobId: spec.jobId, payload: spec.payload, backoffMs: 1 });
    const done = await eventually('the job succeeds', async () => {
      const info = await queue.get(spec.queue, spec.jobId);
      return info?.state === 'succeeded' && info;
    });
    await consumer.stop();
    await queue.close();
    assert.is(done.attempts, 2, 'it ran twice');
    assert.is(sender.to(vendor.phone).length, 1, 'and sent once');
  });
});

test('a send that fails gives the key back: the retry sends', async () => {
  const { app, world, consume, sender } = await setup('e');
  await closing(app, async () => {
    const vendor = world.vendors[0] as { id: string; phone: string };
    sender.failNext(1);
    try {
      await consume(offeredJob(vendor.id));
      assert.unreachable('the failed send did not fail the job');
    } catch (error) {
      assert.match(String(error), 'simulated provider failure');
    }
    await consume(offeredJob(vendor.id));
    assert.is(sender.to(vendor.phone).length, 1);
  });
});

test('a requested message whose send fails is retried by the queue and goes out once, also when redelivered', async () => {
  const { app, consume, sender } = await setup('m');
  await closing(app, async () => {
    const to = PhoneNumber.parse('9841000111');
    const event = messageSendRequested(
      {
        kind: 'buttons',
        to,
        body: 'चामल २ बोरा: रु 4,300',
        buttons: [{ id: 'draft:confirm:x', title: 'Confirm' }],
      },
      'draft-reply',
      clock.now(),
    );
    const route = routeEvent(event);
    assert.equal(route, { queue: QueueNames.NOTIFICATIONS, job: 'send-message' });
    const queue = new InMemoryJobQueue(clock, app.get(TIMER));
    const consumer = queue.process(QueueNames.NOTIFICATIONS, consume);
    sender.failNext(2);
    const spec = { queue: QueueNames.NOTIFICATIONS, name: 'send-message', jobId: 'outbox-msg-1' };
    await queue.enqueue({ ...spec, payload: eventToJobPayload(event), backoffMs: 1 });
    const done = await eventually('the job succeeds', async () => {
      const info = await queue.get(spec.queue, spec.jobId);
      return info?.state === 'succeeded' && info;
    });
    await consumer.stop();
    await queue.close();
    assert.is(done.attempts, 3, 'two failed sends, then the one that went');
    // A redelivery of the same job (the relay publishing again after a crash) sends nothing.
    await consume(job(spec.queue, spec.name, spec.jobId, eventToJobPayload(event)));
    const got = sender.to(to.value);
    assert.is(got.length, 1, 'sent once');
    const { providerMessageId: _, ...message } = got[0] as OutboundMessage & { providerMessageId: string };
    assert.equal(
      message,
      event.type === EventTypes.MESSAGE_SEND_REQUESTED && outboundMessageFromJSON(event.payload.message),
    );
  });
});

test('an answer of three messages whose provider fails on the second: the retry resumes there, each goes once, in order', async () => {
  const { app, sender } = await setup('n');
  await closing(app, async () => {
    const to = PhoneNumber.parse('9841000222');
    const answer: OutboundMessage[] = [
      { kind: 'buttons', to, body: 'draft', buttons: [{ id: 'draft:confirm:x', title: 'Confirm' }] },
      { kind: 'text', to, text: 'choose rice' },
      { kind: 'text', to, text: 'choose oil' },
    ];
    const [event, ...more] = messagesSendRequested(answer, 'draft-reply', clock.now());
    assert.is(more.length, 0, 'one event for the answer');
    let calls = 0;
    // Fails the second call only: the first attempt gets message 1 out, then stops at message 2.
    const flaky: MessageSender = {
      send: async (m) => {
        calls += 1;
        if (calls === 2) throw new Error('graph down');
        return sender.send(m);
      },
    };
    const consume = createEventConsumer({
      useCases: app.get(USE_CASES),
      vendors: app.get(REPOSITORY_TOKENS.vendors),
      sender: flaky,
      idempotency: app.get(IDEMPOTENCY_STORE),
      clock,
      logger: NOOP_LOGGER,
    });
    const queue = new InMemoryJobQueue(clock, app.get(TIMER));
    const consumer = queue.process(QueueNames.NOTIFICATIONS, consume);
    const spec = { queue: QueueNames.NOTIFICATIONS, name: 'send-message', jobId: 'outbox-answer-1' };
    await queue.enqueue({ ...spec, payload: eventToJobPayload(event as DomainEvent), backoffMs: 1 });
    const done = await eventually('the job succeeds', async () => {
      const info = await queue.get(spec.queue, spec.jobId);
      return info?.state === 'succeeded' && info;
    });
    await consumer.stop();
    await queue.close();
    assert.is(done.attempts, 2);
    assert.is(calls, 4, 'message 1 was not sent again');
    // A redelivery (the relay publishing again after a crash) sends none of them again.
    await consume(job(spec.queue, spec.name, spec.jobId, eventToJobPayload(event as DomainEvent)));
    assert.is(calls, 4);
    const got = sender
      .to(to.value)
      .map(({ providerMessageId: _id, ...m }: OutboundMessage & { providerMessageId?: string }) => m);
    assert.equal(got, answer);
  });
});

test('a payment job delivered twice records one credit score', async () => {
  const { app, world, consume } = await setup('f');
  await closing(app, async () => {
    const retailerId = world.retailerId as RetailerId;
    const event = domainEvent(EventTypes.CREDIT_PAYMENT_RECORDED, retailerId, clock.now(), {
      retailerId,
      entryId: ENTRY_ID as never,
      amount: 120_000,
      currency: 'NPR',
      reference: 'ESEWA-1',
      settledOrderIds: [],
    } as never);
    const route = routeEvent(event);
    assert.equal(route, { queue: QueueNames.CREDIT_SCORE, job: 'recalculate-credit-score' });
    const delivery = job(QueueNames.CREDIT_SCORE, 'recalculate-credit-score', 'msg-pay', eventToJobPayload(event));
    await consume(delivery);
    await consume(delivery);
    const history = await app.get(REPOSITORY_TOKENS.creditScores).history(retailerId);
    assert.equal(
      history.map((h) => h.trigger),
      ['PAYMENT'],
    );
  });
});

test('an operator alert is logged and sent to the configured number once', async () => {
  const { app, consume, sender } = await setup('g');
  await closing(app, async () => {
    const event = domainEvent(EventTypes.ORDER_NEEDS_MANUAL_ASSIGNMENT, ORDER_ID, clock.now(), {
      attempts: 5,
      reason: '5 vendors did not accept',
    });
    const delivery = job(QueueNames.NOTIFICATIONS, 'alert-operator', 'msg-alert', eventToJobPayload(event));
    await consume(delivery);
    await consume(delivery);
    const alerts = sender.to(PhoneNumber.parse('9851099999').value);
    assert.is(alerts.length, 1);
    assert.match(alerts[0]?.kind === 'text' ? alerts[0].text : '', '5 automatic attempts');
  });
});

test('a delivery dispute alerts the operator once, saying why', async () => {
  const { app, consume, sender } = await setup('j');
  await closing(app, async () => {
    const event = domainEvent(EventTypes.ORDER_DELIVERY_DISPUTED, ORDER_ID, clock.now(), {
      retailerId: '01950000-0000-7000-8000-000000000003' as RetailerId,
      vendorId: '01950000-0000-7000-8000-000000000004' as VendorId,
      reason: 'WRONG_CODE_LIMIT',
      actor: { type: 'vendor', id: '01950000-0000-7000-8000-000000000004' },
      note: null,
    });
    assert.equal(routeEvent(event), { queue: QueueNames.NOTIFICATIONS, job: 'alert-operator' });
    const delivery = job(QueueNames.NOTIFICATIONS, 'alert-operator', 'msg-dispute', eventToJobPayload(event));
    await consume(delivery);
    await consume(delivery);
    const alerts = sender.to(PhoneNumber.parse('9851099999').value);
    assert.is(alerts.length, 1);
    assert.match(alerts[0]?.kind === 'text' ? alerts[0].text : '', 'is in dispute (three wrong codes)');
  });
});

test('a product or offer event invalidates its part of the catalog cache; the job fails while that cannot be confirmed', async () => {
  const { app, world } = await setup('i');
  await closing(app, async () => {
    const invalidated: string[] = [];
    let reachable = true;
    const consume = createEventConsumer({
      useCases: app.get(USE_CASES),
      vendors: app.get(REPOSITORY_TOKENS.vendors),
      sender: recordingSender(app),
      idempotency: app.get(IDEMPOTENCY_STORE),
      clock,
      logger: NOOP_LOGGER,
      catalog: {
        invalidate: async (event) => {
          if (!reachable) throw new UnavailableError('cache down');
          invalidated.push(event.type);
          return event.aggregateType === 'product' ? 'products' : 'offers';
        },
      },
    });
    const vendorId = (world.vendors[0] as { id: string }).id as VendorId;
    const productId = '01950000-0000-7000-8000-000000000003' as ProductId;
    const events = [
      domainEvent(EventTypes.PRODUCT_UPDATED, productId, clock.now(), { sku: 'WAIWAI-i' }),
      domainEvent(
        EventTypes.OFFER_PRICE_CHANGED,
        '01950000-0000-7000-8000-000000000004' as VendorOfferId,
        clock.now(),
        {
          vendorId,
          productId,
          unit: 'packet',
          price: 2_100,
          previousPrice: 2_000,
          stockOnHand: 10,
        },
      ),
    ];
    for (const [i, event] of events.entries()) {
      const route = routeEvent(event);
      assert.equal(route, { queue: QueueNames.ORDER_PROCESSING, job: 'invalidate-catalog-cache' });
      await consume(job(route?.queue ?? '', route?.job ?? '', `cat-${i}`, eventToJobPayload(event)));
    }
    assert.equal(invalidated, ['product.updated', 'offer.price_changed']);
    reachable = false;
    const first = events[0] as (typeof events)[0];
    let failure: unknown = null;
    await consume(
      job(QueueNames.ORDER_PROCESSING, 'invalidate-catalog-cache', 'cat-x', eventToJobPayload(first)),
    ).catch((error) => {
      failure = error;
    });
    assert.ok(UnavailableError.is(failure), 'the job fails, so the queue retries it');
  });
});

test('a job whose name and event disagree fails instead of doing the wrong thing', async () => {
  const { app, world, consume } = await setup('h');
  await closing(app, async () => {
    const offered = offeredJob((world.vendors[0] as { id: string }).id);
    try {
      await consume({ ...offered, name: 'recalculate-credit-score' });
      assert.unreachable('accepted a mismatched job');
    } catch (error) {
      assert.match(String(error), 'cannot handle event order.offered');
    }
  });
});

test.run();

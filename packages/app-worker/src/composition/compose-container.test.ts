import { Writable } from 'node:stream';
import {
  ALLOW_ALL_RISK_POLICY,
  CLOCK,
  ID_GENERATOR,
  JOB_QUEUE,
  LOGGER,
  MESSAGE_SENDER,
  Money,
  OUTBOX,
  PhoneNumber,
  REPOSITORY_TOKENS,
  SYSTEM_ACTOR,
  type Token,
  UNIT_OF_WORK,
  USE_CASE_TOKENS,
  USE_CASES,
  unwrap,
} from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { withLogContext } from '../logging/log-context.js';
import { provide } from './bindings.js';
import { type Composition, composeContainer } from './compose-container.js';
import { IN_MEMORY_PERSISTENCE } from './in-memory-module.js';

export function captureLines() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, destination };
}

/** A shop, a vendor and an offer, one order placed, routed, accepted, delivered and paid: through resolved tokens only. */
export async function orderJourney(app: Composition): Promise<string> {
  const uc = USE_CASE_TOKENS;
  const vendor = unwrap(
    await app.get(uc.registerVendor).execute({
      name: 'Bhatbhateni Distributors',
      phone: PhoneNumber.parse('9851000001'),
      serviceAreas: ['kathmandu-10'],
      dailyCapacity: 100,
      actor: SYSTEM_ACTOR,
    }),
  );
  const { product } = unwrap(
    await app.get(uc.upsertProduct).execute({
      sku: 'WAIWAI-75',
      name: 'Wai Wai Noodles 75g',
      category: 'noodles',
      baseUnit: 'packet',
      conversions: [{ unit: 'carton', toBase: 30 }],
      actor: SYSTEM_ACTOR,
    }),
  );
  unwrap(
    await app.get(uc.upsertVendorOffer).execute({
      vendorId: vendor.id,
      productId: product.id,
      unit: 'packet',
      unitPrice: Money.parse('20'),
      stockOnHand: 3000,
      actor: SYSTEM_ACTOR,
    }),
  );
  const shop = unwrap(
    await app.get(uc.registerRetailer).execute({
      name: 'Sita Kirana Pasal',
      phone: PhoneNumber.parse('9841000001'),
      area: 'kathmandu-10',
      district: 'kathmandu',
      creditLimit: Money.parse('50000'),
      status: 'ACTIVE',
      actor: SYSTEM_ACTOR,
    }),
  );
  const placed = unwrap(
    await app.get(uc.placeOrder).execute({
      retailerId: shop.id,
      lines: [{ sku: 'WAIWAI-75', quantity: 2, unit: 'carton' }],
      source: 'whatsapp',
      actor: SYSTEM_ACTOR,
    }),
  );
  const orderId = placed.order.id;
  unwrap(await app.get(uc.routeOrder).execute({ orderId, actor: SYSTEM_ACTOR }));
  const vendorActor = { type: 'vendor', id: vendor.id } as const;
  unwrap(await app.get(uc.acceptVendorOffer).execute({ orderId, vendorId: vendor.id, actor: vendorActor }));
  unwrap(await app.get(uc.dispatchOrder).execute({ orderId, actor: vendorActor }));
  const delivered = unwrap(await app.get(uc.deliverOrder).execute({ orderId, actor: vendorActor }));
  unwrap(
    await app.get(uc.recordPayment).execute({
      retailerId: shop.id,
      amount: delivered.total,
      reference: 'ESEWA-0001',
      actor: SYSTEM_ACTOR,
    }),
  );
  const done = unwrap(await app.get(uc.getOrder).execute({ orderId }));
  assert.is(done.total.amount, 120_000);
  // The outbox holds the journey's events, written in the same transactions.
  const stats = await app.get(OUTBOX).stats(app.get(CLOCK).now());
  assert.ok(stats.pending > 0);
  return done.status;
}

test('in memory: every use case token resolves to the use case createUseCases built', async () => {
  const app = await composeContainer(workerConfigFromEnv({ KHAACHO_STORE: 'memory', LOG_LEVEL: 'silent' }));
  try {
    assert.equal(app.adapters, { store: 'memory', jobQueue: 'memory', cache: 'memory', messageSender: 'memory' });
    const all = app.get(USE_CASES);
    for (const [key, service] of Object.entries(USE_CASE_TOKENS) as [keyof typeof all, Token<unknown>][]) {
      assert.is(app.get(service), all[key], key);
    }
    for (const service of Object.values(REPOSITORY_TOKENS)) assert.ok(app.get(service as Token<object>));
    for (const service of [CLOCK, ID_GENERATOR, LOGGER, UNIT_OF_WORK, OUTBOX, JOB_QUEUE, MESSAGE_SENDER]) {
      assert.ok(app.get(service as Token<object>));
    }
    // Singletons: one store behind the unit of work and the repositories.
    assert.is(app.get(UNIT_OF_WORK), app.get(IN_MEMORY_PERSISTENCE).uow);
    assert.is(app.get(REPOSITORY_TOKENS.orders), app.get(IN_MEMORY_PERSISTENCE).repos.orders);
    await app.ready();
  } finally {
    await app.close();
  }
});

test('in memory: an order journey runs through the resolved use cases, with UUIDv7 ids from the process providers', async () => {
  const app = await composeContainer(workerConfigFromEnv({ KHAACHO_STORE: 'memory', LOG_LEVEL: 'silent' }));
  try {
    assert.is(await orderJourney(app), 'COMPLETED');
    assert.match(app.get(ID_GENERATOR).next(), /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
  } finally {
    await app.close();
  }
});

test('use-case logs are pino JSON lines carrying the job id of the work they ran in', async () => {
  const { lines, destination } = captureLines();
  const app = await composeContainer(workerConfigFromEnv({ KHAACHO_STORE: 'memory' }), { logDestination: destination });
  try {
    await withLogContext({ jobId: 'job-42' }, () => orderJourney(app));
    app.get(LOGGER).info('outside');
  } finally {
    await app.close();
  }
  const inside = lines.filter((line) => line.msg !== 'outside');
  assert.ok(inside.length > 0, 'the use cases logged');
  for (const line of inside) assert.is(line.jobId, 'job-42');
  assert.is(lines.find((line) => line.msg === 'outside')?.jobId, undefined);
  assert.not.ok(JSON.stringify(lines).includes('9841000001'), 'no phone number in the logs');
});

test('close() deactivates what the container opened: the job queue refuses work after it', async () => {
  const app = await composeContainer(workerConfigFromEnv({ KHAACHO_STORE: 'memory', LOG_LEVEL: 'silent' }));
  const queue = app.get(JOB_QUEUE);
  await app.close();
  await app.close();
  try {
    await queue.enqueue({ queue: 'q', name: 'n', payload: {}, jobId: 'j' });
    assert.unreachable('a closed queue accepted a job');
  } catch (error) {
    assert.match(String(error), 'closed');
  }
  assert.not.ok(app.container.isBound(UNIT_OF_WORK));
});

test('provide checks the factory against the tokens at compile time', () => {
  // Only the types matter here; the module is never loaded.
  const bind = (() => ({ toResolvedValue: () => ({ inSingletonScope: () => ({}) }) })) as never;
  // @ts-expect-error a Clock factory cannot stand for the id generator
  provide(bind, ID_GENERATOR, [CLOCK], (clock) => clock);
  provide(bind, ID_GENERATOR, [], () => ({ next: () => 'x' }));
  assert.ok(ALLOW_ALL_RISK_POLICY);
});

test.run();

import {
  CONVERSATION_HANDLER,
  CONVERSATION_STORE,
  ConversationService,
  ALLOW_ALL_RISK_POLICY,
  CACHE,
  LEASE_LOCK,
  RATE_LIMITER,
  IDEMPOTENCY_STORE,
  RANDOM_SOURCE,
  REPOSITORIES,
  TIMER,
  USE_CASE_CONTEXT,
  WEBHOOK_INBOX,
  CLOCK,
  DRAFT_USE_CASE_TOKENS,
  DRAFT_USE_CASES,
  ID_GENERATOR,
  JOB_QUEUE,
  LOGGER,
  MESSAGE_SENDER,
  OUTBOX,
  REPOSITORY_TOKENS,
  type Token,
  UNIT_OF_WORK,
  unwrap,
  USE_CASE_TOKENS,
  USE_CASES,
} from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { withLogContext } from '../logging/log-context.js';
import { provide } from './bindings.js';
import { composeContainer } from './compose-container.js';
import { IN_MEMORY_PERSISTENCE } from './in-memory-module.js';
import { captureLines, orderJourney, seedWaiWaiWorld } from '../testing/order-journey.js';

test('in memory: every use case token resolves to the use case createUseCases built', async () => {
  const app = await composeContainer(workerConfigFromEnv({ KHAACHO_STORE: 'memory', LOG_LEVEL: 'silent' }));
  try {
    assert.equal(app.adapters, {
      store: 'memory',
      jobQueue: 'memory',
      cache: 'memory',
      rateLimiter: 'memory',
      leaseLock: 'memory',
      messageSender: 'log',
      parser: 'local',
    });
    const all = app.get(USE_CASES);
    for (const [key, service] of Object.entries(USE_CASE_TOKENS) as [keyof typeof all, Token<unknown>][]) {
      assert.is(app.get(service), all[key], key);
    }
    const drafts = app.get(DRAFT_USE_CASES);
    for (const [key, service] of Object.entries(DRAFT_USE_CASE_TOKENS) as [keyof typeof drafts, Token<unknown>][]) {
      assert.is(app.get(service), drafts[key], key);
    }
    for (const service of Object.values(REPOSITORY_TOKENS)) assert.ok(app.get(service as Token<object>));
    assert.is(app.get(CONVERSATION_STORE), app.get(IN_MEMORY_PERSISTENCE).repos.conversations);
    assert.ok(app.get(CONVERSATION_HANDLER) instanceof ConversationService);
    assert.is(app.get(CONVERSATION_HANDLER), app.get(CONVERSATION_HANDLER), 'one service');
    const ports = [
      RATE_LIMITER,
      LEASE_LOCK,
      CLOCK,
      ID_GENERATOR,
      RANDOM_SOURCE,
      TIMER,
      LOGGER,
      UNIT_OF_WORK,
      REPOSITORIES,
      OUTBOX,
      WEBHOOK_INBOX,
    ];
    for (const service of [...ports, IDEMPOTENCY_STORE, JOB_QUEUE, CACHE, MESSAGE_SENDER, USE_CASE_CONTEXT]) {
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

test('in memory: a message drafts over the bound parser and confirms into an order, once', async () => {
  const app = await composeContainer(workerConfigFromEnv({ KHAACHO_STORE: 'memory', LOG_LEVEL: 'silent' }));
  try {
    const { shop } = await seedWaiWaiWorld(app);
    const actor = { type: 'retailer', id: shop.id } as const;
    const draft = unwrap(
      await app
        .get(DRAFT_USE_CASE_TOKENS.draftOrderFromText)
        .execute({ retailerId: shop.id, text: '2 carton wai wai', actor }),
    );
    assert.equal(
      draft.lines.map((l) => [l.line.sku, `${l.line.quantity}`, l.line.lineTotal.amount]),
      [['WAIWAI-75', '2 carton', 120_000]],
    );
    const confirm = app.get(DRAFT_USE_CASE_TOKENS.confirmDraft);
    const first = unwrap(await confirm.execute({ draftId: draft.id, actor }));
    const again = unwrap(await confirm.execute({ draftId: draft.id, actor }));
    if (first.kind !== 'PLACED' || again.kind !== 'PLACED') return assert.unreachable('placed');
    assert.is(first.order.status, 'ROUTING');
    assert.is(again.order.id, first.order.id, 'the same order');
  } finally {
    await app.close();
  }
});

test.run();

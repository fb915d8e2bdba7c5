import { EventTypes, OUTBOX, OUTBOX_WAKEUP, QueueNames, TIMER, UNIT_OF_WORK } from '@khaacho/core';
import { InMemoryJobQueue, oneEventOfEachType } from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Composition, composeContainer } from '../composition/compose-container.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { eventually } from '../testing/flow-world.js';
import { admin, scratchDatabase } from '../testing/scratch-database.js';
import { OutboxRelay } from './outbox-relay.js';

const database = scratchDatabase('khaacho_relay_listen');
let app: Composition | null = null;

test.before(async () => {
  await database.create();
});
test.after.each(async () => {
  await app?.close();
  app = null;
});
test.after(async () => {
  await database.drop();
});

const compose = (env: Record<string, string>) =>
  composeContainer(workerConfigFromEnv({ KHAACHO_DB_MIGRATE: 'true', LOG_LEVEL: 'silent', ...env }));

test('worker-ops 1: on a server the relay wakes on NOTIFY (its poll is an hour), also after its listener backend is terminated', async () => {
  app = await compose({ DATABASE_URL: database.url.toString() });
  const composed = app;
  const queue = new InMemoryJobQueue({ now: () => new Date() }, composed.get(TIMER));
  const relay = new OutboxRelay(
    {
      outbox: composed.get(OUTBOX),
      queue,
      clock: { now: () => new Date() },
      timer: composed.get(TIMER),
      logger: { info() {}, warn() {}, error() {} },
      wakeup: composed.get(OUTBOX_WAKEUP),
    },
    // Only a wake-up can deliver within the test: the fallback poll never comes.
    { ack: 'enqueue', pollMs: 3_600_000 },
  );
  const offered = oneEventOfEachType(new Date())[EventTypes.ORDER_OFFERED];
  const append = () => composed.get(UNIT_OF_WORK).run((tx) => tx.outbox.append([offered]));
  const published = async () => (await composed.get(OUTBOX).stats(new Date())).pending === 0;
  const listenerBackends = async () =>
    (await admin(
      `select pid from pg_stat_activity where application_name = 'khaacho-outbox-listener' and datname = $1`,
      [database.name],
    )) as Array<{ pid: number }>;
  try {
    await eventually('the listener is connected', async () => (await listenerBackends()).length === 1);
    relay.start();
    await eventually('the first pass ran', () => relay.status().running);
    await append();
    await eventually('the message is published, woken by its NOTIFY', published);
    assert.is((await queue.stats(QueueNames.NOTIFICATIONS)).waiting, 1);

    const [backend] = await listenerBackends();
    await admin('select pg_terminate_backend($1)', [backend?.pid]);
    await append();
    await eventually('the relay still delivers after the listener lost its backend', published);
    assert.is((await queue.stats(QueueNames.NOTIFICATIONS)).waiting, 2);
    await eventually('the listener has a new backend', async () => {
      const now = await listenerBackends();
      return now.length === 1 && now[0]?.pid !== backend?.pid;
    });
    await append();
    await eventually('and NOTIFY wakes it on the new connection', published);
    assert.is((await queue.stats(QueueNames.NOTIFICATIONS)).waiting, 3);
    assert.ok(relay.status().woken >= 3, `woken ${relay.status().woken}`);
  } finally {
    await relay.stop();
    await queue.close();
  }
});

test('worker-ops 1: embedded PGlite (one connection, the pool’s, so no LISTEN) wakes the relay in the process once a unit of work that appended has committed', async () => {
  app = await compose({ KHAACHO_STORE: 'embedded', KHAACHO_DATA_DIR: 'memory://' });
  const composed = app;
  assert.is(composed.container.isBound(OUTBOX_WAKEUP), true);
  const queue = new InMemoryJobQueue({ now: () => new Date() }, composed.get(TIMER));
  const relay = new OutboxRelay(
    {
      outbox: composed.get(OUTBOX),
      queue,
      clock: { now: () => new Date() },
      timer: composed.get(TIMER),
      logger: { info() {}, warn() {}, error() {} },
      wakeup: composed.get(OUTBOX_WAKEUP),
    },
    // Only a wake-up can deliver within the test: the fallback poll never comes.
    { ack: 'enqueue', pollMs: 3_600_000 },
  );
  let wakes = 0;
  const unsubscribe = composed.get(OUTBOX_WAKEUP).subscribe(() => {
    wakes += 1;
  });
  relay.start();
  try {
    await composed.get(UNIT_OF_WORK).run(async () => {});
    await new Promise((r) => setImmediate(r));
    assert.is(wakes, 0, 'a commit that appended nothing wakes no one');
    const offered = oneEventOfEachType(new Date())[EventTypes.ORDER_OFFERED];
    // A rolled-back unit of work appended, but nothing committed: no wake-up either.
    await composed
      .get(UNIT_OF_WORK)
      .run(async (tx) => {
        await tx.outbox.append([offered]);
        throw new Error('rolled back');
      })
      .catch(() => {});
    await new Promise((r) => setImmediate(r));
    assert.is(wakes, 0, 'a rollback wakes no one');
    await composed.get(UNIT_OF_WORK).run((tx) => tx.outbox.append([offered]));
    await eventually(
      'the relay, woken, publishes it',
      async () => (await queue.stats(QueueNames.NOTIFICATIONS)).waiting === 1,
    );
    assert.ok(wakes >= 1 && relay.status().woken >= 1, `woken ${relay.status().woken}`);
  } finally {
    unsubscribe();
    await relay.stop();
    await queue.close();
  }
});

test.run();

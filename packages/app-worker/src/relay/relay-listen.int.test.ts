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

test('worker-ops 1: embedded PGlite binds no wake-up (its one connection is the pool’s): the relay polls', async () => {
  app = await compose({ KHAACHO_STORE: 'embedded', KHAACHO_DATA_DIR: 'memory://' });
  assert.is(app.container.isBound(OUTBOX_WAKEUP), false);
});

test.run();

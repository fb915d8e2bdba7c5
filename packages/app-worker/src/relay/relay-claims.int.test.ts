// Claims per commit with two workers on one PostgreSQL server: each worker's listener hears
// every NOTIFY, but only the leader's relay claims (the other's claim would find nothing).
import {
  EventTypes,
  NOOP_LOGGER,
  OUTBOX,
  OUTBOX_WAKEUP,
  type Outbox,
  QueueNames,
  TIMER,
  UNIT_OF_WORK,
} from '@khaacho/core';
import { InMemoryJobQueue, oneEventOfEachType } from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Composition, composeContainer } from '../composition/compose-container.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { eventually } from '../testing/flow-world.js';
import { scratchDatabase } from '../testing/scratch-database.js';
import { OutboxRelay } from './outbox-relay.js';

const database = scratchDatabase('khaacho_relay_claims');
const apps: Composition[] = [];

test.before(async () => {
  await database.create();
});
test.after(async () => {
  for (const app of apps) await app.close();
  await database.drop();
});

test('two workers, five commits one after another: five claims, all by one relay', async () => {
  for (let i = 0; i < 2; i += 1) {
    apps.push(
      await composeContainer(
        workerConfigFromEnv({ DATABASE_URL: database.url.toString(), KHAACHO_DB_MIGRATE: 'true', LOG_LEVEL: 'silent' }),
      ),
    );
  }
  const workers = apps.map((app) => {
    const outbox = app.get(OUTBOX);
    const counter = { claims: 0 };
    const counted: Outbox = Object.create(outbox, {
      claim: {
        value: (...args: Parameters<Outbox['claim']>) => {
          counter.claims += 1;
          return outbox.claim(...args);
        },
      },
    });
    const queue = new InMemoryJobQueue({ now: () => new Date() }, app.get(TIMER));
    const relay = new OutboxRelay(
      {
        outbox: counted,
        queue,
        clock: { now: () => new Date() },
        timer: app.get(TIMER),
        logger: NOOP_LOGGER,
        wakeup: app.get(OUTBOX_WAKEUP),
      },
      // Only wake-ups run passes within the test: the fallback poll never comes.
      { ack: 'enqueue', pollMs: 3_600_000 },
    );
    return { counter, queue, relay };
  });
  const [first] = apps as [Composition];
  const offered = oneEventOfEachType(new Date())[EventTypes.ORDER_OFFERED];
  const enqueued = async () => {
    let n = 0;
    for (const w of workers) n += (await w.queue.stats(QueueNames.NOTIFICATIONS)).waiting;
    return n;
  };
  const claims = () => workers.reduce((n, w) => n + w.counter.claims, 0);
  try {
    for (const w of workers) w.relay.start();
    await eventually('both relays ran their first pass', () => workers.every((w) => w.counter.claims >= 1));
    // Let the listeners settle who leads (the one that lost retries every second).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = workers.map((w) => w.counter.claims);
    for (let i = 1; i <= 5; i += 1) {
      await first.get(UNIT_OF_WORK).run((tx) => tx.outbox.append([offered]));
      await eventually(`message ${i} enqueued`, async () => (await enqueued()) === i);
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // a late second claim would show here
    const after = workers.map((w, i) => w.counter.claims - (before[i] ?? 0));
    assert.equal(after.toSorted(), [0, 5], `claims per relay after the first passes: ${after.join(', ')}`);
    assert.is(claims() - (before[0] ?? 0) - (before[1] ?? 0), 5);
  } finally {
    for (const w of workers) {
      await w.relay.stop();
      await w.queue.close();
    }
  }
});

test.run();

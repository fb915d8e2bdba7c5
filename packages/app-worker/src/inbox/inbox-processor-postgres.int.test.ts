import {
  CONVERSATION_HANDLER,
  IDEMPOTENCY_STORE,
  INBOX_WAKEUP,
  OUTBOUND_MESSAGE_LOG,
  WEBHOOK_INBOX,
} from '@khaacho/core';
import pg from 'pg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Composition, composeContainer } from '../composition/compose-container.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { eventually } from '../testing/flow-world.js';
import { INBOX_SCENARIOS } from '../testing/inbox-scenarios.js';
import { inboxWorld, messageEvent, RecordingHandler } from '../testing/inbox-world.js';
import { scratchDatabase } from '../testing/scratch-database.js';
import { startWorker } from '../worker/start-worker.js';

const database = scratchDatabase('khaacho_inbox');
let app: Composition;

async function empty(): Promise<void> {
  const client = new pg.Client({ connectionString: database.url.toString() });
  await client.connect();
  try {
    await client.query('truncate table webhook_inbox, outbound_messages, idempotency_keys');
  } finally {
    await client.end();
  }
}

test.before(async () => {
  await database.create();
  app = await composeContainer(
    workerConfigFromEnv({ DATABASE_URL: database.url.toString(), KHAACHO_DB_MIGRATE: 'true', LOG_LEVEL: 'silent' }),
  );
});
test.after(async () => {
  await app?.close();
  await database.drop();
});

const storage = () => ({
  inbox: app.get(WEBHOOK_INBOX),
  outboundLog: app.get(OUTBOUND_MESSAGE_LOG),
  idempotency: app.get(IDEMPOTENCY_STORE),
});

for (const [name, run] of INBOX_SCENARIOS) {
  test(`on PostgreSQL: ${name}`, async () => {
    await empty();
    await run(storage());
  });
}

test('on PostgreSQL: the worker starts the processor when a CONVERSATION_HANDLER is bound, and an inbox insert wakes it at once (its poll is an hour)', async () => {
  await empty();
  const handler = new RecordingHandler();
  app.container.rebind(CONVERSATION_HANDLER).toConstantValue(handler);
  assert.ok(app.container.isBound(INBOX_WAKEUP), 'LISTEN/NOTIFY on a server');
  const worker = startWorker(app, { withoutRelay: true, inbox: { pollMs: 3_600_000 } });
  try {
    // The first pass finds nothing and the processor waits an hour; the listener connects meanwhile.
    await eventually('the inbox listener connects', async () => {
      const client = new pg.Client({ connectionString: database.url.toString() });
      await client.connect();
      try {
        const { rows } = await client.query(
          `select 1 from pg_stat_activity where application_name = 'khaacho-inbox-listener' and datname = current_database()`,
        );
        return rows.length > 0;
      } finally {
        await client.end();
      }
    });
    await inboxWorld(storage()).record(messageEvent('wamid.notified', 'chamal 2 bora'));
    await eventually('the message is handled and marked', () => worker.status().inbox?.processed === 1);
    assert.equal(
      handler.handled.map((m) => m.messageId),
      ['wamid.notified'],
    );
    assert.ok((worker.status().inbox?.woken ?? 0) >= 1, 'woken, not polled');
  } finally {
    await worker.stop();
    await app.container.unbind(CONVERSATION_HANDLER);
  }
});

test('embedded PGlite: recording an event wakes the processor in the process (its poll is an hour)', async () => {
  const embedded = await composeContainer(
    workerConfigFromEnv({ KHAACHO_STORE: 'embedded', KHAACHO_DATA_DIR: 'memory://', LOG_LEVEL: 'silent' }),
  );
  const handler = new RecordingHandler();
  embedded.container.rebind(CONVERSATION_HANDLER).toConstantValue(handler);
  assert.ok(embedded.container.isBound(INBOX_WAKEUP), 'an in-process wake-up');
  const worker = startWorker(embedded, { withoutRelay: true, inbox: { pollMs: 3_600_000 } });
  try {
    // Let the first (empty) pass end, so only a wake-up can start the next within the test.
    await eventually('the first pass is over', () => worker.status().inbox?.running === true);
    await new Promise((r) => setTimeout(r, 50));
    await inboxWorld({
      inbox: embedded.get(WEBHOOK_INBOX),
      outboundLog: embedded.get(OUTBOUND_MESSAGE_LOG),
      idempotency: embedded.get(IDEMPOTENCY_STORE),
    }).record(messageEvent('wamid.embedded', 'chamal 2 bora'));
    await eventually('the message is handled', () => worker.status().inbox?.processed === 1);
    assert.equal(
      handler.handled.map((m) => m.messageId),
      ['wamid.embedded'],
    );
    assert.ok((worker.status().inbox?.woken ?? 0) >= 1, 'woken, not polled');
  } finally {
    await worker.stop();
    await embedded.close();
  }
});

test("on PostgreSQL, two processors (each its own pool): one shop's messages are handled one at a time in inbox order, while the other chats go on", async () => {
  await empty();
  const other = await composeContainer(
    workerConfigFromEnv({ DATABASE_URL: database.url.toString(), KHAACHO_DB_MIGRATE: 'false', LOG_LEVEL: 'silent' }),
  );
  let release: () => void = () => {};
  try {
    const worlds = [inboxWorld(storage()), inboxWorld({ ...storage(), inbox: other.get(WEBHOOK_INBOX) })] as const;
    const [a, b] = worlds;
    const shop = '9779800000100';
    const others = ['9779800000201', '9779800000202', '9779800000203', '9779800000204'];
    const sent = new Map<string, string[]>();
    // Interleaved as they would arrive: the shop's six messages among the others' three each.
    for (let i = 1; i <= 6; i++) {
      for (const phone of [shop, ...(i <= 3 ? others : [])]) {
        const id = `wamid.${phone.slice(-3)}.${i}`;
        sent.set(phone, [...(sent.get(phone) ?? []), id]);
        await a.record({ ...messageEvent(id, `line ${i}`), from: phone });
        a.clock.advance(1);
      }
    }
    const handled: { by: string; id: string; from: string }[] = [];
    const inFlight = new Map<string, number>();
    let overlaps = 0;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let firstHeld = false;
    for (const [n, w] of worlds.entries()) {
      w.handler.handleMessage = async (m) => {
        const now = (inFlight.get(m.from) ?? 0) + 1;
        if (now > 1) overlaps += 1;
        inFlight.set(m.from, now);
        if (m.messageId === sent.get(shop)?.[0] && !firstHeld) {
          firstHeld = true;
          await gate; // the shop's first message is slow (a voice note)
        } else await new Promise((r) => setTimeout(r, m.from === shop ? 5 : 1));
        handled.push({ by: 'ab'[n] ?? '?', id: m.messageId, from: m.from });
        inFlight.set(m.from, (inFlight.get(m.from) ?? 1) - 1);
      };
    }
    const pa = a.processor({ batchSize: 1 });
    const pb = b.processor({ batchSize: 3, concurrency: 2 });
    const held = pa.processOnce(); // takes the shop's first message and is held in it
    await eventually('the first message is under way', () => firstHeld);
    const total = [...sent.values()].reduce((n, ids) => n + ids.length, 0);
    const othersCount = total - (sent.get(shop)?.length ?? 0);
    for (let pass = 0; pass < 20 && handled.length < othersCount; pass++) await pb.processOnce();
    assert.equal(
      handled.filter((h) => h.from === shop),
      [],
      "none of the shop's later messages while its first is under way",
    );
    assert.is(handled.length, othersCount, 'the other chats all answered meanwhile, by the second processor');
    release();
    assert.is(await held, 1);
    // Both now race on what is left, in small batches.
    for (let pass = 0; pass < 40 && handled.length < total; pass++) {
      await Promise.all([pa.processOnce(), pb.processOnce()]);
    }
    assert.is(overlaps, 0, 'never two messages of one chat at once');
    for (const [phone, ids] of sent) {
      assert.equal(
        handled.filter((h) => h.from === phone).map((h) => h.id),
        ids,
        `${phone}: each once, in the order received`,
      );
    }
  } finally {
    release(); // a failed assertion must not leave the first processor held
    await other.close();
  }
});

test.run();

// Fault (issue 13 follow-up): a worker process (src/main.ts) SIGKILLed while it handles a
// shop's message on that event's LAST inbox attempt (KHAACHO_INBOX_MAX_ATTEMPTS=1). Attempts
// are counted at claim, so the dead worker used the last one up: without a reclaim the event
// stayed PROCESSING, then dead, and the shop was never answered. The next worker must claim it
// once more as the final attempt and answer. The kill lands at a known point: the test holds
// the conversation's row lock, sees the draft committed, kills, lets go (as conversation-killed).
// PostgreSQL: a database of this test's own; Redis: a redis-server of its own.
import { WEBHOOK_INBOX } from '@khaacho/core';
import pg from 'pg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { composeContainer } from '../composition/compose-container.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import {
  createOwnDatabase,
  type OwnDatabase,
  spawnWorker,
  startOwnRedis,
  type WorkerProcess,
} from '../testing/fault-harness.js';
import { eventually } from '../testing/flow-world.js';
import { startGraphSink } from '../testing/graph-sink.js';
import { seedWaiWaiWorld } from '../testing/order-journey.js';
import { webhookDeliverer } from '../testing/signed-deliveries.js';

const APP_SECRET = 'last-attempt-app-secret';

const ctx: { cleanups: (() => Promise<void>)[]; workers: WorkerProcess[]; holds: pg.Client[] } = {
  cleanups: [],
  workers: [],
  holds: [],
};

// Runs after a failed assertion too: no child outlives the test.
test.after(async () => {
  for (const hold of ctx.holds) await hold.end().catch(() => {});
  for (const worker of ctx.workers) await worker.kill('SIGKILL');
  for (const cleanup of ctx.cleanups.reverse()) await cleanup();
});

/** The shop's conversation row locked by the test (created uncommitted when there is none). */
async function holdConversation(db: OwnDatabase, phone: string): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  ctx.holds.push(client);
  await client.query('begin');
  const { rowCount } = await client.query('select 1 from conversations where phone = $1 for update', [phone]);
  if (rowCount === 0) {
    await client.query(
      `insert into conversations (phone, party_kind, party_id, language, step, handled_message_ids, updated_at, expires_at, version)
       values ($1, 'unknown', null, 'en', '{"kind":"idle"}', '[]', now(), now() + interval '1 day', 1)`,
      [phone],
    );
  }
  return async () => {
    await client.query('rollback');
    await client.end();
    ctx.holds.splice(ctx.holds.indexOf(client), 1);
  };
}

test('a worker SIGKILLed on a message’s last inbox attempt: the next worker claims it once more and the shop is answered', async () => {
  const db = await createOwnDatabase('fault_last_attempt');
  ctx.cleanups.push(() => db.drop());
  const redis = await startOwnRedis();
  ctx.cleanups.push(() => redis.kill());
  const sink = await startGraphSink();
  ctx.cleanups.push(async () => {
    sink.release();
    await sink.close();
  });
  const api = await composeContainer(
    workerConfigFromEnv({ DATABASE_URL: db.url, KHAACHO_DB_MIGRATE: 'true', LOG_LEVEL: 'silent' }),
  );
  ctx.cleanups.push(() => api.close());
  const { shop } = await seedWaiWaiWorld(api);
  const SHOP = shop.phone.value.replace(/^\+/, '');
  const deliver = webhookDeliverer(api.get(WEBHOOK_INBOX), APP_SECRET, sink.phoneNumberId);
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    LOG_LEVEL: 'info',
    KHAACHO_RISK_POLICY: 'allow-all',
    KHAACHO_MESSAGE_SENDER: 'whatsapp',
    WHATSAPP_PHONE_NUMBER_ID: sink.phoneNumberId,
    WHATSAPP_ACCESS_TOKEN: sink.accessToken,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: 'last-attempt-verify',
    WHATSAPP_GRAPH_BASE_URL: sink.url,
    // One attempt: the dead worker's claim was the last. A lapsed lease comes back after 1 s.
    KHAACHO_INBOX_MAX_ATTEMPTS: '1',
    KHAACHO_INBOX_LEASE_MS: '1000',
    KHAACHO_DB_LOCK_TIMEOUT_MS: '0',
    KHAACHO_DB_STATEMENT_TIMEOUT_MS: '0',
  };
  const start = () => {
    const worker = spawnWorker(env);
    ctx.workers.push(worker);
    return worker;
  };
  const inboxRow = async (id: string) =>
    (
      await db.query<{ status: string; attempts: number }>('select status, attempts from webhook_inbox where id = $1', [
        id,
      ])
    )[0];

  const first = start();
  await first.firstLine((l) => l.msg === 'composed');
  const release = await holdConversation(db, shop.phone.value);
  const text = await deliver(SHOP, { text: 'wai wai 2 carton' });
  await eventually(
    'the draft is committed',
    async () => {
      const [row] = await db.query<{ n: number }>(
        'select count(*)::int as n from order_drafts where retailer_id = $1',
        [shop.id],
      );
      return (row?.n ?? 0) > 0;
    },
    40_000,
  );
  assert.equal(await inboxRow(text.stored.id), { status: 'PROCESSING', attempts: 1 }, 'its last attempt, under way');
  const [, signal] = await first.kill('SIGKILL');
  assert.is(signal, 'SIGKILL');
  await release();

  start();
  const draft = await eventually(
    'the shop gets its draft',
    () => sink.received.find((m) => m.to === SHOP && m.ids.some((id) => id.startsWith('draft:confirm:'))) ?? false,
    40_000,
  );
  assert.ok(draft);
  // The draft can reach the phone before the event's "processed" mark (group-committed) is written.
  const settled = await eventually('the event marked processed', async () => {
    const row = await inboxRow(text.stored.id);
    return row?.status === 'PROCESSED' ? row : false;
  });
  assert.equal(
    settled,
    { status: 'PROCESSED', attempts: 2 },
    'claimed once more after the lapse, as the final attempt',
  );
});

test.run();

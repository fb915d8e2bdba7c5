// Fault (issue 13): worker processes (src/main.ts) SIGKILLed in the middle of a WhatsApp
// conversation, and a redis-server of the test's own killed and restarted in it. A shop orders
// by chat (text → draft → Confirm), the vendor accepts, dispatches and delivers with the
// shop's code. Inbound messages are signed deliveries written to the inbox as the webhook
// writes them; the workers send through the real WhatsApp sender to a Graph sink here.
// PostgreSQL: a database of this test's own; the shared PostgreSQL and Redis are never touched.
//
// Each kill lands at a known point, made so rather than hoped for:
// - a turn's use case committed, its conversation turn not (the test holds the conversation's
//   row lock, sees the draft or order row, kills, lets go): the inbox event is claimed by the
//   dead worker and comes back after its lease;
// - send-message jobs in flight (the sink holds its answers): the message reached the phone,
//   the worker never learnt it.
//
// What is guaranteed, and asserted: each inbound message answered once, and each reply sent
// at least once. Exactly once is not: a worker that dies between the Graph's answer and the
// send's idempotency key being completed sends that message again after the key's lease
// (EFFECT_LEASE_MS); only such messages may arrive twice here. Two more tests kill a Redis
// with a reply waiting in it, one with an append-only file and one without: restarted empty,
// it has lost the job, and the reply is still sent (an outbox message is published only when
// its job has succeeded, so the relay enqueues it again after its lease).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDIS_CONNECTION, type RedisConnection } from '@khaacho/adapters-redis';
import { JOB_QUEUE, type JobQueue, OUTBOX, QueueNames, UnavailableError, WEBHOOK_INBOX } from '@khaacho/core';
import pg from 'pg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Composition, composeContainer } from '../composition/compose-container.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import {
  createOwnDatabase,
  type OwnDatabase,
  type OwnRedis,
  type OwnRedisOptions,
  spawnWorker,
  startOwnRedis,
  type WorkerProcess,
} from '../testing/fault-harness.js';
import { eventually } from '../testing/flow-world.js';
import { type GraphSink, type SinkMessage, startGraphSink } from '../testing/graph-sink.js';
import { seedWaiWaiWorld } from '../testing/order-journey.js';
import { type InboundContent, webhookDeliverer } from '../testing/signed-deliveries.js';

const APP_SECRET = 'kill-test-app-secret';
const QUEUES = [QueueNames.ORDER_PROCESSING, QueueNames.ORDER_ROUTING, QueueNames.NOTIFICATIONS] as const;

interface World {
  readonly db: OwnDatabase;
  readonly redis: OwnRedis;
  readonly sink: GraphSink;
  /** Plays the webhook (writes the inbox) and seeds the catalogue and parties. */
  readonly api: Composition;
  /** Reads the Redis queues (no consumer: nothing is taken from them here). */
  readonly queue: JobQueue;
  readonly redisConnection: RedisConnection;
}

const ctx: { cleanups: (() => Promise<void>)[]; workers: WorkerProcess[]; holds: pg.Client[] } = {
  cleanups: [],
  workers: [],
  holds: [],
};

async function setup(label: string, redisOptions: OwnRedisOptions = {}): Promise<World> {
  const db = await createOwnDatabase(label);
  ctx.cleanups.push(() => db.drop());
  const redis = await startOwnRedis(redisOptions);
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
  const monitor = await composeContainer(
    workerConfigFromEnv({ KHAACHO_STORE: 'memory', REDIS_URL: redis.url, LOG_LEVEL: 'silent' }),
  );
  ctx.cleanups.push(() => monitor.close());
  await monitor.ready();
  return { db, redis, sink, api, queue: monitor.get(JOB_QUEUE), redisConnection: monitor.get(REDIS_CONNECTION) };
}

// Runs after a failed assertion too: no child outlives the test (a hung uvu fails CI).
test.after(async () => {
  for (const hold of ctx.holds) await hold.end().catch(() => {});
  for (const worker of ctx.workers) await worker.kill('SIGKILL');
  for (const cleanup of ctx.cleanups.reverse()) await cleanup();
});

/** uvu cannot print an error whose `details` is an object (a DomainError): its message and details as text. */
function reported(body: () => Promise<void>): () => Promise<void> {
  return () =>
    body().catch((error: unknown) => {
      const details = (error as { details?: unknown } | null)?.details;
      if (error instanceof Error && typeof details === 'object' && details !== null) {
        throw new Error(`${error.name}: ${error.message} ${JSON.stringify(details)}\n${error.stack ?? ''}`);
      }
      throw error;
    });
}

/** The environment of a worker process on `w`, sending through the Graph sink. */
function workerEnv(w: World, more: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: w.db.url,
    REDIS_URL: w.redis.url,
    LOG_LEVEL: 'info',
    KHAACHO_RISK_POLICY: 'allow-all',
    KHAACHO_MESSAGE_SENDER: 'whatsapp',
    WHATSAPP_PHONE_NUMBER_ID: w.sink.phoneNumberId,
    WHATSAPP_ACCESS_TOKEN: w.sink.accessToken,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: 'kill-test-verify',
    WHATSAPP_GRAPH_BASE_URL: w.sink.url,
    // A dead worker's claimed inbox events come back after 1 s instead of a minute.
    KHAACHO_INBOX_LEASE_MS: '1000',
    // The test holds a conversation's row lock while it kills: no bound may end the wait first.
    KHAACHO_DB_LOCK_TIMEOUT_MS: '0',
    KHAACHO_DB_STATEMENT_TIMEOUT_MS: '0',
    ...more,
  };
}

function startWorkerOn(env: Record<string, string>): WorkerProcess {
  const worker = spawnWorker(env);
  ctx.workers.push(worker);
  return worker;
}

/**
 * Takes the conversation row of `phone` (creating it uncommitted when the number has none
 * yet) in a transaction of the test's own: a worker answering that number commits its use
 * case, then waits on this lock to commit the turn.
 */
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

async function queuesSettled(queue: JobQueue): Promise<boolean> {
  for (const q of QUEUES) {
    try {
      const s = await queue.stats(q);
      if (s.active + s.waiting + s.delayed > 0) return false;
    } catch (error) {
      // This process's own client still reconnecting after a Redis restart: not settled yet.
      if (UnavailableError.is(error)) return false;
      throw error;
    }
  }
  return true;
}

test(
  'workers SIGKILLed mid-conversation and Redis restarted: every message handled once, one order, one invoice, every reply sent',
  reported(async () => {
    const w = await setup('fault_conv_kill');
    const { db, api, sink, redis, queue } = w;
    const { vendor, shop } = await seedWaiWaiWorld(api);
    const SHOP = shop.phone.value.replace(/^\+/, '');
    const VENDOR = vendor.phone.value.replace(/^\+/, '');
    const deliver = webhookDeliverer(api.get(WEBHOOK_INBOX), APP_SECRET, sink.phoneNumberId);
    const env = workerEnv(w);
    const workers: WorkerProcess[] = [];
    const start = () => {
      const worker = startWorkerOn(env);
      workers.push(worker);
      return worker;
    };
    const kill = async (worker: WorkerProcess) => {
      const [, signal] = await worker.kill('SIGKILL');
      assert.is(signal, 'SIGKILL');
    };
    const to = (phone: string) => sink.received.filter((m) => m.to === phone);
    const next = async (phone: string, after: number, match: (m: SinkMessage) => boolean, what: string) =>
      eventually(what, () => to(phone).slice(after).find(match) ?? false, 40_000);
    const inboxRow = async (id: string) =>
      (
        await db.query<{ status: string; attempts: number }>(
          'select status, attempts from webhook_inbox where id = $1',
          [id],
        )
      )[0];
    // An event's reply can reach the phone before its "processed" mark (group-committed after
    // the handler returns) is written: the mark is waited for, then its attempts checked.
    const settledRow = (id: string) =>
      eventually(`inbox event ${id} marked processed`, async () => {
        const row = await inboxRow(id);
        return row?.status === 'PROCESSED' ? row : false;
      });
    const sent: { eventId: string; inboxId: string; what: string }[] = [];
    const send = async (from: string, content: InboundContent, what: string) => {
      const d = await deliver(from, content);
      sent.push({ eventId: d.eventId, inboxId: d.stored.id, what });
      return d;
    };
    /** Messages the sink had taken, but whose send the worker had not completed, when a worker died. */
    const inFlight = new Set<SinkMessage>();
    /**
     * Kills `worker` with the sink holding its answers from the moment the queues settled
     * (every earlier send completed, its key recorded): what the dead worker had sent is
     * exactly the unanswered messages, and nothing else can be resent.
     */
    const killHolding = async (worker: WorkerProcess, arm: () => Promise<void>) => {
      await eventually('earlier jobs settle', () => queuesSettled(queue), 60_000);
      sink.hold = true;
      await arm();
      await kill(worker);
      for (const m of sink.received) if (!m.answered) inFlight.add(m);
      sink.hold = false;
      sink.release();
    };
    const notes: string[] = [];

    // 1. The shop writes its order; the worker is killed with the draft committed and the turn
    //    waiting: the inbox event is claimed by a dead process.
    let worker = start();
    await worker.firstLine((l) => l.msg === 'composed');
    let release = await holdConversation(db, shop.phone.value);
    const text = await send(SHOP, { text: 'wai wai 2 carton' }, 'order text');
    await killHolding(worker, async () => {
      await eventually('the draft is committed', async () => {
        const [row] = await db.query<{ n: number }>(
          'select count(*)::int as n from order_drafts where retailer_id = $1',
          [shop.id],
        );
        return (row?.n ?? 0) > 0;
      });
      assert.is((await inboxRow(text.stored.id))?.status, 'PROCESSING', 'claimed by the worker about to die');
    });
    await release();
    worker = start();
    const draft = await next(
      SHOP,
      0,
      (m) => m.ids.some((id) => id.startsWith('draft:confirm:')),
      'the shop gets its draft',
    );
    assert.equal(
      await settledRow(text.stored.id),
      { status: 'PROCESSED', attempts: 2 },
      'claimed again after the lease',
    );

    // 2. Confirm; killed with the order placed and the turn waiting.
    const confirmId = draft.ids.find((id) => id.startsWith('draft:confirm:')) as string;
    release = await holdConversation(db, shop.phone.value);
    let seen = to(SHOP).length;
    let orderId = '';
    const confirm = await send(SHOP, { button: { id: confirmId, title: 'Confirm' } }, 'confirm');
    await killHolding(worker, async () => {
      orderId = await eventually('the order is placed', async () => {
        const [row] = await db.query<{ id: string }>('select id from orders where retailer_id = $1', [shop.id]);
        return row?.id ?? false;
      });
    });
    await release();
    worker = start();
    const placed = await next(SHOP, seen, (m) => /KH-\d{6}/.test(m.text), 'the shop is told the order is placed');
    const orderNumber = (placed.text.match(/KH-\d{6}/) as RegExpMatchArray)[0];
    const offer = await next(VENDOR, 0, (m) => m.ids.includes(`offer:accept:${orderId}`), 'the vendor is offered it');
    assert.ok(offer.text.includes(orderNumber), offer.text);
    assert.equal(await settledRow(confirm.stored.id), { status: 'PROCESSED', attempts: 2 });

    // 3. The vendor accepts; the sink holds its answers, and the worker is killed with the
    //    replies taken by the "phone" but not acknowledged.
    seen = to(VENDOR).length;
    const seenShop = to(SHOP).length;
    await killHolding(worker, async () => {
      await send(VENDOR, { button: { id: `offer:accept:${orderId}`, title: 'Accept' } }, 'accept');
      await next(
        VENDOR,
        seen,
        (m) => m.ids.includes(`order:dispatched:${orderId}`),
        'the accept reply reaches the sink',
      );
    });
    notes.push(`held at the kill: ${[...inFlight].map((m) => m.ids[0] ?? m.text.slice(0, 30)).join(', ')}`);
    worker = start();
    await next(SHOP, seenShop, (m) => m.text.includes(orderNumber), 'the shop is told the vendor accepted');
    // The dead worker's jobs run again after the stall check and the effect lease (15 s).
    await eventually('the jobs of the dead worker finish', () => queuesSettled(queue), 60_000);

    // 4. Redis dies (a fresh, empty server comes back on its port) and the vendor taps
    //    Dispatched meanwhile: the turn commits to PostgreSQL, its replies wait in the outbox.
    await redis.kill();
    seen = to(VENDOR).length;
    const seenShop4 = to(SHOP).length;
    const dispatched = await send(
      VENDOR,
      { button: { id: `order:dispatched:${orderId}`, title: 'Dispatched' } },
      'dispatched',
    );
    await eventually(
      'the turn commits while Redis is down',
      async () => (await inboxRow(dispatched.stored.id))?.status === 'PROCESSED',
    );
    const [waiting] = await db.query<{ n: number }>(
      `select count(*)::int as n from outbox where published_at is null and event_type = 'message.send_requested'`,
    );
    assert.ok((waiting?.n ?? 0) >= 1, 'the replies wait in the outbox');
    await redis.restart();
    await next(VENDOR, seen, (m) => m.ids.includes(`order:delivered:${orderId}`), 'the vendor gets [Delivered]');
    const shopDispatched = await next(
      SHOP,
      seenShop4,
      (m) => /\b\d{4}\b/.test(m.text.replace(orderNumber, '')),
      'the shop gets its code',
    );
    const code = (shopDispatched.text.replace(orderNumber, '').match(/\b\d{4}\b/) as RegExpMatchArray)[0];

    // 5. Delivered, then the code; killed with the order delivered and invoiced, the turn waiting.
    seen = to(VENDOR).length;
    await send(VENDOR, { button: { id: `order:delivered:${orderId}`, title: 'Delivered' } }, 'delivered');
    await next(VENDOR, seen, (m) => /code/i.test(m.text), 'the vendor is asked for the code');
    release = await holdConversation(db, vendor.phone.value);
    seen = to(VENDOR).length;
    let codeInbox = '';
    await killHolding(worker, async () => {
      codeInbox = (await send(VENDOR, { text: code }, 'code')).stored.id;
      await eventually('the order is delivered', async () => {
        const [row] = await db.query<{ status: string }>('select status from orders where id = $1', [orderId]);
        return row?.status === 'DELIVERED' || row?.status === 'COMPLETED';
      });
    });
    await release();
    worker = start();
    await next(VENDOR, seen, (m) => m.text.includes(orderNumber), 'the vendor is told it is delivered');
    assert.equal(await settledRow(codeInbox), { status: 'PROCESSED', attempts: 2 });

    // Settled: the inbox, the outbox and the queues.
    await eventually(
      'everything settles',
      async () => {
        if (worker.closed()) throw new Error(`the last worker exited: ${worker.stderr()}`);
        const [open] = await db.query<{ n: number }>(
          `select count(*)::int as n from webhook_inbox where status <> 'PROCESSED'`,
        );
        const pending = (await api.get(OUTBOX).stats(new Date())).pending;
        return open?.n === 0 && pending === 0 && (await queuesSettled(queue));
      },
      60_000,
    );

    // Every inbound message answered once: in the conversation's handled ids once, and one
    // "answered" line across all the processes.
    const lines = workers.flatMap((p) => p.lines());
    const answered = (eventId: string) =>
      lines.filter((l) => l.msg === 'conversation: message answered' && l.eventId === eventId).length;
    assert.equal(
      sent.map((s) => [s.what, answered(s.eventId)]),
      sent.map((s) => [s.what, 1]),
      'one answer per inbound message',
    );
    const handled = (
      await db.query<{ ids: string[] }>('select handled_message_ids as ids from conversations where phone = any($1)', [
        [shop.phone.value, vendor.phone.value],
      ])
    ).flatMap((r) => r.ids);
    for (const s of sent) assert.is(handled.filter((id) => id === s.eventId).length, 1, `${s.what} handled once`);

    // One draft, one order, one invoice; the hold taken on accept is gone with the invoice.
    const [drafts] = await db.query<{ n: number }>(
      'select count(*)::int as n from order_drafts where retailer_id = $1',
      [shop.id],
    );
    assert.is(drafts?.n, 1, 'one draft for the one order text');
    const orders = await db.query<{ id: string; status: string; total: string }>(
      'select id, status, total_amount::text as total from orders where retailer_id = $1',
      [shop.id],
    );
    assert.is(orders.length, 1, 'one order');
    const order = orders[0] as { id: string; status: string; total: string };
    assert.is(order.status, 'DELIVERED');
    const entries = await db.query<{ type: string; amount: string }>(
      'select type, amount::text as amount from ledger_entries where order_id = $1 order by sequence',
      [orderId],
    );
    assert.equal(
      entries.map((e) => [e.type, e.amount]),
      [
        ['HOLD', order.total],
        ['RELEASE', order.total],
        ['INVOICE', order.total],
      ],
      'one hold, released by the one invoice',
    );
    const [account] = await db.query<{ balance: string; held: string }>(
      'select balance::text as balance, held::text as held from credit_accounts where retailer_id = $1',
      [shop.id],
    );
    assert.equal(account, { balance: order.total, held: '0' }, 'the shop owes the invoice and nothing is held');

    // Every reply the conversations asked for reached the phone: at least once. A message is
    // duplicated only when its worker died between the Graph's answer and the send's record
    // (held at the sink here): exactly once is not guaranteed for those, and is for the rest.
    const requested = await db.query<{ message: { to: string; kind: string; text?: string; body?: string } }>(
      `select payload->'message' as message from outbox where event_type = 'message.send_requested' order by seq`,
    );
    const copies = (m: { to: string; text?: string; body?: string }) =>
      sink.received.filter((r) => r.to === m.to.replace(/^\+/, '') && r.text === (m.text ?? m.body));
    const missing = requested.filter((r) => copies(r.message).length === 0);
    assert.equal(missing, [], 'every requested reply arrived');
    const doubled = requested.filter((r) => copies(r.message).length > 1);
    for (const r of doubled) {
      assert.ok(
        copies(r.message).some((c) => inFlight.has(c)),
        `only a message in flight at a kill may come twice: ${JSON.stringify(r.message)}`,
      );
      assert.is(copies(r.message).length, 2, 'and at most twice');
    }
    const offers = to(VENDOR).filter((m) => m.ids.includes(`offer:accept:${orderId}`));
    assert.ok(
      offers.length === 1 || (offers.length === 2 && offers.some((m) => inFlight.has(m))),
      `one offer to the vendor, a second only after a kill in flight: ${offers.length}`,
    );

    const dead = (await Promise.all(QUEUES.map((q) => queue.deadLetters(q, 100)))).flat();
    assert.equal(
      dead.map((d) => [d.jobId, d.lastError]),
      [],
      'no dead job',
    );
    const [deadInbox] = await db.query<{ n: number }>(
      `select count(*)::int as n from webhook_inbox where status = 'DEAD'`,
    );
    assert.is(deadInbox?.n, 0);

    // This Redis has no append-only file: every worker said so at startup.
    assert.ok(
      workers.every((p) => p.lines().some((l) => String(l.msg).startsWith('Redis keeps no append-only file'))),
      'the workers warn that Redis is not durable',
    );
    const [code0] = await worker.kill('SIGTERM');
    assert.is(code0, 0, worker.stderr());
    console.log(
      `  [conversation] ${sent.length} inbound, ${workers.length} workers (4 SIGKILLed), Redis restarted once; ` +
        `${requested.length} replies requested, ${sink.received.length} messages at the sink, ` +
        `${doubled.length} sent twice (in flight at a kill: ${inFlight.size}); ${notes.join('; ')}`,
    );
  }),
);

/**
 * Redis SIGKILLed while a turn's replies are in its queue: the vendor's Accept answers two
 * messages (the vendor's [Dispatched], the shop's notice); NOTIFICATIONS runs one at a time
 * and the sink holds the first, so the second waits in Redis when it dies.
 */
async function redisKilledWithRepliesQueued(w: World, options: { lostInRedis?: boolean } = {}) {
  const { db, api, sink, redis, queue } = w;
  const { vendor, shop } = await seedWaiWaiWorld(api);
  const SHOP = shop.phone.value.replace(/^\+/, '');
  const VENDOR = vendor.phone.value.replace(/^\+/, '');
  const deliver = webhookDeliverer(api.get(WEBHOOK_INBOX), APP_SECRET, sink.phoneNumberId);
  const worker = startWorkerOn(workerEnv(w, { KHAACHO_QUEUE_CONCURRENCY: 'NOTIFICATIONS=1' }));
  const to = (phone: string) => sink.received.filter((m) => m.to === phone);
  const next = async (phone: string, match: (m: SinkMessage) => boolean, what: string) =>
    eventually(what, () => to(phone).find(match) ?? false, 40_000);

  await deliver(SHOP, { text: 'wai wai 2 carton' });
  const draft = await next(SHOP, (m) => m.ids.some((id) => id.startsWith('draft:confirm:')), 'the draft');
  await deliver(SHOP, { button: { id: draft.ids[0] as string, title: 'Confirm' } });
  const offer = await next(VENDOR, (m) => m.ids.some((id) => id.startsWith('offer:accept:')), 'the offer');
  const orderId = (offer.ids[0] as string).slice('offer:accept:'.length);
  await eventually('the queues settle', () => queuesSettled(queue), 20_000);

  sink.hold = true;
  const before = sink.received.length;
  await deliver(VENDOR, { button: { id: `offer:accept:${orderId}`, title: 'Accept' } });
  await eventually('one reply is held at the sink, the other waits in Redis', async () => {
    const n = await queue.stats(QueueNames.NOTIFICATIONS);
    return sink.received.length > before && n.waiting >= 1;
  });
  const queued = (await queue.list(QueueNames.NOTIFICATIONS, 'waiting', { limit: 10 })).items.map((j) => j.jobId);
  assert.ok(queued.length >= 1, 'a reply job waits in Redis');
  await redis.kill();
  await redis.restart();
  if (options.lostInRedis) {
    // Made for real: the restarted server has no trace of the waiting job.
    const gone = await eventually('the restarted Redis answers', async () => {
      try {
        return { jobs: await Promise.all(queued.map((id) => queue.get(QueueNames.NOTIFICATIONS, id))) };
      } catch (error) {
        if (UnavailableError.is(error)) return false;
        throw error;
      }
    });
    assert.equal(
      gone.jobs,
      queued.map(() => null),
      'the waiting job was lost with the server',
    );
  }
  sink.hold = false;
  sink.release();

  const accepted = (m: SinkMessage) => m.ids.includes(`order:dispatched:${orderId}`);
  const notice = (m: SinkMessage) => m.to === SHOP && /KH-\d{6}/.test(m.text) && m.text !== draft.text;
  const arrived = await eventually(
    'both replies arrive',
    () => {
      if (worker.closed()) throw new Error(`the worker exited: ${worker.stderr()}`);
      const shopNotices = to(SHOP)
        .filter(notice)
        .filter((m) => !/placed|pakka/i.test(m.text));
      return to(VENDOR).some(accepted) && shopNotices.length > 0 && { shopNotices };
    },
    60_000,
  ).catch((error: unknown) => {
    throw new Error(
      `${String(error)}; sink after the kill: ${JSON.stringify(sink.received.slice(before).map((m) => [m.to, m.ids[0] ?? m.text]))}`,
    );
  });
  await eventually('the outbox and queues settle', async () => {
    const pending = (await api.get(OUTBOX).stats(new Date())).pending;
    return pending === 0 && (await queuesSettled(queue));
  });
  const [rows] = await db.query<{ n: number }>('select count(*)::int as n from orders where retailer_id = $1', [
    shop.id,
  ]);
  assert.is(rows?.n, 1);
  const dead = (await Promise.all(QUEUES.map((q) => queue.deadLetters(q, 100)))).flat();
  assert.equal(
    dead.map((d) => [d.jobId, d.lastError]),
    [],
    'no dead job',
  );
  if (options.lostInRedis) {
    // The relay enqueued the lost message again under its id, and it ran.
    for (const id of queued) assert.is((await queue.get(QueueNames.NOTIFICATIONS, id))?.state, 'succeeded', id);
  }
  const [code] = await worker.kill('SIGTERM');
  assert.is(code, 0, worker.stderr());
  const warned = worker.lines().some((l) => String(l.msg).startsWith('Redis keeps no append-only file'));
  assert.is(warned, (await w.redisConnection.durability()) === 'none', 'the startup warning says what Redis keeps');
  return { vendorReplies: to(VENDOR).filter(accepted).length, shopNotices: arrived.shopNotices.length };
}

test(
  'Redis (AOF, fsync always) SIGKILLed with a reply queued in it: both replies of the turn arrive',
  reported(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'khaacho-aof-'));
    ctx.cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const w = await setup('fault_conv_redis', { aofDir: dir });
    assert.is(await w.redisConnection.durability(), 'aof');
    const counts = await redisKilledWithRepliesQueued(w);
    console.log(
      `  [redis killed, AOF] the vendor's [Dispatched] ×${counts.vendorReplies}, the shop's notice ×${counts.shopNotices}`,
    );
  }),
);

test(
  'Redis without an append-only file SIGKILLed with a reply queued in it, back empty: the lost job is enqueued again and both replies arrive',
  reported(async () => {
    const w = await setup('fault_conv_redis_noaof');
    assert.is(await w.redisConnection.durability(), 'none');
    const counts = await redisKilledWithRepliesQueued(w, { lostInRedis: true });
    console.log(
      `  [redis killed, no AOF] the vendor's [Dispatched] ×${counts.vendorReplies}, the shop's notice ×${counts.shopNotices}`,
    );
  }),
);

test.run();

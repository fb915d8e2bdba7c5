import {
  ConversationService,
  PhoneNumber,
  type UnitOfWork,
  type InboundContent,
  type InboundMessage,
  NOOP_LOGGER,
  type OutboundMessage,
  requestedMessages,
  SYSTEM_ACTOR,
} from '@khaacho/core';
import { createWorldOn, draftMarket } from '@khaacho/core/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPostgresPersistence, type PostgresPersistence } from './create-postgres-persistence.js';
import { truncateAll } from './testing/contract-subject.js';
import { terminateAll } from './testing/fault-tools.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';

/*
 * The WhatsApp conversations on a real server: the state, the handled message ids and the
 * reply events commit together; two workers answering messages of one number at once both
 * answer (the version conflict is retried); a redelivery answers nothing.
 */
const test = suite('conversations on PostgreSQL');

let db: TestDatabase;
let p: PostgresPersistence;

test.before(async () => {
  db = await createTestDatabase('khaacho_conversations');
  p = await createPostgresPersistence({ databaseUrl: db.url, migrate: true, poolMax: 12 });
});
test.after(async () => {
  await p?.close();
  await db?.drop();
});
test.before.each(async () => {
  await truncateAll(p);
});

async function setup(uow: UnitOfWork = p.uow) {
  const world = createWorldOn(p);
  const m = await draftMarket({ world });
  // Two services over one database: two worker instances.
  const worker = () =>
    new ConversationService({
      uow,
      repos: p.repos,
      clock: world.clock,
      ids: world.ids,
      logger: NOOP_LOGGER,
      useCases: world.useCases,
      drafts: m.drafts,
    });
  const message = (from: string, content: InboundContent, eventId: string): InboundMessage => ({
    kind: 'message',
    eventId,
    businessNumberId: 'phone-number-id',
    messageId: eventId,
    from: from.slice(1),
    profileName: null,
    sentAt: world.clock.now(),
    context: null,
    content,
    errors: [],
  });
  const replies = async (): Promise<OutboundMessage[]> => {
    const claimed = await p.outbox.claim({ limit: 1000, leaseMs: 60_000, now: new Date(Date.now() + 86_400_000) });
    await p.outbox.markPublished(
      claimed.map((c) => c.id),
      new Date(),
    );
    return claimed.flatMap((c) =>
      c.event.type === 'message.send_requested' ? requestedMessages(c.event.payload) : [],
    );
  };
  await replies();
  return { world, m, a: worker(), b: worker(), message, replies };
}

function confirmIdOf(reply: OutboundMessage | undefined): string {
  if (reply?.kind !== 'buttons') throw new Error(`expected buttons, got ${JSON.stringify(reply)}`);
  return reply.buttons[0]?.id ?? '';
}

test('message → draft reply → confirm on another worker → placed; redeliveries answer nothing', async () => {
  const { m, a, b, message, replies } = await setup();
  const phone = m.shop.phone.value;
  const text = message(phone, { type: 'text', text: 'sugar 2 kg' }, 'wamid.pg-1');
  await a.handleMessage(text);
  await b.handleMessage(text);
  const [draftReply, ...extra] = await replies();
  assert.equal(extra, [], 'one reply for two deliveries');
  const confirm = message(phone, { type: 'button_reply', id: confirmIdOf(draftReply), title: 'Confirm' }, 'wamid.pg-2');
  await b.handleMessage(confirm);
  await a.handleMessage(confirm);
  const placed = await replies();
  assert.is(placed.length, 1);
  const orders = await p.repos.orders.list({ retailerId: m.shop.id }, { limit: 10 });
  assert.is(orders.items.length, 1);
  assert.equal(placed[0], {
    kind: 'text',
    to: m.shop.phone,
    text: `Order ${orders.items[0]?.number} placed (NPR 220.00). We will tell you when a vendor accepts it.`,
  });
  const state = await p.repos.conversations.get(m.shop.phone, new Date(0));
  assert.equal(state.handledMessageIds, ['wamid.pg-1', 'wamid.pg-2']);
  assert.is(state.version, 2);
  assert.equal(state.step, { kind: 'idle' });
});

test('two workers answer two messages of one number at once: both are answered, one after the other', async () => {
  const { m, a, b, message, replies } = await setup();
  const phone = m.shop.phone.value;
  await Promise.all([
    a.handleMessage(message(phone, { type: 'text', text: 'sugar 2 kg' }, 'wamid.x')),
    b.handleMessage(message(phone, { type: 'text', text: 'rice 25kg x 1' }, 'wamid.y')),
  ]);
  const answers = await replies();
  assert.is(answers.length, 2);
  const state = await p.repos.conversations.get(m.shop.phone, new Date(0));
  assert.is(state.version, 2);
  assert.equal([...state.handledMessageIds].sort(), ['wamid.x', 'wamid.y']);
});

test('an unknown number writes twice at once to two workers: both answered, one onboarding request counting both', async () => {
  const { a, b, message, replies } = await setup();
  const stranger = '+9779801112233';
  await Promise.all([
    a.handleMessage(message(stranger, { type: 'text', text: 'Shop: Sita Store' }, 'wamid.s1')),
    b.handleMessage(message(stranger, { type: 'text', text: 'Area: Bhaktapur' }, 'wamid.s2')),
  ]);
  assert.is((await replies()).length, 2);
  const requests = await p.repos.onboardingRequests.listByPhone(PhoneNumber.parse(stranger));
  assert.equal(
    requests.map((r) => [r.status, r.messages, r.shopName, r.area]),
    [['PENDING', 2, 'Sita Store', 'Bhaktapur']],
  );
});

test("the turn's backend terminated mid-transaction (its own scratch database): answered once, after a redelivery at most", async () => {
  let killed = 0;
  // Every backend of this test's scratch database is terminated once the turn's transaction
  // has begun: the turn's own connection dies between BEGIN and its first statement.
  const killing: UnitOfWork = {
    run: (work, options) =>
      p.uow.run(async (tx) => {
        if (options?.label === 'conversation-turn' && killed === 0) killed = await terminateAll(db.name);
        return work(tx);
      }, options),
  };
  const { m, a, message, replies } = await setup(killing);
  const text = message(m.shop.phone.value, { type: 'text', text: 'sugar 2 kg' }, 'wamid.killed');
  let thrown: unknown = null;
  await a.handleMessage(text).catch((error: unknown) => {
    thrown = error;
  });
  assert.ok(killed > 0, 'backends were terminated');
  // The inbox retries a turn that threw; a turn the unit of work re-ran needs no redelivery.
  if (thrown !== null) await a.handleMessage(text);
  const answers = await replies();
  assert.is(answers.length, 1, `one reply (first attempt threw: ${String(thrown)})`);
  const state = await p.repos.conversations.get(m.shop.phone, new Date(0));
  assert.equal(state.handledMessageIds, ['wamid.killed']);
});

test('a vendor accepts by button on PostgreSQL', async () => {
  const { m, world, a, message, replies } = await setup();
  const phone = m.shop.phone.value;
  await a.handleMessage(message(phone, { type: 'text', text: 'sugar 2 kg' }, 'wamid.v1'));
  const [draftReply] = await replies();
  await a.handleMessage(message(phone, { type: 'button_reply', id: confirmIdOf(draftReply), title: 'C' }, 'wamid.v2'));
  await replies();
  const [order] = (await p.repos.orders.list({ retailerId: m.shop.id }, { limit: 10 })).items;
  if (!order) return assert.unreachable('placed');
  await world.useCases.routeOrder.execute({ orderId: order.id, actor: SYSTEM_ACTOR });
  const tap = { type: 'button_reply', id: `offer:accept:${order.id}`, title: 'Accept' } as const;
  await a.handleMessage(message(m.vendor.phone.value, tap, 'wamid.v3'));
  // Each party its own message: the vendor the reply with [Dispatched], the shop its CONFIRMED notice.
  const sent = await replies();
  const toVendor = sent.filter((r) => r.to.value === m.vendor.phone.value);
  const toShop = sent.filter((r) => r.to.value === phone);
  assert.equal(
    toVendor.map((r) => (r.kind === 'buttons' ? r.buttons.map((b) => b.id) : r.kind)),
    [[`order:dispatched:${order.id}`]],
  );
  assert.equal(
    toShop.map((r) => (r.kind === 'text' ? /is confirmed by the supplier/.test(r.text) : r.kind)),
    [true],
  );
  assert.is(sent.length, 2);
  assert.is((await p.repos.orders.get(order.id))?.status, 'CONFIRMED');
});

test.run();

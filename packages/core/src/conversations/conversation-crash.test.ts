// A worker killed after a turn's draft committed and before the turn did (found by the fault
// test app-worker/src/faults/conversation-killed.int.test.ts): the message is answered again,
// and must find the draft it made rather than make a second one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { InboundContent, InboundMessage } from '../messaging/inbound-message.js';
import { NOOP_LOGGER } from '../ports/logger.js';
import type { OutboundMessage } from '../ports/message-sender.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import { inboundMessage, requestedSince } from '../testing/chat-messages.js';
import { draftMarket } from '../testing/draft-market.js';
import { createTestWorld } from '../testing/test-world.js';
import { ConversationService } from './conversation-service.js';

async function crashingChat() {
  const world = createTestWorld();
  const m = await draftMarket({ world });
  let crashes = 0;
  const real = world.persistence.uow;
  // The turn's own commit fails once per `crashes`, as when the process dies before it.
  const uow: UnitOfWork = {
    run: (work, options) => {
      if (options?.label === 'conversation-turn' && crashes > 0) {
        crashes -= 1;
        return Promise.reject(new Error('worker killed'));
      }
      return real.run(work, options);
    },
  };
  const service = new ConversationService({
    uow,
    repos: world.repos,
    clock: world.clock,
    logger: NOOP_LOGGER,
    useCases: world.useCases,
    drafts: m.drafts,
    ids: world.ids,
  });
  const message = (content: InboundContent, eventId: string): InboundMessage =>
    inboundMessage({ from: m.shop.phone, content, eventId: eventId, sentAt: world.clock.now(), profileName: 'Sita' });
  /** Answers `message`, the first `crash` attempts dying before the turn commits. */
  const answer = async (msg: InboundMessage, crash: number) => {
    crashes = crash;
    for (let i = 0; i < crash; i++) {
      await service.handleMessage(msg).then(
        () => assert.unreachable('the crash fails the message'),
        (error: unknown) => assert.match(String(error), 'worker killed'),
      );
    }
    await service.handleMessage(msg);
  };
  const replies = (): Promise<OutboundMessage[]> => requestedSince(world.persistence.outbox, world.clock.now());
  const drafts = async () => (await world.repos.orderDrafts.listByRetailer(m.shop.id, { limit: 50 })).items;
  await replies();
  return { world, m, message, answer, replies, drafts };
}

const confirmOf = (reply: OutboundMessage | undefined) =>
  reply?.kind === 'buttons' ? reply.buttons.find((b) => b.id.startsWith('draft:confirm:'))?.id : undefined;

test('an order text answered again after the turn was lost: the one draft, replied once', async () => {
  const c = await crashingChat();
  await c.answer(c.message({ type: 'text', text: 'sugar 2 kg' }, 'wa:msg:wamid.text'), 2);
  const drafts = await c.drafts();
  assert.is(drafts.length, 1, 'one draft however often the text was answered');
  const [reply, ...more] = await c.replies();
  assert.equal(more, [], 'one reply');
  assert.is(confirmOf(reply), `draft:confirm:${drafts[0]?.id}`, 'the reply is about that draft');
});

test('a correction (Edit) answered again after the turn was lost: one fresh draft', async () => {
  const c = await crashingChat();
  await c.answer(c.message({ type: 'text', text: 'sugar 2 kg' }, 'wa:msg:wamid.first'), 0);
  const first = confirmOf((await c.replies())[0]) as string;
  await c.answer(
    c.message({ type: 'button_reply', id: first.replace('confirm', 'edit'), title: 'Edit' }, 'wa:msg:wamid.edit'),
    0,
  );
  await c.replies();
  await c.answer(c.message({ type: 'text', text: 'sugar 3 kg' }, 'wa:msg:wamid.fix'), 1);
  assert.is((await c.drafts()).length, 2, 'the first draft and one correction');
  const [reply, ...more] = await c.replies();
  assert.equal(more, []);
  assert.ok(confirmOf(reply) && confirmOf(reply) !== first, 'the corrected draft');
});

test('"same as last time" answered again after the turn was lost: one repeat draft', async () => {
  const c = await crashingChat();
  await c.m.bought(c.m.shop.id, 'DAL-MASOOR', 10, 1);
  await c.answer(c.message({ type: 'text', text: 'same as last week' }, 'wa:msg:wamid.repeat'), 1);
  assert.is((await c.drafts()).length, 1);
  assert.is((await c.replies()).length, 1);
});

test.run();

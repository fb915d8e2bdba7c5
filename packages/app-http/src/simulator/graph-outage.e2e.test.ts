// Fault (issue 13): the Graph API down. Replies wait in the NOTIFICATIONS queue (the send-message
// job retries with backoff) and go out once it is back, each exactly once and in order. The sender is pointed
// at a switch in front of the simulator's Graph stub that answers 503 while "down".
import { JOB_QUEUE, QueueNames } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ChatDriver } from '../testing/chat-driver.js';
import { startSimulatorApp } from '../testing/simulator-harness.js';

const SHOP = '9779809999999';

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('Graph API down: the draft reply waits in NOTIFICATIONS and goes out once it is back, each message once', async () => {
  const app = await startSimulatorApp({ webhook: 'app', store: 'memory' });
  const chat = new ChatDriver(app, { [SHOP]: 'Demo Kirana Pasal' });
  try {
    const queue = app.composition.get(JOB_QUEUE);
    chat.skipHistory(SHOP);
    const refusedToShop = () => app.graph.refused.filter((to) => to === SHOP).length;
    const deadBefore = (await queue.stats(QueueNames.NOTIFICATIONS)).failed;

    app.graph.down = true;
    // Two replies: the demo stocks the rice, but "noodle" (which noodles?) asks with a list.
    await chat.send(SHOP, { text: 'chamal 2 bora, noodle 1 peti' });
    // The answer's job tried the draft (the list waits behind it, in the same job) and retried it.
    await until('two sends refused and retried', () => refusedToShop() >= 3);
    assert.equal(chat.pending(SHOP), [], 'nothing reached the phone while the API was down');
    const waiting = await queue.stats(QueueNames.NOTIFICATIONS);
    assert.is(waiting.failed, deadBefore, 'no message was given up on');
    assert.ok(waiting.waiting + waiting.active + waiting.delayed >= 1, JSON.stringify(waiting));
    chat.note(`Graph API down: ${refusedToShop()} sends to the shop answered 503`);

    app.graph.down = false;
    // One job sends the answer's messages in turn: after the outage they arrive as written.
    const [draft, list] = await chat.next(SHOP, 2);
    assert.is(draft?.kind, 'buttons', JSON.stringify(draft));
    assert.match(draft?.text ?? '', /^1\. Mansuli Rice: 2 bag × NPR/m);
    assert.match(draft?.text ?? '', /"noodle 1 peti": list bata channus/);
    assert.is(list?.kind, 'list', JSON.stringify(list));
    assert.is(list?.text, '"noodle 1 peti" bhaneko kun ho?');
    // Drained (the demo data's notifications to vendors share the queue): nothing left to retry, nothing dead.
    await until('NOTIFICATIONS drained', async () => {
      const s = await queue.stats(QueueNames.NOTIFICATIONS);
      return s.waiting + s.active + s.delayed === 0;
    });
    const after = await queue.stats(QueueNames.NOTIFICATIONS);
    assert.is(after.failed, deadBefore);
    assert.equal(chat.pending(SHOP), [], 'each reply once: no duplicate after the retries');
    const ids = app.simulator.log
      .after(SHOP, 0, 500)
      .filter((e) => e.direction === 'out')
      .map((e) => e.messageId);
    assert.is(new Set(ids).size, ids.length);
  } finally {
    console.log(`transcript: ${await chat.saveTranscript('graph-outage')}`);
    await app.close();
  }
});

test.run();

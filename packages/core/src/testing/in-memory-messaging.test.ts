import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PhoneNumber } from '../shared/phone-number.js';
import { registerContract } from './contract.js';
import { cacheContract, jobQueueContract } from './contracts/job-queue.contract.js';
import { InMemoryCache } from './in-memory-cache.js';
import { InMemoryJobQueue } from './in-memory-job-queue.js';
import { InMemoryMessageSender } from './in-memory-message-sender.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const systemClock = { now: () => new Date() };
const timer = {
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (h: unknown) => clearTimeout(h as never),
};

let n = 0;
registerContract(test, jobQueueContract, {
  async create() {
    n += 1;
    return { queue: new InMemoryJobQueue(systemClock, timer), queueName: `q${n}`, sleep };
  },
  async dispose(s) {
    await s.queue.close();
  },
});

registerContract(test, cacheContract, {
  async create() {
    return { cache: new InMemoryCache(systemClock), sleep };
  },
});

test('InMemoryMessageSender records messages and can simulate failures', async () => {
  const sender = new InMemoryMessageSender();
  const to = PhoneNumber.parse('9812345678');
  sender.failNext(1);
  let failed = false;
  await sender.send({ kind: 'text', to, text: 'x' }).catch(() => {
    failed = true;
  });
  assert.ok(failed, 'first send fails');
  const { providerMessageId } = await sender.send({ kind: 'text', to, text: 'namaste' });
  assert.is(providerMessageId, 'mem.1');
  assert.is(sender.to('+9779812345678').length, 1);
});

test.run();

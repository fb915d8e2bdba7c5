import type { Cache } from '../../ports/cache.js';
import type { JobInfo, JobListState, JobQueue } from '../../ports/job-queue.js';
import { UnavailableError, ErrorCodes, ValidationError } from '../../shared/errors.js';
import { type Contract, errorWith, expectEqual, expectRejects, expectTrue } from '../contract.js';

/** A queue (or cache) of one backend with real time: cases wait with `sleep`. */
export interface JobQueueSubject {
  readonly queue: JobQueue;
  /** A queue name no other case uses. */
  readonly queueName: string;
  sleep(ms: number): Promise<void>;
}

export interface CacheSubject {
  readonly cache: Cache;
  sleep(ms: number): Promise<void>;
}

async function waitFor(subject: { sleep(ms: number): Promise<void> }, check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await subject.sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export const jobQueueContract: Contract<JobQueueSubject> = {
  name: 'JobQueue',
  cases: [
    {
      name: 'the same job id is enqueued once and processed once',
      async run(s) {
        const handled: string[] = [];
        const first = await s.queue.enqueue({ queue: s.queueName, name: 'notify', jobId: 'job-1', payload: { n: 1 } });
        const second = await s.queue.enqueue({ queue: s.queueName, name: 'notify', jobId: 'job-1', payload: { n: 2 } });
        expectEqual([first.duplicate, second.duplicate], [false, true], 'duplicate flag');
        const consumer = s.queue.process(s.queueName, async (job) => {
          handled.push(`${job.jobId}:${job.payload.n}`);
        });
        await waitFor(s, async () => (await s.queue.get(s.queueName, 'job-1'))?.state === 'succeeded', 'success');
        await consumer.stop();
        expectEqual(handled, ['job-1:1'], 'handled once with the first payload');
      },
    },
    {
      name: 'a failing job is retried with backoff, then dead-lettered, and can be retried by hand',
      async run(s) {
        let calls = 0;
        let healthy = false;
        const consumer = s.queue.process(s.queueName, async () => {
          calls += 1;
          if (!healthy) throw new Error(`failure ${calls}`);
        });
        await s.queue.enqueue({
          queue: s.queueName,
          name: 'flaky',
          jobId: 'job-f',
          payload: {},
          maxAttempts: 3,
          backoffMs: 20,
        });
        await waitFor(s, async () => (await s.queue.get(s.queueName, 'job-f'))?.state === 'dead', 'dead letter');
        const dead = (await s.queue.get(s.queueName, 'job-f')) as JobInfo;
        expectEqual([dead.attempts, dead.lastError], [3, 'failure 3'], 'attempts and last error');
        expectEqual(
          (await s.queue.deadLetters(s.queueName, 10)).map((j) => j.jobId),
          ['job-f'],
          'listed as dead',
        );
        healthy = true;
        expectTrue(await s.queue.retryDead(s.queueName, 'job-f'), 'retry accepted');
        await waitFor(s, async () => (await s.queue.get(s.queueName, 'job-f'))?.state === 'succeeded', 'retried');
        expectEqual(await s.queue.retryDead(s.queueName, 'job-f'), false, 'only dead jobs can be retried');
        await consumer.stop();
        expectEqual(calls, 4, 'three failures and one success');
      },
    },
    {
      name: 'a delayed job waits; stop lets running jobs finish',
      async run(s) {
        const done: string[] = [];
        await s.queue.enqueue({ queue: s.queueName, name: 'later', jobId: 'job-d', payload: {}, delayMs: 150 });
        expectEqual((await s.queue.get(s.queueName, 'job-d'))?.state, 'delayed', 'delayed at first');
        const consumer = s.queue.process(
          s.queueName,
          async (job) => {
            await s.sleep(50);
            done.push(job.jobId);
          },
          { concurrency: 2 },
        );
        await s.sleep(60);
        expectEqual(done, [], 'not before the delay');
        await waitFor(s, async () => (await s.queue.get(s.queueName, 'job-d'))?.state === 'active', 'started');
        await consumer.stop();
        expectEqual(done, ['job-d'], 'stop waited for the running job');
      },
    },
    {
      name: 'stats count waiting, active, delayed, succeeded and failed (dead) jobs',
      async run(s) {
        let release: () => void = () => {};
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        const consumer = s.queue.process(s.queueName, async (job) => {
          if (job.name === 'boom') throw new Error('boom');
          if (job.name === 'hold') await gate;
        });
        const q = s.queueName;
        await s.queue.enqueue({ queue: q, name: 'ok', jobId: 's-ok', payload: {} });
        await s.queue.enqueue({ queue: q, name: 'boom', jobId: 's-boom', payload: {}, maxAttempts: 1 });
        await s.queue.enqueue({ queue: q, name: 'later', jobId: 's-later', payload: {}, delayMs: 60_000 });
        await waitFor(s, async () => (await s.queue.get(q, 's-boom'))?.state === 'dead', 'boom dead');
        await waitFor(s, async () => (await s.queue.get(q, 's-ok'))?.state === 'succeeded', 'ok done');
        await s.queue.enqueue({ queue: q, name: 'hold', jobId: 's-hold', payload: {} });
        await waitFor(s, async () => (await s.queue.get(q, 's-hold'))?.state === 'active', 'hold running');
        await s.queue.enqueue({ queue: q, name: 'ok', jobId: 's-w1', payload: {} });
        await s.queue.enqueue({ queue: q, name: 'ok', jobId: 's-w2', payload: {} });
        try {
          expectEqual(
            await s.queue.stats(q),
            { waiting: 2, active: 1, delayed: 1, succeeded: 1, failed: 1 },
            'counts with one consumer busy',
          );
        } finally {
          release();
          await consumer.stop();
        }
      },
    },
    {
      name: 'list pages the jobs of each state, disjoint and complete, in the order of its state',
      async run(s) {
        let release: () => void = () => {};
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        const q = s.queueName;
        const consumer = s.queue.process(s.queueName, async (job) => {
          if (job.name === 'boom') throw new Error(`boom ${job.jobId}`);
          if (job.name === 'hold') await gate;
        });
        const all = async (state: JobListState, limit: number) => {
          const pages: string[][] = [];
          let cursor: string | undefined;
          do {
            const page = await s.queue.list(q, state, cursor === undefined ? { limit } : { limit, cursor });
            expectTrue(page.items.length <= limit, `a ${state} page holds at most ${limit}`);
            pages.push(page.items.map((j) => j.jobId));
            cursor = page.nextCursor ?? undefined;
          } while (cursor !== undefined && pages.length < 20);
          return pages;
        };
        try {
          for (const id of ['l-ok1', 'l-ok2', 'l-ok3']) {
            await s.queue.enqueue({ queue: q, name: 'ok', jobId: id, payload: {} });
            await waitFor(s, async () => (await s.queue.get(q, id))?.state === 'succeeded', `${id} done`);
            await s.sleep(5); // distinct finish times: the order under test is not left to ties
          }
          for (const id of ['l-dead1', 'l-dead2']) {
            await s.queue.enqueue({ queue: q, name: 'boom', jobId: id, payload: {}, maxAttempts: 1 });
            await waitFor(s, async () => (await s.queue.get(q, id))?.state === 'dead', `${id} dead`);
            await s.sleep(5);
          }
          await s.queue.enqueue({ queue: q, name: 'hold', jobId: 'l-hold', payload: { secret: 'kept' } });
          await waitFor(s, async () => (await s.queue.get(q, 'l-hold'))?.state === 'active', 'hold running');
          for (const id of ['l-w1', 'l-w2', 'l-w3'])
            await s.queue.enqueue({ queue: q, name: 'ok', jobId: id, payload: {} });
          await s.queue.enqueue({ queue: q, name: 'later', jobId: 'l-late', payload: {}, delayMs: 120_000 });
          await s.queue.enqueue({ queue: q, name: 'later', jobId: 'l-soon', payload: {}, delayMs: 60_000 });

          expectEqual(await all('waiting', 2), [['l-w3', 'l-w2'], ['l-w1']], 'waiting: newest first, two pages');
          expectEqual(await all('delayed', 5), [['l-soon', 'l-late']], 'delayed: soonest due first');
          expectEqual(await all('succeeded', 2), [['l-ok3', 'l-ok2'], ['l-ok1']], 'succeeded: latest first');
          expectEqual(await all('failed', 1), [['l-dead2'], ['l-dead1']], 'failed: the dead letters, latest first');
          const active = await s.queue.list(q, 'active', { limit: 10 });
          expectEqual(
            active.items.map((j) => [j.jobId, j.state, j.payload]),
            [['l-hold', 'active', { secret: 'kept' }]],
            'active: the running job, as get shows it',
          );
          expectEqual(active.nextCursor, null, 'a last page has no cursor');
          const dead = await s.queue.list(q, 'failed', { limit: 10 });
          expectEqual(
            dead.items.map((j) => [j.state, j.lastError]),
            [
              ['dead', 'boom l-dead2'],
              ['dead', 'boom l-dead1'],
            ],
            'dead letters carry their state and last error',
          );
          expectEqual(
            (await s.queue.list(`${q}-empty`, 'waiting', { limit: 10 })).items,
            [],
            'an unknown queue lists nothing',
          );
          await expectRejects(
            s.queue.list(q, 'waiting', { limit: 10, cursor: 'not-a-cursor' }),
            errorWith(ValidationError.is, ErrorCodes.VALIDATION),
            'a malformed cursor',
          );
        } finally {
          release();
          await consumer.stop();
        }
      },
    },
    {
      name: 'a closed queue refuses new jobs with QUEUE.UNAVAILABLE',
      async run(s) {
        await s.queue.close();
        await expectRejects(
          s.queue.enqueue({ queue: s.queueName, name: 'late', jobId: 'job-late', payload: {} }),
          errorWith(UnavailableError.is, ErrorCodes.QUEUE_UNAVAILABLE),
          'enqueue after close',
        );
      },
    },
  ],
};

export const cacheContract: Contract<CacheSubject> = {
  name: 'Cache',
  cases: [
    {
      name: 'get, set, delete, and expiry',
      async run(s) {
        expectEqual(await s.cache.get('missing'), null, 'miss');
        await s.cache.set('k', { a: [1, 'x', null] }, 60_000);
        expectEqual(await s.cache.get('k'), { a: [1, 'x', null] }, 'hit');
        await s.cache.delete('k');
        expectEqual(await s.cache.get('k'), null, 'deleted');
        await s.cache.set('short', 'v', 40);
        await s.sleep(120);
        expectEqual(await s.cache.get('short'), null, 'expired');
      },
    },
  ],
};

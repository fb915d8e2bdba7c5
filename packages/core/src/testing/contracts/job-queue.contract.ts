import type { Cache } from '../../ports/cache.js';
import type { JobInfo, JobQueue } from '../../ports/job-queue.js';
import { type Contract, expectEqual, expectTrue } from '../contract.js';

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

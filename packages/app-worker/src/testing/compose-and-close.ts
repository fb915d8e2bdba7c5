// Child process of compose-redis.int.test.ts: compose from the environment, run one job
// through the queue, close, and then exit by itself. Anything left open (a Redis socket,
// a timer) keeps the process alive, which the test sees as a hang.
import { JOB_QUEUE } from '@khaacho/core';
import { composeContainer } from '../composition/compose-container.js';
import { workerConfigFromEnv } from '../config/worker-config.js';

const app = await composeContainer(workerConfigFromEnv(process.env));
await app.ready();
const queue = app.get(JOB_QUEUE);
const ran = new Promise<string>((resolve) => {
  queue.process('compose-test', async (job) => resolve(job.jobId));
});
await queue.enqueue({ queue: 'compose-test', name: 'ping', payload: {}, jobId: 'child-job' });
process.stdout.write(`ran ${await ran} on ${queue.constructor.name}\n`);
await app.close();
process.stdout.write('closed\n');

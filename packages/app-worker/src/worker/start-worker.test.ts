import { JOB_QUEUE, LOGGER, QueueNames } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { composeContainer } from '../composition/compose-container.js';
import { WORKER_QUEUES } from '../config/env-schema.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { eventually } from '../testing/flow-world.js';
import { captureLines } from '../testing/order-journey.js';
import { EVENT_QUEUES, startWorker } from './start-worker.js';

const memory = (logDestination?: ReturnType<typeof captureLines>['destination']) =>
  composeContainer(
    workerConfigFromEnv({
      KHAACHO_STORE: 'memory',
      KHAACHO_MESSAGE_SENDER: 'memory',
      LOG_LEVEL: logDestination ? 'info' : 'silent',
    }),
    logDestination ? { logDestination } : {},
  );

test('every job runs in a log context naming its job id and queue; concurrency per queue is overridable', async () => {
  const { lines, destination } = captureLines();
  const app = await memory(destination);
  const logger = app.get(LOGGER);
  const worker = startWorker(app, {
    concurrency: { PAYMENT_REMINDER: 7 },
    handlers: { PAYMENT_REMINDER: async () => logger.info('reminding') },
  });
  try {
    await app
      .get(JOB_QUEUE)
      .enqueue({ queue: QueueNames.PAYMENT_REMINDER, name: 'remind', jobId: 'slot-1', payload: {} });
    await eventually('the job ran', () => worker.status().queues.PAYMENT_REMINDER?.succeeded === 1);
    const line = lines.find((l) => l.msg === 'reminding');
    assert.is(line?.jobId, 'slot-1');
    assert.is(line?.queue, 'PAYMENT_REMINDER');
    const status = worker.status();
    assert.is(status.state, 'running');
    assert.equal(Object.keys(status.queues).sort(), [...EVENT_QUEUES, QueueNames.PAYMENT_REMINDER].sort());
    assert.is(status.queues.PAYMENT_REMINDER?.concurrency, 7);
    assert.is(status.queues.ORDER_ROUTING?.concurrency, 3, 'the default');
    assert.is(status.relay?.ack, 'completion', 'the composition has an in-process queue');
    assert.ok(status.relay?.running);
  } finally {
    await worker.stop();
    await app.close();
  }
  assert.is(worker.status().state, 'stopped');
  assert.not.ok(worker.status().relay?.running);
});

test('stop() takes no new job and lets the running one finish', async () => {
  const app = await memory();
  let release: () => void = () => {};
  const started: string[] = [];
  const worker = startWorker(app, {
    handlers: {
      PAYMENT_REMINDER: async (job) => {
        started.push(job.jobId);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    },
  });
  const queue = app.get(JOB_QUEUE);
  try {
    await queue.enqueue({ queue: QueueNames.PAYMENT_REMINDER, name: 'remind', jobId: 'a', payload: {} });
    await eventually('the job runs', () => started.length === 1);
    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    await queue.enqueue({ queue: QueueNames.PAYMENT_REMINDER, name: 'remind', jobId: 'b', payload: {} });
    await new Promise((resolve) => setImmediate(resolve));
    assert.not.ok(stopped, 'stop waits for the running job');
    assert.is(worker.status().state, 'stopping');
    release();
    await stopping;
    assert.is((await queue.get(QueueNames.PAYMENT_REMINDER, 'a'))?.state, 'succeeded');
    assert.equal(started, ['a'], 'the job enqueued while stopping was not taken');
  } finally {
    await app.close();
  }
});

test('stop() gives up on a job that never finishes after its bound, and says so', async () => {
  const { lines, destination } = captureLines();
  const app = await memory(destination);
  const worker = startWorker(app, {
    stopTimeoutMs: 20,
    handlers: { REPORT_GENERATION: () => new Promise(() => {}) },
  });
  await app.get(JOB_QUEUE).enqueue({ queue: QueueNames.REPORT_GENERATION, name: 'r', jobId: 'stuck', payload: {} });
  await eventually('the job runs', () => worker.status().queues.REPORT_GENERATION?.running === 1);
  await worker.stop();
  assert.is(worker.status().state, 'stopped');
  const warn = lines.find((l) => l.msg === 'worker stopped with jobs still running; they will be retried');
  assert.equal((warn?.running as Record<string, number> | undefined)?.REPORT_GENERATION, 1);
  // The composition's queue would wait for the stuck job on close: this process would exit instead.
});

test('worker-ops 5: WORKER_QUEUES (what KHAACHO_QUEUE_CONCURRENCY may name) are exactly the queues a scheduled worker consumes', async () => {
  const app = await memory();
  const worker = startWorker(app, { schedule: { tasks: [] }, withoutRelay: true });
  try {
    assert.equal(Object.keys(worker.status().queues).sort(), [...WORKER_QUEUES].sort());
  } finally {
    await worker.stop();
    await app.close();
  }
});

test.run();

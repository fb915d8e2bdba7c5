// The worker process with one slow job, for the signal tests: the job logs "slow job
// started" and finishes when a line arrives on stdin, so a test decides when the drain ends.
import { JOB_QUEUE, LOGGER, QueueNames } from '@khaacho/core';
import { ShutdownSignals, writeStartingLine } from '../process/shutdown-signals.js';

const signals = ShutdownSignals.install();
writeStartingLine(process.env.LOG_LEVEL);
const { runWorkerProcess } = await import('../process/worker-process.js');

let release: () => void = () => {};
const released = new Promise<void>((resolve) => {
  release = resolve;
});
process.stdin.once('data', () => release());

const running = await runWorkerProcess(signals, {
  stopTimeoutMs: Number(process.env.TEST_STOP_TIMEOUT_MS ?? 60_000),
  handlers: {
    [QueueNames.REPORT_GENERATION]: async () => {
      running?.app.get(LOGGER).info('slow job started', {});
      await released;
      running?.app.get(LOGGER).info('slow job finished', {});
    },
  },
});
await running?.app
  .get(JOB_QUEUE)
  .enqueue({ queue: QueueNames.REPORT_GENERATION, name: 'slow', jobId: 'slow-1', payload: {} });

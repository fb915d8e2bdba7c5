/*
 * Preloaded (`node --import`) into each worker process the conversation bench spawns
 * (`--workers n`): the same SQL and Redis counters as the bench's own process, and its CPU
 * time, switched on and off by the bench over the IPC channel, so that each process's figures
 * cover the measured messages only. `{ type: 'start' }` starts counting (and the CPU profile
 * when BENCH_CPU_PROFILE names a file); `{ type: 'stop' }` answers with a `WorkerProbeReport`.
 * The worker itself is `packages/app-worker/dist/main.js`, unchanged.
 */
import { createRequire } from 'node:module';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { installRedisCounter, installSqlCounter, type SqlCount } from './sql-counter.ts';

export interface WorkerProbeReport {
  readonly type: 'report';
  readonly pid: number;
  readonly cpuMs: number;
  readonly sql: readonly SqlCount[];
  readonly redis: readonly SqlCount[];
}

// ioredis as adapters-redis loads it (CommonJS: one module instance for both).
const Redis = createRequire(import.meta.resolve('@khaacho/adapters-redis'))('ioredis') as {
  prototype: object;
};
const sql = installSqlCounter();
const redis = installRedisCounter(Object.create(Redis.prototype) as object);
const profileFile = process.env.BENCH_CPU_PROFILE?.trim();
const inspector = profileFile ? new Session() : null;
let cpuAtStart = process.cpuUsage();

process.on('message', (message: { type?: string }) => {
  if (message?.type === 'start') {
    void (async () => {
      if (inspector) {
        inspector.connect();
        await inspector.post('Profiler.enable');
        await inspector.post('Profiler.start');
      }
      cpuAtStart = process.cpuUsage();
      sql.start();
      redis.start();
      process.send?.({ type: 'started' });
    })();
  } else if (message?.type === 'stop') {
    void (async () => {
      sql.stop();
      redis.stop();
      const cpu = process.cpuUsage(cpuAtStart);
      if (inspector && profileFile) {
        const { profile } = await inspector.post('Profiler.stop');
        await writeFile(profileFile.replace(/(\.[^./]+)?$/, `.worker-${process.pid}$1`), JSON.stringify(profile));
        inspector.disconnect();
      }
      const report: WorkerProbeReport = {
        type: 'report',
        pid: process.pid,
        cpuMs: (cpu.user + cpu.system) / 1000,
        sql: sql.top(1_000),
        redis: redis.top(1_000),
      };
      process.send?.(report);
    })();
  }
});
// The IPC channel must not keep a worker up once it is told to stop by a signal.
process.channel?.unref();

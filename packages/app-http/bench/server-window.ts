/*
 * What a server process sees during one measured run, for explaining a latency from data
 * rather than guessing: the event loop's delay histogram and utilisation, and the connection
 * pool's occupancy and queue, time-weighted. The orchestrator opens and closes the window
 * around the autocannon run ('window-start' / 'window-stop' over IPC).
 */
import { type EventLoopUtilization, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { ServerWindow } from './protocol.js';

export interface PoolFigures {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

export interface MeasurementWindow {
  start(): void;
  stop(): ServerWindow;
}

/** Pool figures are read every 5 ms (a counter read, no query); each weighed by the time it held. */
export function measurementWindow(pool: () => PoolFigures, poolMax: number): MeasurementWindow {
  let histogram: ReturnType<typeof monitorEventLoopDelay> | null = null;
  let elu: EventLoopUtilization | null = null;
  let timer: NodeJS.Timeout | null = null;
  let last = 0;
  let weighed = { time: 0, inUse: 0, waiting: 0, maxWaiting: 0 };
  const sample = () => {
    const now = performance.now();
    const dt = now - last;
    last = now;
    const p = pool();
    weighed = {
      time: weighed.time + dt,
      inUse: weighed.inUse + (p.total - p.idle) * dt,
      waiting: weighed.waiting + p.waiting * dt,
      maxWaiting: Math.max(weighed.maxWaiting, p.waiting),
    };
  };
  return {
    start() {
      histogram = monitorEventLoopDelay({ resolution: 10 });
      histogram.enable();
      elu = performance.eventLoopUtilization();
      weighed = { time: 0, inUse: 0, waiting: 0, maxWaiting: 0 };
      last = performance.now();
      timer = setInterval(sample, 5);
    },
    stop() {
      if (!histogram || !elu || !timer) throw new Error('no window open');
      clearInterval(timer);
      sample();
      histogram.disable();
      const ms = (ns: number) => Math.round(ns / 1e4) / 100;
      const used = performance.eventLoopUtilization(elu);
      const result: ServerWindow = {
        loopDelayMs: {
          p50: ms(histogram.percentile(50)),
          p99: ms(histogram.percentile(99)),
          max: ms(histogram.max),
          mean: ms(histogram.mean),
        },
        loopUtilisation: Math.round(used.utilization * 1000) / 1000,
        pool: {
          max: poolMax,
          meanInUse: weighed.time > 0 ? weighed.inUse / weighed.time : 0,
          meanWaiting: weighed.time > 0 ? weighed.waiting / weighed.time : 0,
          maxWaiting: weighed.maxWaiting,
        },
      };
      histogram = null;
      elu = null;
      timer = null;
      return result;
    },
  };
}

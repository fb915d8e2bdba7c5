import type {
  Clock,
  InboxStats,
  JobQueue,
  JobQueueStats,
  Logger,
  Outbox,
  OutboxStats,
  Timer,
  WebhookInbox,
} from '@khaacho/core';

export interface ProgressReporterOptions {
  readonly queue: Pick<JobQueue, 'stats'>;
  /** The queues to count (e.g. `QUEUE_NAMES`). */
  readonly queues: readonly string[];
  /** Omit when there is no outbox to report (the line then carries queues only). */
  readonly outbox?: Pick<Outbox, 'stats'>;
  /** The webhook inbox's backlog, when an inbox processor runs (its attempt limit decides what is dead). */
  readonly inbox?: { readonly store: Pick<WebhookInbox, 'stats'>; readonly maxAttempts: number };
  readonly logger: Logger;
  /** Time between lines (≥ 1 ms; the worker's default is 30 s). */
  readonly intervalMs: number;
  /** For the outbox's oldest-pending age; default the system clock. */
  readonly clock?: Clock;
  /** Default Node's timers; a test may pass its own. */
  readonly timer?: Timer;
}

export interface ProgressLine {
  readonly queues: Readonly<Record<string, JobQueueStats | null>>;
  readonly outbox: (Omit<OutboxStats, 'oldestPendingAt'> & { readonly oldestPendingAgeMs: number | null }) | null;
  /** Absent without an inbox processor; null when its stats failed. */
  readonly inbox?: (Omit<InboxStats, 'oldestWaitingAt'> & { readonly oldestWaitingAgeMs: number | null }) | null;
}

export interface ProgressReporter {
  /** Log one line now (what the interval does); never throws. */
  report(): Promise<ProgressLine>;
  /** No more lines; waits for a report in progress. Idempotent. */
  stop(): Promise<void>;
}

const systemTimer: Timer = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
const systemClock: Clock = { now: () => new Date() };

/**
 * Every `intervalMs`, one info line "progress" with per-queue counts (waiting, active,
 * succeeded, failed, delayed from `JobQueue.stats`) and the outbox's backlog. A stats call
 * that fails is one warn naming what failed (its counts are null in that line); the reporter
 * never throws and keeps going. The next line is scheduled after the previous one is
 * written, so a slow Redis never stacks reports up. The timer is unref'd: it does not keep
 * the process alive on its own.
 */
export function startProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  if (!Number.isFinite(options.intervalMs) || options.intervalMs < 1) {
    throw new RangeError(`intervalMs must be ≥ 1, got ${options.intervalMs}`);
  }
  const timer = options.timer ?? systemTimer;
  const clock = options.clock ?? systemClock;
  const { logger } = options;
  let handle: unknown = null;
  let stopped = false;
  let running: Promise<ProgressLine> | null = null;

  async function collect(): Promise<ProgressLine> {
    const queueEntries = await Promise.all(
      options.queues.map(async (name) => {
        try {
          return [name, await options.queue.stats(name)] as const;
        } catch (error) {
          logger.warn('progress: queue stats failed', { queue: name, error: describe(error) });
          return [name, null] as const;
        }
      }),
    );
    let outbox: ProgressLine['outbox'] = null;
    if (options.outbox) {
      try {
        const now = clock.now();
        const stats = await options.outbox.stats(now);
        outbox = {
          pending: stats.pending,
          failing: stats.failing,
          unreadable: stats.unreadable,
          oldestPendingAgeMs: stats.oldestPendingAt
            ? Math.max(0, now.getTime() - stats.oldestPendingAt.getTime())
            : null,
        };
      } catch (error) {
        logger.warn('progress: outbox stats failed', { error: describe(error) });
      }
    }
    let inbox: ProgressLine['inbox'] = null;
    if (options.inbox) {
      try {
        const now = clock.now();
        const { oldestWaitingAt, ...counts } = await options.inbox.store.stats({
          maxAttempts: options.inbox.maxAttempts,
          now,
        });
        inbox = {
          ...counts,
          oldestWaitingAgeMs: oldestWaitingAt ? Math.max(0, now.getTime() - oldestWaitingAt.getTime()) : null,
        };
      } catch (error) {
        logger.warn('progress: inbox stats failed', { error: describe(error) });
      }
    }
    const line: ProgressLine = {
      queues: Object.fromEntries(queueEntries),
      outbox,
      ...(options.inbox ? { inbox } : {}),
    };
    logger.info('progress', { queues: line.queues, outbox: line.outbox, ...(options.inbox ? { inbox } : {}) });
    return line;
  }

  function report(): Promise<ProgressLine> {
    // One report at a time: a tick during a manual report shares it.
    running ??= collect().finally(() => {
      running = null;
    });
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    handle = timer.setTimeout(() => {
      handle = null;
      report().then(schedule, schedule); // collect() catches everything; belt and braces
    }, options.intervalMs);
    (handle as { unref?: () => void } | null)?.unref?.();
  }

  schedule();
  let stopping: Promise<void> | null = null;
  return {
    report,
    stop() {
      stopping ??= (async () => {
        stopped = true;
        if (handle !== null) timer.clearTimeout(handle);
        handle = null;
        await running?.catch(() => undefined);
      })();
      return stopping;
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import {
  CATALOG_CACHE,
  CLOCK,
  CONVERSATION_HANDLER,
  DEFAULT_QUEUE_CONCURRENCY,
  EventTypes,
  IDEMPOTENCY_STORE,
  INBOX_WAKEUP,
  JOB_QUEUE,
  type JobConsumer,
  type JobHandler,
  type JobInfo,
  LOGGER,
  MESSAGE_SENDER,
  OUTBOUND_MESSAGE_LOG,
  OUTBOX,
  OUTBOX_WAKEUP,
  type PhoneNumber,
  type QueueName,
  QueueNames,
  type ReminderRule,
  REPOSITORY_TOKENS,
  TIMER,
  type Token,
  USE_CASES,
  WEBHOOK_INBOX,
} from '@khaacho/core';
import type { Container } from 'inversify';
import type { Composition } from '../composition/compose-container.js';
import { createEventConsumer } from '../consumers/event-consumers.js';
import { snapshotRefreshEnqueuer, snapshotRefreshHandlers } from '../consumers/snapshot-refresh.js';
import { InboxProcessor, type InboxProcessorOptions, type InboxProcessorStatus } from '../inbox/inbox-processor.js';
import { withLogContext } from '../logging/log-context.js';
import { startProgressReporter } from '../progress/progress-reporter.js';
import type { SweepThresholds } from '../recovery/recovery-sweep.js';
import { WORKER_SCHEDULE } from '../scheduler/scheduled-jobs.js';
import { type ScheduledTask, type Scheduler, startScheduler } from '../scheduler/scheduler.js';
import { mergeQueueHandlers, scheduledHandlersFrom } from './queue-handlers.js';
import {
  type AckPoint,
  ackPointFor,
  OutboxRelay,
  type OutboxRelayOptions,
  type OutboxRelayStatus,
} from '../relay/outbox-relay.js';
import { OutboxAcks } from '../relay/outbox-acks.js';

/** The queues the event consumers read (see `routeEvent`). */
export const EVENT_QUEUES: readonly QueueName[] = [
  QueueNames.ORDER_PROCESSING,
  QueueNames.ORDER_ROUTING,
  QueueNames.NOTIFICATIONS,
  QueueNames.CREDIT_SCORE,
  // Events that only make a vendor's snapshot stale, and the refresh jobs themselves.
  QueueNames.REPORT_GENERATION,
];

export interface StartWorkerOptions {
  /** Jobs run at once per queue (default `DEFAULT_QUEUE_CONCURRENCY`). */
  readonly concurrency?: Partial<Record<QueueName, number>>;
  /**
   * Relay settings. `ack` defaults to `completion` (`ackPointFor`, for either queue kind):
   * a message is published when its job has succeeded, so a queue that loses its jobs (a
   * Redis restarted empty) loses no message.
   */
  readonly relay?: Partial<OutboxRelayOptions>;
  /** Do not start the relay (a process that only consumes). Default false. */
  readonly withoutRelay?: boolean;
  /** Handlers for more queues (the scheduler's jobs), or in place of the event consumer on one. */
  readonly handlers?: Partial<Record<QueueName, JobHandler>>;
  /** How long `stop()` waits for running jobs (default 10 s); past it, they are left to their retry. */
  readonly stopTimeoutMs?: number;
  /** Operator alerts also go to this number as a message. */
  readonly operatorPhone?: PhoneNumber | null;
  /**
   * Run the scheduler (offer expiry, recovery sweep, nightly rescoring, payment reminders)
   * and handle its jobs. Off unless given: a test world with a fixed clock rarely wants a
   * catch-up slot firing. Start it only after `app.ready()` (a slot enqueued while Redis
   * connects is retried at the next wake, but the catch-up may be missed).
   */
  readonly schedule?: {
    readonly tasks?: readonly ScheduledTask[];
    readonly sweep?: Partial<SweepThresholds>;
    /** Payment reminder rules; default core's DEFAULT_REMINDER_RULES. */
    readonly reminderRules?: readonly ReminderRule[];
  };
  /**
   * Snapshot refreshes after events (see `snapshotRefreshEnqueuer`): the coalescing window,
   * default `DEFAULT_REFRESH_COALESCE_MS`; `false`: none (snapshots then follow the schedule only).
   */
  readonly snapshotRefresh?: { readonly coalesceMs?: number } | false;
  /** One info line of per-queue counts and the outbox backlog this often; null or absent: none. */
  readonly progressIntervalMs?: number | null;
  /**
   * The webhook inbox processor's settings. It runs only when a CONVERSATION_HANDLER is bound
   * (the conversations answer the messages it takes); `false`: not even then.
   */
  readonly inbox?: InboxProcessorOptions | false;
}

export interface QueueStatus {
  readonly concurrency: number;
  readonly running: number;
  readonly succeeded: number;
  readonly failed: number;
}

export interface WorkerStatus {
  readonly state: 'running' | 'stopping' | 'stopped';
  readonly relay: OutboxRelayStatus | null;
  /** null when no inbox processor runs (no CONVERSATION_HANDLER bound). */
  readonly inbox: InboxProcessorStatus | null;
  readonly queues: Readonly<Partial<Record<QueueName, QueueStatus>>>;
}

export interface WorkerHandle {
  /** Stop taking jobs, stop the relay, let running jobs finish within the bound. Idempotent. */
  stop(): Promise<void>;
  status(): WorkerStatus;
}

/**
 * Starts the outbox relay and one consumer per queue, from a composition (or its container).
 * Every job runs inside `withLogContext({ jobId, queue })`, so each line it logs names it.
 */
export function startWorker(app: Composition | Container, options: StartWorkerOptions = {}): WorkerHandle {
  const composition = 'adapters' in app ? app : null;
  const get = <T>(service: Token<T>): T =>
    composition ? composition.get(service) : (app as Container).get<T>(service);
  const logger = get(LOGGER);
  const queue = get(JOB_QUEUE);
  const timer = get(TIMER);
  const ack: AckPoint = options.relay?.ack ?? (composition ? ackPointFor(composition.adapters.jobQueue) : 'completion');
  const container = composition ? composition.container : (app as Container);
  // Bound on a PostgreSQL server (LISTEN/NOTIFY); elsewhere the relay polls.
  const wakeup = container.isBound(OUTBOX_WAKEUP) ? get(OUTBOX_WAKEUP) : undefined;
  // Every process that consumes acks the jobs it finishes, whichever relay enqueued them
  // (a consumer-only process too): the ack is by message id.
  const acks = ack === 'completion' ? new OutboxAcks({ outbox: get(OUTBOX), clock: get(CLOCK), logger }) : null;
  const relay = options.withoutRelay
    ? null
    : new OutboxRelay(
        {
          outbox: get(OUTBOX),
          queue,
          clock: get(CLOCK),
          timer,
          logger,
          ...(wakeup ? { wakeup } : {}),
          ...(acks ? { acks } : {}),
        },
        { ...options.relay, ack },
      );

  const eventConsumer = createEventConsumer({
    useCases: get(USE_CASES),
    vendors: get(REPOSITORY_TOKENS.vendors),
    retailers: get(REPOSITORY_TOKENS.retailers),
    sender: get(MESSAGE_SENDER),
    idempotency: get(IDEMPOTENCY_STORE),
    clock: get(CLOCK),
    logger,
    operatorPhone: options.operatorPhone ?? null,
    catalog: get(CATALOG_CACHE),
    refreshSnapshots:
      options.snapshotRefresh === false
        ? null
        : snapshotRefreshEnqueuer({ queue, clock: get(CLOCK), ...options.snapshotRefresh }),
  });
  const eventHandlers: Partial<Record<QueueName, JobHandler>> = {};
  for (const name of EVENT_QUEUES) eventHandlers[name] = eventConsumer;
  const resolver = { get };
  const refreshHandlers = snapshotRefreshHandlers({ useCases: get(USE_CASES), logger }).map((h) => ({
    ...h,
    queue: QueueNames.REPORT_GENERATION,
  }));
  const handlers = mergeQueueHandlers(eventHandlers, [
    ...refreshHandlers,
    ...(options.schedule
      ? scheduledHandlersFrom(resolver, options.schedule.sweep ?? {}, options.schedule.reminderRules)
      : []),
  ]);
  Object.assign(handlers, options.handlers);

  const queues: Partial<
    Record<QueueName, { concurrency: number; running: number; succeeded: number; failed: number }>
  > = {};
  const consumers: JobConsumer[] = [];
  for (const [name, handler] of Object.entries(handlers) as [QueueName, JobHandler][]) {
    const stats = {
      concurrency: options.concurrency?.[name] ?? DEFAULT_QUEUE_CONCURRENCY[name],
      running: 0,
      succeeded: 0,
      failed: 0,
    };
    queues[name] = stats;
    const run = async (job: JobInfo) => {
      stats.running += 1;
      try {
        await handler(job);
        stats.succeeded += 1;
      } catch (error) {
        stats.failed += 1;
        logger.warn('job failed', {
          attempt: job.attempts,
          maxAttempts: job.maxAttempts,
          error: error instanceof Error ? error.message : String(error),
        });
        throw error;
      } finally {
        stats.running -= 1;
      }
      // The message is published only now that its job succeeded (written with the next
      // round of acks; not awaited: a lost ack only makes a relay look at the job again).
      // A phone's send: its ack may free that phone's next message (the outbox's `phoneOrder`).
      if (acks && 'event' in job.payload) void acks.ack(job.jobId, isPhoneSend(job.payload.event));
    };
    consumers.push(
      queue.process(name, (job) => withLogContext({ jobId: job.jobId, queue: job.queue }, () => run(job)), {
        concurrency: stats.concurrency,
      }),
    );
  }
  relay?.start();
  const inboxWakeup = container.isBound(INBOX_WAKEUP) ? get(INBOX_WAKEUP) : undefined;
  const inbox =
    options.inbox !== false && container.isBound(CONVERSATION_HANDLER)
      ? new InboxProcessor(
          {
            inbox: get(WEBHOOK_INBOX),
            handler: get(CONVERSATION_HANDLER),
            outboundLog: get(OUTBOUND_MESSAGE_LOG),
            clock: get(CLOCK),
            timer,
            logger,
            sender: get(MESSAGE_SENDER),
            idempotency: get(IDEMPOTENCY_STORE),
            operatorPhone: options.operatorPhone ?? null,
            ...(inboxWakeup ? { wakeup: inboxWakeup } : {}),
          },
          options.inbox || {},
        )
      : null;
  inbox?.start();
  const scheduler: Scheduler | null = options.schedule
    ? startScheduler({
        queue,
        clock: get(CLOCK),
        timer,
        logger,
        tasks: options.schedule.tasks ?? WORKER_SCHEDULE,
      })
    : null;
  const progress = options.progressIntervalMs
    ? startProgressReporter({
        queue,
        queues: Object.keys(handlers),
        outbox: get(OUTBOX),
        ...(inbox ? { inbox: { store: get(WEBHOOK_INBOX), maxAttempts: inbox.maxAttempts } } : {}),
        logger,
        intervalMs: options.progressIntervalMs,
        clock: get(CLOCK),
        timer,
      })
    : null;
  logger.info('worker started', {
    queues: Object.fromEntries(Object.entries(queues).map(([name, q]) => [name, q.concurrency])),
    relay: relay ? relay.ack : 'off',
    relayWakeup: relay ? (wakeup ? 'listen/notify' : 'poll') : 'off',
    inbox: inbox ? (inboxWakeup ? 'listen/notify' : 'poll') : 'off',
    scheduler: scheduler ? (options.schedule?.tasks ?? WORKER_SCHEDULE).map((t) => t.name) : 'off',
  });

  let state: WorkerStatus['state'] = 'running';
  let stopping: Promise<void> | null = null;
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  const stop = async () => {
    state = 'stopping';
    // Consumers stop taking jobs at once; the relay finishes its pass. In ack-on-completion
    // mode the running jobs still ack through the outbox after the relay loop has ended.
    // Consumers stop at once (synchronously: a job enqueued after `stop()` is not taken), and
    // with them the scheduler's slots and the progress lines.
    const drained = Promise.all([
      ...consumers.map((c) => c.stop()),
      relay?.stop(),
      inbox?.stop(),
      scheduler?.stop(),
      progress?.stop(),
    ])
      // The acks of the jobs that finished while stopping.
      .then(() => acks?.flush())
      .then(() => true);
    let handle: unknown;
    const bound = new Promise<false>((resolve) => {
      handle = timer.setTimeout(() => resolve(false), stopTimeoutMs);
    });
    const inTime = await Promise.race([drained, bound]);
    timer.clearTimeout(handle);
    if (!inTime) {
      const running = Object.fromEntries(Object.entries(queues).map(([name, q]) => [name, q.running]));
      logger.warn('worker stopped with jobs still running; they will be retried', { running, stopTimeoutMs });
    }
    state = 'stopped';
    logger.info('worker stopped', {});
  };
  return {
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
    status: () => ({
      state,
      relay: relay?.status() ?? null,
      inbox: inbox?.status() ?? null,
      queues: Object.fromEntries(Object.entries(queues).map(([name, q]) => [name, { ...q }])),
    }),
  };
}

function isPhoneSend(event: unknown): boolean {
  return (
    typeof event === 'object' &&
    event !== null &&
    (event as { type?: unknown }).type === EventTypes.MESSAGE_SEND_REQUESTED
  );
}

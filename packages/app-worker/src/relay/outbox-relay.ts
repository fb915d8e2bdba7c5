import {
  type Clock,
  type DomainEvent,
  ErrorCodes,
  type JobQueue,
  type Logger,
  type Outbox,
  type OutboxMessage,
  type OutboxWakeup,
  type Timer,
  UnavailableError,
} from '@khaacho/core';
import { type EventRoute, eventToJobPayload, routeEvent } from '../consumers/event-routes.js';

/**
 * When a message counts as published.
 * - `enqueue`: once its job is in a durable queue (Redis): the queue owns it from there.
 * - `completion`: once its job has succeeded. For an in-process queue (embedded mode),
 *   whose jobs die with the process: until the ack the message keeps its lease, and after a
 *   crash the lease lapses and a relay publishes it again.
 */
export type AckPoint = 'enqueue' | 'completion';

/**
 * Attempts of an event job. With the queues' 1 s doubling backoff the retries span
 * 1+2+4+8+16 = 31 s, longer than `EFFECT_LEASE_MS` (15 s): a job redelivered after its
 * worker died inside an effect waits out the dead delivery's key instead of dying.
 */
export const EVENT_JOB_ATTEMPTS = 6;
export const EVENT_JOB_BACKOFF_MS = 1_000;

/** The composition's queue kind decides the ack point: only a durable queue may own a message. */
export function ackPointFor(jobQueue: 'memory' | 'redis'): AckPoint {
  return jobQueue === 'memory' ? 'completion' : 'enqueue';
}

export interface OutboxRelayOptions {
  readonly ack: AckPoint;
  /** Messages claimed per pass (default 100); a full batch loops at once. */
  readonly batchSize?: number;
  /**
   * How long claimed messages stay invisible to other relays. Default 5 s with ack on
   * enqueue (the lease only covers one pass's enqueues; a relay that died mid-pass holds its
   * batch this long, and a double enqueue is one job anyway), 30 s with ack on completion
   * (it covers the job's run).
   */
  readonly leaseMs?: number;
  /**
   * The wait when a pass found less than a batch: default 250 ms, or 1 s with a wake-up
   * source (LISTEN/NOTIFY wakes the relay at once; the poll then only covers a lost
   * notification and delayed retries).
   */
  readonly pollMs?: number;
  /** First retry delay after an enqueue failure (default 1 s), doubling per attempt up to `retryMaxMs` (60 s). */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** [0, 1) for the jitter (default Math.random). */
  readonly random?: () => number;
  /** Event → queue (default `routeEvent`). */
  readonly route?: (event: DomainEvent) => EventRoute | null;
}

export interface OutboxRelayDeps {
  readonly outbox: Outbox;
  readonly queue: JobQueue;
  readonly clock: Clock;
  readonly timer: Timer;
  readonly logger: Logger;
  /** Wakes the relay when messages are committed (PostgreSQL LISTEN/NOTIFY); absent: it polls. */
  readonly wakeup?: OutboxWakeup;
}

export interface OutboxRelayStatus {
  readonly running: boolean;
  readonly ack: AckPoint;
  /** Marked published by this relay (with a job or without one). */
  readonly published: number;
  /** Of those, events no consumer needs. */
  readonly withoutJob: number;
  /** Enqueue failures, each recorded on its message with a retry time. */
  readonly failed: number;
  /** Passes started early by a wake-up (LISTEN/NOTIFY) instead of at the end of the poll. */
  readonly woken: number;
  /** Claimed rows that do not parse as a catalog event, parked (each logged at error). */
  readonly unreadable: number;
  /** Ack-on-completion jobs enqueued and not yet acknowledged. */
  readonly awaitingAck: number;
  readonly lastError: string | null;
}

/**
 * Moves outbox messages to the job queue: claim (SKIP LOCKED + lease, so any number of
 * relays can run), enqueue each with its message id as the job id (the same message never
 * makes two jobs), mark published. An enqueue failure is recorded on the message with an
 * exponential, jittered retry time: nothing is lost while the queue is down.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly random: () => number;
  private readonly route: (event: DomainEvent) => EventRoute | null;
  private readonly awaiting = new Set<string>();
  private counts = { published: 0, withoutJob: 0, failed: 0, unreadable: 0 };
  private lastError: string | null = null;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  /** A wake-up arrived during a pass: the rows it announced may be newer than the claim. */
  private poked = false;
  private unsubscribe: (() => void) | null = null;
  /** Passes started by a wake-up rather than the poll (status). */
  private woken = 0;

  constructor(
    private readonly deps: OutboxRelayDeps,
    private readonly options: OutboxRelayOptions,
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.leaseMs = options.leaseMs ?? (options.ack === 'enqueue' ? 5_000 : 30_000);
    this.pollMs = options.pollMs ?? (deps.wakeup ? 1_000 : 250);
    this.retryBaseMs = options.retryBaseMs ?? 1_000;
    this.retryMaxMs = options.retryMaxMs ?? 60_000;
    this.random = options.random ?? Math.random;
    this.route = options.route ?? routeEvent;
  }

  get ack(): AckPoint {
    return this.options.ack;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.unsubscribe = this.deps.wakeup?.subscribe(() => this.poke()) ?? null;
    this.loop = this.run();
  }

  /** Run a pass now (a commit was notified): cut the wait short, or loop again after this pass. */
  private poke(): void {
    if (this.stopping) return;
    if (this.wake) {
      this.woken += 1;
      this.wake();
    } else this.poked = true;
  }

  /** Finishes the pass under way (its messages are marked), then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  status(): OutboxRelayStatus {
    return {
      running: this.loop !== null && !this.stopping,
      ack: this.options.ack,
      ...this.counts,
      woken: this.woken,
      awaitingAck: this.awaiting.size,
      lastError: this.lastError,
    };
  }

  /** One claim-and-publish pass; returns how many messages it claimed. */
  async relayOnce(): Promise<number> {
    const messages = await this.deps.outbox.claim({
      limit: this.batchSize,
      leaseMs: this.leaseMs,
      now: this.deps.clock.now(),
      onUnreadable: (parked) => {
        // Parked silently it would sit failing until someone read the table; the error names
        // the type and field only (never a payload value, which may hold a phone number).
        this.counts.unreadable += 1;
        this.deps.logger.error('outbox message unreadable; parked for a relay that can read it', {
          messageId: parked.id,
          type: parked.type,
          attempts: parked.attempts,
          error: parked.error,
        });
      },
    });
    const published: string[] = [];
    let unavailable: string | null = null;
    for (const message of messages) {
      const route = this.route(message.event);
      if (route === null) {
        published.push(message.id);
        this.counts.withoutJob += 1;
        continue;
      }
      // The queue is down: do not knock on it once per message; record and retry later.
      if (unavailable !== null) {
        await this.fail(message, unavailable);
        continue;
      }
      try {
        if (await this.publish(message, route)) published.push(message.id);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (UnavailableError.is(error) && error.code === ErrorCodes.QUEUE_UNAVAILABLE) unavailable = reason;
        await this.fail(message, reason);
      }
    }
    if (published.length > 0) {
      await this.deps.outbox.markPublished(published, this.deps.clock.now());
      this.counts.published += published.length;
    }
    return messages.length;
  }

  /**
   * Ack-on-completion: the job of `messageId` succeeded, so its message is published. A
   * failure here is only logged: the lease lapses, the relay finds the job succeeded (or,
   * after a restart, runs it again: consumers are idempotent) and marks it then.
   */
  async acknowledge(messageId: string): Promise<void> {
    if (this.options.ack !== 'completion') return;
    try {
      await this.deps.outbox.markPublished([messageId], this.deps.clock.now());
      if (this.awaiting.delete(messageId)) this.counts.published += 1;
    } catch (error) {
      this.deps.logger.warn('outbox ack failed; the message is published again after its lease', {
        messageId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** Enqueue; true when the message now counts as published. */
  private async publish(message: OutboxMessage, route: EventRoute): Promise<boolean> {
    const { job, duplicate } = await this.deps.queue.enqueue({
      queue: route.queue,
      name: route.job,
      jobId: message.id,
      payload: eventToJobPayload(message.event),
      maxAttempts: EVENT_JOB_ATTEMPTS,
      backoffMs: EVENT_JOB_BACKOFF_MS,
    });
    if (this.options.ack === 'enqueue') return true;
    if (!duplicate) {
      this.awaiting.add(message.id);
      return false;
    }
    // Claimed again after its lease: the job this process enqueued before is still here.
    if (job.state === 'succeeded') return true;
    if (job.state === 'dead') {
      this.deps.logger.error('outbox message dead-lettered: its job used up its attempts', {
        messageId: message.id,
        queue: route.queue,
        lastError: job.lastError,
      });
      return true;
    }
    return false; // still queued or running: its lease is renewed by this claim
  }

  private async fail(message: OutboxMessage, reason: string): Promise<void> {
    const exponential = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** Math.max(0, message.attempts - 1));
    // Equal jitter: half fixed, half random, so relays that failed together do not retry together.
    const delay = Math.round(exponential / 2 + (this.random() * exponential) / 2);
    const retryAt = new Date(this.deps.clock.now().getTime() + delay);
    this.counts.failed += 1;
    this.lastError = reason;
    this.deps.logger.warn('outbox publish failed; retried later', {
      messageId: message.id,
      type: message.event.type,
      attempts: message.attempts,
      retryInMs: delay,
      error: reason,
    });
    await this.deps.outbox.markFailed(message.id, reason, retryAt);
  }

  private async run(): Promise<void> {
    let errors = 0;
    while (!this.stopping) {
      this.poked = false;
      let claimed = 0;
      try {
        claimed = await this.relayOnce();
        errors = 0;
      } catch (error) {
        // The outbox itself failed (storage down): back off, the messages are still there.
        errors += 1;
        this.lastError = error instanceof Error ? error.message : String(error);
        this.deps.logger.error('outbox relay pass failed', { error: this.lastError, consecutive: errors });
      }
      if (this.stopping) break;
      if (errors > 0) await this.sleep(Math.min(this.retryMaxMs, this.pollMs * 2 ** errors));
      else if (claimed < this.batchSize && !this.poked) await this.sleep(this.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.wake = null;
        resolve();
      };
      const handle = this.deps.timer.setTimeout(done, ms);
      this.wake = () => {
        this.deps.timer.clearTimeout(handle);
        done();
      };
    });
  }
}

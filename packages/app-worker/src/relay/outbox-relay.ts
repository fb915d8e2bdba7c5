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
import { OutboxAcks } from './outbox-acks.js';

/**
 * When a message counts as published.
 * - `completion`: once its job has succeeded (or used up its attempts). Until then the
 *   message keeps its lease, renewed each time a relay claims it again and finds its job
 *   still queued or running; a job that is gone — its process crashed (in-process queue), or
 *   Redis came back empty — is enqueued again under the same id, and the idempotent
 *   consumers make a re-run harmless. What every worker runs.
 * - `enqueue`: once its job is in the queue. Loses the message when the queue loses the job
 *   (a Redis restarted empty): only for tests that drive a relay without consumers.
 */
export type AckPoint = 'enqueue' | 'completion';

/**
 * Attempts of an event job. With the queues' 1 s doubling backoff the retries span
 * 1+2+4+8+16 = 31 s, longer than `EFFECT_LEASE_MS` (15 s): a job redelivered after its
 * worker died inside an effect waits out the dead delivery's key instead of dying.
 */
export const EVENT_JOB_ATTEMPTS = 6;
export const EVENT_JOB_BACKOFF_MS = 1_000;

/**
 * The ack point for a composition's queue kind: completion for both. An in-process queue's
 * jobs die with the process, and even a Redis with an append-only file may come back empty
 * (a new server, a lost volume, `appendfsync everysec`'s last second).
 */
export function ackPointFor(_jobQueue: 'memory' | 'redis'): AckPoint {
  return 'completion';
}

/** How many enqueued-not-yet-acked ids a relay keeps for its status (oldest dropped past it). */
const AWAITING_LIMIT = 10_000;

export interface OutboxRelayOptions {
  readonly ack: AckPoint;
  /** Messages claimed per pass (default 100); a full batch loops at once. */
  readonly batchSize?: number;
  /**
   * How long claimed messages stay invisible to other relays. Default 30 s with ack on
   * completion: a job that outlives it (a backlog, retries) is claimed again, found queued
   * or running, and the claim renews it; a lost job (a Redis restarted empty) is enqueued
   * again this late. 5 s with ack on enqueue (it only covers one pass's enqueues).
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
  /**
   * The process's completion acks (shared with its consumers, which ack jobs whichever relay
   * enqueued them); absent: the relay makes its own, for `acknowledge`.
   */
  readonly acks?: OutboxAcks;
}

export interface OutboxRelayStatus {
  readonly running: boolean;
  readonly ack: AckPoint;
  /**
   * Marked published by this relay (without a job, or found finished when claimed again), or
   * by this process's acks at a job's success.
   */
  readonly published: number;
  /** Of those, events no consumer needs. */
  readonly withoutJob: number;
  /** Enqueue failures, each recorded on its message with a retry time. */
  readonly failed: number;
  /**
   * Passes started early by a wake-up (LISTEN/NOTIFY, or the ack of a phone's send: its next
   * message may have become claimable) instead of at the end of the poll.
   */
  readonly woken: number;
  /** Claimed rows that do not parse as a catalog event, parked (each logged at error). */
  readonly unreadable: number;
  /**
   * Ack-on-completion jobs this relay enqueued and this process has not yet seen acked (a job
   * acked by another process stays counted until this relay claims it again; at most 10,000).
   */
  readonly awaitingAck: number;
  readonly lastError: string | null;
}

/**
 * Moves outbox messages to the job queue: claim (SKIP LOCKED + lease, so any number of
 * relays can run), enqueue each with its message id as the job id (the same message never
 * makes two jobs while the queue holds it); the job's success marks it published
 * (`OutboxAcks`). An enqueue failure is recorded on the message with an exponential,
 * jittered retry time: nothing is lost while the queue is down, nor when it loses its jobs.
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
  private readonly acks: OutboxAcks;
  private stopAcks: (() => void) | null = null;
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
    this.acks = deps.acks ?? new OutboxAcks(deps);
  }

  get ack(): AckPoint {
    return this.options.ack;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.unsubscribe = this.deps.wakeup?.subscribe(() => this.poke()) ?? null;
    this.stopAcks = this.acks.onAcked((ids, releasesHeld, heldBehind) => {
      for (const id of ids) this.awaiting.delete(id);
      this.counts.published += ids.length;
      // A phone's next message is claimable once its previous one is published: go now
      // (only then, as the outbox tells: a pass per round of other acks would be claims for
      // nothing).
      if (releasesHeld && heldBehind) this.poke();
    });
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
    this.stopAcks?.();
    this.stopAcks = null;
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
      // A phone's next message waits until the previous one is published (sent, with completion acks).
      phoneOrder: true,
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
      const { heldBehind } = await this.deps.outbox.markPublished(published, this.deps.clock.now());
      this.counts.published += published.length;
      // A phone's next message became claimable (ack on enqueue, or a lost ack found): go on.
      if (heldBehind) this.poked = true;
    }
    return messages.length;
  }

  /**
   * Ack-on-completion: the job of `messageId` succeeded, so its message is published (with
   * the next round of `OutboxAcks`; resolves once written). A failed write is only logged: the
   * lease lapses, the relay finds the job succeeded (or, the queue having lost it, runs it
   * again: consumers are idempotent) and marks it then.
   */
  async acknowledge(messageId: string): Promise<void> {
    if (this.options.ack !== 'completion') return;
    if (this.stopAcks === null) {
      // Not started: no listener counts it; count here.
      await this.acks.ack(messageId);
      if (this.awaiting.delete(messageId)) this.counts.published += 1;
      return;
    }
    await this.acks.ack(messageId);
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
      this.await(message.id);
      return false;
    }
    // Claimed again after its lease: a relay enqueued it before and the queue still has it.
    if (job.state === 'succeeded') {
      this.awaiting.delete(message.id);
      return true; // its ack was lost (a crash, a failed write)
    }
    if (job.state === 'dead') {
      this.awaiting.delete(message.id);
      this.deps.logger.error('outbox message dead-lettered: its job used up its attempts', {
        messageId: message.id,
        queue: route.queue,
        lastError: job.lastError,
      });
      return true;
    }
    // Still queued, running or waiting out a retry (a backlog, the Graph API down): this
    // claim renewed its lease, and its success acks it.
    this.await(message.id);
    return false;
  }

  private await(messageId: string): void {
    this.awaiting.delete(messageId); // re-added as the newest
    this.awaiting.add(messageId);
    if (this.awaiting.size > AWAITING_LIMIT) {
      const oldest = this.awaiting.values().next().value;
      if (oldest !== undefined) this.awaiting.delete(oldest);
    }
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

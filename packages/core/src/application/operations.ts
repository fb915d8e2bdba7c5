import type { AuditActor, RequestMeta } from '../auth/audit.js';
import type { AuditLog } from '../auth/ports.js';
import {
  JOB_LIST_STATES,
  type JobInfo,
  type JobListPage,
  type JobListState,
  type JobQueue,
  type JobQueueStats,
} from '../ports/job-queue.js';
import type { Outbox } from '../ports/outbox.js';
import { isQueueName, QUEUE_NAMES, type QueueName } from '../ports/queue-names.js';
import type { HoldReason, OrderStatus } from '../order/order-status.js';
import type { OnboardingStatus } from '../onboarding/onboarding-request.js';
import type { OnboardingRequestStore } from '../ports/onboarding-requests.js';
import type { RetailerStatus } from '../parties/retailer.js';
import type { UserStatus } from '../parties/user.js';
import type { VendorStatus } from '../parties/vendor.js';
import type { OutboxStats } from '../ports/outbox.js';
import type { OrderRepository, RetailerRepository, UserRepository, VendorRepository } from '../ports/repositories.js';
import type { InboxEvent, InboxStats, WebhookInbox } from '../ports/webhook-inbox.js';
import type { Clock } from '../shared/clock.js';
import type { Actor, JsonObject } from '../shared/domain-event.js';
import { ErrorCodes, NotFoundError, ValidationError } from '../shared/errors.js';
import type { Id, IdGenerator, OrderId } from '../shared/ids.js';
import type { Logger } from '../ports/logger.js';
import { checkId } from './command-checks.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';
import type { RouteOrder, RoutedOrder } from './route-order.js';

/*
 * Operations on the background machinery (job queues, the outbox, the webhook inbox) for
 * staff: read their state and re-drive what got stuck. These take the ports they need
 * rather than the use-case context, which carries no queue or inbox: a composition root
 * (or a route) builds them from its bound ports.
 */

/** How many of a queue's jobs one listing returns at most. */
export const MAX_JOB_LISTING = 100;

export interface QueueStatus extends JobQueueStats {
  readonly queue: QueueName;
}

function checkQueue(queue: unknown): QueueName {
  if (typeof queue !== 'string' || !isQueueName(queue)) {
    throw new ValidationError(
      `queue must be one of ${QUEUE_NAMES.join(', ')}`,
      { field: 'queue' },
      ErrorCodes.INVALID_COMMAND,
    );
  }
  return queue;
}

/** Counts per state of every named queue. */
export class GetQueueStatus {
  static readonly failures = [] as const;

  constructor(private readonly deps: { readonly queue: Pick<JobQueue, 'stats'> }) {}

  async execute(): Promise<Outcome<QueueStatus[], FailureCode<typeof GetQueueStatus>>> {
    return runUseCase(GetQueueStatus.failures, async () => {
      const out: QueueStatus[] = [];
      for (const queue of QUEUE_NAMES) out.push({ queue, ...(await this.deps.queue.stats(queue)) });
      return out;
    });
  }
}

/**
 * A queue's dead letters (jobs that used up their attempts), newest first. The JobQueue port
 * lists no other state: waiting, active or delayed jobs are counted (`GetQueueStatus`), not listed.
 */
export class ListDeadJobs {
  static readonly failures = [] as const;

  constructor(private readonly deps: { readonly queue: Pick<JobQueue, 'deadLetters'> }) {}

  async execute(query: {
    readonly queue: string;
    readonly limit?: number;
  }): Promise<Outcome<JobInfo[], FailureCode<typeof ListDeadJobs>>> {
    const queue = checkQueue(query.queue);
    const limit = query.limit ?? 20;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_JOB_LISTING) {
      throw new ValidationError(`limit must be 1-${MAX_JOB_LISTING}`, { field: 'limit' }, ErrorCodes.OUT_OF_RANGE);
    }
    return runUseCase(ListDeadJobs.failures, () => this.deps.queue.deadLetters(queue, limit));
  }
}

/**
 * One page of a queue's jobs in a state (`waiting`, `active`, `delayed`, `succeeded`,
 * `failed` = dead letters), at most MAX_JOB_LISTING, in the port's order per state.
 */
export class ListQueueJobs {
  static readonly failures = [] as const;

  constructor(private readonly deps: { readonly queue: Pick<JobQueue, 'list'> }) {}

  async execute(query: {
    readonly queue: string;
    readonly state: string;
    readonly limit?: number;
    readonly cursor?: string;
  }): Promise<Outcome<JobListPage, FailureCode<typeof ListQueueJobs>>> {
    const queue = checkQueue(query.queue);
    const state = query.state as JobListState;
    if (!JOB_LIST_STATES.includes(state)) {
      throw new ValidationError(
        `state must be one of ${JOB_LIST_STATES.join(', ')}`,
        { field: 'state' },
        ErrorCodes.INVALID_COMMAND,
      );
    }
    const limit = query.limit ?? 20;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_JOB_LISTING) {
      throw new ValidationError(`limit must be 1-${MAX_JOB_LISTING}`, { field: 'limit' }, ErrorCodes.OUT_OF_RANGE);
    }
    const page = query.cursor === undefined ? { limit } : { limit, cursor: query.cursor };
    return runUseCase(ListQueueJobs.failures, () => this.deps.queue.list(queue, state, page));
  }
}

/** Who asks, for the audit log. */
export interface OperationCaller {
  readonly actor: AuditActor;
  readonly meta: RequestMeta;
}

interface AuditDeps {
  readonly audit: Pick<AuditLog, 'append'>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
}

async function audit(
  deps: AuditDeps,
  caller: OperationCaller,
  action: string,
  target: { type: string; id: string },
  before: JsonObject | null,
  after: JsonObject | null,
): Promise<void> {
  await deps.audit.append({
    id: deps.ids.next(),
    at: deps.clock.now(),
    actor: caller.actor,
    action,
    target,
    before,
    after,
    details: {},
    ip: caller.meta.ip,
    requestId: caller.meta.requestId,
  });
}

export interface RetriedJob {
  /** false when the job was not dead (already retried, or never failed): nothing changed. */
  readonly retried: boolean;
  readonly job: JobInfo;
}

/**
 * Put a dead job back in its queue with fresh attempts. Idempotent: a job that is not dead
 * (a second retry finds it waiting) is left alone and answered `retried: false`. A retry that
 * happened is audited (`queues.retry_dead`).
 */
export class RetryDeadJob {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(private readonly deps: AuditDeps & { readonly queue: Pick<JobQueue, 'get' | 'retryDead'> }) {}

  async execute(
    command: { readonly queue: string; readonly jobId: string } & OperationCaller,
  ): Promise<Outcome<RetriedJob, FailureCode<typeof RetryDeadJob>>> {
    const queue = checkQueue(command.queue);
    if (typeof command.jobId !== 'string' || command.jobId.length === 0 || command.jobId.length > 200) {
      throw new ValidationError('jobId must be 1-200 characters', { field: 'jobId' }, ErrorCodes.INVALID_COMMAND);
    }
    return runUseCase(RetryDeadJob.failures, async () => {
      const before = await this.deps.queue.get(queue, command.jobId);
      if (!before) throw new NotFoundError('job', command.jobId);
      const retried = await this.deps.queue.retryDead(queue, command.jobId);
      const job = (await this.deps.queue.get(queue, command.jobId)) ?? before;
      if (retried) {
        await audit(
          this.deps,
          command,
          'queues.retry_dead',
          { type: 'job', id: `${queue}/${command.jobId}` },
          { state: before.state, attempts: before.attempts, lastError: before.lastError },
          { state: job.state, attempts: job.attempts },
        );
        this.deps.logger.warn('dead job retried', { queue, jobId: command.jobId, by: command.actor.id });
      }
      return { retried, job };
    });
  }
}

export interface RecoveryStatus {
  readonly at: Date;
  readonly outbox: {
    readonly pending: number;
    readonly failing: number;
    readonly unreadable: number;
    readonly oldestPendingAt: Date | null;
  };
  readonly inbox: InboxStats;
  /** ROUTING orders with nothing pending, unflagged, unchanged for `idleMs` (capped at `MAX_IDLE_LISTED`). */
  readonly idleOrders: readonly OrderId[];
}

export const MAX_IDLE_LISTED = 100;

/**
 * What the recovery sweep would look at, read now: the outbox backlog, the inbox (its dead
 * events included) and the orders stalled in routing. Read only.
 */
export class GetRecoveryStatus {
  static readonly failures = [] as const;

  constructor(
    private readonly deps: {
      readonly outbox: Pick<Outbox, 'stats'>;
      readonly inbox: Pick<WebhookInbox, 'stats'>;
      readonly orders: Pick<OrderRepository, 'listIdleInRouting'>;
      readonly clock: Clock;
      /** The sweep's thresholds, so that this reads what the sweep would act on. */
      readonly inboxMaxAttempts: number;
      readonly orderIdleMs: number;
    },
  ) {}

  async execute(): Promise<Outcome<RecoveryStatus, FailureCode<typeof GetRecoveryStatus>>> {
    return runUseCase(GetRecoveryStatus.failures, async () => {
      const at = this.deps.clock.now();
      const outbox = await this.deps.outbox.stats(at);
      const inbox = await this.deps.inbox.stats({ maxAttempts: this.deps.inboxMaxAttempts, now: at });
      const idleOrders = await this.deps.orders.listIdleInRouting(
        new Date(at.getTime() - this.deps.orderIdleMs),
        MAX_IDLE_LISTED,
      );
      return {
        at,
        outbox: {
          pending: outbox.pending,
          failing: outbox.failing,
          unreadable: outbox.unreadable,
          oldestPendingAt: outbox.oldestPendingAt,
        },
        inbox,
        idleOrders,
      };
    });
  }
}

export interface SystemStats {
  readonly at: Date;
  readonly orders: Readonly<Record<OrderStatus, number>>;
  readonly retailers: Readonly<Record<RetailerStatus, number>>;
  readonly vendors: Readonly<Record<VendorStatus, number>>;
  /** `PENDING_APPROVAL` is the approvals queue. */
  readonly users: Readonly<Record<UserStatus, number>>;
  readonly queues: readonly QueueStatus[];
  /** The operators' approvals queues: held orders per reason (all are `orders.ON_HOLD`) and onboarding requests per status (PENDING waits). */
  readonly approvals: {
    readonly heldOrders: Readonly<Record<HoldReason, number>>;
    readonly onboardingRequests: Readonly<Record<OnboardingStatus, number>>;
  };
  readonly inbox: InboxStats;
  readonly outbox: OutboxStats;
}

/**
 * The platform at a glance for an admin: every figure a count read now from its store (one
 * aggregate each, no rows loaded), the queues' depths and the inbox and outbox backlogs.
 * Not one snapshot: each figure is read on its own, so they may disagree by what changed
 * between the reads.
 */
export class GetSystemStats {
  static readonly failures = [] as const;

  constructor(
    private readonly deps: {
      readonly orders: Pick<OrderRepository, 'countByStatus' | 'countHeldByReason'>;
      readonly onboardingRequests: Pick<OnboardingRequestStore, 'countByStatus'>;
      readonly retailers: Pick<RetailerRepository, 'countByStatus'>;
      readonly vendors: Pick<VendorRepository, 'countByStatus'>;
      readonly users: Pick<UserRepository, 'countByStatus'>;
      readonly queue: Pick<JobQueue, 'stats'>;
      readonly outbox: Pick<Outbox, 'stats'>;
      readonly inbox: Pick<WebhookInbox, 'stats'>;
      readonly clock: Clock;
      /** The recovery sweep's inbox threshold: an event with this many failed attempts is dead. */
      readonly inboxMaxAttempts: number;
    },
  ) {}

  async execute(): Promise<Outcome<SystemStats, FailureCode<typeof GetSystemStats>>> {
    return runUseCase(GetSystemStats.failures, async () => {
      const at = this.deps.clock.now();
      const [orders, retailers, vendors, users, outbox, inbox, heldOrders, onboardingRequests] = await Promise.all([
        this.deps.orders.countByStatus(),
        this.deps.retailers.countByStatus(),
        this.deps.vendors.countByStatus(),
        this.deps.users.countByStatus(),
        this.deps.outbox.stats(at),
        this.deps.inbox.stats({ maxAttempts: this.deps.inboxMaxAttempts, now: at }),
        this.deps.orders.countHeldByReason(),
        this.deps.onboardingRequests.countByStatus(),
      ]);
      const queues: QueueStatus[] = [];
      for (const queue of QUEUE_NAMES) queues.push({ queue, ...(await this.deps.queue.stats(queue)) });
      return {
        at,
        orders,
        retailers,
        vendors,
        users,
        queues,
        approvals: { heldOrders, onboardingRequests },
        inbox,
        outbox,
      };
    });
  }
}

/**
 * Route an order again by hand, what the sweep does for an idle one: RouteOrder offers it to
 * the best vendor not yet tried or flags it for manual assignment, and skips an order with an
 * offer waiting or past routing (so a repeat changes nothing). A routing that did something is
 * audited (`recovery.retry_order`).
 */
export class RetryOrderRouting {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(private readonly deps: AuditDeps & { readonly routeOrder: Pick<RouteOrder, 'execute'> }) {}

  async execute(
    command: { readonly orderId: OrderId; readonly routedBy: Actor } & OperationCaller,
  ): Promise<Outcome<RoutedOrder, FailureCode<typeof RetryOrderRouting>>> {
    const orderId = checkId<OrderId>(command.orderId, 'orderId');
    const routed = await this.deps.routeOrder.execute({ orderId, actor: command.routedBy });
    if (routed.ok && routed.value.outcome !== 'SKIPPED') {
      await audit(this.deps, command, 'recovery.retry_order', { type: 'order', id: orderId }, null, {
        outcome: routed.value.outcome,
        status: routed.value.order.status,
        vendorId: routed.value.outcome === 'OFFERED' ? routed.value.vendorId : null,
      });
    }
    return routed;
  }
}

export interface RetriedInboxEvent {
  /** false when the event was not FAILED (already retried, processing or processed): nothing changed. */
  readonly retried: boolean;
  readonly event: InboxEvent;
}

/**
 * Hand a failed webhook event back to the inbox processor with fresh attempts (after fixing
 * what made it fail). Idempotent: an event that is not FAILED is left alone → `retried: false`.
 * A retry that happened is audited (`recovery.retry_webhook`).
 */
export class RetryInboxEvent {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(private readonly deps: AuditDeps & { readonly inbox: Pick<WebhookInbox, 'get' | 'retry'> }) {}

  async execute(
    command: { readonly eventId: string } & OperationCaller,
  ): Promise<Outcome<RetriedInboxEvent, FailureCode<typeof RetryInboxEvent>>> {
    const eventId: string = checkId<Id<string>>(command.eventId, 'eventId');
    return runUseCase(RetryInboxEvent.failures, async () => {
      const before = await this.deps.inbox.get(eventId);
      if (!before) throw new NotFoundError('webhook event', eventId);
      const event = (await this.deps.inbox.retry(eventId)) ?? before;
      const retried = before.status === 'FAILED' && event.status === 'RECEIVED';
      if (retried) {
        await audit(
          this.deps,
          command,
          'recovery.retry_webhook',
          { type: 'webhook_event', id: eventId },
          { status: before.status, attempts: before.attempts, lastError: before.lastError },
          { status: event.status, attempts: event.attempts },
        );
        this.deps.logger.warn('webhook event retried', { eventId, provider: event.provider, by: command.actor.id });
      }
      return { retried, event };
    });
  }
}

export interface FailedWorkflows {
  /** Dead letters of every named queue, newest first per queue. */
  readonly jobs: readonly JobInfo[];
  /** Webhook events that used up their attempts, oldest first. */
  readonly webhooks: readonly InboxEvent[];
}

/** Background work that gave up: every queue's dead letters and the dead webhook events. */
export class ListFailedWorkflows {
  static readonly failures = [] as const;

  constructor(
    private readonly deps: {
      readonly queue: Pick<JobQueue, 'deadLetters'>;
      readonly inbox: Pick<WebhookInbox, 'listDead'>;
      readonly inboxMaxAttempts: number;
    },
  ) {}

  async execute(query: {
    readonly limit?: number;
  }): Promise<Outcome<FailedWorkflows, FailureCode<typeof ListFailedWorkflows>>> {
    const limit = query.limit ?? 20;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_JOB_LISTING) {
      throw new ValidationError(`limit must be 1-${MAX_JOB_LISTING}`, { field: 'limit' }, ErrorCodes.OUT_OF_RANGE);
    }
    return runUseCase(ListFailedWorkflows.failures, async () => {
      const jobs: JobInfo[] = [];
      for (const queue of QUEUE_NAMES) jobs.push(...(await this.deps.queue.deadLetters(queue, limit)));
      const webhooks = await this.deps.inbox.listDead({ maxAttempts: this.deps.inboxMaxAttempts, limit });
      return { jobs, webhooks };
    });
  }
}

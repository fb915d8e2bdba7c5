import {
  CLOCK,
  GetRecoveryStatus,
  type InboxEvent,
  JOB_QUEUE,
  ListFailedWorkflows,
  MAX_JOB_LISTING,
  OUTBOX,
  REPOSITORIES,
  RetryInboxEvent,
  RetryOrderRouting,
  USE_CASE_TOKENS,
  unwrap,
  WEBHOOK_INBOX,
} from '@khaacho/core';
import { DEFAULT_SWEEP_THRESHOLDS } from '@khaacho/app-worker';
import { actorOf } from '../../http/principal.js';
import { errorSchema, orderIdParams, uuid } from '../common-schemas.js';
import { routedSchema } from '../lifecycle/lifecycle-routes.js';
import { orderJson } from '../orders/order-json.js';
import { auditDeps, callerOf, jobJson, jobSchema } from '../queues/queue-routes.js';
import { type AnyRoute, defineRoute, type JsonSchema } from '../route.js';
import type { OrderId } from '@khaacho/core';

const error = (description: string) => ({ description, schema: errorSchema });
const ERRORS = {
  401: error('not authenticated'),
  403: error('the role may not do this'),
  422: error('the request is invalid'),
};
const STAFF = ['ADMIN', 'OPERATOR'] as const;
const instant = { type: ['string', 'null'], format: 'date-time' } as const;

const statusSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['at', 'outbox', 'inbox', 'idleOrders'],
  properties: {
    at: { type: 'string', format: 'date-time' },
    outbox: {
      type: 'object',
      additionalProperties: false,
      required: ['pending', 'failing', 'unreadable', 'oldestPendingAt'],
      properties: {
        pending: { type: 'integer' },
        failing: { type: 'integer' },
        unreadable: { type: 'integer' },
        oldestPendingAt: instant,
      },
    },
    inbox: {
      type: 'object',
      additionalProperties: false,
      required: ['waiting', 'oldestWaitingAt', 'processing', 'leaseExpired', 'dead'],
      properties: {
        waiting: { type: 'integer' },
        oldestWaitingAt: instant,
        processing: { type: 'integer' },
        leaseExpired: { type: 'integer' },
        dead: { type: 'integer', description: 'FAILED with no attempts left' },
      },
    },
    idleOrders: {
      type: 'array',
      description: 'ROUTING orders with nothing pending, unflagged, unchanged for the sweep’s idle time (≤ 100)',
      items: { type: 'string', format: 'uuid' },
    },
  },
} as const satisfies JsonSchema;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const recoveryStatusRoute = defineRoute({
  method: 'get',
  path: '/recovery/status',
  operationId: 'getRecoveryStatus',
  summary:
    'What the recovery sweep looks at, read now: outbox backlog, webhook inbox (dead events counted) and idle ROUTING orders. ' +
    'With the default sweep thresholds (5 inbox attempts, 5 minutes idle).',
  tag: 'recovery',
  access: STAFF,
  rateLimit: 'admin',
  responses: { 200: { description: 'the status', schema: statusSchema }, ...ERRORS },
  async handle({ get }) {
    const s = unwrap(
      await new GetRecoveryStatus({
        outbox: get(OUTBOX),
        inbox: get(WEBHOOK_INBOX),
        orders: get(REPOSITORIES).orders,
        clock: get(CLOCK),
        inboxMaxAttempts: DEFAULT_SWEEP_THRESHOLDS.inboxMaxAttempts,
        orderIdleMs: DEFAULT_SWEEP_THRESHOLDS.orderIdleMs,
      }).execute(),
    );
    return {
      status: 200,
      body: {
        at: s.at.toISOString(),
        outbox: { ...s.outbox, oldestPendingAt: iso(s.outbox.oldestPendingAt) },
        inbox: {
          waiting: s.inbox.waiting,
          oldestWaitingAt: iso(s.inbox.oldestWaitingAt),
          processing: s.inbox.processing,
          leaseExpired: s.inbox.leaseExpired,
          dead: s.inbox.dead,
        },
        idleOrders: s.idleOrders,
      },
    };
  },
});

export const retryOrderRoute = defineRoute<{ orderId: OrderId }>({
  method: 'post',
  path: '/recovery/orders/:orderId/retry',
  operationId: 'retryOrderRouting',
  summary:
    'Re-drive routing of an order, as the sweep does for an idle one: offered to the next vendor or flagged; SKIPPED when an offer waits or it is past routing. Audited when it did something.',
  tag: 'recovery',
  access: STAFF,
  rateLimit: 'admin',
  // The use case writes its own entry, only when routing did something.
  audit: 'use-case',
  params: orderIdParams,
  responses: {
    200: { description: 'what routing did', schema: routedSchema },
    404: error('no such order'),
    ...ERRORS,
  },
  async handle({ params, principal, get, requestId, ip }) {
    const routed = unwrap(
      await new RetryOrderRouting({ ...auditDeps(get), routeOrder: get(USE_CASE_TOKENS.routeOrder) }).execute({
        orderId: params.orderId,
        routedBy: actorOf(principal),
        ...callerOf(principal, requestId, ip),
      }),
    );
    return {
      status: 200,
      body: {
        outcome: routed.outcome,
        order: orderJson(routed.order),
        vendorId: routed.outcome === 'OFFERED' ? routed.vendorId : null,
        reason: routed.outcome === 'SKIPPED' ? routed.reason : null,
      },
    };
  },
});

const inboxEventSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'provider', 'externalId', 'receivedAt', 'status', 'attempts', 'lastError', 'processedAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    provider: { type: 'string' },
    externalId: { type: 'string' },
    receivedAt: { type: 'string', format: 'date-time' },
    status: { type: 'string', enum: ['RECEIVED', 'PROCESSING', 'PROCESSED', 'FAILED'] },
    attempts: { type: 'integer' },
    lastError: { type: ['string', 'null'] },
    processedAt: instant,
  },
} as const satisfies JsonSchema;

/** The payload stays out: it is the provider's raw message (phone numbers, text). */
function inboxEventJson(e: InboxEvent) {
  return {
    id: e.id,
    provider: e.provider,
    externalId: e.externalId,
    receivedAt: e.receivedAt.toISOString(),
    status: e.status,
    attempts: e.attempts,
    lastError: e.lastError,
    processedAt: iso(e.processedAt),
  };
}

export const failedWorkflowsRoute = defineRoute<Record<string, never>, { limit?: number }>({
  method: 'get',
  path: '/recovery/failed-workflows',
  operationId: 'listFailedWorkflows',
  summary:
    'Background work that gave up: every queue’s dead letters (newest first, `limit` per queue, 1–100) and the webhook events with no attempts left (oldest first). ' +
    'Retry with POST /queues/{queue}/jobs/{jobId}/retry or POST /recovery/webhooks/{eventId}/retry.',
  tag: 'recovery',
  access: STAFF,
  rateLimit: 'admin',
  query: {
    type: 'object',
    additionalProperties: false,
    properties: { limit: { type: 'integer', minimum: 1, maximum: MAX_JOB_LISTING, default: 20 } },
  },
  responses: {
    200: {
      description: 'dead jobs and dead webhook events',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['jobs', 'webhooks'],
        properties: {
          jobs: { type: 'array', items: jobSchema },
          webhooks: { type: 'array', items: inboxEventSchema },
        },
      },
    },
    ...ERRORS,
  },
  async handle({ query, get }) {
    const failed = unwrap(
      await new ListFailedWorkflows({
        queue: get(JOB_QUEUE),
        inbox: get(WEBHOOK_INBOX),
        inboxMaxAttempts: DEFAULT_SWEEP_THRESHOLDS.inboxMaxAttempts,
      }).execute({ limit: query.limit ?? 20 }),
    );
    return {
      status: 200,
      body: { jobs: failed.jobs.map(jobJson), webhooks: failed.webhooks.map(inboxEventJson) },
    };
  },
});

export const retryWebhookRoute = defineRoute<{ eventId: string }>({
  method: 'post',
  path: '/recovery/webhooks/:eventId/retry',
  operationId: 'retryWebhookEvent',
  summary:
    'Give a FAILED webhook event fresh attempts so the inbox processor takes it again (audited). Idempotent: an event that is not FAILED is left alone → `retried: false`.',
  tag: 'recovery',
  access: STAFF,
  rateLimit: 'admin',
  // The use case writes its own entry (with before/after), only when it retried.
  audit: 'use-case',
  params: { type: 'object', additionalProperties: false, required: ['eventId'], properties: { eventId: uuid } },
  responses: {
    200: {
      description: 'the event as it is now',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['retried', 'event'],
        properties: { retried: { type: 'boolean' }, event: inboxEventSchema },
      },
    },
    404: error('no such webhook event'),
    ...ERRORS,
  },
  async handle({ params, principal, get, requestId, ip }) {
    const r = unwrap(
      await new RetryInboxEvent({ ...auditDeps(get), inbox: get(WEBHOOK_INBOX) }).execute({
        eventId: params.eventId,
        ...callerOf(principal, requestId, ip),
      }),
    );
    return { status: 200, body: { retried: r.retried, event: inboxEventJson(r.event) } };
  },
});

export const RECOVERY_ROUTES: readonly AnyRoute[] = [
  recoveryStatusRoute,
  retryOrderRoute,
  retryWebhookRoute,
  failedWorkflowsRoute,
] as AnyRoute[];

import { createRequire } from 'node:module';
import {
  CLOCK,
  GetSystemStats,
  HOLD_REASONS,
  JOB_QUEUE,
  ORDER_STATUSES,
  ONBOARDING_REQUEST_STORE,
  ONBOARDING_STATUSES,
  OUTBOX,
  QUEUE_NAMES,
  REPOSITORIES,
  RETAILER_STATUSES,
  USER_STATUSES,
  unwrap,
  VENDOR_STATUSES,
  WEBHOOK_INBOX,
} from '@khaacho/core';
import { DEFAULT_SWEEP_THRESHOLDS } from '@khaacho/app-worker';
import { errorSchema } from '../common-schemas.js';
import { type AnyRoute, defineRoute, type JsonSchema } from '../route.js';

// src/routes/admin and dist/routes/admin are both three levels below the package.
const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

const error = (description: string) => ({ description, schema: errorSchema });
const instant = { type: ['string', 'null'], format: 'date-time' } as const;

function countsOf(statuses: readonly string[], description: string): JsonSchema {
  return {
    type: 'object',
    description,
    additionalProperties: false,
    required: [...statuses],
    properties: Object.fromEntries(statuses.map((s) => [s, { type: 'integer', minimum: 0 }])),
  };
}

const QUEUE_COUNTS = ['waiting', 'active', 'delayed', 'succeeded', 'failed'] as const;

const statsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['at', 'orders', 'retailers', 'vendors', 'users', 'queues', 'approvals', 'inbox', 'outbox', 'process'],
  properties: {
    at: { type: 'string', format: 'date-time' },
    orders: countsOf(ORDER_STATUSES, 'orders per status'),
    retailers: countsOf(RETAILER_STATUSES, 'retailers per status'),
    vendors: countsOf(VENDOR_STATUSES, 'vendors per status'),
    users: countsOf(USER_STATUSES, 'user accounts per status; PENDING_APPROVAL waits for an admin'),
    queues: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['queue', ...QUEUE_COUNTS],
        properties: {
          queue: { type: 'string', enum: QUEUE_NAMES },
          ...Object.fromEntries(QUEUE_COUNTS.map((c) => [c, { type: 'integer', minimum: 0 }])),
        },
      },
    },
    approvals: {
      type: 'object',
      additionalProperties: false,
      description: 'the approvals queues',
      required: ['heldOrders', 'onboardingRequests'],
      properties: {
        heldOrders: countsOf(HOLD_REASONS, 'orders ON_HOLD awaiting an operator, per hold reason'),
        onboardingRequests: countsOf(
          ONBOARDING_STATUSES,
          'onboarding requests of unknown numbers per status; PENDING waits for an operator',
        ),
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
        dead: { type: 'integer', description: 'FAILED with the sweep’s attempts used up' },
      },
    },
    outbox: {
      type: 'object',
      additionalProperties: false,
      required: ['pending', 'failing', 'unreadable', 'oldestPendingAt'],
      properties: {
        pending: { type: 'integer', description: 'the backlog the relay has not published' },
        failing: { type: 'integer' },
        unreadable: { type: 'integer' },
        oldestPendingAt: instant,
      },
    },
    process: {
      type: 'object',
      additionalProperties: false,
      required: ['version', 'node', 'uptimeSeconds'],
      description: 'the API process that answered (one of several behind a balancer)',
      properties: {
        version: { type: 'string' },
        node: { type: 'string' },
        uptimeSeconds: { type: 'integer', minimum: 0 },
      },
    },
  },
} as const satisfies JsonSchema;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const systemStatsRoute = defineRoute({
  method: 'get',
  path: '/admin/stats',
  operationId: 'getSystemStats',
  summary:
    'The platform at a glance, read now: orders, retailers, vendors and users per status (pending approvals), the approvals queues (held orders per reason, onboarding requests per status), every queue’s depth, the webhook inbox and outbox backlogs, and this process’s version and uptime. Counts only, no personal data.',
  tag: 'admin',
  access: ['ADMIN', 'OPERATOR'],
  rateLimit: 'admin',
  responses: {
    200: { description: 'the figures', schema: statsSchema },
    401: error('not authenticated'),
    403: error('staff only'),
  },
  async handle({ get }) {
    const repos = get(REPOSITORIES);
    const stats = unwrap(
      await new GetSystemStats({
        orders: repos.orders,
        onboardingRequests: get(ONBOARDING_REQUEST_STORE),
        retailers: repos.retailers,
        vendors: repos.vendors,
        users: repos.users,
        queue: get(JOB_QUEUE),
        outbox: get(OUTBOX),
        inbox: get(WEBHOOK_INBOX),
        clock: get(CLOCK),
        inboxMaxAttempts: DEFAULT_SWEEP_THRESHOLDS.inboxMaxAttempts,
      }).execute(),
    );
    return {
      status: 200,
      body: {
        ...stats,
        at: stats.at.toISOString(),
        inbox: { ...stats.inbox, oldestWaitingAt: iso(stats.inbox.oldestWaitingAt) },
        outbox: {
          pending: stats.outbox.pending,
          failing: stats.outbox.failing,
          unreadable: stats.outbox.unreadable,
          oldestPendingAt: iso(stats.outbox.oldestPendingAt),
        },
        process: { version: VERSION, node: process.version, uptimeSeconds: Math.floor(process.uptime()) },
      },
    };
  },
});

export const SYSTEM_STATS_ROUTES: readonly AnyRoute[] = [systemStatsRoute] as AnyRoute[];

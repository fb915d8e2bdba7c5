import {
  CLOCK,
  GetQueueStatus,
  ID_GENERATOR,
  JOB_LIST_STATES,
  JOB_QUEUE,
  type JobInfo,
  type JobListState,
  ListQueueJobs,
  LOGGER,
  MAX_JOB_LISTING,
  type OperationCaller,
  QUEUE_NAMES,
  REPOSITORIES,
  RetryDeadJob,
  unwrap,
} from '@khaacho/core';
import type { Principal } from '../../http/principal.js';
import { errorSchema } from '../common-schemas.js';
import { type AnyRoute, defineRoute, type JsonSchema, type RouteInput } from '../route.js';

const error = (description: string) => ({ description, schema: errorSchema });
const ERRORS = {
  401: error('not authenticated'),
  403: error('the role may not do this'),
  422: error('the request is invalid'),
};
const STAFF = ['ADMIN', 'OPERATOR'] as const;

/** Who asks, for the audit log. */
export function callerOf(principal: Principal, requestId: string, ip: string): OperationCaller {
  return {
    actor: { type: 'user', id: principal.userId, role: principal.role },
    meta: { ip, requestId },
  };
}

const queueName = { type: 'string', enum: QUEUE_NAMES } as const;
const COUNTS = ['waiting', 'active', 'delayed', 'succeeded', 'failed'] as const;

export const jobSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'queue',
    'jobId',
    'name',
    'payload',
    'state',
    'attempts',
    'maxAttempts',
    'lastError',
    'createdAt',
    'updatedAt',
  ],
  properties: {
    queue: { type: 'string' },
    jobId: { type: 'string' },
    name: { type: 'string' },
    payload: { type: 'object' },
    state: { type: 'string', enum: ['waiting', 'delayed', 'active', 'succeeded', 'failed', 'dead'] },
    attempts: { type: 'integer' },
    maxAttempts: { type: 'integer' },
    lastError: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const satisfies JsonSchema;

export function jobJson(job: JobInfo) {
  return {
    queue: job.queue,
    jobId: job.jobId,
    name: job.name,
    payload: job.payload,
    state: job.state,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    lastError: job.lastError,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
  };
}

export const queueStatusRoute = defineRoute({
  method: 'get',
  path: '/queues',
  operationId: 'getQueueStatus',
  summary: 'Every named job queue with its jobs per state (`failed` = dead letters: attempts used up).',
  tag: 'queues',
  access: STAFF,
  rateLimit: 'admin',
  responses: {
    200: {
      description: 'one entry per queue',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['items'],
        properties: {
          items: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['queue', ...COUNTS],
              properties: {
                queue: { type: 'string' },
                ...Object.fromEntries(COUNTS.map((c) => [c, { type: 'integer' }])),
              },
            },
          },
        },
      },
    },
    ...ERRORS,
  },
  async handle({ get }) {
    const items = unwrap(await new GetQueueStatus({ queue: get(JOB_QUEUE) }).execute());
    return { status: 200, body: { items } };
  },
});

export const listQueueJobsRoute = defineRoute<
  { queue: string },
  { state?: JobListState; limit?: number; cursor?: string }
>({
  method: 'get',
  path: '/queues/:queue/jobs',
  operationId: 'listQueueJobs',
  summary:
    'One page of a queue’s jobs in a `state` (default `failed`: the dead letters; `delayed` includes retries waiting out their backoff), `limit` 1–100, `cursor` from the previous page. Waiting and active newest first, delayed soonest due first, succeeded and failed latest finish first. Succeeded jobs keep no payload.',
  tag: 'queues',
  access: STAFF,
  rateLimit: 'admin',
  params: { type: 'object', additionalProperties: false, required: ['queue'], properties: { queue: queueName } },
  query: {
    type: 'object',
    additionalProperties: false,
    properties: {
      state: { type: 'string', enum: JOB_LIST_STATES, default: 'failed' },
      limit: { type: 'integer', minimum: 1, maximum: MAX_JOB_LISTING, default: 20 },
      cursor: { type: 'string', pattern: '^(0|[1-9][0-9]{0,8})$', maxLength: 9 },
    },
  },
  responses: {
    200: {
      description: 'a page of jobs',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['items', 'nextCursor'],
        properties: { items: { type: 'array', items: jobSchema }, nextCursor: { type: ['string', 'null'] } },
      },
    },
    ...ERRORS,
  },
  async handle({ params, query, get }) {
    const page = unwrap(
      await new ListQueueJobs({ queue: get(JOB_QUEUE) }).execute({
        queue: params.queue,
        state: query.state ?? 'failed',
        limit: query.limit ?? 20,
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      }),
    );
    return { status: 200, body: { items: page.items.map(jobJson), nextCursor: page.nextCursor } };
  },
});

export function auditDeps(get: RouteInput<unknown, unknown, unknown>['get']) {
  return { audit: get(REPOSITORIES).auditLog, clock: get(CLOCK), ids: get(ID_GENERATOR), logger: get(LOGGER) };
}

export const retryDeadJobRoute = defineRoute<{ queue: string; jobId: string }>({
  method: 'post',
  path: '/queues/:queue/jobs/:jobId/retry',
  operationId: 'retryDeadJob',
  summary:
    'Put a dead letter back in its queue with fresh attempts (audited). Idempotent: a job that is not dead is left alone → `retried: false`.',
  tag: 'queues',
  access: STAFF,
  rateLimit: 'admin',
  // RetryDeadJob writes its own entry (with before/after), only when it retried.
  audit: 'use-case',
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['queue', 'jobId'],
    properties: { queue: queueName, jobId: { type: 'string', minLength: 1, maxLength: 200 } },
  },
  responses: {
    200: {
      description: 'the job as it is now',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['retried', 'job'],
        properties: { retried: { type: 'boolean' }, job: jobSchema },
      },
    },
    404: error('no such job in that queue'),
    ...ERRORS,
  },
  async handle({ params, principal, get, requestId, ip }) {
    const r = unwrap(
      await new RetryDeadJob({ ...auditDeps(get), queue: get(JOB_QUEUE) }).execute({
        queue: params.queue,
        jobId: params.jobId,
        ...callerOf(principal, requestId, ip),
      }),
    );
    return { status: 200, body: { retried: r.retried, job: jobJson(r.job) } };
  },
});

export const QUEUE_ROUTES: readonly AnyRoute[] = [
  queueStatusRoute,
  listQueueJobsRoute,
  retryDeadJobRoute,
] as AnyRoute[];

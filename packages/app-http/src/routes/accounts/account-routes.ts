import { AUTH_USE_CASES, ROLES, type Role, USER_STATUSES, type UserId, type UserStatus } from '@khaacho/core';
import { accountJson, orThrow } from '../../auth/auth-routes.js';
import { ACCOUNT_SCHEMA } from '../../auth/schemas.js';
import { actorOf } from '../../http/principal.js';
import { errorSchema, pageOf, uuid } from '../common-schemas.js';
import { type AnyRoute, defineRoute, type JsonSchema } from '../route.js';

const error = (description: string) => ({ description, schema: errorSchema });
const COMMON = {
  401: error('not authenticated'),
  403: error('the role may not do this'),
  422: error('invalid request'),
  429: error('over the admin rate limit: see Retry-After'),
};

const userIdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['userId'],
  properties: { userId: uuid },
} as const satisfies JsonSchema;

const reason = { type: 'string', minLength: 1, maxLength: 500 } as const;

const accountPageSchema = pageOf(ACCOUNT_SCHEMA);

interface ListAccountsQuery {
  readonly status?: UserStatus;
  readonly role?: Role;
  readonly cursor?: string;
  readonly limit: number;
}

export const listAccountsRoute = defineRoute<Record<string, never>, ListAccountsQuery>({
  method: 'get',
  path: '/accounts',
  operationId: 'listAccounts',
  summary: 'User accounts, newest first, by status (e.g. PENDING_APPROVAL: the approval queue) and role.',
  tag: 'accounts',
  access: ['ADMIN', 'OPERATOR'],
  rateLimit: 'admin',
  query: {
    type: 'object',
    additionalProperties: false,
    properties: {
      status: { type: 'string', enum: USER_STATUSES },
      role: { type: 'string', enum: ROLES },
      cursor: { type: 'string', maxLength: 200, description: "the previous page's nextCursor" },
      limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    },
  },
  responses: { 200: { description: 'one page', schema: accountPageSchema }, ...COMMON },
  async handle({ query, principal, get }) {
    const page = orThrow(
      await get(AUTH_USE_CASES).listAccounts.execute({
        filter: { ...(query.status ? { status: query.status } : {}), ...(query.role ? { role: query.role } : {}) },
        page: { limit: query.limit, cursor: query.cursor ?? null },
        actor: actorOf(principal),
      }),
    );
    return { status: 200, body: { items: page.items.map(accountJson), nextCursor: page.nextCursor } };
  },
});

const decision = (verb: 'approve' | 'reject') =>
  defineRoute<{ userId: UserId }, Record<string, never>, { reason?: string }>({
    method: 'post',
    path: `/accounts/:userId/${verb}`,
    operationId: verb === 'approve' ? 'approveAccount' : 'rejectAccount',
    summary:
      verb === 'approve'
        ? 'Lets a self-registered account in: the user ACTIVE, its retailer or vendor too. Audited with the request id and IP.'
        : 'Refuses a self-registered account (a reason is required): REJECTED, its sessions revoked. Audited.',
    tag: 'accounts',
    access: ['ADMIN', 'OPERATOR'],
    rateLimit: 'admin',
    audit: 'use-case',
    params: userIdParams,
    body: {
      type: 'object',
      additionalProperties: false,
      ...(verb === 'reject' ? { required: ['reason'] } : {}),
      properties: { reason },
    },
    responses: {
      200: { description: 'the account now', schema: ACCOUNT_SCHEMA },
      404: error('no such account'),
      409: error('the account is not pending approval'),
      ...COMMON,
    },
    async handle({ params, body, principal, get, ip, requestId }) {
      const useCases = get(AUTH_USE_CASES);
      const command = {
        userId: params.userId,
        actor: actorOf(principal),
        ...(body.reason === undefined ? {} : { reason: body.reason }),
        meta: { ip: ip || null, requestId },
      };
      const account = orThrow(
        verb === 'approve'
          ? await useCases.approveAccount.execute(command)
          : await useCases.rejectAccount.execute(command),
      );
      return { status: 200, body: accountJson(account) };
    },
  });

export const approveAccountRoute = decision('approve');
export const rejectAccountRoute = decision('reject');

export const createStaffUserRoute = defineRoute<
  Record<string, never>,
  Record<string, never>,
  { role: 'ADMIN' | 'OPERATOR'; email: string; phone?: string; password: string }
>({
  method: 'post',
  path: '/accounts/staff',
  operationId: 'createStaffUser',
  summary:
    'An ADMIN creates an ADMIN or OPERATOR, ACTIVE at once; they enrol TOTP (POST /auth/totp/enrol) before their first login. Audited.',
  tag: 'accounts',
  access: ['ADMIN'],
  rateLimit: 'admin',
  audit: 'use-case',
  idempotent: true,
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['role', 'email', 'password'],
    properties: {
      role: { type: 'string', enum: ['ADMIN', 'OPERATOR'] },
      email: { type: 'string', minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$' },
      phone: { type: 'string', minLength: 7, maxLength: 20 },
      password: { type: 'string', minLength: 10, maxLength: 256 },
    },
  },
  responses: {
    201: { description: 'the new account', schema: ACCOUNT_SCHEMA },
    409: error('the email or phone already has an account'),
    ...COMMON,
  },
  async handle({ body, principal, get, ip, requestId }) {
    const account = orThrow(
      await get(AUTH_USE_CASES).createStaffUser.execute({
        ...body,
        actor: actorOf(principal),
        meta: { ip: ip || null, requestId },
      }),
    );
    return { status: 201, body: accountJson(account) };
  },
});

export const ACCOUNT_ROUTES: readonly AnyRoute[] = [
  listAccountsRoute,
  approveAccountRoute,
  rejectAccountRoute,
  createStaffUserRoute,
];

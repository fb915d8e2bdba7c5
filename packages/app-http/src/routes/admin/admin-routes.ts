import { AUDIT_PAGE_MAX, type AuditEntry, type AuditFilter, AUTH_USE_CASES, ValidationError } from '@khaacho/core';
import { orThrow } from '../../auth/auth-routes.js';
import { actorOf } from '../../http/principal.js';
import { dateTime, errorSchema, pageOf, uuid } from '../common-schemas.js';
import { type AnyRoute, defineRoute, type JsonSchema } from '../route.js';

const error = (description: string) => ({ description, schema: errorSchema });

const auditEntrySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'at', 'actor', 'action', 'target', 'before', 'after', 'details', 'ip', 'requestId'],
  properties: {
    id: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
    actor: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'id', 'role'],
      properties: {
        type: { type: 'string', enum: ['user', 'system', 'anonymous'] },
        id: { type: ['string', 'null'] },
        role: { type: ['string', 'null'] },
      },
    },
    action: { type: 'string', description: '`<area>.<verb>`, e.g. auth.login_failed, auth.approve' },
    target: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['type', 'id'],
      properties: { type: { type: 'string' }, id: { type: 'string' } },
    },
    before: { description: 'the target before (no secrets)' },
    after: { description: 'the target after (no secrets)' },
    details: { type: 'object' },
    ip: { type: ['string', 'null'] },
    requestId: { type: ['string', 'null'], description: 'the X-Request-Id of the request that caused it' },
  },
} as const satisfies JsonSchema;

interface AuditQuery {
  readonly action?: string;
  readonly actorId?: string;
  readonly targetType?: string;
  readonly targetId?: string;
  readonly from?: string;
  readonly to?: string;
  readonly cursor?: string;
  readonly limit: number;
}

function auditJson(e: AuditEntry): Record<string, unknown> {
  return { ...e, at: e.at.toISOString() };
}

export const listAuditLogRoute = defineRoute<Record<string, never>, AuditQuery>({
  method: 'get',
  path: '/admin/audit-log',
  operationId: 'listAuditLog',
  summary:
    'The append-only audit log, newest first, keyset pages: every auth event and admin/operator action with who, what, target, before/after, IP and request id. Read-only.',
  tag: 'admin',
  access: ['ADMIN'],
  rateLimit: 'admin',
  query: {
    type: 'object',
    additionalProperties: false,
    properties: {
      action: { type: 'string', maxLength: 64, pattern: '^[a-z_]+\\.[a-z_]+$' },
      actorId: uuid,
      targetType: { type: 'string', maxLength: 40, pattern: '^[a-z_]+$', description: 'with targetId' },
      targetId: { type: 'string', maxLength: 64, description: 'with targetType' },
      from: { ...dateTime, description: 'inclusive' },
      to: { ...dateTime, description: 'exclusive' },
      cursor: { type: 'string', maxLength: 200, description: "the previous page's nextCursor" },
      limit: { type: 'integer', minimum: 1, maximum: AUDIT_PAGE_MAX, default: 50 },
    },
  },
  responses: {
    200: {
      description: 'one page',
      schema: pageOf(auditEntrySchema),
    },
    401: error('not authenticated'),
    403: error('ADMIN only'),
    422: error('invalid query'),
    429: error('over the admin rate limit: see Retry-After'),
  },
  async handle({ query, principal, get }) {
    const filter: { -readonly [K in keyof AuditFilter]: AuditFilter[K] } = {};
    if (query.action) filter.action = query.action;
    if (query.actorId) filter.actorId = query.actorId;
    // Both target fields or neither: a type alone or an id alone names nothing.
    if ((query.targetType === undefined) !== (query.targetId === undefined)) {
      throw new ValidationError('give targetType and targetId together', { fields: ['targetType', 'targetId'] });
    }
    if (query.targetType && query.targetId) filter.target = { type: query.targetType, id: query.targetId };
    if (query.from) filter.from = new Date(query.from);
    if (query.to) filter.to = new Date(query.to);
    const page = orThrow(
      await get(AUTH_USE_CASES).listAuditLog.execute({
        filter,
        page: { limit: query.limit, cursor: query.cursor ?? null },
        actor: actorOf(principal),
      }),
    );
    return { status: 200, body: { items: page.items.map(auditJson), nextCursor: page.nextCursor } };
  },
});

export const ADMIN_ROUTES: readonly AnyRoute[] = [listAuditLogRoute];

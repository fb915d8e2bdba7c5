import { Readable } from 'node:stream';
import { REASON_MAX_LENGTH, type RetailerId, USE_CASE_TOKENS, unwrap } from '@khaacho/core';
import { actorOf } from '../../http/principal.js';
import { errorSchema, uuid } from '../common-schemas.js';
import { type AnyRoute, defineRoute, type JsonSchema } from '../route.js';

const error = (description: string) => ({ description, schema: errorSchema });
const ERRORS = {
  401: error('not authenticated'),
  403: error('ADMIN only'),
  404: error('no such retailer'),
  422: error('the request is invalid'),
  429: error('over the admin rate limit: see Retry-After'),
};

const retailerParams = {
  type: 'object',
  additionalProperties: false,
  required: ['retailerId'],
  properties: { retailerId: uuid },
} as const satisfies JsonSchema;

interface RetailerParams {
  readonly retailerId: string;
}

export const exportPersonalDataRoute = defineRoute<RetailerParams>({
  method: 'get',
  path: '/admin/retailers/:retailerId/personal-data',
  operationId: 'exportPersonalData',
  summary:
    'Everything held about a retailer, as one JSON document (a download): the retailer, its logins (no secrets), ' +
    'orders with lines and risk events, credit account and ledger, credit scores (newest 200), drafts, and the ' +
    'audit entries about it. Streamed store by store, one page at a time. The export itself is audited.',
  tag: 'admin',
  access: ['ADMIN'],
  rateLimit: 'admin',
  audit: 'use-case',
  params: retailerParams,
  responses: {
    200: {
      description:
        'application/json: `{ retailerId, exportedAt, retailer, conversations, outboundMessages, onboardingRequests, users, orders, ' +
        'creditAccount, ledgerEntries, creditScores, orderDrafts, auditEntries }` (amounts in paisa)',
      headers: { 'Content-Disposition': 'attachment; filename=…' },
    },
    ...ERRORS,
  },
  async handle({ params, principal, get, ip, requestId }) {
    const exported = unwrap(
      await get(USE_CASE_TOKENS.exportPersonalData).execute({
        retailerId: params.retailerId as RetailerId,
        actor: actorOf(principal),
        meta: { ip: ip || null, requestId },
      }),
    );
    const stamp = exported.exportedAt.toISOString().slice(0, 10);
    return {
      status: 200,
      body: Readable.from(exported.json),
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Disposition': `attachment; filename="khaacho-personal-data-${exported.retailerId}-${stamp}.json"`,
        'Cache-Control': 'no-store',
      },
    };
  },
});

interface ErasureBody {
  readonly reason: string;
}

export const erasePersonalDataRoute = defineRoute<RetailerParams, Record<string, never>, ErasureBody>({
  method: 'post',
  path: '/admin/retailers/:retailerId/erasure',
  operationId: 'erasePersonalData',
  summary:
    "Erase a retailer's personal data, with a reason: name, phone, area, location and its logins' email, phone, " +
    'password, TOTP and sessions are anonymised (logins DISABLED, drafts deleted, order notes cleared); orders, ' +
    'ledger and invoices are ' +
    'kept, tied to the anonymised retailer, which stays SUSPENDED. Idempotent by nature: a repeated request answers ' +
    '`changed: false` with the first erasure’s time. Audited (reason and counts, no personal data).',
  tag: 'admin',
  access: ['ADMIN'],
  rateLimit: 'admin',
  audit: 'use-case',
  params: retailerParams,
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['reason'],
    properties: { reason: { type: 'string', minLength: 1, maxLength: REASON_MAX_LENGTH } },
  },
  responses: {
    200: {
      description: 'erased now (`changed: true`) or already (`changed: false`)',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['retailerId', 'erasedAt', 'changed', 'counts'],
        properties: {
          retailerId: { type: 'string', format: 'uuid' },
          erasedAt: { type: 'string', format: 'date-time' },
          changed: { type: 'boolean' },
          counts: {
            type: 'object',
            additionalProperties: { type: 'integer' },
            description: 'records changed per store (empty when nothing changed)',
          },
        },
      },
    },
    ...ERRORS,
  },
  async handle({ params, body, principal, get, ip, requestId }) {
    const erased = unwrap(
      await get(USE_CASE_TOKENS.erasePersonalData).execute({
        retailerId: params.retailerId as RetailerId,
        reason: body.reason,
        actor: actorOf(principal),
        meta: { ip: ip || null, requestId },
      }),
    );
    return { status: 200, body: { ...erased, erasedAt: erased.erasedAt.toISOString() } };
  },
});

export const PRIVACY_ROUTES: readonly AnyRoute[] = [exportPersonalDataRoute, erasePersonalDataRoute];

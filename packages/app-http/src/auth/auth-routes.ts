import {
  type AccountView,
  AUTH_USE_CASES,
  DomainError,
  ErrorCodes,
  type Failure,
  type Outcome,
  type RegisterAccountCommand,
  type RequestMeta,
  type SessionGrant,
  type Token,
} from '@khaacho/core';
import { withResponseHeaders } from '../http/error-statuses.js';
import { errorSchema } from '../routes/common-schemas.js';
import { type AnyRoute, definePublicRoute, defineRoute, type RouteResult } from '../routes/route.js';
import { ACCESS_TOKENS } from './auth-module-tokens.js';
import { AUTH_ROUTE_SCHEMAS, PRINCIPAL_SCHEMA } from './schemas.js';

const error = (description: string) => ({ description, schema: errorSchema });
const NO_STORE = { 'Cache-Control': 'no-store' } as const;

/** A failure value thrown as the core error it describes: app-http's one table maps it to a status. */
export function orThrow<T>(outcome: Outcome<T, Failure['code']>): T {
  if (outcome.ok) return outcome.value;
  const { kind, code, message, details } = outcome.error;
  throw new DomainError(kind, code, message, details);
}

export function accountJson(a: AccountView): Record<string, unknown> {
  return { ...a, createdAt: a.createdAt.toISOString() };
}

const meta = (input: { ip: string; requestId: string }): RequestMeta => ({
  ip: input.ip || null,
  requestId: input.requestId,
});

async function session(get: <T>(t: Token<T>) => T, grant: SessionGrant): Promise<RouteResult> {
  const access = await get(ACCESS_TOKENS).sign(grant.principal);
  return {
    status: 200,
    headers: NO_STORE,
    body: {
      tokenType: 'Bearer',
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      refreshToken: grant.refreshToken,
      refreshTokenExpiresAt: grant.refreshTokenExpiresAt.toISOString(),
      principal: grant.principal,
    },
  };
}

const schemas = AUTH_ROUTE_SCHEMAS;
const credentialsRefused = {
  401: error(
    'wrong identifier, password or TOTP code (one answer for all: AUTH.INVALID_CREDENTIALS), or the account is not active (AUTH.ACCOUNT_NOT_ACTIVE)',
  ),
  422: error('the body does not match the schema'),
  429: error('locked after repeated failures, or over the auth rate limit: see Retry-After'),
};

export const registerRoute = definePublicRoute<Record<string, never>, Record<string, never>, RegisterAccountCommand>({
  method: 'post',
  path: '/auth/register',
  operationId: 'register',
  summary: 'Self-registration of a RETAILER or VENDOR with its party; the account waits for approval by staff.',
  tag: 'auth',
  access: 'public',
  rateLimit: 'auth',
  body: schemas['POST /auth/register'].body,
  responses: {
    201: { description: 'the account, PENDING_APPROVAL', schema: schemas['POST /auth/register'].response },
    409: error(
      'the email or phone already has an account (ENTITY.DUPLICATE), or the phone is a party of the other kind (PARTY.PHONE_TAKEN: one number is a retailer or a vendor, never both)',
    ),
    422: error('the body does not match the schema, or the password is too weak'),
    429: error('over the auth rate limit'),
  },
  async handle({ body, get, ...input }) {
    const account = orThrow(await get(AUTH_USE_CASES).registerAccount.execute({ ...body, meta: meta(input) }));
    return { status: 201, body: accountJson(account) };
  },
});

export const loginRoute = definePublicRoute<
  Record<string, never>,
  Record<string, never>,
  { identifier: string; password: string; totpCode?: string }
>({
  method: 'post',
  path: '/auth/login',
  operationId: 'login',
  summary:
    'A session for an email or phone and password (+ `totpCode` for ADMIN, OPERATOR and anyone enrolled): a short-lived access token and a refresh token.',
  tag: 'auth',
  access: 'public',
  rateLimit: 'auth',
  body: schemas['POST /auth/login'].body,
  responses: { 200: { description: 'a session', schema: schemas['POST /auth/login'].response }, ...credentialsRefused },
  async handle({ body, get, ...input }) {
    const outcome = await get(AUTH_USE_CASES).login.execute({ ...body, meta: meta(input) });
    if (!outcome.ok && outcome.error.code === ErrorCodes.AUTH_LOCKED) {
      const { kind, code, message, details } = outcome.error;
      const seconds = Math.max(1, Math.ceil(Number(details.retryAfterMs ?? 1000) / 1000));
      throw withResponseHeaders(new DomainError(kind, code, message, details), { 'Retry-After': String(seconds) });
    }
    return session(get, orThrow(outcome));
  },
});

export const refreshRoute = definePublicRoute<Record<string, never>, Record<string, never>, { refreshToken: string }>({
  method: 'post',
  path: '/auth/refresh',
  operationId: 'refreshSession',
  summary:
    'Rotates a refresh token: a new session, the old token spent. Presenting a spent token again revokes its whole family.',
  tag: 'auth',
  access: 'public',
  rateLimit: 'auth',
  body: schemas['POST /auth/refresh'].body,
  responses: {
    200: { description: 'a new session', schema: schemas['POST /auth/refresh'].response },
    401: error('unknown, expired, revoked or reused refresh token'),
    422: error('the body does not match the schema'),
    429: error('over the auth rate limit'),
  },
  async handle({ body, get, ...input }) {
    return session(get, orThrow(await get(AUTH_USE_CASES).rotateRefreshToken.execute({ ...body, meta: meta(input) })));
  },
});

export const logoutRoute = definePublicRoute<Record<string, never>, Record<string, never>, { refreshToken: string }>({
  method: 'post',
  path: '/auth/logout',
  operationId: 'logout',
  summary: "Ends the refresh token's session (its family); an unknown or spent token is fine too.",
  tag: 'auth',
  access: 'public',
  rateLimit: 'auth',
  body: schemas['POST /auth/logout'].body,
  responses: {
    204: { description: 'the session is over' },
    422: error('the body does not match the schema'),
    429: error('over the auth rate limit'),
  },
  async handle({ body, get, ...input }) {
    orThrow(await get(AUTH_USE_CASES).logout.execute({ ...body, meta: meta(input) }));
    return { status: 204, body: null };
  },
});

export const enrolTotpRoute = definePublicRoute<
  Record<string, never>,
  Record<string, never>,
  { identifier: string; password: string }
>({
  method: 'post',
  path: '/auth/totp/enrol',
  operationId: 'enrolTotp',
  summary:
    'Starts TOTP enrolment with the password (staff have no session before a second factor): the secret and its otpauth URI.',
  tag: 'auth',
  access: 'public',
  rateLimit: 'auth',
  body: schemas['POST /auth/totp/enrol'].body,
  responses: {
    200: {
      description: 'the secret to put in an authenticator app',
      schema: schemas['POST /auth/totp/enrol'].response,
    },
    409: error('TOTP is already confirmed for this account'),
    ...credentialsRefused,
  },
  async handle({ body, get, ...input }) {
    const enrolment = orThrow(await get(AUTH_USE_CASES).enrolTotp.execute({ ...body, meta: meta(input) }));
    return { status: 200, headers: NO_STORE, body: enrolment };
  },
});

export const confirmTotpRoute = definePublicRoute<
  Record<string, never>,
  Record<string, never>,
  { identifier: string; password: string; code: string }
>({
  method: 'post',
  path: '/auth/totp/confirm',
  operationId: 'confirmTotp',
  summary: 'Confirms TOTP enrolment with a current code; from then on login needs a code.',
  tag: 'auth',
  access: 'public',
  rateLimit: 'auth',
  body: schemas['POST /auth/totp/confirm'].body,
  responses: {
    204: { description: 'confirmed' },
    409: error('nothing to confirm (not enrolled, or already confirmed)'),
    ...credentialsRefused,
  },
  async handle({ body, get, ...input }) {
    orThrow(await get(AUTH_USE_CASES).confirmTotp.execute({ ...body, meta: meta(input) }));
    return { status: 204, body: null };
  },
});

export const meRoute = defineRoute({
  method: 'get',
  path: '/auth/me',
  operationId: 'getMe',
  summary: 'Who the access token stands for, as the store says now.',
  tag: 'auth',
  access: ['ADMIN', 'OPERATOR', 'RETAILER', 'VENDOR'],
  responses: {
    200: { description: 'the principal', schema: PRINCIPAL_SCHEMA },
    401: error('missing, expired or forged token, or the account is no longer active'),
  },
  async handle({ principal }) {
    return { status: 200, body: principal };
  },
});

/** The /auth routes, under /api/v1: all public but `GET /auth/me`, all on the `auth` rate limit but it. */
export const AUTH_ROUTES: readonly AnyRoute[] = [
  registerRoute,
  loginRoute,
  refreshRoute,
  logoutRoute,
  enrolTotpRoute,
  confirmTotpRoute,
  meRoute,
];

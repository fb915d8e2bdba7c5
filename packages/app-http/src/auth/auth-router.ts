import Router from '@koa/router';
import {
  type AccountView,
  AUTH_USE_CASES,
  DomainError,
  ErrorCodes,
  type Failure,
  type Outcome,
  type RequestMeta,
  type SessionGrant,
  type Token,
  ValidationError,
} from '@khaacho/core';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Context } from 'koa';
import { ACCESS_TOKENS } from './auth-module-tokens.js';
import { AUTH_ROUTE_SCHEMAS } from './schemas.js';

type RouteKey = keyof typeof AUTH_ROUTE_SCHEMAS;

const ajv = new Ajv({ strict: true, allErrors: false, coerceTypes: false, useDefaults: false });
const validators = Object.fromEntries(
  Object.entries(AUTH_ROUTE_SCHEMAS).map(([key, spec]) => [key, ajv.compile(spec.body)]),
) as Record<RouteKey, ValidateFunction>;

/** The body, checked against its schema; a mismatch is VALIDATION.INVALID_COMMAND naming the first problem. */
function body<T>(ctx: Context, key: RouteKey): T {
  const value = (ctx.request as { body?: unknown }).body;
  const validate = validators[key];
  if (!validate(value)) {
    const first = validate.errors?.[0];
    throw new ValidationError(
      'the body does not match the schema',
      { path: first?.instancePath ?? '', problem: first?.message ?? 'invalid' },
      ErrorCodes.INVALID_COMMAND,
    );
  }
  return value as T;
}

function meta(ctx: Context): RequestMeta {
  const requestId = (ctx.state as { requestId?: unknown }).requestId;
  return { ip: ctx.ip || null, requestId: typeof requestId === 'string' ? requestId : null };
}

/** A failure value thrown as the core error it describes: app-http's one table maps it to a status. */
function orThrow<T>(outcome: Outcome<T, Failure['code']>): T {
  if (outcome.ok) return outcome.value;
  const { kind, code, message, details } = outcome.error;
  throw new DomainError(kind, code, message, details);
}

export function accountJson(a: AccountView): Record<string, unknown> {
  return { ...a, createdAt: a.createdAt.toISOString() };
}

/**
 * POST /auth/register, /auth/login, /auth/refresh, /auth/logout, /auth/totp/enrol and
 * /auth/totp/confirm (both authenticated by the password, for staff who cannot log in
 * before they have a second factor): public routes (no access
 * token), mounted by app-http under /api/v1 behind its body parser, request id, error
 * mapping and the auth rate-limit class. Token answers are never cached.
 */
export function authRouter(resolve: <T>(token: Token<T>) => T): Router {
  const router = new Router();

  async function session(ctx: Context, grant: SessionGrant): Promise<void> {
    const access = await resolve(ACCESS_TOKENS).sign(grant.principal);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      tokenType: 'Bearer',
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      refreshToken: grant.refreshToken,
      refreshTokenExpiresAt: grant.refreshTokenExpiresAt.toISOString(),
      principal: grant.principal,
    };
  }

  router.post('/auth/register', async (ctx) => {
    const input = body<Parameters<ReturnType<typeof useCases>['registerAccount']['execute']>[0]>(
      ctx,
      'POST /auth/register',
    );
    const account = orThrow(await useCases().registerAccount.execute({ ...input, meta: meta(ctx) }));
    ctx.status = 201;
    ctx.body = accountJson(account);
  });

  router.post('/auth/login', async (ctx) => {
    const input = body<{ identifier: string; password: string; totpCode?: string }>(ctx, 'POST /auth/login');
    const outcome = await useCases().login.execute({ ...input, meta: meta(ctx) });
    if (!outcome.ok && outcome.error.code === ErrorCodes.AUTH_LOCKED) {
      ctx.set('Retry-After', String(Math.ceil(Number(outcome.error.details.retryAfterMs ?? 1000) / 1000)));
    }
    await session(ctx, orThrow(outcome));
  });

  router.post('/auth/refresh', async (ctx) => {
    const input = body<{ refreshToken: string }>(ctx, 'POST /auth/refresh');
    await session(ctx, orThrow(await useCases().rotateRefreshToken.execute({ ...input, meta: meta(ctx) })));
  });

  router.post('/auth/logout', async (ctx) => {
    const input = body<{ refreshToken: string }>(ctx, 'POST /auth/logout');
    orThrow(await useCases().logout.execute({ ...input, meta: meta(ctx) }));
    ctx.status = 204;
  });

  router.post('/auth/totp/enrol', async (ctx) => {
    const input = body<{ identifier: string; password: string }>(ctx, 'POST /auth/totp/enrol');
    const enrolment = orThrow(await useCases().enrolTotp.execute({ ...input, meta: meta(ctx) }));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = enrolment;
  });

  router.post('/auth/totp/confirm', async (ctx) => {
    const input = body<{ identifier: string; password: string; code: string }>(ctx, 'POST /auth/totp/confirm');
    orThrow(await useCases().confirmTotp.execute({ ...input, meta: meta(ctx) }));
    ctx.status = 204;
  });

  function useCases() {
    return resolve(AUTH_USE_CASES);
  }

  return router;
}

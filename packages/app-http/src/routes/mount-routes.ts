import { AUTH_USE_CASES, CLOCK, IDEMPOTENCY_STORE, InvariantError, LOGGER, type Token } from '@khaacho/core';
import Router from '@koa/router';
import type { ValidateFunction } from 'ajv';
import type { Context } from 'koa';
import { HttpError, HttpErrorCodes } from '../http/error-statuses.js';
import { type Authenticator, actorOf, isStaff, type Principal } from '../http/principal.js';
import type { RateLimiters } from '../http/rate-limits.js';
import type { RequestState } from '../http/request-context.js';
import { runIdempotent } from './idempotency.js';
import type { AnyRoute, RateLimitClass, RouteResult } from './route.js';
import { assertBounded } from './schema-bounds.js';
import { compileRequest, compileResponse, type Part, requestInvalid } from './validation.js';

export const API_PREFIX = '/api/v1';

export interface MountOptions {
  readonly authenticator: Authenticator;
  readonly get: <T>(service: Token<T>) => T;
  /** One budget per route class; a request over it is a 429 with Retry-After. */
  readonly rateLimiters: RateLimiters;
  /** Check every answer against its documented schema (tests): a mismatch is a 500. */
  readonly validateResponses?: boolean;
}

interface Compiled {
  readonly params?: ValidateFunction;
  readonly query?: ValidateFunction;
  readonly body?: ValidateFunction;
  readonly responses: ReadonlyMap<number, ValidateFunction>;
}

/**
 * One Koa router for the declared routes: for each, the schemas are checked for bounds and
 * compiled once; a request is authenticated, its role checked, its params, query and body
 * validated, then the handler runs (inside the idempotency guard when the route has one).
 */
export function mountRoutes(routes: readonly AnyRoute[], options: MountOptions): Router<RequestState> {
  const router = new Router<RequestState>({ prefix: API_PREFIX });
  const seen = new Set<string>();
  for (const route of routes) {
    const id = `${route.method.toUpperCase()} ${route.path}`;
    if (seen.has(id) || seen.has(route.operationId))
      throw new Error(`route declared twice: ${id} (${route.operationId})`);
    seen.add(id);
    seen.add(route.operationId);
    const compiled = compile(route, options.validateResponses ?? false);
    router[route.method](route.path, async (ctx: Context & { state: RequestState }) => {
      ctx.state.route = API_PREFIX + route.path;
      const limit = route.rateLimit ?? 'api';
      // Public routes spend the caller address's budget before any work (a password hash is
      // the costliest thing here); the others the signed-in user's, so many users behind
      // one NAT do not share one budget.
      let principal: Principal | null = null;
      if (route.access === 'public') await spend(options.rateLimiters, limit, `ip:${ctx.ip}`, ctx);
      else {
        principal = await authorise(route, ctx, options.authenticator);
        await spend(options.rateLimiters, limit, `user:${principal.userId}`, ctx);
      }
      const params = validated('params', compiled.params, { ...ctx.params });
      const query = validated('query', compiled.query, plainQuery(ctx.query));
      let body: unknown;
      if (route.body) {
        if (!ctx.is('application/json')) {
          throw new HttpError(415, HttpErrorCodes.UNSUPPORTED_MEDIA_TYPE, 'send the body as application/json');
        }
        body = validated('body', compiled.body, (ctx.request as { body?: unknown }).body);
      }
      const input = { params, query, body, get: options.get, requestId: ctx.state.requestId, ip: ctx.ip };
      const run = () =>
        route.access === 'public' ? route.handle(input) : route.handle({ ...input, principal: principal as Principal });
      const key = ctx.get('Idempotency-Key');
      const result: RouteResult =
        route.idempotent && key && principal
          ? await runIdempotent(
              options.get(IDEMPOTENCY_STORE),
              options.get(CLOCK),
              { scope: `${principal.userId}:${route.operationId}`, key, method: ctx.method, path: ctx.path, body },
              run,
            )
          : await run();
      if (options.validateResponses) checkResponse(route, compiled, result);
      if (
        principal &&
        isStaff(principal) &&
        route.method !== 'get' &&
        route.audit !== 'use-case' &&
        result.status < 400 &&
        result.headers?.['Idempotent-Replayed'] !== 'true'
      ) {
        await recordStaffAction(options, route, principal, { params, body, result }, ctx);
      }
      ctx.status = result.status;
      ctx.body = result.body;
      for (const [name, value] of Object.entries(result.headers ?? {})) ctx.set(name, value);
    });
  }
  return router;
}

function compile(route: AnyRoute, checkResponses: boolean): Compiled {
  const where = `${route.method.toUpperCase()} ${route.path}`;
  const part = (name: Part) => {
    const schema = route[name];
    if (!schema) return {};
    assertBounded(schema, `${where} ${name}`);
    return { [name]: compileRequest(name, schema) };
  };
  // Only when answers are checked (tests): compiling every route's response schemas costs
  // ~50 MB of RSS at startup (ajv's generated code and the garbage of generating it) that a
  // server which never checks its answers would carry for nothing.
  const responses = new Map<number, ValidateFunction>();
  if (checkResponses) {
    for (const [status, spec] of Object.entries(route.responses)) {
      if (spec.schema) responses.set(Number(status), compileResponse(spec.schema));
    }
  }
  return { ...part('params'), ...part('query'), ...part('body'), responses };
}

/**
 * The audit entry of a staff action whose use case keeps none. It is appended after the
 * action committed, in a transaction of its own: a failure here is logged as an error (the
 * action stands; answering 500 would invite a retry of something done).
 */
async function recordStaffAction(
  options: MountOptions,
  route: AnyRoute,
  principal: Principal,
  call: { params: unknown; body: unknown; result: RouteResult },
  ctx: Context & { state: RequestState },
): Promise<void> {
  const { target, untargeted } = auditTargetOf(route, call);
  const action = `api.${route.operationId.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
  try {
    const outcome = await options.get(AUTH_USE_CASES).recordStaffAction.execute({
      actor: actorOf(principal),
      action,
      target,
      details: {
        method: ctx.method,
        path: ctx.path,
        status: call.result.status,
        ...(untargeted ? { untargeted } : {}),
      },
      meta: { ip: ctx.ip || null, requestId: ctx.state.requestId },
    });
    if (!outcome.ok) throw new Error(outcome.error.message);
  } catch (error) {
    options.get(LOGGER).error('audit entry not recorded', {
      action,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/**
 * What a staff write changed: the route's `auditTarget`, else its first path parameter
 * (`/orders/:orderId/cancel`: the order). `untargeted` says why there is none.
 */
export function auditTargetOf(
  route: AnyRoute,
  call: { params: unknown; body: unknown; result: RouteResult },
): { target: { type: string; id: string } | null; untargeted: string | null } {
  const spec = route.auditTarget;
  if (spec === undefined) {
    const [name, id] = Object.entries((call.params ?? {}) as Record<string, unknown>)[0] ?? [];
    return typeof name === 'string' && typeof id === 'string'
      ? { target: { type: name.replace(/Id$/, ''), id }, untargeted: null }
      : { target: null, untargeted: 'the route names no target' };
  }
  if ('none' in spec) return { target: null, untargeted: spec.none };
  const id =
    'body' in spec
      ? ((call.body ?? {}) as Record<string, unknown>)[spec.body]
      : spec.result.reduce<unknown>(
          (at, key) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined),
          call.result.body,
        );
  if (typeof id === 'string' && id.length > 0) return { target: { type: spec.type, id }, untargeted: null };
  return { target: null, untargeted: ('otherwise' in spec && spec.otherwise) || 'the target was not in the call' };
}

async function spend(limiters: RateLimiters, limit: RateLimitClass, key: string, ctx: Context): Promise<void> {
  const decision = await limiters[limit].consume(key);
  if (decision.allowed) return;
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  ctx.set('Retry-After', String(seconds));
  throw new HttpError(429, HttpErrorCodes.RATE_LIMITED, `too many requests; try again in ${seconds} s`, {
    limit,
    retryAfterSeconds: seconds,
  });
}

async function authorise(
  route: AnyRoute & { access: readonly string[] },
  ctx: Context,
  authenticator: Authenticator,
): Promise<Principal> {
  const principal = await authenticator.authenticate(ctx.get('Authorization') || undefined);
  // Ownership checks compare party ids: a retailer or vendor without one would match every
  // order that has none (an unassigned order's vendorId is null), so such a principal is refused.
  if (
    (principal.role === 'RETAILER' && !principal.retailerId) ||
    (principal.role === 'VENDOR' && !principal.vendorId)
  ) {
    throw new HttpError(403, HttpErrorCodes.FORBIDDEN_ROLE, `a ${principal.role} account must belong to a party`);
  }
  const roles = route.access as readonly string[];
  if (!roles.includes(principal.role)) {
    throw new HttpError(403, HttpErrorCodes.FORBIDDEN_ROLE, `this operation is not open to the ${principal.role} role`);
  }
  return principal;
}

function validated(part: Part, validate: ValidateFunction | undefined, value: unknown): unknown {
  if (!validate) {
    if (part === 'query' && value && Object.keys(value).length > 0) {
      throw requestInvalid('query', [
        {
          instancePath: '',
          keyword: 'additionalProperties',
          params: { additionalProperty: Object.keys(value)[0] },
          schemaPath: '',
        },
      ]);
    }
    return part === 'body' ? undefined : {};
  }
  if (!validate(value)) throw requestInvalid(part, validate.errors);
  return value;
}

/** A query parameter given twice arrives as an array; the schemas take single values, so that fails validation. */
function plainQuery(query: Record<string, string | string[] | undefined>): Record<string, unknown> {
  return { ...query };
}

function checkResponse(route: AnyRoute, compiled: Compiled, result: RouteResult): void {
  const documented = route.responses[result.status];
  if (!documented) {
    throw new InvariantError(`${route.operationId} answered ${result.status}, which it does not document`);
  }
  const validate = compiled.responses.get(result.status);
  if (validate && !validate(JSON.parse(JSON.stringify(result.body)))) {
    throw new InvariantError(`${route.operationId} answered a body its schema refuses`, {
      errors: validate.errors?.slice(0, 5),
    });
  }
}

import type { Role, Token } from '@khaacho/core';
import type { Principal } from '../http/principal.js';

/** A JSON schema as ajv and OpenAPI 3.1 both read it (draft 2020-12 subset, strict: every schema has a type). */
export type JsonSchema = Readonly<Record<string, unknown>>;

/**
 * The roles that may call a route. Every /api/v1 route declared here is authenticated; the
 * public ones (health, readiness, the document, auth's own sign-in routes) live outside.
 */
export type Access = readonly Role[];

/**
 * Which rate-limit budget a route spends (`KHAACHO_RATE_LIMIT_<CLASS>`): `auth` the sign-in
 * routes (keyed by IP), `admin` account and audit administration, `webhook` inbound
 * callbacks, `api` everything else (keyed by the user once authenticated).
 */
export type RateLimitClass = 'api' | 'auth' | 'webhook' | 'admin';

export interface ResponseSpec {
  readonly description: string;
  readonly schema?: JsonSchema;
  /** Response headers worth documenting (name → description). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RouteInput<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly principal: Principal;
  /** The composed container's services. */
  readonly get: <T>(service: Token<T>) => T;
  readonly requestId: string;
  /** The caller's address (the proxy's client address when KHAACHO_HTTP_TRUST_PROXY). */
  readonly ip: string;
}

/** What a public route's handler gets: no principal (nobody is signed in yet). */
export type PublicRouteInput<P, Q, B> = Omit<RouteInput<P, Q, B>, 'principal'>;

export interface RouteResult {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The target of a recorded staff action: an id in a body field (`recordPayment`: the
 * retailer), an id in the answer (`placeOrder`: the order made), or no target with the reason
 * why (kept in the entry's details). `otherwise`: the reason when the body field is optional
 * and absent.
 */
export type AuditTargetSpec =
  | { readonly type: string; readonly body: string; readonly otherwise?: string }
  | { readonly type: string; readonly result: readonly string[] }
  | { readonly none: string };

/**
 * One endpoint, declared once: what the request looks like (validated by ajv), who may call
 * it, what it answers (documented in OpenAPI from the same schemas) and what it does.
 */
export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Under /api/v1, Koa style: `/orders/:orderId`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: Access;
  /** Default `api` (`admin` for routes only staff may call is set by the route). */
  readonly rateLimit?: RateLimitClass;
  /**
   * `use-case`: the use case appends its own audit entry, in its transaction (auth's). Else
   * a successful request by an ADMIN or OPERATOR that is not a GET is recorded after it
   * (`api.<operationId>`, the first path parameter as target, request id and IP).
   */
  readonly audit?: 'use-case';
  /**
   * Where the recorded entry's target is when the first path parameter is not it (a staff
   * write must name what it changed): see AuditTargetSpec.
   */
  readonly auditTarget?: AuditTargetSpec;
  /**
   * `Idempotency-Key` header for a POST that creates something: the same key and body replay
   * the stored response, the same key with another body is a 422.
   */
  readonly idempotent?: boolean;
  readonly params?: JsonSchema;
  readonly query?: JsonSchema;
  readonly body?: JsonSchema;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  handle(input: RouteInput<P, Q, B>): Promise<RouteResult>;
}

/**
 * A route anyone may call, without a token: only the sign-in routes (register, login,
 * refresh, logout, TOTP enrolment), which vouch for the caller themselves.
 */
export interface PublicRouteSpec<P = unknown, Q = unknown, B = unknown>
  extends Omit<RouteSpec<P, Q, B>, 'access' | 'handle'> {
  readonly access: 'public';
  handle(input: PublicRouteInput<P, Q, B>): Promise<RouteResult>;
}

/** A route whose input types are erased: what the router and the OpenAPI builder take. */
export type AnyRoute =
  // biome-ignore lint/suspicious/noExplicitAny: the handler's input types are checked where the route is declared.
  | RouteSpec<any, any, any>
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  | PublicRouteSpec<any, any, any>;

/** The roles a route names, or none for a public route. */
export function rolesOf(route: AnyRoute): readonly Role[] {
  return route.access === 'public' ? [] : route.access;
}

/** Declares a route; the type parameters are the validated params, query and body. */
export function defineRoute<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  spec: RouteSpec<P, Q, B>,
): RouteSpec<P, Q, B> {
  return spec;
}

/** Declares a public route (no token): see PublicRouteSpec. */
export function definePublicRoute<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  spec: PublicRouteSpec<P, Q, B>,
): PublicRouteSpec<P, Q, B> {
  return spec;
}

import type { Role, Token } from '@khaacho/core';
import type { Principal } from '../http/principal.js';

/** A JSON schema as ajv and OpenAPI 3.1 both read it (draft 2020-12 subset, strict: every schema has a type). */
export type JsonSchema = Readonly<Record<string, unknown>>;

/**
 * The roles that may call a route. Every /api/v1 route declared here is authenticated; the
 * public ones (health, readiness, the document, auth's own sign-in routes) live outside.
 */
export type Access = readonly Role[];

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
}

export interface RouteResult {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

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

/** A route whose input types are erased: what the router and the OpenAPI builder take. */
// biome-ignore lint/suspicious/noExplicitAny: the handler's input types are checked where the route is declared.
export type AnyRoute = RouteSpec<any, any, any>;

/** Declares a route; the type parameters are the validated params, query and body. */
export function defineRoute<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  spec: RouteSpec<P, Q, B>,
): RouteSpec<P, Q, B> {
  return spec;
}

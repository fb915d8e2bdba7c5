import type { Composition } from '@khaacho/app-worker/composition';
import { CLOCK, LOGGER, WEBHOOK_INBOX } from '@khaacho/core';
import { bodyParser } from '@koa/bodyparser';
import cors from '@koa/cors';
import Koa from 'koa';
import type { Registry } from 'prom-client';
import helmet from 'koa-helmet';
import { HttpError, HttpErrorCodes } from './http/error-statuses.js';
import type { Authenticator } from './http/principal.js';
import { DEFAULT_RATE_LIMITS, type RateLimitPolicies, rateLimitersFor } from './http/rate-limits.js';
import type { ReadinessResult } from './http/readiness.js';
import { type RequestState, requestContext } from './http/request-context.js';
import { httpMetrics, type MetricsOptions } from './http/metrics.js';
import { OPENAPI_PATH, SYSTEM_OPERATIONS, systemRoutes } from './http/system-routes.js';
import { openApiDocument } from './openapi/openapi-document.js';
import { API_ROUTES } from './routes/api-routes.js';
import { mountRoutes } from './routes/mount-routes.js';
import type { AnyRoute } from './routes/route.js';
import { simulatorRoutes } from './simulator/simulator-routes.js';
import type { Simulator } from './simulator/simulator-setup.js';
import {
  WHATSAPP_WEBHOOK_OPERATIONS,
  type WhatsAppWebhookOptions,
  whatsappWebhook,
} from './webhooks/whatsapp-webhook.js';

export interface HttpAppOptions {
  readonly composition: Composition;
  /** Who is calling: the auth module's JWT authenticator (AUTHENTICATOR); tests may hand out their own tokens. */
  readonly authenticator: Authenticator;
  /** Per route class, per key (default DEFAULT_RATE_LIMITS). */
  readonly rateLimits?: RateLimitPolicies;
  /** Redis key prefix of the rate limits when the composition is on Redis (default `khaacho`). */
  readonly redisPrefix?: string;
  readonly readiness: () => Promise<ReadinessResult>;
  readonly corsOrigins?: readonly string[];
  readonly bodyLimitBytes?: number;
  readonly trustProxy?: boolean;
  /** Default: every API route. */
  readonly routes?: readonly AnyRoute[];
  /** Check each answer against its documented schema (tests). */
  readonly validateResponses?: boolean;
  readonly version?: string;
  /** /metrics (Prometheus); default: loopback callers only, no token. */
  readonly metrics?: MetricsOptions;
  /** The chat simulator's page and API (`/simulator`): only what `startSimulator` set up, never in production. */
  readonly simulator?: Simulator | null;
  /** /webhooks/whatsapp, mounted only with the app secret and verify token (else it is a 404). */
  readonly whatsappWebhook?: WhatsAppWebhookOptions | null;
}

export interface HttpApp {
  readonly koa: Koa<RequestState>;
  readonly routes: readonly AnyRoute[];
  /** The OpenAPI 3.1 document served at /api/v1/openapi.json. */
  readonly document: Record<string, unknown>;
  /** The app's own Prometheus registry, served at /metrics. */
  readonly metrics: Registry;
  /** For `http.createServer` or a test's fetch through an ephemeral port. */
  callback(): ReturnType<Koa['callback']>;
}

/**
 * The Koa app: request id and the one error shape outermost, then the WhatsApp webhook (raw
 * body, no browser middleware), then security headers, the CORS allow-list and the bounded
 * JSON body parser, then the system routes and the API.
 * Routes only validate, authorise and call core's use cases.
 */
export function createHttpApp(options: HttpAppOptions): HttpApp {
  const { composition } = options;
  const logger = composition.get(LOGGER);
  const routes = options.routes ?? API_ROUTES;
  const webhook = options.whatsappWebhook ?? null;
  const document = openApiDocument(routes, [...SYSTEM_OPERATIONS, ...(webhook ? WHATSAPP_WEBHOOK_OPERATIONS : [])], {
    title: 'Khaacho API',
    version: options.version ?? '0.1.0',
    description: `B2B wholesale ordering. Errors: { error: { code, message, details?, errorId } }. Reference page: /docs; this document: ${OPENAPI_PATH}.`,
  });
  const allowed = new Set(options.corsOrigins ?? []);
  const koa = new Koa<RequestState>({ proxy: options.trustProxy ?? false });
  // Every request error is answered and logged by requestContext; what reaches here failed
  // after the answer began (a broken stream).
  koa.on('error', (error: unknown) => {
    logger.error('response failed after it began', { error: error instanceof Error ? error.message : String(error) });
  });
  const metrics = httpMetrics(composition, options.metrics ?? { token: null });
  // Outside requestContext, so the status observed is the one answered, errors mapped.
  koa.use(metrics.observe);
  koa.use(requestContext(logger));
  const rateLimiters = rateLimitersFor(
    composition,
    options.rateLimits ?? DEFAULT_RATE_LIMITS,
    options.redisPrefix ?? 'khaacho',
  );
  if (webhook) {
    // Before the body parser: the webhook signs the raw bytes, which it reads itself. And
    // before helmet and CORS: those are browser concerns (no page renders Meta's answer, no
    // browser may post it cross-origin), ~5% of a delivery's CPU for headers no one reads.
    const intake = whatsappWebhook(webhook, {
      inbox: composition.get(WEBHOOK_INBOX),
      clock: composition.get(CLOCK),
      logger,
      rateLimiter: rateLimiters.webhook,
    });
    koa.use(intake);
  }
  // No upgrade-insecure-requests: `npm start` serves plain http on localhost, and a browser
  // told to upgrade would fetch /docs' own scripts over https and get nothing. TLS belongs to
  // the proxy in front, which can add it.
  koa.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  koa.use(
    cors({
      origin: (ctx) => (allowed.has(ctx.get('Origin')) ? ctx.get('Origin') : ''),
      exposeHeaders: ['X-Request-Id', 'Idempotent-Replayed', 'Location'],
      allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
      maxAge: 600,
    }),
  );
  koa.use(bodyParser({ enableTypes: ['json'], jsonLimit: options.bodyLimitBytes ?? 1_048_576, encoding: 'utf-8' }));
  const system = systemRoutes({ readiness: options.readiness, document: () => document });
  koa.use(system.routes());
  if (options.simulator) koa.use(simulatorRoutes(options.simulator, composition).routes());
  koa.use(metrics.serve);
  const api = mountRoutes(routes, {
    authenticator: options.authenticator,
    get: (service) => composition.get(service),
    rateLimiters,
    validateResponses: options.validateResponses ?? false,
  });
  // Around the API router: nothing answered → 404 in the error shape; a known path with
  // another method → 405 (allowedMethods has set Allow), 501 for a method no route knows.
  koa.use(async (ctx, next) => {
    await next();
    if (ctx.body !== undefined && ctx.body !== null) return;
    if (ctx.status === 404) {
      throw new HttpError(404, HttpErrorCodes.ROUTE_NOT_FOUND, `no route ${ctx.method} ${ctx.path}`);
    }
    if (ctx.status === 405) {
      throw new HttpError(405, HttpErrorCodes.METHOD_NOT_ALLOWED, `${ctx.method} is not allowed on ${ctx.path}`);
    }
    if (ctx.status === 501) {
      throw new HttpError(501, HttpErrorCodes.METHOD_NOT_ALLOWED, `${ctx.method} is not implemented`);
    }
  });
  koa.use(api.routes());
  koa.use(api.allowedMethods());
  return { koa, routes, document, metrics: metrics.registry, callback: () => koa.callback() };
}

// @khaacho/app-http — the HTTP API. A program (private); these exports are for the process
// entry, tests and the auth module that plugs into it.
export { createHttpApp, type HttpApp, type HttpAppOptions } from './app.js';
export { type AppConfig, appConfigFromEnv, type HttpConfig } from './config/http-config.js';
export { HTTP_ENV_SCHEMA } from './config/http-env-schema.js';
export { DEMO_SEED, loadDemoData } from './demo-data.js';
export {
  type ErrorBody,
  HttpError,
  HttpErrorCodes,
  mapError,
  statusForDomain,
} from './http/error-statuses.js';
export { type HttpServer, startHttpServer } from './http/http-server.js';
export { actorOf, AUTHENTICATOR, type Authenticator, type Principal } from './http/principal.js';
export {
  DEFAULT_RATE_LIMITS,
  ProcessRateLimiter,
  RATE_LIMIT_CLASSES,
  type RateLimitPolicies,
  type RateLimiters,
  rateLimitersFor,
} from './http/rate-limits.js';
export { type CheckReport, type NamedCheck, type ReadinessResult, readinessOf } from './http/readiness.js';
export { OPENAPI_PATH, SYSTEM_OPERATIONS } from './http/system-routes.js';
export { openApiDocument } from './openapi/openapi-document.js';
export { API_ROUTES } from './routes/api-routes.js';
export { API_PREFIX, mountRoutes } from './routes/mount-routes.js';
export {
  type Access,
  type AnyRoute,
  definePublicRoute,
  defineRoute,
  type JsonSchema,
  type PublicRouteSpec,
  type RateLimitClass,
  type ResponseSpec,
  type RouteInput,
  type RouteResult,
  type RouteSpec,
} from './routes/route.js';
export {
  DEFAULT_WEBHOOK_BODY_LIMIT_BYTES,
  WHATSAPP_WEBHOOK_PATH,
  type WhatsAppWebhookOptions,
} from './webhooks/whatsapp-webhook.js';

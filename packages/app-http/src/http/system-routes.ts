import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Router from '@koa/router';
import type { ExtraOperation } from '../openapi/openapi-document.js';
import type { ReadinessResult } from './readiness.js';
import type { RequestState } from './request-context.js';

export const OPENAPI_PATH = '/api/v1/openapi.json';

/* The reference page is swagger-ui-dist's own bundle, served from node_modules: no CDN. */
const SWAGGER_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const DOC_ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Khaacho API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

// A file of its own, not inline: helmet's Content-Security-Policy allows only same-origin scripts.
const DOCS_INIT = `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(OPENAPI_PATH)},
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout'
});
`;

export interface SystemRoutesOptions {
  readonly readiness: () => Promise<ReadinessResult>;
  readonly document: () => Record<string, unknown>;
}

/** Liveness, readiness, the OpenAPI document and the reference page: public, outside the API's auth. */
export function systemRoutes(options: SystemRoutesOptions): Router<RequestState> {
  const router = new Router<RequestState>();
  router.get('/health', (ctx) => {
    ctx.state.route = '/health';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });
  router.get('/ready', async (ctx) => {
    ctx.state.route = '/ready';
    const result = await options.readiness();
    ctx.set('Cache-Control', 'no-store');
    ctx.status = result.ready ? 200 : 503;
    ctx.body = result;
  });
  router.get(OPENAPI_PATH, (ctx) => {
    ctx.state.route = OPENAPI_PATH;
    ctx.body = options.document();
  });
  router.get('/docs', (ctx) => {
    ctx.state.route = '/docs';
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = DOCS_HTML;
  });
  router.get('/docs/init.js', (ctx) => {
    ctx.state.route = '/docs/init.js';
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.body = DOCS_INIT;
  });
  router.get('/docs/:asset', async (ctx, next) => {
    const type = DOC_ASSETS[ctx.params.asset ?? ''];
    if (!type) return next();
    ctx.state.route = '/docs/:asset';
    ctx.type = type;
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = createReadStream(join(SWAGGER_DIR, ctx.params.asset as string));
  });
  return router;
}

const readinessSchema = {
  type: 'object',
  required: ['ready', 'checks'],
  properties: {
    ready: { type: 'boolean' },
    checks: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['ok'],
        properties: { ok: { type: 'boolean' }, error: { type: 'string' } },
      },
    },
  },
} as const;

/** The system routes, for the OpenAPI document. */
export const SYSTEM_OPERATIONS: readonly ExtraOperation[] = [
  {
    method: 'get',
    path: '/health',
    operationId: 'health',
    summary: 'Liveness: the process answers. Says nothing about its dependencies.',
    tag: 'operations',
    responses: {
      200: {
        description: 'alive',
        schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', const: 'ok' } } },
      },
    },
  },
  {
    method: 'get',
    path: '/ready',
    operationId: 'ready',
    summary: 'Readiness: storage (and Redis when configured) answer, migrations are current, the worker runs.',
    tag: 'operations',
    responses: {
      200: { description: 'ready to serve', schema: readinessSchema },
      503: { description: 'a check failed; `checks` names it', schema: readinessSchema },
    },
  },
  {
    method: 'get',
    path: OPENAPI_PATH,
    operationId: 'openApiDocument',
    summary: 'This document (OpenAPI 3.1), generated from the schemas the routes validate with.',
    tag: 'operations',
    responses: { 200: { description: 'the document', schema: { type: 'object' } } },
  },
];

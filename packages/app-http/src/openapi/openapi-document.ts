import { errorSchema } from '../routes/common-schemas.js';
import { API_PREFIX } from '../routes/mount-routes.js';
import type { AnyRoute, JsonSchema, ResponseSpec } from '../routes/route.js';

/** A path outside the declared API routes (health, readiness, the document itself), documented too. */
export interface ExtraOperation {
  readonly method: 'get' | 'post';
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
}

export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
}

/**
 * The OpenAPI 3.1 document, generated from the very schemas the routes validate with: a
 * route cannot be served without being documented, nor documented differently.
 */
export function openApiDocument(
  routes: readonly AnyRoute[],
  extras: readonly ExtraOperation[],
  info: OpenApiInfo,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const add = (path: string, method: string, operation: Record<string, unknown>) => {
    const template = path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    paths[template] ??= {};
    (paths[template] as Record<string, unknown>)[method] = operation;
  };
  for (const route of routes) {
    const parameters = [
      ...parametersOf(route.params, 'path'),
      ...parametersOf(route.query, 'query'),
      ...(route.idempotent
        ? [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description:
                'Same key + same body → the stored response again (Idempotent-Replayed: true); same key + another body → 422.',
              schema: { type: 'string', minLength: 1, maxLength: 255 },
            },
          ]
        : []),
    ];
    add(API_PREFIX + route.path, route.method, {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      ...(route.access === 'public'
        ? { security: [], 'x-roles': [] }
        : { security: [{ bearerAuth: [] }], 'x-roles': [...route.access] }),
      'x-rate-limit': route.rateLimit ?? 'api',
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } }
        : {}),
      responses: responsesOf(route.responses),
    });
  }
  for (const extra of extras) {
    add(extra.path, extra.method, {
      operationId: extra.operationId,
      summary: extra.summary,
      tags: [extra.tag],
      security: [],
      responses: responsesOf(extra.responses),
    });
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, ...(info.description ? { description: info.description } : {}) },
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: errorSchema },
    },
  };
}

function parametersOf(schema: JsonSchema | undefined, where: 'path' | 'query'): Record<string, unknown>[] {
  if (!schema) return [];
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
}

function responsesOf(responses: Readonly<Record<number, ResponseSpec>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(responses).map(([status, spec]) => [
      status,
      {
        description: spec.description,
        ...(spec.schema ? { content: { 'application/json': { schema: spec.schema } } } : {}),
        ...(spec.headers
          ? {
              headers: Object.fromEntries(
                Object.entries(spec.headers).map(([name, description]) => [
                  name,
                  { description, schema: { type: 'string' } },
                ]),
              ),
            }
          : {}),
      },
    ]),
  );
}

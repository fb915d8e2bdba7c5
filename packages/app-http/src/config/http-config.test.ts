import { ConfigError } from '@khaacho/app-worker';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appConfigFromEnv } from './http-config.js';

function problems(env: Record<string, string>): string[] {
  try {
    appConfigFromEnv(env);
  } catch (error) {
    if (ConfigError.is(error)) return error.problems.map((p) => `${p.variable}: ${p.problem}`);
    throw error;
  }
  return [];
}

test('defaults: port 3000 on 127.0.0.1, no CORS origin, 1 MiB bodies, embedded store with demo data', () => {
  const config = appConfigFromEnv({});
  assert.equal(config.http, {
    port: 3000,
    host: '127.0.0.1',
    corsOrigins: [],
    bodyLimitBytes: 1_048_576,
    trustProxy: false,
    shutdownTimeoutMs: 10_000,
    demoData: true,
  });
  assert.is(config.worker.store, 'embedded');
  assert.is(appConfigFromEnv({ KHAACHO_STORE: 'memory' }).http.demoData, false);
  assert.is(appConfigFromEnv({ KHAACHO_DEMO_DATA: 'false' }).http.demoData, false);
});

test('values are coerced; the CORS list is split and trimmed', () => {
  const config = appConfigFromEnv({
    KHAACHO_HTTP_PORT: '8080',
    KHAACHO_HTTP_HOST: '0.0.0.0',
    KHAACHO_HTTP_CORS_ORIGINS: 'https://shop.example.com, http://localhost:5173/',
    KHAACHO_HTTP_TRUST_PROXY: 'true',
    KHAACHO_HTTP_BODY_LIMIT_BYTES: '65536',
  });
  assert.is(config.http.port, 8080);
  assert.equal(config.http.corsOrigins, ['https://shop.example.com', 'http://localhost:5173']);
  assert.is(config.http.trustProxy, true);
  assert.is(config.http.bodyLimitBytes, 65_536);
});

test('every bad variable, HTTP or worker, is named in one error; unknown KHAACHO_* names are refused', () => {
  const found = problems({
    KHAACHO_HTTP_PORT: 'eighty',
    KHAACHO_HTTP_CORS_ORIGINS: 'shop.example.com',
    KHAACHO_HTTP_BODY_LIMIT_BYTES: '10',
    KHAACHO_STORE: 'sqlite',
    KHAACHO_HTTP_PROT: '8080',
  });
  const named = found.map((p) => p.split(':')[0]).sort();
  assert.equal(named, [
    'KHAACHO_HTTP_BODY_LIMIT_BYTES',
    'KHAACHO_HTTP_CORS_ORIGINS',
    'KHAACHO_HTTP_PORT',
    'KHAACHO_HTTP_PROT',
    'KHAACHO_STORE',
  ]);
  assert.ok(found.some((p) => p.startsWith('KHAACHO_HTTP_PORT: got "eighty"') && p.includes('TCP port')));
});

test.run();

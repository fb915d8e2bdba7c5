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
    metricsToken: null,
    shutdownTimeoutMs: 10_000,
    demoData: true,
    auth: { jwtSecret: null, issuer: 'khaacho', accessTtlSeconds: 900, refreshTtlSeconds: 1_209_600 },
    rateLimits: {
      api: { points: 600, durationMs: 60_000 },
      auth: { points: 30, durationMs: 60_000 },
      webhook: { points: 1_200, durationMs: 60_000 },
      admin: { points: 120, durationMs: 60_000 },
    },
    whatsappWebhook: null,
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

test('auth and rate limits: the token key is required with DATABASE_URL, ≥ 32 bytes; TTLs and limits bounded', () => {
  const server = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/khaacho' };
  assert.equal(
    problems(server).map((p) => p.split(':')[0]),
    ['KHAACHO_JWT_SECRET'],
  );
  const secret = 'k'.repeat(32);
  const config = appConfigFromEnv({
    ...server,
    KHAACHO_JWT_SECRET: secret,
    KHAACHO_JWT_ISSUER: 'khaacho.np',
    KHAACHO_ACCESS_TOKEN_TTL_SECONDS: '300',
    KHAACHO_RATE_LIMIT_AUTH: '5',
  });
  assert.equal(config.http.auth, {
    jwtSecret: secret,
    issuer: 'khaacho.np',
    accessTtlSeconds: 300,
    refreshTtlSeconds: 1_209_600,
  });
  assert.equal(config.http.rateLimits.auth, { points: 5, durationMs: 60_000 });
  const named = problems({
    KHAACHO_JWT_SECRET: 'short',
    KHAACHO_ACCESS_TOKEN_TTL_SECONDS: '7200',
    KHAACHO_REFRESH_TOKEN_TTL_SECONDS: '3600',
    KHAACHO_RATE_LIMIT_API: '0',
  }).map((p) => p.split(':')[0]);
  assert.equal(named.sort(), ['KHAACHO_JWT_SECRET', 'KHAACHO_RATE_LIMIT_API', 'KHAACHO_REFRESH_TOKEN_TTL_SECONDS']);
});

test('the WhatsApp webhook: both secrets mount it (whatever the message sender); one alone is refused, naming the other', () => {
  const both = appConfigFromEnv({ WHATSAPP_APP_SECRET: ' app-secret ', WHATSAPP_VERIFY_TOKEN: 'verify-me' });
  assert.equal(both.http.whatsappWebhook, { appSecret: 'app-secret', verifyToken: 'verify-me' });
  assert.is(both.worker.whatsapp, null, 'the sender is still the log one');
  for (const [given, missing] of [
    [{ WHATSAPP_APP_SECRET: 'app-secret' }, 'WHATSAPP_VERIFY_TOKEN'],
    [{ WHATSAPP_VERIFY_TOKEN: 'verify-me' }, 'WHATSAPP_APP_SECRET'],
  ] as const) {
    try {
      appConfigFromEnv(given);
      assert.unreachable('accepted half a webhook configuration');
    } catch (error) {
      assert.ok(ConfigError.is(error), String(error));
      assert.equal(
        error.problems.map((p) => p.variable),
        [missing],
      );
    }
  }
});

test.run();

// Test helpers for this package (excluded from the build). The test authenticator is never
// shipped nor reachable from configuration: only these tests construct it.
import { Writable } from 'node:stream';
import { type Composition, composeContainer, workerConfigFromEnv } from '@khaacho/app-worker/composition';
import {
  AUTH_USE_CASES,
  type Clock,
  Money,
  PhoneNumber,
  type RetailerId,
  type Role,
  SYSTEM_ACTOR,
  type Token,
  USE_CASE_TOKENS,
  type UserId,
  unwrap,
  type VendorId,
} from '@khaacho/core';
import { createHttpApp, type HttpApp } from '../app.js';
import { authModule } from '../auth/auth-module.js';
import { AUTHENTICATOR } from '../auth/authenticator.js';
import { createUserWithPassword } from '../auth/create-user.js';
import { totpCode } from '../auth/totp.js';
import type { RateLimitPolicies } from '../http/rate-limits.js';
import { HttpError, HttpErrorCodes } from '../http/error-statuses.js';
import { type HttpServer, startHttpServer } from '../http/http-server.js';
import type { Authenticator, Principal } from '../http/principal.js';
import type { MetricsOptions } from '../http/metrics.js';
import { readinessOf } from '../http/readiness.js';
import type { AnyRoute } from '../routes/route.js';
import type { Simulator } from '../simulator/simulator-setup.js';
import type { WhatsAppWebhookOptions } from '../webhooks/whatsapp-webhook.js';

/** Bearer tokens handed out by the test itself: `issue(principal)` → a token that authenticates as it. */
export class TestAuthenticator implements Authenticator {
  private readonly principals = new Map<string, Principal>();
  private n = 0;

  issue(principal: Principal): string {
    const token = `test-token-${++this.n}`;
    this.principals.set(token, principal);
    return token;
  }

  async authenticate(header: string | undefined): Promise<Principal> {
    const principal = header?.startsWith('Bearer ') ? this.principals.get(header.slice(7)) : undefined;
    if (!principal) throw new HttpError(401, HttpErrorCodes.UNAUTHENTICATED, 'unknown or missing token');
    return principal;
  }
}

export function captureLines() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, destination };
}

export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the route answered.
  readonly body: any;
}

export interface TestApp {
  readonly url: string;
  readonly http: HttpApp;
  readonly composition: Composition;
  readonly auth: TestAuthenticator;
  readonly lines: Record<string, unknown>[];
  request(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  readonly routes?: readonly AnyRoute[];
  /** The risk policy of PlaceOrder (default: the stored rules, as in production). */
  readonly risk?: 'rules' | 'allow-all';
  /** A PostgreSQL database instead of the in-memory store (migrated at start). */
  readonly databaseUrl?: string;
  readonly corsOrigins?: readonly string[];
  readonly trustProxy?: boolean;
  /** /metrics' rule (default: loopback only, which the test's own requests are). */
  readonly metrics?: MetricsOptions;
  /** Queue, cache and rate limits on this Redis, keys under `redisPrefix` (the test's own). */
  readonly redis?: { readonly url: string; readonly prefix: string };
  readonly bodyLimitBytes?: number;
  /**
   * `jwt`: the auth module's real authenticator (tokens from POST /auth/login); default
   * `test`: tokens from `app.auth.issue(principal)`. The /auth routes work in both.
   */
  readonly authenticator?: 'test' | 'jwt';
  /** Default: limits no test reaches (the fuzz run sends 10,000 requests as few callers). */
  readonly rateLimits?: RateLimitPolicies;
  /** Default: the test's own clock is the process one. */
  readonly clock?: Clock;
  /** Mount the chat simulator's page and API with this simulator. */
  readonly simulator?: Simulator;
  /** Mount /webhooks/whatsapp with these secrets (default: not mounted, as without config). */
  readonly whatsappWebhook?: WhatsAppWebhookOptions;
}

export const TEST_JWT_SECRET = 'app-http-test-secret-at-least-32-bytes!';
export const TEST_ISSUER = 'khaacho-test';
const UNREACHED = { points: 1_000_000, durationMs: 60_000 };

/** The app on the in-memory composition, on an ephemeral port, answers checked against their schemas. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const { lines, destination } = captureLines();
  const composition = await composeContainer(
    workerConfigFromEnv({
      ...(options.databaseUrl
        ? { KHAACHO_STORE: 'postgres', DATABASE_URL: options.databaseUrl, KHAACHO_DB_MIGRATE: 'true' }
        : { KHAACHO_STORE: 'memory' }),
      ...(options.redis ? { REDIS_URL: options.redis.url, KHAACHO_REDIS_PREFIX: options.redis.prefix } : {}),
      KHAACHO_MESSAGE_SENDER: 'memory',
      KHAACHO_RISK_POLICY: options.risk ?? 'rules',
      LOG_LEVEL: 'info',
    }),
    { logDestination: destination, ...(options.clock ? { clock: options.clock } : {}) },
  );
  composition.container.load(
    authModule({
      jwtSecret: TEST_JWT_SECRET,
      issuer: TEST_ISSUER,
      accessTtlSeconds: 300,
      refreshTtlSeconds: 3600,
      // Real scrypt at a test cost: the default (N=2^15, p=3) is covered in password-hasher.test.ts.
      scrypt: { N: 2 ** 10, r: 8, p: 1 },
    }),
  );
  const auth = new TestAuthenticator();
  const http = createHttpApp({
    composition,
    authenticator: options.authenticator === 'jwt' ? composition.get(AUTHENTICATOR) : auth,
    rateLimits: options.rateLimits ?? { api: UNREACHED, auth: UNREACHED, webhook: UNREACHED, admin: UNREACHED },
    readiness: readinessOf(composition),
    validateResponses: true,
    ...(options.routes ? { routes: options.routes } : {}),
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
    ...(options.trustProxy ? { trustProxy: true } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.redis ? { redisPrefix: options.redis.prefix } : {}),
    ...(options.bodyLimitBytes ? { bodyLimitBytes: options.bodyLimitBytes } : {}),
    ...(options.simulator ? { simulator: options.simulator } : {}),
    ...(options.whatsappWebhook ? { whatsappWebhook: options.whatsappWebhook } : {}),
  });
  const server: HttpServer = await startHttpServer(http.callback(), { port: 0, host: '127.0.0.1' });
  return {
    url: server.url,
    http,
    composition,
    auth,
    lines,
    async request(method, path, { token, body, rawBody, headers = {} } = {}) {
      const response = await fetch(server.url + path, {
        method,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined || rawBody !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...headers,
        },
        ...(rawBody !== undefined ? { body: rawBody } : body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {}
      return { status: response.status, headers: response.headers, body: parsed };
    },
    async close() {
      await server.close(1_000);
      await composition.close();
    },
  };
}

export interface Shop {
  readonly vendorId: VendorId;
  readonly otherVendorId: VendorId;
  readonly retailerId: RetailerId;
  readonly otherRetailerId: RetailerId;
  /** Tokens per role; `otherRetailer`/`otherVendor` are the second parties. */
  readonly tokens: Readonly<
    Record<'admin' | 'operator' | 'retailer' | 'otherRetailer' | 'vendor' | 'otherVendor', string>
  >;
}

let users = 0;
const userId = () => `00000000-0000-7000-8000-${String(++users).padStart(12, '0')}` as UserId;

/** Two vendors and two shops in one area, Wai Wai on offer, and a token for every role. */
export async function seedShop(app: TestApp): Promise<Shop> {
  const uc = USE_CASE_TOKENS;
  const get = app.composition.get.bind(app.composition);
  const vendor = async (name: string, phone: string) =>
    unwrap(
      await get(uc.registerVendor).execute({
        name,
        phone: PhoneNumber.parse(phone),
        serviceAreas: ['kathmandu-10'],
        dailyCapacity: 100,
        actor: SYSTEM_ACTOR,
      }),
    );
  const v1 = await vendor('Bhatbhateni Distributors', '9851000001');
  const v2 = await vendor('Everest Wholesale', '9851000002');
  const { product } = unwrap(
    await get(uc.upsertProduct).execute({
      sku: 'WAIWAI-75',
      name: 'Wai Wai Noodles 75g',
      category: 'noodles',
      baseUnit: 'packet',
      conversions: [{ unit: 'carton', toBase: 30 }],
      actor: SYSTEM_ACTOR,
    }),
  );
  for (const [v, price] of [
    [v1, '20'],
    [v2, '21'],
  ] as const) {
    unwrap(
      await get(uc.upsertVendorOffer).execute({
        vendorId: v.id,
        productId: product.id,
        unit: 'packet',
        unitPrice: Money.parse(price),
        stockOnHand: 100_000,
        actor: SYSTEM_ACTOR,
      }),
    );
  }
  const shop = async (name: string, phone: string) =>
    unwrap(
      await get(uc.registerRetailer).execute({
        name,
        phone: PhoneNumber.parse(phone),
        area: 'kathmandu-10',
        district: 'kathmandu',
        creditLimit: Money.parse('500000'),
        status: 'ACTIVE',
        actor: SYSTEM_ACTOR,
      }),
    );
  const r1 = await shop('Sita Kirana Pasal', '9841000001');
  const r2 = await shop('Ram General Store', '9841000002');
  const principal = (role: Role, party: { retailerId?: RetailerId; vendorId?: VendorId } = {}) =>
    app.auth.issue({ userId: userId(), role, retailerId: party.retailerId ?? null, vendorId: party.vendorId ?? null });
  return {
    vendorId: v1.id,
    otherVendorId: v2.id,
    retailerId: r1.id,
    otherRetailerId: r2.id,
    tokens: {
      admin: principal('ADMIN'),
      operator: principal('OPERATOR'),
      retailer: principal('RETAILER', { retailerId: r1.id }),
      otherRetailer: principal('RETAILER', { retailerId: r2.id }),
      vendor: principal('VENDOR', { vendorId: v1.id }),
      otherVendor: principal('VENDOR', { vendorId: v2.id }),
    },
  };
}

/**
 * A real session through POST /auth/login (the app must use `authenticator: 'jwt'`): an
 * ADMIN or OPERATOR is created with TOTP enrolled and confirmed, and logs in with a code.
 * Each staff login moves the manual clock one TOTP step on, as a used code is not taken twice.
 */
export async function staffSession(
  app: TestApp,
  clock: { now(): Date; advance(ms: number): void },
  role: 'ADMIN' | 'OPERATOR',
  email: string,
): Promise<{ accessToken: string; refreshToken: string; userId: string }> {
  const password = 'staff password 1234';
  const resolve = <T>(t: Token<T>) => app.composition.get<T>(t);
  await createUserWithPassword(resolve, { role, email, password });
  const auth = resolve(AUTH_USE_CASES);
  const { secret } = unwrap(await auth.enrolTotp.execute({ identifier: email, password }));
  unwrap(await auth.confirmTotp.execute({ identifier: email, password, code: totpCode(secret, clock.now()) }));
  clock.advance(30_000);
  const res = await app.request('POST', '/api/v1/auth/login', {
    body: { identifier: email, password, totpCode: totpCode(secret, clock.now()) },
  });
  if (res.status !== 200) throw new Error(`staff login: ${res.status} ${JSON.stringify(res.body)}`);
  return { accessToken: res.body.accessToken, refreshToken: res.body.refreshToken, userId: res.body.principal.userId };
}

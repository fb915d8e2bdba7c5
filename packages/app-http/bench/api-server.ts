/*
 * The API under test, in its own process, as `main.js --http-only` composes it, with the auth
 * module bound here at a cheap scrypt cost (seeding 50 users): the built `dist/` run by plain node (type stripping
 * only, no loader: tsx would add ~55 MB to the RSS being measured), default log level
 * (lines go to /dev/null but are still made), PostgreSQL from DATABASE_URL.
 * It seeds its own world and signs one access token per shop, reports them over IPC, and
 * stops on the message 'stop'; 'profile-start' / 'profile-stop' bracket a CPU profile.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapSpaceStatistics } from 'node:v8';
import {
  appConfigFromEnv,
  AUTHENTICATOR,
  type Authenticator,
  createHttpApp,
  readinessOf,
  startHttpServer,
} from '../dist/index.js';
import { ACCESS_TOKENS, authModule, createUserWithPassword } from '../dist/auth/index.js';
import { POSTGRES_PERSISTENCE } from '@khaacho/adapters-postgres';
import { composeContainer } from '@khaacho/app-worker';
import { LOGGER, Money, PhoneNumber, SYSTEM_ACTOR, type Token, USE_CASE_TOKENS, unwrap } from '@khaacho/core';
import type { BenchWorld, ServerReady } from './protocol.js';
import { measurementWindow } from './server-window.ts';

const SHOPS = Number(process.env.BENCH_SHOPS ?? '50');
const SKUS = ['BENCH-WAIWAI', 'BENCH-RICE', 'BENCH-OIL', 'BENCH-SUGAR'];

// With DATABASE_URL the config requires a key (every API instance must share it); the bench signs its own tokens.
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret!';
const config = appConfigFromEnv({ KHAACHO_JWT_SECRET: JWT_SECRET, ...process.env });
const composition = await composeContainer(config.worker);
// The login route is not what is measured, so the tokens are signed directly; scrypt's cost
// only matters to logins, and 50 hashes at the production setting would cost the bench ~10 s.
composition.container.load(
  authModule({
    jwtSecret: JWT_SECRET,
    accessTtlSeconds: 3_600,
    refreshTtlSeconds: 7_200,
    issuer: 'khaacho',
    scrypt: { N: 1024, r: 8, p: 1 },
  }),
);
await composition.ready();
const resolve = <T>(t: Token<T>): T => composition.get(t);
const world = await seed();
const app = createHttpApp({
  composition,
  authenticator: composition.get<Authenticator>(AUTHENTICATOR),
  readiness: readinessOf(composition, {}),
});
const persistence = composition.get(POSTGRES_PERSISTENCE);
const window = measurementWindow(() => persistence.poolStats(), persistence.poolStats().max);
const server = await startHttpServer(app.callback(), { port: 0, host: '127.0.0.1' });
composition.get(LOGGER).info('bench api listening', { url: server.url });
process.send?.({ url: server.url, pid: process.pid, world } satisfies ServerReady);
// `--profile`: a CPU profile of exactly the measured run (the orchestrator brackets it), not of
// startup, seeding and warm-up as `--cpu-prof` would.
let profiler: Session | null = null;
let profiles = 0;
process.on('message', async (message) => {
  if (message === 'window-start') {
    window.start();
    process.send?.('window');
    return;
  }
  if (message === 'window-stop') {
    process.send?.(JSON.stringify(window.stop()));
    return;
  }
  if (message === 'profile-start') {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.setSamplingInterval', { interval: 500 });
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
    process.send?.('profiling');
    return;
  }
  if (message === 'profile-stop' && profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    profiler.disconnect();
    const file = join(process.env.BENCH_PROFILE_DIR ?? tmpdir(), `api-${++profiles}-${process.pid}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    process.send?.(file);
    return;
  }
  if (message === 'memory') {
    const before = process.memoryUsage();
    // With BENCH_API_NODE_FLAGS=--expose-gc: what is still reachable, apart from garbage not yet collected.
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    // V8's spaces as committed now: the young generation (new_space) grows with the allocation rate.
    const spaces = Object.fromEntries(
      getHeapSpaceStatistics().map((space) => [space.space_name, space.physical_space_size]),
    );
    process.send?.(JSON.stringify({ ...before, heapAfterGc: gc ? process.memoryUsage().heapUsed : null, spaces }));
    return;
  }
  if (message !== 'stop') return;
  await server.close(5_000);
  await composition.close();
  process.exit(0);
});

/** Four products each offered by three vendors, `SHOPS` active shops with room on credit, each with a RETAILER user. */
async function seed(): Promise<BenchWorld> {
  const uc = USE_CASE_TOKENS;
  const area = 'kathmandu-bench';
  const productIds: string[] = [];
  for (const sku of SKUS) {
    const { product } = unwrap(
      await resolve(uc.upsertProduct).execute({
        sku,
        name: `Bench ${sku.slice(6).toLowerCase()}`,
        category: 'groceries',
        baseUnit: 'packet',
        conversions: [{ unit: 'carton', toBase: 30 }],
        actor: SYSTEM_ACTOR,
      }),
    );
    productIds.push(product.id);
  }
  for (let v = 0; v < 3; v++) {
    const vendor = unwrap(
      await resolve(uc.registerVendor).execute({
        name: `Bench Distributor ${v + 1}`,
        phone: PhoneNumber.parse(`985100000${v}`),
        serviceAreas: [area],
        dailyCapacity: 10_000_000,
        actor: SYSTEM_ACTOR,
      }),
    );
    for (const productId of productIds) {
      unwrap(
        await resolve(uc.upsertVendorOffer).execute({
          vendorId: vendor.id,
          productId: productId as never,
          unit: 'packet',
          unitPrice: Money.parse(String(20 + v)),
          stockOnHand: 1_000_000_000,
          actor: SYSTEM_ACTOR,
        }),
      );
    }
  }
  const tokens = resolve(ACCESS_TOKENS);
  const shops: BenchWorld['shops'][number][] = [];
  for (let i = 0; i < SHOPS; i++) {
    const shop = unwrap(
      await resolve(uc.registerRetailer).execute({
        name: `Bench Kirana ${i}`,
        phone: PhoneNumber.parse(`9841${String(i).padStart(6, '0')}`),
        area,
        district: 'kathmandu',
        creditLimit: Money.parse('100000000'),
        status: 'ACTIVE',
        actor: SYSTEM_ACTOR,
      }),
    );
    const account = await createUserWithPassword(resolve, {
      role: 'RETAILER',
      retailerId: shop.id,
      email: `shop${i}@bench.example`,
      password: 'correct horse battery staple',
    });
    const { token } = await tokens.sign({ userId: account.id, role: 'RETAILER', retailerId: shop.id, vendorId: null });
    shops.push({ retailerId: shop.id, userId: account.id, token });
  }
  return { shops, skus: SKUS };
}

/*
 * Place-order throughput through this adapter (core's PlaceOrder use case → PgUnitOfWork
 * → MikroORM/pg) at 1, 8 and 32 concurrent callers, next to a raw `pg` script issuing
 * the same statements in one transaction, printed as a ratio from the same run.
 * Uses its own throwaway database on DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 *   npm run bench -w @khaacho/adapters-postgres [-- --seconds 5]
 */
import { parseArgs } from 'node:util';
import {
  ALLOW_ALL_RISK_POLICY,
  createProduct,
  createRetailer,
  createVendor,
  createVendorOffer,
  CreditAccount,
  Money,
  NOOP_LOGGER,
  PhoneNumber,
  PlaceOrder,
  type ProductId,
  type RetailerId,
  SYSTEM_ACTOR,
  systemIds,
  type VendorId,
  type VendorOfferId,
} from '@khaacho/core';
import pg from 'pg';
import { createPostgresPersistence } from '../src/create-postgres-persistence.js';
import { createTestDatabase } from '../src/testing/test-database.js';
import { rawPlaceOrder } from './raw-place-order.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '4' } } });
const SECONDS = Number(values.seconds);
const LEVELS = [1, 8, 32];
const ids = systemIds();
const now = () => new Date();

const db = await createTestDatabase('khaacho_bench');
const persistence = await createPostgresPersistence({ databaseUrl: db.url, migrate: true, poolMax: 32 });
try {
  // One retailer per caller (callers of one retailer would queue on its account lock by design).
  const vendor = createVendor(
    {
      name: 'Bench Distributors',
      phone: PhoneNumber.parse('9700000001'),
      serviceAreas: ['kathmandu-10'],
      dailyCapacity: 1_000_000,
    },
    ids.next() as VendorId,
    now(),
  );
  const products = Array.from({ length: 3 }, (_, i) =>
    createProduct(
      {
        sku: `BENCH-${i}`,
        name: `Wai Wai ${i}`,
        category: 'noodles',
        baseUnit: 'packet',
        conversions: [{ unit: 'carton', toBase: 30 }],
      },
      ids.next() as ProductId,
      now(),
    ),
  );
  const retailers = Array.from({ length: Math.max(...LEVELS) }, (_, i) =>
    createRetailer(
      {
        name: `Bench Shop ${i}`,
        phone: PhoneNumber.parse(`980${String(i).padStart(7, '0')}`),
        area: 'kathmandu-10',
        district: 'kathmandu',
        status: 'ACTIVE',
      },
      ids.next() as RetailerId,
      now(),
    ),
  );
  await persistence.uow.run(async (tx) => {
    await tx.vendors.save(vendor);
    for (const p of products) {
      await tx.products.save(p);
      await tx.offers.save(
        createVendorOffer(
          { vendorId: vendor.id, productId: p.id, unit: 'packet', unitPrice: Money.of(2_500), stockOnHand: 1e9 },
          ids.next() as VendorOfferId,
          now(),
        ),
      );
    }
    for (const r of retailers) {
      await tx.retailers.save(r);
      await tx.credit.save(
        CreditAccount.open({
          retailerId: r.id,
          currency: 'NPR',
          creditLimit: Money.of(1e13),
          netTermsDays: 15,
          createdAt: now(),
        }),
      );
    }
  });

  const placeOrder = new PlaceOrder(
    { uow: persistence.uow, repos: persistence.repos, clock: { now }, ids, logger: NOOP_LOGGER },
    ALLOW_ALL_RISK_POLICY,
  );
  const lines = products.map((p) => ({ productId: p.id, quantity: 2, unit: 'packet' as const }));
  const adapter = async (caller: number) => {
    const r = await placeOrder.execute({
      retailerId: (retailers[caller] as { id: RetailerId }).id,
      lines,
      source: 'api',
      actor: SYSTEM_ACTOR,
    });
    if (!r.ok || r.value.status !== 'ROUTING')
      throw new Error(`unexpected result ${JSON.stringify(r.ok ? r.value.status : r.error)}`);
  };

  const pool = new pg.Pool({ connectionString: db.url, max: 32 });
  pool.on('error', () => {});
  const raw = (caller: number) =>
    rawPlaceOrder(pool, {
      retailerId: (retailers[caller] as { id: string }).id,
      productIds: products.map((p) => p.id),
      ids,
    });

  console.log(`place-order transactions per second (${SECONDS} s per level, 3 lines per order)`);
  console.log('callers  adapter tx/s   raw pg tx/s   adapter/raw');
  for (const callers of LEVELS) {
    const a = await measure(callers, adapter);
    const b = await measure(callers, raw);
    console.log(
      `${String(callers).padStart(7)}  ${a.toFixed(0).padStart(12)}  ${b.toFixed(0).padStart(12)}  ${(a / b).toFixed(2).padStart(11)}`,
    );
  }
  await pool.end();
} finally {
  await persistence.close();
  await db.drop();
}

async function measure(callers: number, fn: (caller: number) => Promise<void>): Promise<number> {
  const until = Date.now() + SECONDS * 1000;
  let done = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      while (Date.now() < until) {
        await fn(caller);
        done += 1;
      }
    }),
  );
  return done / ((Date.now() - started) / 1000);
}

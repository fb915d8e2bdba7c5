import { CreditAccount, type RetailerId, systemIds } from '@khaacho/core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPostgresPersistence, type PostgresPersistence } from '../create-postgres-persistence.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { runSeed } from './run-seed.js';
import { planSeed, type SeedOptions } from './seed-data.js';

const test = suite('seed');
const OPTIONS: SeedOptions = { retailers: 12, vendors: 4, products: 30, orders: 40, seed: 42 };

let db: TestDatabase;
let persistence: PostgresPersistence;

test.before(async () => {
  db = await createTestDatabase('khaacho_seed');
  persistence = await createPostgresPersistence({ databaseUrl: db.url, migrate: true, poolMax: 4 });
});

test.after(async () => {
  await persistence?.close();
  await db?.drop();
});

test('the same seed plans the same data; another seed plans other data', () => {
  const a = planSeed(OPTIONS);
  const b = planSeed(OPTIONS);
  const fingerprint = (p: ReturnType<typeof planSeed>) => [
    p.products.map((x) => [x.id, x.sku, x.name]),
    p.vendors.map((v) => [v.id, v.phone.value]),
    p.offers.map((o) => [o.id, o.unitPrice.amount]),
    p.retailers.map(({ retailer }) => [retailer.id, retailer.phone.value, retailer.area]),
    p.orders.map((o) => [o.id, o.stage, o.lines.map((l) => l.lineTotal.amount)]),
  ];
  assert.equal(fingerprint(a), fingerprint(b));
  assert.is(a.products.length, OPTIONS.products);
  assert.is(a.retailers.length, OPTIONS.retailers);
  assert.is(a.orders.length, OPTIONS.orders);
  assert.not.equal(fingerprint(planSeed({ ...OPTIONS, seed: 43 })), fingerprint(a));
});

test('a second run adds nothing, and every seeded ledger replays to its account', async () => {
  const lines: string[] = [];
  const first = await runSeed(persistence, OPTIONS, systemIds(), (line) => lines.push(line));
  assert.equal(first.created, {
    products: OPTIONS.products,
    defaults: planSeed(OPTIONS).defaults.length,
    vendors: OPTIONS.vendors,
    offers: planSeed(OPTIONS).offers.length,
    retailers: OPTIONS.retailers,
    orders: OPTIONS.orders,
  });
  assert.ok(lines.length > 0, 'progress is shown');
  const defaults = await persistence.repos.catalogDefaults.list();
  assert.ok(defaults.size >= 8, 'the generic words of the 30 everyday products have their defaults');
  const masoor = planSeed(OPTIONS).products.find((p) => p.sku === 'DAL-MASOOR');
  assert.is(defaults.get('dal'), masoor?.id);
  const second = await runSeed(persistence, OPTIONS, systemIds());
  assert.equal(second.created, {}, 'idempotent');
  assert.is(second.skipped.orders, OPTIONS.orders);
  for (const { retailer } of planSeed(OPTIONS).retailers) {
    const account = (await persistence.repos.credit.get(retailer.id as RetailerId)) as CreditAccount;
    const entries = await persistence.repos.credit.listEntries(retailer.id, {});
    const replayed = CreditAccount.replay(account.header(), entries);
    assert.ok(replayed.outstanding().equals(account.outstanding()), `outstanding of ${retailer.id}`);
    assert.ok(replayed.held().equals(account.held()), `held of ${retailer.id}`);
  }
});

test.run();

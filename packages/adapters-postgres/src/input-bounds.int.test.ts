import {
  DomainError,
  type ErrorCode,
  ErrorCodes,
  MAX_LEDGER_AMOUNT,
  Money,
  PhoneNumber,
  type Vendor,
  type VendorId,
} from '@khaacho/core';
import { createWorldOn, expectOk } from '@khaacho/core/testing';
import pg from 'pg';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPostgresPersistence, type PostgresPersistence } from './create-postgres-persistence.js';
import { truncateAll } from './testing/contract-subject.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';

// review8 #1-#3 against the real server: oversized money, unparseable phones, unmapped SQLSTATEs.
const test = suite('input bounds (real server)');
let db: TestDatabase;
let p: PostgresPersistence;
const OPERATOR = { type: 'operator', id: 'op-1' } as const;

test.before(async () => {
  db = await createTestDatabase();
  p = await createPostgresPersistence({ databaseUrl: db.url, migrate: true, poolMax: 4 });
});
test.after(async () => {
  await p?.close();
  await db?.drop();
});
test.before.each(async () => {
  await truncateAll(p);
});

async function codeOf(work: () => Promise<unknown>): Promise<ErrorCode | string> {
  try {
    const done = (await work()) as { ok?: unknown; error?: { code?: ErrorCode } } | undefined;
    return done?.ok === false && done.error?.code ? done.error.code : 'none';
  } catch (e) {
    return DomainError.is(e) ? e.code : `raw ${String(e)}`;
  }
}

async function market(world: ReturnType<typeof createWorldOn>) {
  const retailer = await world.given.retailer({ creditLimit: Money.of(5_000_000) });
  const vendor = await world.given.vendor({ location: { lat: 27.7, lng: 85.3 } });
  const rice = await world.given.product({ sku: 'RICE-1', baseUnit: 'kg', conversions: [] });
  await world.given.offer({ vendorId: vendor.id, productId: rice.id, unit: 'kg', unitPrice: Money.of(2_000) });
  return { retailer, vendor, rice };
}

const order = (retailerId: string) =>
  ({
    retailerId,
    lines: [{ sku: 'RICE-1', quantity: 2 }],
    source: 'api',
    actor: { type: 'retailer', id: retailerId },
  }) as never;

test('review8 #1: a MAX_SAFE payment is refused; the largest allowed amounts leave the account usable', async () => {
  const world = createWorldOn(p);
  const { retailer } = await market(world);
  const pay = (amount: number, reference: string) =>
    world.useCases.recordPayment.execute({
      retailerId: retailer.id,
      amount: Money.of(amount),
      reference,
      actor: OPERATOR,
    });
  assert.is(await codeOf(() => pay(Number.MAX_SAFE_INTEGER, 'UTR-HUGE')), ErrorCodes.OUT_OF_RANGE);
  assert.is((await p.repos.credit.listEntries(retailer.id, {})).length, 0, 'nothing written');

  expectOk(await pay(MAX_LEDGER_AMOUNT, 'UTR-MAX'));
  expectOk(
    await world.useCases.adjustCredit.execute({
      retailerId: retailer.id,
      amount: Money.of(-MAX_LEDGER_AMOUNT),
      reference: 'CN-MAX',
      note: 'largest credit note',
      actor: OPERATOR,
    }),
  );
  const statement = expectOk(
    await world.useCases.getCreditStatement.execute({
      retailerId: retailer.id,
      from: new Date('2020-01-01T00:00:00Z'),
      to: new Date('2100-01-01T00:00:00Z'),
    }),
  );
  assert.is(statement.closingBalance.amount, -2 * MAX_LEDGER_AMOUNT);
  const placed = await world.useCases.placeOrder.execute(order(retailer.id));
  assert.ok(placed.ok, JSON.stringify(placed));
});

test('review8 #2: a vendor phone planted by SQL that does not parse breaks no PlaceOrder in its area', async () => {
  const world = createWorldOn(p);
  const { retailer, rice } = await market(world);
  const broken = await world.given.vendor({ location: { lat: 27.6, lng: 85.2 } });
  await world.given.offer({ vendorId: broken.id, productId: rice.id, unit: 'kg', unitPrice: Money.of(1_500) });
  const unlucky = await world.given.retailer();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(`update vendors set phone = '0123-not-e164' where id = $1`, [broken.id]);
    await client.query(`update retailers set phone = 'call the shop' where id = $1`, [unlucky.id]);
  } finally {
    await client.end();
  }
  const placed = await world.useCases.placeOrder.execute(order(retailer.id));
  assert.ok(placed.ok, JSON.stringify(placed));
  const serving = await p.repos.vendors.listActiveServing('kathmandu-10');
  assert.ok(
    serving.some((v) => v.id === broken.id && v.phone.value === '0123-not-e164'),
    'listed, read as stored',
  );
  assert.is((await p.repos.vendors.get(broken.id))?.phone.value, '0123-not-e164');
  assert.is((await p.repos.retailers.get(unlucky.id))?.phone.value, 'call the shop');
  assert.is((await p.repos.retailers.list({ limit: 10 })).items.length, 2);
});

test('review8 #3: a 20,000-character phone is refused by the domain; the server limit reads STORAGE.UNEXPECTED', async () => {
  const world = createWorldOn(p);
  // Digits that do not repeat, so PostgreSQL cannot compress the value under its index row limit.
  let seed = 7;
  const digits = Array.from({ length: 20_000 }, () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return String(Math.floor(seed / 65_536) % 10);
  });
  const long = `+977${digits.join('')}`;
  const registered = await codeOf(() =>
    world.useCases.registerVendor.execute({
      name: 'V',
      phone: { value: long } as PhoneNumber,
      serviceAreas: ['kathmandu-10'],
      dailyCapacity: 5,
      actor: OPERATOR,
    }),
  );
  assert.is(registered, ErrorCodes.INVALID_PHONE);
  // Past the domain (a repository called directly), the unique index refuses it with 54000.
  const vendor = await world.given.vendor();
  const oversized: Vendor = {
    ...vendor,
    id: '00000000-0000-7000-8000-0000000000ff' as VendorId,
    phone: PhoneNumber.fromStored(long),
  };
  try {
    await p.uow.run((tx) => tx.vendors.save(oversized));
    assert.unreachable('stored');
  } catch (e) {
    assert.ok(DomainError.hasCode(e, ErrorCodes.STORAGE_UNEXPECTED), String(e));
    assert.equal((e as DomainError).details, { sqlState: '54000' });
    assert.not.match(JSON.stringify((e as DomainError).toJSON()), /index row|bytes/);
  }
});

test.run();

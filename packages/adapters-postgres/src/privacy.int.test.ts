import {
  ALLOW_ALL_RISK_POLICY,
  collectPersonalData,
  createAuthUseCases,
  Money,
  PlaceOrder,
  PRIVACY_AUDIT_ACTIONS,
  SYSTEM_ACTOR,
  type TransactionScope,
  type UnitOfWork,
} from '@khaacho/core';
import {
  createWorldOn,
  draftMarket,
  expectOk,
  FakeOpaqueTokenIssuer,
  FakePasswordHasher,
  FakeTotpAuthenticator,
  uniquePhone,
} from '@khaacho/core/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPostgresPersistence, type PostgresPersistence } from './create-postgres-persistence.js';
import { ormOf } from './orm/persistence-orm.js';
import { truncateAll } from './testing/contract-subject.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';

/*
 * Personal-data erasure on a real server: the unique phone constraints, the append-only
 * ledger and audit log, and two erasures racing on the account lock.
 */
const test = suite('personal data on PostgreSQL');
const ADMIN = { type: 'admin', id: '0190a000-0000-7000-8000-000000000001' } as const;
const PASSWORD = 'correct horse battery';
const EMAIL = 'gita.pasal@example.com';

let db: TestDatabase;
let p: PostgresPersistence;

test.before(async () => {
  db = await createTestDatabase('khaacho_privacy');
  p = await createPostgresPersistence({ databaseUrl: db.url, migrate: true, poolMax: 12 });
});
test.after(async () => {
  await p?.close();
  await db?.drop();
});
test.before.each(async () => {
  await truncateAll(p);
});

async function shop() {
  const m = await draftMarket({ world: createWorldOn(p) });
  const auth = createAuthUseCases(m.world.ctx, {
    hasher: new FakePasswordHasher(),
    tokens: new FakeOpaqueTokenIssuer(),
    totp: new FakeTotpAuthenticator(),
  });
  const userPhone = uniquePhone();
  const account = expectOk(
    await auth.createPartyUser.execute({
      role: 'RETAILER',
      retailerId: m.shop.id,
      email: EMAIL,
      phone: userPhone.value,
      password: PASSWORD,
      actor: ADMIN,
    }),
  );
  await m.bought(m.shop.id, 'DAL-MASOOR', 10, 3);
  expectOk(
    await m.world.useCases.recordPayment.execute({
      retailerId: m.shop.id,
      amount: Money.of(120_000),
      reference: 'FONEPAY-42',
      actor: SYSTEM_ACTOR,
    }),
  );
  expectOk(
    await m.drafts.draftOrderFromText.execute({
      retailerId: m.shop.id,
      text: 'chini 2 kg for Gita at the blue gate',
      actor: { type: 'retailer', id: m.shop.id },
    }),
  );
  return { ...m, auth, account, userPhone };
}

/** Raw SQL, beside the repositories: what is really in the tables. */
async function rows<T>(sql: string, params: unknown[]): Promise<T[]> {
  return (await ormOf(p).em.fork().getConnection().execute(sql, params)) as T[];
}

async function ledgerSum(retailerId: string): Promise<{ n: number; sum: string }> {
  const [row] = await rows<{ n: string; sum: string }>(
    'select count(*) as n, coalesce(sum(amount), 0)::text as sum from ledger_entries where retailer_id = ?',
    [retailerId],
  );
  return { n: Number(row?.n), sum: row?.sum ?? '' };
}

test('erase: the ledger is untouched, the retailer anonymised, login refused, the phone reusable, the export clean', async () => {
  const s = await shop();
  const ledgerBefore = await ledgerSum(s.shop.id);
  const balanceBefore = (await p.repos.credit.get(s.shop.id))?.snapshot().balance.amount;
  assert.ok(ledgerBefore.n >= 1 && ledgerBefore.sum !== '0', 'a payment was written');

  const erased = expectOk(
    await s.world.useCases.erasePersonalData.execute({
      retailerId: s.shop.id,
      reason: 'asked by the shop',
      actor: ADMIN,
    }),
  );
  assert.is(erased.changed, true);

  assert.equal(await ledgerSum(s.shop.id), ledgerBefore, 'ledger rows and their sum unchanged');
  assert.is((await p.repos.credit.get(s.shop.id))?.snapshot().balance.amount, balanceBefore);
  const [row] = await rows<{ name: string; phone: string; lat: number | null; status: string }>(
    'select name, phone, lat, status from retailers where id = ?',
    [s.shop.id],
  );
  assert.equal(row, { name: 'Erased retailer', phone: `erased:${s.shop.id}`, lat: null, status: 'SUSPENDED' });
  const [user] = await rows<{ email: string | null; status: string; totp_secret: string | null }>(
    'select email, status, totp_secret from users where id = ?',
    [s.account.id],
  );
  assert.equal(user, { email: null, status: 'DISABLED', totp_secret: null });
  const [drafts] = await rows<{ n: string }>('select count(*) as n from order_drafts where retailer_id = ?', [
    s.shop.id,
  ]);
  assert.is(Number(drafts?.n), 0);

  for (const identifier of [EMAIL, s.userPhone.value]) {
    assert.not.ok((await s.auth.login.execute({ identifier, password: PASSWORD })).ok, `login as ${identifier}`);
  }
  const again = expectOk(
    await s.auth.registerAccount.execute({
      role: 'RETAILER',
      email: EMAIL,
      phone: s.shop.phone.value,
      password: PASSWORD,
      retailer: { name: s.shop.name, area: 'kathmandu-10', district: 'kathmandu' },
    }),
  );
  assert.is.not(again.retailerId, s.shop.id, 'the number registers a new shop');

  const doc = await collectPersonalData(
    expectOk(await s.world.useCases.exportPersonalData.execute({ retailerId: s.shop.id, actor: ADMIN })),
  );
  const { auditEntries: _kept, ...sections } = doc;
  const text = JSON.stringify(sections);
  for (const personal of [s.shop.name, s.shop.phone.value, EMAIL, s.userPhone.value, 'blue gate']) {
    assert.not.ok(text.includes(personal), `no ${personal} in the export`);
  }
  assert.is((doc.orders as unknown[]).length, 3);
  assert.is((doc.ledgerEntries as unknown[]).length, ledgerBefore.n);
});

test('two erasures at once: one effect and one audit entry; both answer with the same time', async () => {
  const s = await shop();
  const results = await Promise.all(
    [1, 2, 3].map(() =>
      s.world.useCases.erasePersonalData.execute({ retailerId: s.shop.id, reason: 'asked twice', actor: ADMIN }),
    ),
  );
  const values = results.map((r) => expectOk(r));
  assert.is(values.filter((v) => v.changed).length, 1);
  assert.is(new Set(values.map((v) => v.erasedAt.getTime())).size, 1);
  const [row] = await rows<{ n: string }>(
    "select count(*) as n from audit_log where action = ? and entity_type = 'retailer' and entity_id = ?",
    [PRIVACY_AUDIT_ACTIONS.erase, s.shop.id],
  );
  assert.is(Number(row?.n), 1);
});

test('an erasure committed while an order is being placed: the order sees it and is refused', async () => {
  const m = await shop();
  // The erasure commits between the placement's read of the retailer and its lock of the
  // account: the window a real race has, made certain.
  let erased = false;
  const uow: UnitOfWork = {
    ...m.world.ctx.uow,
    run: (work, options) =>
      m.world.ctx.uow.run(
        (tx) =>
          work(
            new Proxy(tx, {
              get(target, key, receiver) {
                const value = Reflect.get(target, key, receiver);
                if (key !== 'lockCreditAccount') return typeof value === 'function' ? value.bind(target) : value;
                return async (...args: unknown[]) => {
                  if (!erased) {
                    erased = true;
                    expectOk(
                      await m.world.useCases.erasePersonalData.execute({
                        retailerId: m.shop.id,
                        actor: ADMIN,
                        reason: 'asked to be forgotten',
                      }),
                    );
                  }
                  return (value as (...a: unknown[]) => unknown).apply(target, args);
                };
              },
            }) as TransactionScope,
          ),
        options,
      ),
  } as UnitOfWork;
  const placeOrder = new PlaceOrder({ ...m.world.ctx, uow }, ALLOW_ALL_RISK_POLICY);
  const before = await rows<{ n: string }>('select count(*) as n from orders where retailer_id = ?', [m.shop.id]);
  const placed = await placeOrder.execute({
    retailerId: m.shop.id,
    lines: [{ productId: m.product('DAL-MASOOR').id, quantity: 1 }],
    source: 'whatsapp',
    actor: SYSTEM_ACTOR,
  });
  assert.ok(erased, 'the erasure ran inside the window');
  assert.equal(placed.ok ? 'placed' : placed.error.code, 'PARTY.INACTIVE');
  const after = await rows<{ n: string }>('select count(*) as n from orders where retailer_id = ?', [m.shop.id]);
  assert.is(after[0]?.n, before[0]?.n, 'no order for an erased retailer');
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CreditAccount } from '../credit/credit-account.js';
import { MAX_LEDGER_AMOUNT } from '../credit/ledger-bounds.js';
import { DomainError, ErrorCodes } from '../shared/errors.js';
import { Money } from '../shared/money.js';
import { expectOk } from '../testing/outcomes.js';
import { createTestWorld } from '../testing/test-world.js';

const OPERATOR = { type: 'operator', id: 'op-1' } as const;

async function codeOf(work: () => Promise<{ ok: boolean; error?: { code: string } }>): Promise<string> {
  try {
    const done = await work();
    return done.ok ? 'none' : (done.error?.code ?? 'failed');
  } catch (e) {
    return DomainError.is(e) ? e.code : `raw ${String(e)}`;
  }
}

test('review8 #1: a payment, note or limit beyond MAX_LEDGER_AMOUNT is refused; the account stays usable', async () => {
  const world = createTestWorld();
  const retailer = await world.given.retailer({ creditLimit: Money.of(5_000_000) });
  const vendor = await world.given.vendor();
  const product = await world.given.product();
  await world.given.offer({ vendorId: vendor.id, productId: product.id, unitPrice: Money.of(2_000) });
  const huge = Money.of(Number.MAX_SAFE_INTEGER);
  const pay = (amount: Money, reference: string) =>
    world.useCases.recordPayment.execute({ retailerId: retailer.id, amount, reference, actor: OPERATOR });
  const note = (amount: Money, reference: string) =>
    world.useCases.adjustCredit.execute({ retailerId: retailer.id, amount, reference, note: 'typo', actor: OPERATOR });

  assert.is(await codeOf(() => pay(huge, 'UTR-HUGE')), ErrorCodes.OUT_OF_RANGE, 'payment');
  assert.is(await codeOf(() => pay(Money.of(MAX_LEDGER_AMOUNT + 1), 'UTR-HUGE')), ErrorCodes.OUT_OF_RANGE, 'cap + 1');
  assert.is(await codeOf(() => note(huge.negate(), 'CN-HUGE')), ErrorCodes.OUT_OF_RANGE, 'credit note');
  assert.is(await codeOf(() => note(huge, 'DN-HUGE')), ErrorCodes.OUT_OF_RANGE, 'debit note');
  const limit = (l: Money) =>
    world.useCases.setCreditLimit.execute({ retailerId: retailer.id, limit: l, reason: 'typo', actor: OPERATOR });
  assert.is(await codeOf(() => limit(huge)), ErrorCodes.OUT_OF_RANGE, 'limit');

  // The largest allowed amounts, all at once, leave every read and command working.
  expectOk(await limit(Money.of(MAX_LEDGER_AMOUNT)));
  expectOk(await pay(Money.of(MAX_LEDGER_AMOUNT), 'UTR-MAX'));
  expectOk(await note(Money.of(-MAX_LEDGER_AMOUNT), 'CN-MAX'));
  const statement = expectOk(
    await world.useCases.getCreditStatement.execute({
      retailerId: retailer.id,
      from: new Date('2020-01-01T00:00:00Z'),
      to: new Date('2100-01-01T00:00:00Z'),
    }),
  );
  assert.is(statement.closingBalance.amount, -2 * MAX_LEDGER_AMOUNT);
  assert.is(statement.available.amount, 3 * MAX_LEDGER_AMOUNT);
  const placed = await world.useCases.placeOrder.execute({
    retailerId: retailer.id,
    lines: [{ productId: product.id, quantity: 1 }],
    source: 'api',
    actor: { type: 'retailer', id: retailer.id },
  });
  assert.ok(placed.ok, JSON.stringify(placed));
  expectOk(await note(Money.of(-1), 'CN-1'));
});

test('review8 #1: available credit and utilisation of an account stored beyond the cap read without throwing', () => {
  const at = new Date('2026-01-01T00:00:00Z');
  const zero = Money.zero();
  const account = CreditAccount.restore({
    retailerId: '00000000-0000-7000-8000-000000000001' as never,
    currency: 'NPR',
    creditLimit: Money.of(MAX_LEDGER_AMOUNT),
    netTermsDays: 30,
    createdAt: at,
    limitSetManually: false,
    balance: Money.of(-Number.MAX_SAFE_INTEGER),
    held: zero,
    unappliedCredit: Money.of(Number.MAX_SAFE_INTEGER),
    openItems: [],
    holds: [],
    lastSequence: 1,
    version: 1,
    updatedAt: at,
  });
  assert.is(account.available().amount, Number.MAX_SAFE_INTEGER, 'clamped, not thrown');
  assert.ok(account.checkAvailable(Money.of(MAX_LEDGER_AMOUNT), Money.of(5)).ok);
  assert.is(account.utilisation(), 0);
});

test.run();

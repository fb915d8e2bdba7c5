import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { addDays } from '../shared/clock.js';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { ConflictError, ErrorCodes } from '../shared/errors.js';
import type { OrderId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { creditOperation } from '../testing/arbitraries/index.js';
import { aCreditAccount } from '../testing/builders.js';
import { deterministicIds } from '../testing/deterministic-ids.js';
import { ManualClock } from '../testing/manual-clock.js';
import type { RetailerId } from '../shared/ids.js';
import { CreditAccount } from './credit-account.js';

const isDuplicateEntry = (e: unknown): boolean => ConflictError.is(e) && e.code === ErrorCodes.CREDIT_DUPLICATE_ENTRY;

const OPERATOR = { type: 'operator', id: 'op-7' } as const;

function setup(limit = 1_000_000, netTermsDays = 30) {
  const clock = new ManualClock('2026-01-01T09:00:00Z');
  const ids = deterministicIds(clock, 21);
  const account = aCreditAccount(ids.next() as RetailerId, clock.now(), { limit: Money.of(limit), netTermsDays });
  const order = () => ids.next() as OrderId;
  return { clock, ids, account, order };
}

test('hold at confirmation, invoice at delivery, release at cancellation', () => {
  const { clock, ids, account, order } = setup();
  const a = order();
  const b = order();
  account.placeHold(a, Money.of(300_000), SYSTEM_ACTOR, clock.now(), ids);
  account.placeHold(b, Money.of(100_000), SYSTEM_ACTOR, clock.now(), ids);
  assert.is(account.available().amount, 600_000);
  assert.throws(() => account.placeHold(a, Money.of(1), SYSTEM_ACTOR, clock.now(), ids), isDuplicateEntry);
  const { invoice, release } = account.invoiceOrder(a, Money.of(300_000), SYSTEM_ACTOR, clock.now(), ids);
  assert.is(release?.type, 'RELEASE');
  assert.equal(invoice.dueAt, addDays(clock.now(), 30));
  assert.is(account.outstanding().amount, 300_000);
  assert.is(account.held().amount, 100_000);
  assert.is(account.available().amount, 600_000, 'hold became debt: available unchanged');
  assert.is(account.releaseHold(b, SYSTEM_ACTOR, clock.now(), ids)?.type, 'RELEASE');
  assert.is(account.releaseHold(b, SYSTEM_ACTOR, clock.now(), ids), null, 'nothing left to release');
  assert.is(account.available().amount, 700_000);
  assert.throws(() => account.invoiceOrder(a, Money.of(1), SYSTEM_ACTOR, clock.now(), ids), isDuplicateEntry);
});

test('payments settle the oldest invoice first; aging and days past due are exact', () => {
  const { clock, ids, account, order } = setup(10_000_000, 15);
  const first = order();
  const second = order();
  account.invoiceOrder(first, Money.of(100_000), SYSTEM_ACTOR, clock.now(), ids); // due Jan 16
  clock.set('2026-01-20T09:00:00Z');
  account.invoiceOrder(second, Money.of(50_000), SYSTEM_ACTOR, clock.now(), ids); // due Feb 4
  clock.set('2026-02-20T12:00:00Z');
  assert.is(account.daysPastDue(clock.now()), 35);
  const aging = account.aging(clock.now());
  assert.is(aging.d31_60.amount, 100_000);
  assert.is(aging.d1_30.amount, 50_000);
  assert.is(aging.total.amount, 150_000);
  const { settled } = account.recordPayment(Money.of(120_000), 'UTR-1', SYSTEM_ACTOR, clock.now(), ids);
  assert.equal(
    settled.map((s) => [s.orderId, s.amount.amount, s.fullySettled]),
    [
      [first, 100_000, true],
      [second, 20_000, false],
    ],
  );
  assert.ok(account.isOrderInvoiceSettled(first));
  assert.not.ok(account.isOrderInvoiceSettled(second));
  assert.is(account.daysPastDue(clock.now()), 16);
  assert.is(account.overdueAmount(clock.now()).amount, 30_000);
});

test('overpayment is kept as credit and consumed by the next invoice', () => {
  const { clock, ids, account, order } = setup();
  account.invoiceOrder(order(), Money.of(10_000), SYSTEM_ACTOR, clock.now(), ids);
  account.recordPayment(Money.of(25_000), 'ADV-1', SYSTEM_ACTOR, clock.now(), ids);
  assert.is(account.outstanding().amount, -15_000);
  assert.is(account.snapshot().unappliedCredit.amount, 15_000);
  assert.is(account.available().amount, 1_015_000, 'prepaid credit adds to what can be bought');
  const next = order();
  const { invoice } = account.invoiceOrder(next, Money.of(20_000), SYSTEM_ACTOR, clock.now(), ids);
  assert.equal(
    invoice.allocations.map((a) => a.amount.amount),
    [15_000],
  );
  assert.is(account.openItems()[0]?.remaining.amount, 5_000);
  assert.is(account.snapshot().unappliedCredit.amount, 0);
});

test('limit check is a value, counting holds and pending exposure', () => {
  const { clock, ids, account, order } = setup(100_000);
  account.placeHold(order(), Money.of(40_000), SYSTEM_ACTOR, clock.now(), ids);
  const ok = account.checkAvailable(Money.of(30_000), Money.of(30_000));
  assert.ok(ok.ok && ok.value.amount === 0);
  const no = account.checkAvailable(Money.of(30_001), Money.of(30_000));
  assert.ok(!no.ok && no.error.available.amount === 30_000 && no.error.requested.amount === 30_001);
  assert.is(account.utilisation(Money.of(10_000)), 0.5);
});

test('adjustments need a note; validation of amounts and terms', () => {
  const { clock, ids, account } = setup();
  assert.throws(() => account.adjust(Money.of(100), ' ', SYSTEM_ACTOR, clock.now(), ids), /note/);
  assert.throws(() => account.adjust(Money.zero(), 'x', SYSTEM_ACTOR, clock.now(), ids), /non-zero/);
  assert.throws(() => account.recordPayment(Money.of(-1), 'r', SYSTEM_ACTOR, clock.now(), ids), /positive/);
  assert.throws(() => account.recordPayment(Money.of(1, 'USD'), 'r', SYSTEM_ACTOR, clock.now(), ids), /positive/);
  assert.throws(() => account.setNetTerms(400, clock.now()), /net terms/);
  assert.throws(() => account.setCreditLimit(Money.of(5), SYSTEM_ACTOR, clock.now(), 'test'), /operators and admins/);
  account.setCreditLimit(Money.of(5), OPERATOR, clock.now(), 'test');
  assert.is(account.pullEvents().find((e) => e.type === 'credit.limit_changed')?.payload.limit, 5);
});

test('replay detects a tampered ledger', () => {
  const { clock, ids, account, order } = setup();
  account.invoiceOrder(order(), Money.of(10_000), SYSTEM_ACTOR, clock.now(), ids);
  account.recordPayment(Money.of(4_000), 'P', SYSTEM_ACTOR, clock.now(), ids);
  const entries = account.pullNewEntries();
  const header = account.header();
  assert.is(CreditAccount.replay(header, entries).outstanding().amount, 6_000);
  const tampered = entries.map((e) => (e.type === 'PAYMENT' ? { ...e, allocations: [] } : e));
  assert.throws(() => CreditAccount.replay(header, tampered), /allocations differ/);
  assert.throws(() => CreditAccount.replay(header, entries.slice(1)), /sequence has a gap/);
});

/**
 * Thousands of random operations (seeded): after every step the projection equals a
 * replay of the entries, outstanding equals the signed sum of entries, aging sums to
 * what is owed, and available is never negative unless an explicit override (a limit cut
 * or a debit adjustment) made it so.
 */
test('ledger invariants hold under random operation sequences', () => {
  // The generator is the one the differential test of the adapters uses (core/testing/arbitraries).
  const run = fc.record({
    limit: fc.integer({ min: 500_000, max: 999_999 }),
    netTermsDays: fc.integer({ min: 0, max: 44 }),
    operations: fc.array(creditOperation(), { maxLength: 250 }),
  });
  fc.assert(
    fc.property(run, ({ limit, netTermsDays, operations }) => {
      const { clock, ids, account, order } = setup(limit, netTermsDays);
      const confirmed: OrderId[] = [];
      let overridden = false;
      let payments = 0;
      operations.forEach((op, step) => {
        clock.advance(op.advanceMs);
        const take = (pick: number) => confirmed.splice(pick % confirmed.length, 1)[0] as OrderId;
        if (op.kind === 'hold') {
          // Place an order only if the limit allows it, as place-order does.
          const amount = Money.of(op.amount);
          if (account.checkAvailable(amount).ok) {
            const id = order();
            account.placeHold(id, amount, SYSTEM_ACTOR, clock.now(), ids);
            confirmed.push(id);
          }
        } else if (op.kind === 'invoice' && confirmed.length > 0) {
          const id = take(op.pick);
          const hold = account.holdFor(id);
          if (hold) account.invoiceOrder(id, hold.amount, SYSTEM_ACTOR, clock.now(), ids);
        } else if (op.kind === 'release' && confirmed.length > 0) {
          account.releaseHold(take(op.pick), SYSTEM_ACTOR, clock.now(), ids);
        } else if (op.kind === 'pay') {
          account.recordPayment(Money.of(op.amount), `P-${payments++}`, SYSTEM_ACTOR, clock.now(), ids);
        } else if (op.kind === 'adjust') {
          // 5% of the amount as a debit note, at least 1 (a zero adjustment is refused by design).
          const debit = Money.of(Math.max(1, Money.of(op.amount).percent(500).amount));
          const signed = op.debit ? debit : Money.of(op.amount).negate();
          if (signed.isPositive()) overridden = true;
          account.adjust(signed, 'random adjustment', SYSTEM_ACTOR, clock.now(), ids);
        } else if (op.kind === 'rescore') {
          account.applyRecommendedLimit(Money.of(op.limit), clock.now(), 'rescore');
          overridden = true;
        }
        const s = account.snapshot();
        const owed = account.outstanding();
        const aging = account.aging(clock.now());
        assert.equal(aging.total.subtract(s.unappliedCredit), owed, `aging + credit = outstanding at step ${step}`);
        assert.ok(s.unappliedCredit.isZero() || s.openItems.length === 0, 'credit is applied whenever debts are open');
        assert.ok(
          s.holds.every((h) => h.amount.isPositive()),
          'no empty or negative hold',
        );
        if (!overridden) assert.ok(!account.available().isNegative(), `available negative at step ${step}`);
      });
      const all = account.pullNewEntries();
      const s = account.snapshot();
      const replayed = CreditAccount.replay(account.header(), all).snapshot();
      assert.equal(replayed.balance, s.balance);
      assert.equal(replayed.held, s.held);
      assert.equal(replayed.openItems, s.openItems);
      const signedSum = all.reduce(
        (acc, e) =>
          acc +
          (e.type === 'INVOICE' || e.type === 'ADJUSTMENT'
            ? e.amount.amount
            : e.type === 'PAYMENT'
              ? -e.amount.amount
              : 0),
        0,
      );
      assert.is(s.balance.amount, signedSum, 'outstanding equals the sum of entries');
      const holdSum = all.reduce(
        (acc, e) => acc + (e.type === 'HOLD' ? e.amount.amount : e.type === 'RELEASE' ? -e.amount.amount : 0),
        0,
      );
      assert.is(s.held.amount, holdSum, 'held equals the sum of holds and releases');
    }),
    { numRuns: 20, includeErrorInReport: true },
  );
});

test('days past due count Nepali calendar days: late from 00:00 NPT, i.e. 18:15Z', () => {
  const { clock, ids, account, order } = setup(1_000_000, 0);
  clock.set('2026-03-10T06:00:00Z'); // 11:45 NPT on 10 March
  account.invoiceOrder(order(), Money.of(10_000), SYSTEM_ACTOR, clock.now(), ids); // due 10 March NPT
  assert.is(account.daysPastDue(new Date('2026-03-10T18:14:59Z')), 0, '23:59:59 NPT on the due day');
  assert.is(account.daysPastDue(new Date('2026-03-10T18:15:00Z')), 1, '00:00 NPT the next day');
  assert.is(account.aging(new Date('2026-03-10T18:15:00Z')).d1_30.amount, 10_000);
  // An invoice issued 00:30 NPT (18:45Z the previous UTC day) is due that Nepali day.
  const early = setup(1_000_000, 0);
  early.clock.set('2026-04-01T18:45:00Z');
  early.account.invoiceOrder(early.order(), Money.of(1), SYSTEM_ACTOR, early.clock.now(), early.ids);
  assert.is(early.account.daysPastDue(new Date('2026-04-02T18:14:00Z')), 0, 'still 2 April NPT');
  assert.is(early.account.daysPastDue(new Date('2026-04-02T18:16:00Z')), 1);
});

test('payments settle by issue date, so a later debit note due today waits its turn', () => {
  const { clock, ids, account, order } = setup(10_000_000, 30);
  const first = order();
  account.invoiceOrder(first, Money.of(50_000), SYSTEM_ACTOR, clock.now(), ids); // due in 30 days
  clock.set('2026-01-02T09:00:00Z');
  account.adjust(Money.of(5_000), 'damaged crate charge', SYSTEM_ACTOR, clock.now(), ids); // due now
  const { settled } = account.recordPayment(Money.of(50_000), 'P-1', SYSTEM_ACTOR, clock.now(), ids);
  assert.equal(
    settled.map((x) => [x.orderId, x.amount.amount, x.fullySettled]),
    [[first, 50_000, true]],
  );
  assert.ok(account.isOrderInvoiceSettled(first));
  assert.is(account.outstanding().amount, 5_000);
});

test('replay rejects a RELEASE without a hold and a second HOLD for an order', () => {
  const { clock, ids, account, order } = setup();
  const a = order();
  account.placeHold(a, Money.of(10_000), SYSTEM_ACTOR, clock.now(), ids);
  account.releaseHold(a, SYSTEM_ACTOR, clock.now(), ids);
  const entries = account.pullNewEntries();
  const header = account.header();
  assert.is(CreditAccount.replay(header, entries).held().amount, 0);
  const [hold, release] = entries as [(typeof entries)[0], (typeof entries)[0]];
  assert.throws(() => CreditAccount.replay(header, [{ ...release, sequence: 1 }]), /RELEASE must free exactly/);
  assert.throws(
    () => CreditAccount.replay(header, [hold, { ...hold, sequence: 2 }]),
    /HOLD needs an order without one/,
  );
  assert.throws(
    () => CreditAccount.replay(header, [hold, { ...release, amount: Money.of(9_999) }]),
    /RELEASE must free exactly/,
  );
});

test('changing net terms is recorded as an event, and only when it changes', () => {
  const { clock, account } = setup(1_000_000, 30);
  account.setNetTerms(30, clock.now());
  assert.is(account.pullEvents().length, 0);
  account.setNetTerms(45, clock.now());
  const [event] = account.pullEvents();
  assert.is(event?.type, 'credit.terms_changed');
  assert.equal(
    event?.type === 'credit.terms_changed' && [event.payload.previous, event.payload.netTermsDays],
    [30, 45],
  );
  assert.is(account.netTermsDays, 45);
});

test('a limit set by hand stands until a person releases it back to scoring', () => {
  const { clock, account } = setup(100_000);
  assert.ok(account.applyRecommendedLimit(Money.of(150_000), clock.now(), 'score 780'));
  assert.not.ok(account.limitSetManually);
  account.setCreditLimit(Money.zero(), OPERATOR, clock.now(), 'cheque bounced');
  assert.ok(account.limitSetManually);
  assert.not.ok(account.applyRecommendedLimit(Money.of(200_000), clock.now(), 'nightly'), 'kept');
  assert.is(account.creditLimit.amount, 0);
  assert.throws(
    () => account.releaseManualLimit({ type: 'retailer', id: 'r-1' }, clock.now()),
    /only operators and admins/,
  );
  assert.ok(account.limitSetManually);
  account.releaseManualLimit(OPERATOR, clock.now());
  assert.ok(account.applyRecommendedLimit(Money.of(200_000), clock.now(), 'nightly'));
  assert.is(account.creditLimit.amount, 200_000);
  const types = account.pullEvents().map((e) => e.type);
  assert.equal(types, [
    'credit.limit_changed',
    'credit.limit_changed',
    'credit.limit_released_to_scoring',
    'credit.limit_changed',
  ]);
});

test.run();

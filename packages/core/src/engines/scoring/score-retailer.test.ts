import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SeededRandom } from '../../shared/seeded-random.js';
import type { LedgerEntry } from '../../credit/ledger-entry.js';
import { SYSTEM_ACTOR } from '../../shared/domain-event.js';
import type { LedgerEntryId, OrderId, RetailerId } from '../../shared/ids.js';
import { Money } from '../../shared/money.js';
import type { CreditScoreInput } from './credit-score-input.js';
import type { InvoiceRecord } from './invoice-history.js';
import { invoiceHistoryFromLedger } from './invoice-history.js';
import { priorScore, scoreRetailer } from './score-retailer.js';

const DAY = 86_400_000;
const AS_OF = new Date('2025-06-01T00:00:00Z');
const daysAgo = (d: number): Date => new Date(AS_OF.getTime() - d * DAY);
const npr = (rupees: number): Money => Money.of(rupees * 100);

/** Seeded (mulberry32) so property tests are reproducible. */
const prng = (seed: number): (() => number) => {
  const r = new SeededRandom(seed);
  return () => r.next();
};

function invoice(i: number, amount: number, issuedDaysAgo: number, dpd: number, open = false): InvoiceRecord {
  const issuedAt = daysAgo(issuedDaysAgo);
  const dueAt = new Date(issuedAt.getTime() + 15 * DAY);
  return {
    entryId: `inv-${i}` as LedgerEntryId,
    orderId: `o-${i}` as OrderId,
    amount: npr(amount),
    remaining: open ? npr(amount) : Money.zero(),
    issuedAt,
    dueAt,
    settledAt: open ? null : new Date(dueAt.getTime() + dpd * DAY),
    daysPastDue: dpd,
  };
}

function anInput(overrides: Partial<CreditScoreInput> = {}): CreditScoreInput {
  return {
    retailerId: 'r-1' as RetailerId,
    asOf: AS_OF,
    currency: 'NPR',
    creditLimit: npr(50_000),
    outstanding: Money.zero(),
    held: Money.zero(),
    accountOpenedAt: AS_OF,
    invoices: [],
    orders: { orderDates: [], placedCount: 0, cancelledCount: 0 },
    ...overrides,
  };
}

function goodHistory(): CreditScoreInput {
  const invoices = Array.from({ length: 12 }, (_, i) => invoice(i, 20_000, 10 + i * 7, 0));
  const orderDates = Array.from({ length: 12 }, (_, i) => daysAgo(10 + i * 7)).reverse();
  return anInput({
    accountOpenedAt: daysAgo(400),
    invoices,
    outstanding: npr(10_000),
    orders: { orderDates, placedCount: 12, cancelledCount: 0 },
  });
}

function randomInput(rand: () => number): CreditScoreInput {
  const n = Math.floor(rand() * 15);
  const invoices = Array.from({ length: n }, (_, i) =>
    invoice(i, 500 + Math.floor(rand() * 50_000), Math.floor(rand() * 200), Math.floor(rand() * 120), rand() < 0.2),
  );
  const orders = Math.floor(rand() * 30);
  const orderDates = Array.from({ length: orders }, () => daysAgo(Math.floor(rand() * 200)));
  return anInput({
    accountOpenedAt: daysAgo(Math.floor(rand() * 800)),
    creditLimit: npr(Math.floor(rand() * 100_000)),
    outstanding: npr(Math.floor(rand() * 120_000) - 10_000),
    held: npr(Math.floor(rand() * 20_000)),
    invoices,
    orders: { orderDates, placedCount: orders, cancelledCount: Math.floor(rand() * (orders + 1)) },
  });
}

test('a retailer with no history gets the prior score (band D) and every factor at its prior', () => {
  const result = scoreRetailer(anInput());
  assert.is(result.score, priorScore());
  assert.is(result.score, 570);
  assert.is(result.band, 'D');
  for (const f of result.factors) {
    if (f.key === 'tenure') continue;
    assert.is(f.evidence, 0, f.key);
    assert.is(f.normalised, f.prior, f.key);
  }
  assert.ok(result.evidence.thinFile);
});

test('a long, punctual history scores in band A and the points explain the score', () => {
  const result = scoreRetailer(goodHistory());
  assert.ok(result.score >= 750, `score ${result.score}`);
  assert.is(result.band, 'A');
  const sum = result.factors.reduce((a, f) => a + f.points, 0);
  assert.ok(Math.abs(300 + sum - result.score) <= 1);
  assert.is(result.input.invoices.length, 12);
  assert.is(result.factors.length, 8);
});

test('a thin file is pulled towards the prior rather than to the extremes', () => {
  const one = scoreRetailer(anInput({ invoices: [invoice(1, 1000, 20, 0)] }));
  assert.ok(one.score > 570 && one.score < 650, `score ${one.score}`);
  const late = scoreRetailer(anInput({ invoices: [invoice(1, 1000, 100, 80)] }));
  assert.ok(late.score < 570 && late.score > 450, `score ${late.score}`);
});

test('heavy overdue drops the band and freezes the limit', () => {
  const input = goodHistory();
  const result = scoreRetailer({ ...input, invoices: [...input.invoices, invoice(99, 40_000, 90, 75, true)] });
  assert.is(result.limit.rule, 'OVERDUE_FREEZE');
  assert.is(result.limit.recommended.amount, 0);
  assert.ok(result.score < scoreRetailer(input).score);
});

test('limits rise by at most 25 % per recalculation, only with good history', () => {
  const input = { ...goodHistory(), creditLimit: npr(20_000) };
  const result = scoreRetailer(input);
  assert.is(result.limit.rule, 'GRADUAL_INCREASE');
  assert.is(result.limit.recommended.amount, npr(25_000).amount);
  const sloppy = {
    ...input,
    invoices: input.invoices.map((i, k) => (k % 3 === 0 ? { ...i, daysPastDue: 5 } : i)),
  };
  assert.is(scoreRetailer(sloppy).limit.rule, 'HOLD_PAYMENT_HISTORY');
});

test('limits fall at once to the target and are cut on 15+ days overdue', () => {
  const input = { ...goodHistory(), creditLimit: npr(500_000) };
  const down = scoreRetailer(input);
  assert.is(down.limit.rule, 'DECREASE_TO_TARGET');
  assert.ok(down.limit.recommended.lessThan(npr(500_000)));
  const cut = scoreRetailer({
    ...input,
    creditLimit: npr(40_000),
    invoices: [...input.invoices, invoice(77, 1000, 40, 20, true)],
  });
  assert.is(cut.limit.rule, 'OVERDUE_CUT');
  assert.ok(!cut.limit.recommended.greaterThan(npr(20_000)));
});

test('a thin file keeps the operator-set limit', () => {
  const result = scoreRetailer(anInput({ invoices: [invoice(1, 1000, 20, 0)] }));
  assert.is(result.limit.rule, 'THIN_FILE_HOLD');
  assert.ok(result.limit.recommended.equals(npr(50_000)));
});

test('an account with a zero limit and a good record starts at the starter limit', () => {
  const result = scoreRetailer({ ...goodHistory(), creditLimit: Money.zero() });
  assert.is(result.limit.rule, 'GRADUAL_INCREASE');
  assert.is(result.limit.recommended.amount, 1_000_000);
});

test('property: the score never leaves 300..900 and is an integer', () => {
  const rand = prng(42);
  for (let i = 0; i < 300; i++) {
    const r = scoreRetailer(randomInput(rand));
    assert.ok(r.score >= 300 && r.score <= 900 && Number.isInteger(r.score), `score ${r.score}`);
  }
  const extremes = scoreRetailer(anInput(), { weights: { tenure: 100 }, priors: { onTimeRatio: 1 } });
  assert.ok(extremes.score >= 300 && extremes.score <= 900);
});

test('property: more overdue (later invoices, more owed) never raises the score', () => {
  const rand = prng(7);
  for (let i = 0; i < 300; i++) {
    const input = randomInput(rand);
    const before = scoreRetailer(input).score;
    const k = Math.floor(rand() * Math.max(1, input.invoices.length));
    const worse: CreditScoreInput = {
      ...input,
      invoices: input.invoices.map((inv, j) =>
        j === k ? { ...inv, daysPastDue: inv.daysPastDue + 1 + Math.floor(rand() * 60) } : inv,
      ),
      outstanding: input.outstanding.add(npr(Math.floor(rand() * 5000))),
    };
    const after = scoreRetailer(worse).score;
    assert.ok(after <= before, `case ${i}: ${before} → ${after}`);
  }
});

test('deterministic: the same input gives the same result', () => {
  const input = goodHistory();
  assert.equal(JSON.stringify(scoreRetailer(input)), JSON.stringify(scoreRetailer(input)));
});

test('invoice history follows ledger allocations (settled day, days past due, open remainder)', () => {
  const entry = (
    sequence: number,
    type: LedgerEntry['type'],
    amount: number,
    at: Date,
    extra: Partial<LedgerEntry> = {},
  ): LedgerEntry => ({
    id: `e-${sequence}` as LedgerEntryId,
    retailerId: 'r-1' as RetailerId,
    sequence,
    type,
    amount: npr(amount),
    orderId: null,
    reference: null,
    dueAt: null,
    allocations: [],
    note: null,
    actor: SYSTEM_ACTOR,
    createdAt: at,
    ...extra,
  });
  const entries = [
    entry(1, 'INVOICE', 1000, daysAgo(40), { dueAt: daysAgo(25) }),
    entry(2, 'INVOICE', 500, daysAgo(30), { dueAt: daysAgo(15) }),
    entry(3, 'PAYMENT', 1200, daysAgo(20), {
      allocations: [
        { debitEntryId: 'e-1' as LedgerEntryId, amount: npr(1000) },
        { debitEntryId: 'e-2' as LedgerEntryId, amount: npr(200) },
      ],
    }),
  ];
  const [first, second] = invoiceHistoryFromLedger(entries, AS_OF);
  assert.is(first?.daysPastDue, 5);
  assert.ok(first?.settledAt?.getTime() === daysAgo(20).getTime());
  assert.is(second?.settledAt, null);
  assert.is(second?.daysPastDue, 15);
  assert.is(second?.remaining.amount, npr(300).amount);
});

test.run();

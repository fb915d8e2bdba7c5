import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DomainError, ErrorCodes } from './errors.js';
import { divideHalfUp, Money } from './money.js';

test('amounts are integer minor units; floats and unsafe integers are refused', () => {
  assert.is(Money.of(12_345).amount, 12_345);
  assert.throws(() => Money.of(1.5), /safe integer/);
  assert.throws(() => Money.of(Number.MAX_SAFE_INTEGER + 1), /safe integer/);
  assert.throws(() => Money.of(1, 'npr'), /ISO 4217/);
});

test('parse and format without floats', () => {
  assert.is(Money.parse('1234.5').amount, 123_450);
  assert.is(Money.parse('0.07').amount, 7);
  assert.is(Money.parse('-3.25').amount, -325);
  assert.is(Money.parse('100').amount, 10_000);
  assert.throws(() => Money.parse('1.234'), /123.45/);
  assert.throws(() => Money.parse('1e3'), /123.45/);
  assert.is(Money.of(123_456_789).format(), 'NPR 1,234,567.89');
  assert.is(Money.of(-5).toDecimalString(), '-0.05');
  assert.is(Money.of(0).format(), 'NPR 0.00');
});

test('half-up rounding (half away from zero) on ratios', () => {
  assert.is(divideHalfUp(5n, 2n), 3n);
  assert.is(divideHalfUp(-5n, 2n), -3n);
  assert.is(divideHalfUp(4n, 3n), 1n);
  assert.is(divideHalfUp(5n, 3n), 2n);
  // NPR 10.01 × 2.5 kg = 25.025 → 25.03
  assert.is(Money.of(1_001).multiplyRatio(2_500, 1_000).amount, 2_503);
  // 0.333 kg × NPR 1.00 = 0.333 → 0.33
  assert.is(Money.of(100).multiplyRatio(333, 1_000).amount, 33);
  // exactly half a paisa rounds up
  assert.is(Money.of(1).multiplyRatio(1, 2).amount, 1);
  assert.is(Money.of(-1).multiplyRatio(1, 2).amount, -1);
  assert.is(Money.of(10_000).percent(250).amount, 250);
  assert.is(Money.of(999).times(3).amount, 2_997);
});

test('allocation never loses or invents a paisa', () => {
  const parts = Money.of(100).allocate([1, 1, 1]);
  assert.equal(
    parts.map((p) => p.amount),
    [34, 33, 33],
  );
  assert.equal(
    Money.of(-100)
      .allocate([1, 1, 1])
      .map((p) => p.amount),
    [-34, -33, -33],
  );
  assert.equal(
    Money.of(5)
      .allocate([3, 7])
      .map((p) => p.amount),
    [2, 3],
    'exact shares 1.5 and 3.5: equal remainders, the earlier part gets the paisa',
  );
  assert.equal(
    Money.of(10)
      .allocate([0, 1])
      .map((p) => p.amount),
    [0, 10],
  );
  assert.throws(() => Money.of(10).allocate([]), /at least one/);
  assert.throws(() => Money.of(10).allocate([0, 0]), /not all be zero/);
  // Property: for many amounts and ratio sets, the parts sum to the whole and differ from the exact share by < 1.
  let seed = 42;
  const rnd = () => {
    seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
    return seed / 4_294_967_296;
  };
  for (let i = 0; i < 2_000; i++) {
    const amount = Math.floor(rnd() * 10_000_000) - 1_000_000;
    const ratios = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => Math.floor(rnd() * 100));
    if (!ratios.some((r) => r !== 0)) ratios[0] = 1;
    const parts = Money.of(amount).allocate(ratios);
    assert.is(
      parts.reduce((s, p) => s + p.amount, 0),
      amount,
    );
    const total = ratios.reduce((a, b) => a + b, 0);
    parts.forEach((p, k) => {
      assert.ok(Math.abs(p.amount - (amount * (ratios[k] ?? 0)) / total) < 1);
    });
  }
});

test('currencies never mix', () => {
  const error = (() => {
    try {
      Money.of(1, 'NPR').add(Money.of(1, 'INR'));
    } catch (e) {
      return e;
    }
    return null;
  })();
  assert.ok(DomainError.hasCode(error, ErrorCodes.MONEY_CURRENCY_MISMATCH));
  assert.throws(() => Money.of(1, 'NPR').compare(Money.of(1, 'USD')));
  assert.not.ok(Money.of(1, 'NPR').equals(Money.of(1, 'USD')));
});

test('overflow is an error, not a silent wrap', () => {
  const big = Money.of(Number.MAX_SAFE_INTEGER);
  assert.throws(() => big.add(Money.of(1)), /overflowed/);
  assert.throws(() => big.times(2), /overflowed/);
});

test('comparisons and helpers', () => {
  const a = Money.of(100);
  const b = Money.of(200);
  assert.ok(b.greaterThan(a) && a.lessThan(b) && b.greaterThanOrEqual(b));
  assert.is(a.min(b), a);
  assert.is(a.max(b), b);
  assert.is(Money.sum([a, b, a]).amount, 400);
  assert.is(Money.sum([]).amount, 0);
  assert.is(Money.sum([], 'USD').currency, 'USD');
  assert.throws(() => Money.sum([Money.of(1, 'USD')], 'NPR'), /cannot combine/);
  assert.equal(Money.fromJSON(a.toJSON()), a);
});

test.run();

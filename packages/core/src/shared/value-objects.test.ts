import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../testing/manual-clock.js';
import { SeededRandom } from './seeded-random.js';
import { DomainError, ErrorCodes, ValidationError } from './errors.js';
import { distanceKm, geoPoint, normalizeArea } from './geo.js';
import { isUuid } from './ids.js';
import { PhoneNumber } from './phone-number.js';
import { Quantity } from './quantity.js';
import { UuidV7Generator } from './uuid-v7.js';

test('Quantity is exact to three decimals and positive', () => {
  assert.is(Quantity.of(2.5, 'kg').milli, 2_500);
  assert.is(Quantity.of(0.125, 'litre').value, 0.125);
  assert.throws(() => Quantity.of(0.0001, 'kg'), /three decimals/);
  assert.throws(() => Quantity.of(0, 'kg'), /positive/);
  assert.throws(() => Quantity.of(-1, 'kg'), /positive/);
  assert.throws(() => Quantity.of(1, 'sack' as never), /unknown unit/);
  assert.is(Quantity.of(1, 'kg').add(Quantity.of(0.5, 'kg')).value, 1.5);
  assert.throws(() => Quantity.of(1, 'kg').add(Quantity.of(1, 'g')), /different units/);
  assert.is(Quantity.of(2, 'carton').scaled(24, 'packet').value, 48);
});

test('PhoneNumber normalises Nepali numbers to E.164 and masks for logs', () => {
  assert.is(PhoneNumber.parse('9812345678').value, '+9779812345678');
  assert.is(PhoneNumber.parse('+977 981-234-5678').value, '+9779812345678');
  assert.is(PhoneNumber.parse('9779812345678').value, '+9779812345678');
  assert.is(PhoneNumber.parse('00977 9812345678').value, '+9779812345678');
  assert.is(PhoneNumber.parse('+14155550123').value, '+14155550123');
  assert.is(PhoneNumber.parse('+97714412345').value, '+97714412345');
  assert.is(PhoneNumber.parse('9812345678').digits, '9779812345678');
  assert.throws(() => PhoneNumber.parse('01-4412345'), /country code/);
  assert.throws(() => PhoneNumber.parse('+9779912345678'), /Nepal/);
  assert.throws(() => PhoneNumber.parse('hello'), /E.164/);
  const masked = PhoneNumber.parse('9812345678').masked();
  assert.is(masked, '+977*******678');
  assert.not.ok(masked.includes('12345'));
});

test('geo: areas normalise, distances are great-circle km', () => {
  assert.is(normalizeArea(' Kathmandu 10 '), 'kathmandu-10');
  assert.throws(() => normalizeArea('  '), /1-80/);
  const ktm = geoPoint(27.7172, 85.324);
  const pokhara = geoPoint(28.2096, 83.9856);
  const d = distanceKm(ktm, pokhara);
  assert.ok(d > 140 && d < 150, `Kathmandu-Pokhara ≈ 143 km, got ${d}`);
  assert.throws(() => geoPoint(91, 0), /out of range/);
});

test('UUIDv7: valid, version 7, time-ordered and monotonic within a millisecond', () => {
  const clock = new ManualClock('2026-05-01T00:00:00Z');
  const gen = new UuidV7Generator(clock, new SeededRandom(3));
  const ids: string[] = [];
  for (let i = 0; i < 5_000; i++) {
    if (i % 1_000 === 0) clock.advance(1);
    ids.push(gen.next());
  }
  for (const id of ids) {
    assert.ok(isUuid(id), id);
    assert.is(id[14], '7');
    assert.ok('89ab'.includes(id[19] as string));
  }
  const sorted = [...ids].sort();
  assert.equal(sorted, ids, 'lexical order is creation order');
  assert.is(new Set(ids).size, ids.length);
  const ms = Number.parseInt(ids[0]?.replace(/-/g, '').slice(0, 12) ?? '', 16);
  assert.is(ms, new Date('2026-05-01T00:00:00.001Z').getTime());
});

test('errors carry a stable code and a brand that survives structural copies', () => {
  const e = new ValidationError('bad', { field: 'x' });
  assert.ok(DomainError.is(e));
  assert.is(e.code, ErrorCodes.VALIDATION);
  assert.is(e.kind, 'validation');
  assert.not.ok(DomainError.is(new Error('plain')));
  assert.not.ok(DomainError.is(null));
  assert.equal(e.toJSON(), { code: 'VALIDATION.INVALID', kind: 'validation', message: 'bad', details: { field: 'x' } });
});

test.run();

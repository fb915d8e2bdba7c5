import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Money } from './money.js';
import { Quantity } from './quantity.js';
import {
  ConcurrencyError,
  ConflictError,
  DomainError,
  ErrorCodes,
  IllegalStateError,
  InvariantError,
  NotFoundError,
  UnavailableError,
  ValidationError,
} from './errors.js';

/** One instance of every error class, and the class whose `is` should recognise it. */
const samples = [
  { cls: ValidationError, error: new ValidationError('bad') },
  { cls: NotFoundError, error: new NotFoundError('Order', 'o-1') },
  { cls: ConflictError, error: new ConflictError('taken') },
  { cls: ConcurrencyError, error: new ConcurrencyError('stale') },
  { cls: IllegalStateError, error: new IllegalStateError(ErrorCodes.ORDER_ILLEGAL_TRANSITION, 'no') },
  { cls: UnavailableError, error: new UnavailableError('down') },
  { cls: InvariantError, error: new InvariantError('broken') },
] as const;

test('XError.is only checked the shared brand (issue 8 #11): every class × every class', () => {
  for (const guard of samples) {
    for (const { cls, error } of samples) {
      assert.is(guard.cls.is(error), guard.cls === cls, `${guard.cls.name}.is(new ${cls.name}())`);
    }
  }
});

test('DomainError.is recognises every error class', () => {
  for (const { cls, error } of samples) assert.ok(DomainError.is(error), cls.name);
});

test('no guard recognises plain errors, null, or look-alikes with a code and kind', () => {
  const lookAlike = { code: ErrorCodes.CONFLICT, kind: 'conflict', message: 'x', details: {} };
  for (const { cls } of [...samples, { cls: DomainError }]) {
    for (const value of [new Error('plain'), null, undefined, 'ENTITY.CONFLICT', lookAlike]) {
      assert.not.ok(cls.is(value), `${cls.name}.is(${String(value)})`);
    }
  }
});

test('a detached guard still works (contract suites pass `ConflictError.is` as a predicate)', () => {
  const { is } = ConflictError;
  assert.ok(is(new ConflictError('taken')));
  assert.not.ok(is(new ValidationError('bad')));
});

test('a subclass defined outside core is recognised by its ancestors, not its siblings', () => {
  class QueueUnavailable extends UnavailableError {}
  const e = new QueueUnavailable('queue down');
  assert.ok(UnavailableError.is(e));
  assert.ok(DomainError.is(e));
  assert.not.ok(ConflictError.is(e));
});

test('class identity survives a second copy of the module, where instanceof fails', async () => {
  const copy = (await import(`./errors.js?copy=${Date.now()}`)) as typeof import('./errors.js');
  assert.is.not(copy.ConflictError, ConflictError, 'a separate module instance');
  const foreign = new copy.ConflictError('taken in another copy');
  assert.not.ok(foreign instanceof ConflictError);
  assert.ok(ConflictError.is(foreign));
  assert.ok(DomainError.is(foreign));
  assert.not.ok(ValidationError.is(foreign));
  assert.not.ok(copy.NotFoundError.is(new ConflictError('y')));
});

test('errors of kind validation raised by Money and Quantity are ValidationErrors, so ValidationError.is sees them', () => {
  const raised = [
    () => Money.of(1).add(Money.of(1, 'INR')),
    () => Money.of(Number.MAX_SAFE_INTEGER).add(Money.of(1)),
    () => Quantity.of(1, 'kg').add(Quantity.of(1, 'piece')),
    () => Quantity.of(1, 'kg').compare(Quantity.of(1, 'piece')),
  ];
  for (const raise of raised) {
    try {
      raise();
      assert.unreachable('should throw');
    } catch (e) {
      assert.ok(DomainError.is(e) && e.kind === 'validation', String(e));
      assert.ok(ValidationError.is(e), `${(e as DomainError).code} is a ValidationError`);
    }
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConcurrencyError, DomainError, ErrorCodes, NotFoundError, ValidationError } from '../shared/errors.js';
import { expectFailure, expectOk } from '../testing/outcomes.js';
import { createTestWorld } from '../testing/test-world.js';
import { runUseCase } from './outcome.js';

const DECLARED = [ErrorCodes.NOT_FOUND] as const;

test('a declared code comes back as a failure shaped like DomainError.toJSON()', async () => {
  const error = new NotFoundError('order', 'x');
  const outcome = await runUseCase(DECLARED, async () => {
    throw error;
  });
  assert.equal(expectFailure(outcome, ErrorCodes.NOT_FOUND), error.toJSON());
});

test('undeclared codes, malformed commands, version conflicts and plain bugs are thrown', async () => {
  for (const thrown of [
    new ValidationError('bad'),
    new ConcurrencyError('stale'),
    new DomainError('forbidden', ErrorCodes.FORBIDDEN, 'no'),
    new TypeError('bug'),
  ]) {
    try {
      await runUseCase(DECLARED, async () => {
        throw thrown;
      });
      assert.unreachable(String(thrown));
    } catch (e) {
      assert.is(e, thrown);
    }
  }
  assert.equal(expectOk(await runUseCase(DECLARED, async () => 42)), 42);
});

test('every use case of the test world declares its failures as known error codes', () => {
  const known = new Set<string>(Object.values(ErrorCodes));
  const { useCases } = createTestWorld();
  for (const [name, useCase] of Object.entries(useCases)) {
    const failures = (useCase.constructor as unknown as { failures?: readonly string[] }).failures;
    assert.ok(Array.isArray(failures), `${name} declares failures`);
    for (const code of failures ?? []) assert.ok(known.has(code), `${name}: ${code}`);
    assert.is(typeof useCase.execute, 'function', name);
    const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(useCase)).filter(
      (m) => m !== 'constructor' && !m.startsWith('#'),
    );
    assert.ok(methods.includes('execute'), name);
  }
});

test.run();

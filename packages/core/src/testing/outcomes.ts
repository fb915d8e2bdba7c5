import type { Failure, Outcome } from '../application/outcome.js';
import type { ErrorCode } from '../shared/errors.js';

/** The value of a successful outcome; a failure fails the test with its code and message. */
export function expectOk<T>(outcome: Outcome<T, ErrorCode>): T {
  if (outcome.ok) return outcome.value;
  throw new Error(`expected success, got ${outcome.error.code}: ${outcome.error.message}`);
}

/** The failure of an outcome, which must carry `code`; success or another code fails the test. */
export function expectFailure<C extends ErrorCode, E extends C>(outcome: Outcome<unknown, C>, code: E): Failure<E> {
  if (outcome.ok) throw new Error(`expected failure ${code}, got success`);
  if (outcome.error.code !== code) {
    throw new Error(`expected failure ${code}, got ${outcome.error.code}: ${outcome.error.message}`);
  }
  return outcome.error as Failure<E>;
}

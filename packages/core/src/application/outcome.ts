import { DomainError, type ErrorCode, type ErrorDetails, type ErrorKind } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';

/**
 * An expected business outcome, as a value: the same shape as `DomainError.toJSON()`, so
 * app-http can send it as is and map `code` to a status in one table.
 */
export interface Failure<C extends ErrorCode = ErrorCode> {
  readonly code: C;
  readonly kind: ErrorKind;
  readonly message: string;
  readonly details: ErrorDetails;
}

/** What every use case returns: its value, or one of the failures it declares. */
export type Outcome<T, C extends ErrorCode> = Result<T, Failure<C>>;

/** The failure codes a use case class declares in its static `failures` tuple. */
export type FailureCode<U extends { readonly failures: readonly ErrorCode[] }> = U['failures'][number];

export function failureOf<C extends ErrorCode>(error: DomainError & { readonly code: C }): Failure<C> {
  return { code: error.code, kind: error.kind, message: error.message, details: error.details };
}

/**
 * Run a use case's work and turn a domain error whose code is declared into a failure.
 * Everything else (a malformed command, a stale version, storage, a broken invariant, a
 * bug) is rethrown: those are not outcomes a user chose. By then the unit of work has
 * rolled back, so a failure never leaves half a change behind.
 */
export async function runUseCase<T, C extends ErrorCode>(
  failures: readonly C[],
  work: () => Promise<T>,
): Promise<Outcome<T, C>> {
  try {
    return ok(await work());
  } catch (error) {
    if (DomainError.is(error) && (failures as readonly ErrorCode[]).includes(error.code)) {
      return err(failureOf(error as DomainError & { readonly code: C }));
    }
    throw error;
  }
}

/** For callers that treat every failure as a bug (seeds, scripts, test set-up). */
export function unwrap<T>(outcome: Outcome<T, ErrorCode>): T {
  if (outcome.ok) return outcome.value;
  const { code, kind, message, details } = outcome.error;
  throw new DomainError(kind, code, message, details);
}

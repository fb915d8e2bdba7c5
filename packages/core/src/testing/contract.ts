import { DomainError, type ErrorCode } from '../shared/errors.js';

/**
 * Contract suites are plain data so that core/testing needs no test runner: each
 * adapter package registers the cases with its own runner (uvu here) against a
 * factory that builds a fresh subject per case.
 */
export interface ContractCase<S> {
  readonly name: string;
  run(subject: S): Promise<void>;
}

export interface Contract<S> {
  readonly name: string;
  readonly cases: readonly ContractCase<S>[];
}

export interface SubjectFactory<S> {
  create(): Promise<S>;
  /** Called after each case, also when it failed. */
  dispose?(subject: S): Promise<void>;
}

/** Register every case with a runner's `test(name, fn)`. */
export function registerContract<S>(
  register: (name: string, fn: () => Promise<void>) => void,
  contract: Contract<S>,
  factory: SubjectFactory<S>,
): void {
  for (const c of contract.cases) {
    register(`${contract.name}: ${c.name}`, async () => {
      const subject = await factory.create();
      try {
        await c.run(subject);
      } finally {
        await factory.dispose?.(subject);
      }
    });
  }
}

export class ContractAssertionError extends Error {
  constructor(
    message: string,
    readonly actual?: unknown,
    readonly expected?: unknown,
  ) {
    super(message);
    this.name = 'ContractAssertionError';
  }
}

export function expectTrue(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ContractAssertionError(message);
}

export function expectEqual<T>(actual: T, expected: T, message = 'values differ'): void {
  if (!deepEqual(actual, expected)) {
    throw new ContractAssertionError(`${message}: expected ${show(expected)}, got ${show(actual)}`, actual, expected);
  }
}

/**
 * A predicate for `expectRejects`: an error of the class `guard` recognises, with exactly
 * `code`. Contracts assert the code, not only the class, so every adapter says the same thing.
 */
export function errorWith<E extends DomainError>(
  guard: (error: unknown) => error is E,
  code: ErrorCode,
): (error: unknown) => boolean {
  return (error) => guard(error) && error.code === code;
}

/** Awaits `promise` and checks it rejected with an error matching `predicate`. */
export async function expectRejects(
  promise: Promise<unknown>,
  predicate: (error: unknown) => boolean,
  message: string,
): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (!predicate(error)) {
      throw new ContractAssertionError(`${message}: rejected with an unexpected error: ${describe(error)}`, error);
    }
    return;
  }
  throw new ContractAssertionError(`${message}: expected a rejection, but it resolved`);
}

/** Structural equality for plain data, Dates, Maps/Sets, and value objects with `equals`. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  const eq = (a as { equals?: unknown }).equals;
  if (typeof eq === 'function' && Object.getPrototypeOf(a) === Object.getPrototypeOf(b)) {
    return (eq as (o: unknown) => boolean).call(a, b);
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return (
    deepEqual(ka, kb) &&
    ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

function describe(error: unknown): string {
  if (DomainError.is(error)) return `${error.name} ${error.code}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : show(error);
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

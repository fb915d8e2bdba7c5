import { ConflictError, type ErrorDetails, ErrorCodes, ValidationError } from '../shared/errors.js';

/*
 * The in-memory stores refuse what PostgreSQL's constraints refuse, with the same codes
 * (core's ErrorCodes table) and the same constraint names in the details, so neither a
 * caller nor a contract suite can tell the adapters apart by their errors.
 */

/** A unique key already holds the value (pg 23505). */
export function duplicateKey(message: string, constraint: string, details: ErrorDetails = {}): ConflictError {
  return new ConflictError(message, { ...details, constraint }, ErrorCodes.DUPLICATE);
}

/** A value breaks a CHECK constraint (pg 23514). */
export function constraintViolated(message: string, constraint: string, details: ErrorDetails = {}): ValidationError {
  return new ValidationError(message, { ...details, constraint }, ErrorCodes.CONSTRAINT_VIOLATED);
}

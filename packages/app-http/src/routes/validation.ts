import { ErrorCodes, ValidationError } from '@khaacho/core';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from './route.js';

// ajv-formats' default export is typed as a CommonJS module under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/* Paths and query strings arrive as text, so they are coerced; a JSON body is taken as sent. */
const textAjv = addFormats(new Ajv({ strict: true, allErrors: true, coerceTypes: true, useDefaults: true }));
const jsonAjv = addFormats(new Ajv({ strict: true, allErrors: true, useDefaults: true }));
const responseAjv = addFormats(new Ajv({ strict: true, allErrors: true }));

export type Part = 'params' | 'query' | 'body';

export function compileRequest(part: Part, schema: JsonSchema): ValidateFunction {
  return (part === 'body' ? jsonAjv : textAjv).compile(schema);
}

export function compileResponse(schema: JsonSchema): ValidateFunction {
  return responseAjv.compile(schema);
}

const MAX_PROBLEMS = 20;

/** The request part does not match its schema: a 422 listing where and why (bounded). */
export function requestInvalid(part: Part, errors: readonly ErrorObject[] | null | undefined): ValidationError {
  const problems = (errors ?? []).slice(0, MAX_PROBLEMS).map((e) => ({
    in: part,
    path: e.instancePath || '/',
    message:
      e.keyword === 'additionalProperties'
        ? `unknown field ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty).slice(0, 80)}`
        : (e.message ?? 'is invalid'),
  }));
  return new ValidationError(`the request ${part} is invalid`, { problems }, ErrorCodes.VALIDATION);
}

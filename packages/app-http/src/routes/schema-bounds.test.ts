import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { API_ROUTES } from './api-routes.js';
import { assertBounded } from './schema-bounds.js';

test('every request schema of every route is bounded', () => {
  for (const route of API_ROUTES) {
    for (const part of ['params', 'query', 'body'] as const) {
      const schema = route[part];
      if (schema) assertBounded(schema, `${route.operationId} ${part}`);
    }
  }
});

test('open objects, unbounded strings, arrays and numbers are refused, each named', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['open object', { type: 'object', properties: {} }, 'additionalProperties'],
    [
      'string without maxLength',
      { type: 'object', additionalProperties: false, properties: { name: { type: 'string' } } },
      '/name: string without maxLength',
    ],
    [
      'array without maxItems',
      {
        type: 'object',
        additionalProperties: false,
        properties: { tags: { type: 'array', items: { type: 'string', maxLength: 5 } } },
      },
      'array without maxItems',
    ],
    [
      'number without maximum',
      { type: 'object', additionalProperties: false, properties: { n: { type: 'integer', minimum: 0 } } },
      'number without minimum and maximum',
    ],
    [
      'nested in array items',
      {
        type: 'object',
        additionalProperties: false,
        properties: { lines: { type: 'array', maxItems: 2, items: { type: 'object', properties: {} } } },
      },
      '/lines/items: object',
    ],
  ];
  for (const [name, schema, expected] of cases) {
    assert.throws(
      () => assertBounded(schema, 'test'),
      (e: Error) => e.message.includes(expected),
      name,
    );
  }
  assertBounded({ type: 'string', enum: ['a', 'b'] }, 'an enum needs no maxLength');
});

test.run();

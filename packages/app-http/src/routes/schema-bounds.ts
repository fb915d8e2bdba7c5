import type { JsonSchema } from './route.js';

/**
 * Refuses a request schema that would let unbounded input through: every object closed
 * (`additionalProperties: false`), every string with a `maxLength` (or an enum/const),
 * every array with `maxItems`, every number with a minimum and a maximum. Checked when the
 * app is built, so a route cannot be added without bounds.
 */
export function assertBounded(schema: JsonSchema, where: string): void {
  const problems: string[] = [];
  walk(schema, where, problems);
  if (problems.length > 0) throw new Error(`unbounded request schema:\n  ${problems.join('\n  ')}`);
}

function walk(schema: JsonSchema, at: string, problems: string[]): void {
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = schema[key];
    if (!Array.isArray(list)) continue;
    for (const [i, branch] of list.entries()) walk(branch as JsonSchema, `${at}/${key}/${i}`, problems);
  }
  const types = ([] as unknown[]).concat(schema.type ?? []);
  const closed = 'enum' in schema || 'const' in schema;
  if (types.includes('object')) {
    if (schema.additionalProperties !== false) problems.push(`${at}: object without additionalProperties: false`);
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const [name, property] of Object.entries(properties)) walk(property, `${at}/${name}`, problems);
  }
  if (types.includes('string') && !closed && typeof schema.maxLength !== 'number') {
    problems.push(`${at}: string without maxLength`);
  }
  if (types.includes('array')) {
    if (typeof schema.maxItems !== 'number') problems.push(`${at}: array without maxItems`);
    if (schema.items) walk(schema.items as JsonSchema, `${at}/items`, problems);
  }
  if ((types.includes('number') || types.includes('integer')) && !closed) {
    const low = typeof schema.minimum === 'number' || typeof schema.exclusiveMinimum === 'number';
    const high = typeof schema.maximum === 'number' || typeof schema.exclusiveMaximum === 'number';
    if (!(low && high)) problems.push(`${at}: number without minimum and maximum`);
  }
}

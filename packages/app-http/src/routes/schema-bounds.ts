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

/**
 * `refining`: a branch of a closed object's anyOf/oneOf/allOf only adds constraints to what
 * the object already bounds (e.g. "role RETAILER needs `retailer`"), so it need not be closed itself.
 */
function walk(schema: JsonSchema, at: string, problems: string[], refining = false): void {
  const types = ([] as unknown[]).concat(schema.type ?? []);
  const closedObject = types.includes('object') && schema.additionalProperties === false;
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = schema[key];
    if (!Array.isArray(list)) continue;
    for (const [i, branch] of list.entries()) walk(branch as JsonSchema, `${at}/${key}/${i}`, problems, closedObject);
  }
  const closed = 'enum' in schema || 'const' in schema;
  if (types.includes('object') && !refining) {
    if (schema.additionalProperties !== false) problems.push(`${at}: object without additionalProperties: false`);
  }
  if (types.includes('object')) {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema | boolean>;
    for (const [name, property] of Object.entries(properties)) {
      // In a refining branch a property schema is a narrowing (`{ type: 'object' }`, `false`) of one the object bounds.
      if (typeof property === 'object' && !(refining && property.type === 'object'))
        walk(property, `${at}/${name}`, problems);
    }
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

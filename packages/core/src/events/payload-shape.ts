import type { AggregateType } from '../shared/domain-event.js';

/** What a stored JSON value is; `absent` is a field the payload left out. */
export type JsonKind = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object' | 'absent';

/** The JSON kinds a payload field's TypeScript type can take once stored (a union gives several). */
export type KindOf<T> = T extends string
  ? 'string'
  : T extends number
    ? 'number'
    : T extends boolean
      ? 'boolean'
      : T extends null
        ? 'null'
        : T extends undefined
          ? 'absent'
          : T extends readonly unknown[]
            ? 'array'
            : 'object';

/**
 * Every field of a payload with the kinds its value may take. Being a mapped type, a
 * field left out or a kind the field's type cannot take does not compile, so the runtime
 * check read back from the outbox cannot drift from the payload interfaces.
 */
export type PayloadShape<P> = { readonly [K in keyof P]-?: readonly KindOf<P[K]>[] };

/** One catalog entry at the type level: which aggregate raises it, and its payload. */
export interface EventDefinition {
  readonly aggregate: AggregateType;
  readonly payload: object;
}

/** The runtime half of a definition table: the aggregate and the payload shape of each type. */
export type EventSpecs<D extends { [K in keyof D]: EventDefinition }> = {
  readonly [K in keyof D]: { readonly aggregate: D[K]['aggregate']; readonly shape: PayloadShape<D[K]['payload']> };
};

export function kindOf(value: unknown): JsonKind | 'unsupported' {
  if (value === undefined) return 'absent';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return Number.isFinite(value) ? 'number' : 'unsupported';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'object';
    default:
      return 'unsupported';
  }
}

/** The first field whose value does not have one of its allowed kinds, or null. */
export function shapeMismatch(
  payload: Readonly<Record<string, unknown>>,
  shape: Readonly<Record<string, readonly JsonKind[]>>,
): string | null {
  for (const [field, kinds] of Object.entries(shape)) {
    const kind = kindOf(Object.hasOwn(payload, field) ? payload[field] : undefined);
    if (kind === 'unsupported' || !kinds.includes(kind)) return field;
  }
  return null;
}

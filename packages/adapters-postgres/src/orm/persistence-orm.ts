import type { MikroORM } from '@mikro-orm/postgresql';

/*
 * The ORM behind a persistence, for the package's own CLI, tests and benchmarks. It is
 * kept out of the public type so that no MikroORM type reaches a consumer's `.d.ts` check
 * (MikroORM's own declarations fail under exactOptionalPropertyTypes), and so that no
 * caller builds on it.
 */
const ORMS = new WeakMap<object, MikroORM>();

export function bindOrm<T extends object>(persistence: T, orm: MikroORM): T {
  ORMS.set(persistence, orm);
  return persistence;
}

export function ormOf(persistence: object): MikroORM {
  const orm = ORMS.get(persistence);
  if (!orm) throw new TypeError('not a persistence made by createPostgresPersistence');
  return orm;
}

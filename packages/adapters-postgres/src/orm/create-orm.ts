import { fileURLToPath } from 'node:url';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { ENTITIES } from '../schema/entities.js';

/** Checked-in migrations: `src/migrations/*.ts` under tsx, `dist/migrations/*.js` when built. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));
export const MIGRATIONS_TABLE = 'mikro_orm_migrations';

export interface OrmOptions {
  readonly clientUrl: string;
  readonly poolMax: number;
  readonly debug?: boolean;
}

/**
 * The ORM owns the pool, the transactions, the schema metadata and the migrator. Queries
 * themselves are hand-written SQL (see SqlSession): locking, SKIP LOCKED, ON CONFLICT and
 * version checks are explicit, and no entity instance ever reaches the domain.
 */
export async function createOrm(options: OrmOptions): Promise<MikroORM> {
  return MikroORM.init({
    clientUrl: options.clientUrl,
    entities: [...ENTITIES],
    pool: { min: 0, max: options.poolMax, idleTimeoutMillis: 10_000 },
    extensions: [Migrator],
    debug: options.debug ?? false,
    // The database is created by whoever provisions it (or by the test harness).
    ensureDatabase: false,
    allowGlobalContext: false,
    migrations: {
      path: MIGRATIONS_DIR,
      pathTs: MIGRATIONS_DIR,
      glob: '!(*.d).{js,ts}',
      tableName: MIGRATIONS_TABLE,
      emit: 'ts',
      transactional: true,
      allOrNothing: true,
      // The entities are the source of truth; no snapshot file gets written next to the code.
      snapshot: false,
      snapshotOnMigrate: false,
      silent: true,
    },
  });
}

import { fileURLToPath } from 'node:url';
import { Migrator } from '@mikro-orm/migrations';
import { type MigrationObject, MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { type PostgresTimeouts, resolveTimeouts } from '../postgres-config.js';
import { ENTITIES } from '../schema/entities.js';
import { destroyBrokenClients } from './pool-guard.js';
import { isStalePreparedStatement, preparedName } from '../sql/prepared-statements.js';

/** Checked-in migrations: `src/migrations/*.ts` under tsx, `dist/migrations/*.js` when built. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));
export const MIGRATIONS_TABLE = 'mikro_orm_migrations';

export interface OrmOptions {
  readonly clientUrl: string;
  readonly poolMax: number;
  readonly debug?: boolean;
  /** Default `DEFAULT_TIMEOUTS`. */
  readonly timeouts?: Partial<PostgresTimeouts>;
  /**
   * Send statement, lock and idle-in-transaction timeouts as session settings (default
   * true). Embedded PGlite has one backend and no timer signals, so it gets only the
   * client-side bounds (connect, acquire).
   */
  readonly sessionTimeouts?: boolean;
  /**
   * Send registered hot statements as named prepared statements (default true; see
   * sql/prepared-statements.ts). Off for embedded PGlite, whose one backend session outlives
   * the connections that prepared them.
   */
  readonly preparedStatements?: boolean;
  /** Called with each pg pool MikroORM creates (its figures feed `poolStats`). */
  readonly onPool?: (pool: pg.Pool) => void;
  /** For tests of the migration runner: these migrations instead of the checked-in files. */
  readonly migrationsList?: readonly MigrationObject[];
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
    driverOptions: driverOptions(
      resolveTimeouts(options.timeouts),
      options.sessionTimeouts ?? true,
      options.preparedStatements ?? true,
      options.onPool,
    ),
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
      ...(options.migrationsList ? { migrationsList: [...options.migrationsList] } : {}),
    },
  });
}

/** pg Pool options that MikroORM merges over its own: the bounds, and the broken-client guard. */
function driverOptions(
  t: PostgresTimeouts,
  sessionTimeouts: boolean,
  preparedStatements: boolean,
  onPool: ((pool: pg.Pool) => void) | undefined,
): Record<string, unknown> {
  return {
    // pg-pool applies this to a caller waiting for a busy pool and to a new connection alike;
    // the client class below bounds the connection attempt itself separately.
    connectionTimeoutMillis: t.acquireMs,
    Client: clientClass(t.connectMs, preparedStatements),
    keepAlive: true,
    ...(sessionTimeouts
      ? {
          statement_timeout: t.statementMs,
          lock_timeout: t.lockMs,
          idle_in_transaction_session_timeout: t.idleInTransactionMs,
        }
      : {}),
    onPoolCreated: (pool: pg.Pool) => {
      destroyBrokenClients(pool);
      onPool?.(pool);
    },
  };
}

function clientClass(connectMs: number, preparedStatements: boolean): typeof pg.Client {
  class BoundedClient extends pg.Client {
    constructor(config: pg.ClientConfig) {
      super({ ...config, connectionTimeoutMillis: connectMs });
    }
  }
  if (!preparedStatements) return BoundedClient;
  // Registered hot statements go as named prepared statements (sql/prepared-statements.ts).
  // Kysely calls query(text, values) and pg-pool query(text, values, callback): both land here.
  Object.defineProperty(BoundedClient.prototype, 'query', {
    value: function query(this: pg.Client, ...args: unknown[]): unknown {
      // Looked up per call, not captured: whatever wraps pg.Client's query later (tracing
      // instrumentation, a statement counter) still sees every statement.
      const plain = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;
      const [text, values, callback] = args;
      const name = typeof text === 'string' ? preparedName(text) : null;
      if (name === null || !(values === undefined || Array.isArray(values))) return plain.apply(this, args);
      const config = { name, text, values };
      // pg-pool destroys a client released with an error (its callback form); a transaction's
      // client is closed here, and pool-guard hands it back broken.
      if (typeof callback === 'function') return plain.call(this, config, callback);
      return (plain.call(this, config) as Promise<unknown>).catch((error: unknown) => {
        if (isStalePreparedStatement(error)) void this.end().catch(() => {});
        throw error;
      });
    },
    writable: true,
    configurable: true,
  });
  return BoundedClient;
}

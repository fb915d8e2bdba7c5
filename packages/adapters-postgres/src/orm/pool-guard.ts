import type pg from 'pg';

/**
 * Hand a checked-out client whose connection broke back to pg-pool with its error, so the
 * pool destroys it and opens a fresh one on demand.
 *
 * Why: kysely's ControlledTransaction (0.29) releases its client only after COMMIT or
 * ROLLBACK succeeded, and MikroORM only logs a failed ROLLBACK. A backend that died
 * inside a transaction (pg_terminate_backend, idle_in_transaction_session_timeout, a
 * server restart) therefore kept its client checked out for good: with a pool of 2, two
 * such deaths left every query, ping() and close() waiting forever. The holder's own
 * later release, if it ever comes, is made a no-op (pg-pool throws on a double release).
 */
export function destroyBrokenClients(pool: pg.Pool): void {
  const checkedOut = new Set<pg.PoolClient>();
  pool.on('acquire', (client) => {
    checkedOut.add(client);
  });
  pool.on('release', (_error, client) => {
    checkedOut.delete(client);
  });
  pool.on('connect', (client) => {
    const destroy = (error?: Error): void => {
      if (!checkedOut.has(client)) return; // idle clients are pg-pool's own business
      const release = client.release;
      client.release = () => {};
      release(error ?? new Error('connection ended while checked out'));
    };
    client.on('error', destroy);
    client.on('end', () => destroy());
  });
}

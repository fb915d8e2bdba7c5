import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A postgres:// URL for the socket server (loopback, ephemeral port). */
  readonly url: string;
  /** How many connections the server accepts: the pg pool must not ask for more. */
  readonly maxConnections: number;
  stop(): Promise<void>;
}

/**
 * initdb writes PostgreSQL's server defaults (128 MB shared_buffers, 4 MB wal_buffers), sized
 * for a machine of its own; in one WASM heap next to the API they are resident memory. Given
 * as start parameters, not written to postgresql.conf, so they follow the code, not the folder.
 */
const LEAN_SETTINGS = ['-c', 'shared_buffers=16MB'];

/**
 * PostgreSQL compiled to WASM (PGlite) behind a wire-protocol socket, so the very same
 * pg/MikroORM code path serves both modes. One backend: transactions run one at a time.
 * `dataDir` may be a folder (created if missing) or `memory://` for a throwaway database.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  if (!dataDir.startsWith('memory://')) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir, startParams: [...PGlite.defaultStartParams, ...LEAN_SETTINGS] });
  // One connection: with more, the multiplexer would still serialise transactions and a
  // query outside the open transaction would only wait longer.
  const maxConnections = 1;
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
  return {
    url,
    maxConnections,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server tests use (DATABASE_URL, default the local one), for admin statements. */
export const SERVER_URL = process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs one statement on the server's maintenance database; returns its rows. */
export async function admin(sql: string, values: unknown[] = []): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows;
  } finally {
    await client.end();
  }
}

export interface ScratchDatabase {
  readonly name: string;
  /** The server's URL with this database's name. */
  readonly url: URL;
  create(): Promise<void>;
  /** Drops it even with connections left open (a killed worker's). */
  drop(): Promise<void>;
}

/** A database of the test file's own, named so parallel runs never meet. */
export function scratchDatabase(prefix: string): ScratchDatabase {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url,
    create: async () => {
      await admin(`create database "${name}"`);
    },
    drop: async () => {
      await admin(`drop database if exists "${name}" with (force)`);
    },
  };
}

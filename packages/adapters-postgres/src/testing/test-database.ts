import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DEFAULT_DATABASE_URL } from '../postgres-config.js';

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** The server tests run against: DATABASE_URL, or the documented local default. */
export function serverUrl(): string {
  return process.env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
}

/**
 * A fresh database on the server for one test file, so parallel turbo tasks and runs
 * never share state.
 */
export async function createTestDatabase(prefix = 'khaacho_test'): Promise<TestDatabase> {
  const base = serverUrl();
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(base, `create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => admin(base, `drop database if exists "${name}" with (force)`),
  };
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

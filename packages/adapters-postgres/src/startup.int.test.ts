import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { DomainError, ErrorCodes } from '@khaacho/core';
import pg from 'pg';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPostgresPersistence } from './create-postgres-persistence.js';
import { migrateDown } from './migrations.js';
import { createTestDatabase, serverUrl } from './testing/test-database.js';

const test = suite('startup: fail fast on a missing or unmigrated database, exit after await using');

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (!DomainError.is(outcome)) throw new Error(`expected a domain error, got ${String(outcome)}`);
  return outcome;
}

async function tableExists(url: string, table: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ t: string | null }>('select to_regclass($1)::text as t', [table]);
    return rows[0]?.t != null;
  } finally {
    await client.end();
  }
}

test('an unmigrated database is refused at startup, naming the fix, and left untouched', async () => {
  const db = await createTestDatabase();
  try {
    const error = await failure(createPostgresPersistence({ databaseUrl: db.url }));
    assert.is(error.code, ErrorCodes.MIGRATIONS_PENDING);
    assert.is(error.kind, 'unavailable');
    assert.match(error.message, 'khaacho migrate up');
    assert.match(error.message, 'migrate: true');
    assert.not.ok(await tableExists(db.url, 'mikro_orm_migrations'), 'the check created the migrations table');
  } finally {
    await db.drop();
  }
});

test('a database one migration behind is refused, naming the pending migration', async () => {
  const db = await createTestDatabase();
  try {
    const migrated = await createPostgresPersistence({ databaseUrl: db.url, migrate: true, poolMax: 2 });
    const [reverted] = await migrateDown(migrated, 1);
    await migrated.close();
    const error = await failure(createPostgresPersistence({ databaseUrl: db.url }));
    assert.is(error.code, ErrorCodes.MIGRATIONS_PENDING);
    assert.equal(error.details.pending, [reverted]);
    assert.match(error.message, String(reverted));
  } finally {
    await db.drop();
  }
});

test('migrate: true brings an empty database up, after which a plain start passes the check', async () => {
  const db = await createTestDatabase();
  try {
    const first = await createPostgresPersistence({ databaseUrl: db.url, migrate: true, poolMax: 2 });
    await first.close();
    const second = await createPostgresPersistence({ databaseUrl: db.url, poolMax: 2 });
    try {
      await second.ping();
      assert.equal(await second.repos.retailers.get('00000000-0000-7000-8000-000000000000' as never), null);
    } finally {
      await second.close();
    }
  } finally {
    await db.drop();
  }
});

test('a missing database is a typed error that names it', async () => {
  const url = new URL(serverUrl());
  url.pathname = `/khaacho_missing_${process.pid}`;
  for (const migrate of [false, true]) {
    const error = await failure(createPostgresPersistence({ databaseUrl: url.toString(), migrate }));
    assert.is(error.code, ErrorCodes.DATABASE_MISSING);
    assert.is(error.kind, 'unavailable');
    assert.match(error.message, `khaacho_missing_${process.pid}`);
  }
});

test('worker-ops 4: a server that never answered is "could not connect to <host:port>", not "connection lost"; the password is not echoed', async () => {
  const closed = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
  const error = await failure(
    createPostgresPersistence({
      databaseUrl: `postgres://postgres:s3cret@127.0.0.1:${closed}/khaacho`,
      timeouts: { connectMs: 2_000, acquireMs: 2_000 },
    }),
  );
  assert.is(error.code, ErrorCodes.CONNECTION_LOST);
  assert.is(error.message.startsWith(`could not connect to 127.0.0.1:${closed}`), true, error.message);
  assert.not.match(error.message, 'connection was lost');
  assert.not.match(`${error.message} ${JSON.stringify(error.details)}`, 's3cret');
});

test('embedded mode under await using lets the process exit by itself', async () => {
  // A program of its own, run as Node 24 runs it (native `await using`; tsx only loads the TS module).
  const program = `
    import { createPostgresPersistence } from ${JSON.stringify(new URL('./create-postgres-persistence.ts', import.meta.url).href)};
    {
      await using persistence = await createPostgresPersistence({ dataDir: 'memory://' });
      await persistence.ping();
      console.log('ready ' + persistence.mode);
    }
    console.log('scope left');`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', program], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  const code = await new Promise<number | string>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('still running after 60 s');
    }, 60_000);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve(status ?? 'killed');
    });
  });
  assert.is(code, 0, out);
  assert.match(out, 'ready embedded');
  assert.match(out, 'scope left');
});

test.run();

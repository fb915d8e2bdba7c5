import * as assert from 'uvu/assert';
import { suite } from 'uvu';
import { runCli } from './cli/cli.js';
import { migrateDown, migrateUp, migrationStatus } from './migrations-runner.js';
import { createOrm } from './orm/create-orm.js';
import { createTestDatabase } from './testing/test-database.js';

/*
 * Issue 8 item 5: two `migrate up` at once made one fail with a raw catalog error
 * (both created the migrations table and the schema). Migrations now run under a
 * PostgreSQL advisory lock; and `--steps abc` / `--steps -1` exited 0 doing nothing.
 */
const test = suite('migration lock and CLI (real server)');

test('two ORMs migrating one database at once both succeed; the migrations are applied once', async () => {
  const db = await createTestDatabase('khaacho_miglock');
  const [a, b] = await Promise.all([
    createOrm({ clientUrl: db.url, poolMax: 2 }),
    createOrm({ clientUrl: db.url, poolMax: 2 }),
  ]);
  try {
    const [fromA, fromB] = await Promise.all([migrateUp(a), migrateUp(b)]);
    const status = await migrationStatus(a);
    assert.equal(status.pending, [], 'nothing pending');
    assert.equal([...fromA, ...fromB].sort(), [...status.executed].sort(), 'each migration applied by exactly one');
    const [downA, downB] = await Promise.all([migrateDown(a, 'all'), migrateDown(b, 'all')]);
    assert.equal([...downA, ...downB].sort(), [...status.executed].sort(), 'each reverted by exactly one');
  } finally {
    await a.close(true);
    await b.close(true);
    await db.drop();
  }
});

/** The CLI in this process, its output recorded: a second `khaacho` is a second set of sessions. */
async function khaacho(args: string[], databaseUrl: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(
    args,
    { DATABASE_URL: databaseUrl },
    {
      log: (line) => {
        out += `${line}\n`;
      },
      error: (line) => {
        err += `${line}\n`;
      },
    },
  );
  return { code, out, err };
}

test('two `khaacho migrate up` at once both exit 0; `--steps abc` and `--steps -1` exit 2 and revert nothing', async () => {
  const db = await createTestDatabase('khaacho_miglock');
  try {
    const [one, two] = await Promise.all([khaacho(['migrate', 'up'], db.url), khaacho(['migrate', 'up'], db.url)]);
    assert.is(one.code, 0, one.err);
    assert.is(two.code, 0, two.err);
    assert.match(one.out + two.out, /applied: \(none\)/, 'the second found the work done');
    for (const steps of ['abc', '-1']) {
      const run = await khaacho(['migrate', 'down', '--steps', steps], db.url);
      assert.is(run.code, 2, run.out + run.err);
      assert.match(run.err, /usage:/);
      assert.is(run.out, '', 'nothing done');
    }
    const status = await khaacho(['migrate', 'status'], db.url);
    assert.match(status.out, /pending: \(none\)/, 'fully migrated, nothing reverted');
  } finally {
    await db.drop();
  }
});

test.run();

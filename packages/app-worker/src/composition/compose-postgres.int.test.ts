import { POSTGRES_PERSISTENCE } from '@khaacho/adapters-postgres';
import { ErrorCodes, type Token, UNIT_OF_WORK, USE_CASE_TOKENS, USE_CASES } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { orderJourney } from '../testing/order-journey.js';
import { composeContainer } from './compose-container.js';
import { admin, scratchDatabase } from '../testing/scratch-database.js';

const database = scratchDatabase('khaacho_worker');
const { name, url } = database;

async function connectionsTo(database: string): Promise<number> {
  const [row] = (await admin('select count(*)::int as n from pg_stat_activity where datname = $1', [database])) as {
    n: number;
  }[];
  return row?.n ?? -1;
}

test.before(async () => {
  await database.create();
});
test.after(async () => {
  await database.drop();
});

test('on PostgreSQL: composes, migrates, resolves every use case, runs an order journey, closes the pool', async () => {
  const app = await composeContainer(
    workerConfigFromEnv({ DATABASE_URL: url.toString(), KHAACHO_DB_MIGRATE: 'true', LOG_LEVEL: 'silent' }),
  );
  try {
    assert.is(app.adapters.store, 'postgres');
    assert.is(app.get(POSTGRES_PERSISTENCE).mode, 'server');
    assert.is(app.get(UNIT_OF_WORK), app.get(POSTGRES_PERSISTENCE).uow);
    const all = app.get(USE_CASES);
    for (const [key, service] of Object.entries(USE_CASE_TOKENS) as [keyof typeof all, Token<unknown>][]) {
      assert.is(app.get(service), all[key], key);
    }
    await app.ready();
    assert.is(await orderJourney(app), 'COMPLETED');
    assert.ok((await connectionsTo(name)) > 0, 'the pool is connected while composed');
  } finally {
    await app.close();
  }
  // Closing the container ran the persistence's deactivation: no connection is left open.
  assert.is(await connectionsTo(name), 0);
});

test('a missing database: composition fails with STORAGE.DATABASE_MISSING, naming it', async () => {
  try {
    await composeContainer(
      workerConfigFromEnv({ DATABASE_URL: url.toString().replace(name, `${name}_none`), LOG_LEVEL: 'silent' }),
    );
    assert.unreachable('composed against a missing database');
  } catch (error) {
    assert.is((error as { code?: string }).code, ErrorCodes.DATABASE_MISSING);
  }
});

test.run();

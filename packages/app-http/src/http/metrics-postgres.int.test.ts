import { POSTGRES_PERSISTENCE } from '@khaacho/adapters-postgres';
import { UNIT_OF_WORK } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scratchDatabase } from '../testing/scratch-database.js';
import { startTestApp } from '../testing/test-app.js';

function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const bare = line.startsWith(`${name} `);
    if (!bare && !line.startsWith(`${name}{`)) continue;
    const inside = bare ? '' : line.slice(name.length + 1, line.indexOf('}'));
    if (want.every((w) => inside.split(',').includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

test('on PostgreSQL /metrics shows the pool: its bound, open and idle connections, one in use inside a transaction', async () => {
  const database = scratchDatabase('khaacho_http_metrics');
  await database.create();
  const app = await startTestApp({ databaseUrl: database.url.toString() });
  try {
    const pool = (text: string, state: string) => sample(text, 'khaacho_db_pool_connections', { state });
    const idle = (await app.request('GET', '/metrics')).body as string;
    assert.is(pool(idle, 'max'), 10, 'KHAACHO_DB_POOL_MAX default');
    assert.ok((pool(idle, 'total') ?? 0) >= 1, 'migrations and the scrape opened a connection');
    assert.is(pool(idle, 'in_use'), 0, 'nothing checked out between requests');
    assert.is(pool(idle, 'total'), pool(idle, 'idle'));
    assert.is(sample(idle, 'khaacho_db_pool_waiting'), 0);

    const during = await app.composition.get(UNIT_OF_WORK).run(async (tx) => {
      await tx.orders.countByStatus(); // the transaction holds its connection from here to the end
      return (await app.request('GET', '/metrics')).body as string;
    });
    assert.ok((pool(during, 'in_use') ?? 0) >= 1, 'the open transaction’s connection is in use');
    assert.equal(app.composition.get(POSTGRES_PERSISTENCE).poolStats().waiting, 0);
  } finally {
    await app.close();
    await database.drop();
  }
});

test('on the in-memory store there is no pool, so no pool series', async () => {
  const app = await startTestApp();
  try {
    const text = (await app.request('GET', '/metrics')).body as string;
    assert.not.ok(text.includes('khaacho_db_pool'), 'no made-up pool figures');
  } finally {
    await app.close();
  }
});

test.run();

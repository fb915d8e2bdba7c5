import { randomUUID } from 'node:crypto';
import { Money, PhoneNumber, SYSTEM_ACTOR, USE_CASE_TOKENS, type UserId, unwrap } from '@khaacho/core';
import pg from 'pg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scratchDatabase } from '../../testing/scratch-database.js';
import { seedShop, startTestApp } from '../../testing/test-app.js';

const SHOPS = 6;
const PACKET = 2_000; // NPR 20.00 a packet (seedShop's cheaper offer)

/** Statements the app sends to PostgreSQL while `work` runs (every pg client of this process). */
async function countQueries<T>(work: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  let queries = 0;
  proto.query = function (this: unknown, ...args: unknown[]) {
    queries += 1;
    return original.apply(this, args);
  };
  try {
    return { result: await work(), queries };
  } finally {
    proto.query = original;
  }
}

test('on PostgreSQL the held-orders queue reads the credit of every shop on the page at once: each figure right, as many queries for six shops as for one', async () => {
  const database = scratchDatabase('khaacho_http_approvals');
  await database.create();
  const app = await startTestApp({ risk: 'allow-all', databaseUrl: database.url.toString() });
  try {
    const seeded = await seedShop(app);
    const expected = new Map<string, { limit: number; available: number; overBy: number }>();
    for (let i = 0; i < SHOPS; i += 1) {
      // Limits and open orders differ per shop, so a figure read for the wrong shop shows.
      const limit = (100_000 + 10_000 * i) * 100;
      const retailer = unwrap(
        await app.composition.get(USE_CASE_TOKENS.registerRetailer).execute({
          name: `Held Shop ${i}`,
          phone: PhoneNumber.parse(`98420000${String(i).padStart(2, '0')}`),
          area: 'kathmandu-10',
          district: 'kathmandu',
          creditLimit: Money.of(limit),
          status: 'ACTIVE',
          actor: SYSTEM_ACTOR,
        }),
      );
      const token = app.auth.issue({
        userId: randomUUID() as UserId,
        role: 'RETAILER',
        retailerId: retailer.id,
        vendorId: null,
      });
      let open = 0;
      for (let k = 0; k <= i; k += 1) {
        const packets = 5 + k;
        const fits = await app.request('POST', '/api/v1/orders', {
          token,
          body: { lines: [{ sku: 'WAIWAI-75', quantity: packets }] },
        });
        assert.is(fits.body.order?.status, 'ROUTING', JSON.stringify(fits.body));
        open += packets * PACKET;
      }
      const overPackets = limit / PACKET + 100 + i;
      const held = await app.request('POST', '/api/v1/orders', {
        token,
        body: { lines: [{ sku: 'WAIWAI-75', quantity: overPackets }] },
      });
      assert.is(held.body.order?.status, 'ON_HOLD', JSON.stringify(held.body));
      const available = limit - open;
      expected.set(held.body.order.id, { limit, available, overBy: overPackets * PACKET - available });
    }

    const list = (limit: number) =>
      countQueries(() =>
        app.request('GET', `/api/v1/admin/approvals/orders?holdReason=CREDIT_LIMIT&limit=${limit}`, {
          token: seeded.tokens.operator,
        }),
      );
    await list(1); // warm: pool connections, prepared routes
    const one = await list(1);
    const all = await list(100);
    assert.is(all.result.status, 200);
    assert.is(all.result.body.items.length, SHOPS);
    for (const item of all.result.body.items as {
      order: { id: string };
      creditLimit: { amount: number };
      available: { amount: number };
      overBy: { amount: number };
    }[]) {
      assert.equal(
        { limit: item.creditLimit.amount, available: item.available.amount, overBy: item.overBy.amount },
        expected.get(item.order.id),
        `credit of ${item.order.id}`,
      );
    }
    assert.is(one.result.body.items.length, 1);
    assert.ok(one.queries > 0, 'the counter sees the app’s statements');
    assert.is(all.queries, one.queries, `a page of ${SHOPS} shops: ${all.queries} queries; of one: ${one.queries}`);
  } finally {
    await app.close();
    await database.drop();
  }
});

test.run();

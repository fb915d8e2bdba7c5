import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { DomainError, type ErrorCode, ErrorCodes } from '../shared/errors.js';
import type { RetailerId } from '../shared/ids.js';
import { createTestWorld } from '../testing/test-world.js';

// review8 leftovers: what PostgreSQL would refuse with its own text, memory accepted. The
// domain refuses it first, so both adapters answer the same code.
async function codeOf(work: () => Promise<unknown>): Promise<ErrorCode | string> {
  try {
    const done = (await work()) as { ok?: unknown; error?: { code?: ErrorCode } } | undefined;
    return done?.ok === false && done.error?.code ? done.error.code : 'none';
  } catch (e) {
    return DomainError.is(e) ? e.code : `raw ${String(e)}`;
  }
}

test('review8: a vendor dailyCapacity past int4 is OUT_OF_RANGE; 2^31-1 is accepted', async () => {
  const world = createTestWorld();
  assert.is(await codeOf(() => world.given.vendor({ dailyCapacity: 2 ** 31 })), ErrorCodes.OUT_OF_RANGE);
  assert.is(await codeOf(() => world.given.vendor({ dailyCapacity: 2 ** 31 - 1 })), 'none');
});

test('review8: an offer or product whose active is not a boolean is INVALID_COMMAND', async () => {
  const world = createTestWorld();
  const vendor = await world.given.vendor();
  assert.is(await codeOf(() => world.given.product({ active: 'false' as never })), ErrorCodes.INVALID_COMMAND);
  const product = await world.given.product();
  assert.is(
    await codeOf(() => world.given.offer({ vendorId: vendor.id, productId: product.id, active: 0 as never })),
    ErrorCodes.INVALID_COMMAND,
  );
  assert.is(
    await codeOf(() => world.given.offer({ vendorId: vendor.id, productId: product.id, active: false })),
    'none',
  );
});

test('review8: ListOrders refuses a filter id that is not a UUID', async () => {
  const world = createTestWorld();
  const list = (filter: object) => world.useCases.listOrders.execute({ filter, page: { limit: 10 } });
  assert.is(await codeOf(() => list({ retailerId: 'KH-1' as RetailerId })), ErrorCodes.INVALID_ID);
  assert.is(await codeOf(() => list({ vendorId: 42 })), ErrorCodes.INVALID_ID);
  assert.is(await codeOf(() => list({ placedFrom: new Date('nope') })), ErrorCodes.INVALID_COMMAND);
  assert.is(await codeOf(() => list({})), 'none');
});

test('review8: expireOverdueOffers refuses a limit that is NaN, negative or fractional', async () => {
  const world = createTestWorld();
  const expire = (limit: number) => world.useCases.expireOverdueOffers.execute({ actor: SYSTEM_ACTOR, limit });
  for (const limit of [Number.NaN, -1, 0, 1.5, 1e9]) {
    assert.is(await codeOf(() => expire(limit)), ErrorCodes.OUT_OF_RANGE, String(limit));
  }
  assert.is(await codeOf(() => expire(5)), 'none');
});

test.run();

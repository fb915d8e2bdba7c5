import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventTypes } from '../events/event-catalog.js';
import { ErrorCodes, ValidationError } from '../shared/errors.js';
import { errorWith, expectRejects } from '../testing/contract.js';
import type { RetailerId } from '../shared/ids.js';
import { uniquePhone } from '../testing/builders.js';
import { expectFailure, expectOk } from '../testing/outcomes.js';
import { createTestWorld, type TestWorld } from '../testing/test-world.js';

const OPERATOR = { type: 'operator', id: 'op-1' } as const;

async function shopWithOffer(world: TestWorld) {
  const vendor = await world.given.vendor();
  const product = await world.given.product();
  await world.given.offer({ vendorId: vendor.id, productId: product.id });
  const retailer = expectOk(
    await world.useCases.registerRetailer.execute({
      name: 'Hari Pasal',
      phone: uniquePhone(),
      area: 'kathmandu-10',
      district: 'kathmandu',
      actor: { type: 'retailer', id: null },
    }),
  );
  return { retailer, product };
}

const order = (world: TestWorld, retailerId: RetailerId, productId: string) =>
  world.useCases.placeOrder.execute({
    retailerId,
    lines: [{ productId: productId as never, quantity: 1 }],
    source: 'whatsapp',
    actor: { type: 'retailer', id: retailerId },
  });

async function statusEvents(world: TestWorld) {
  const claimed = await world.persistence.outbox.claim({ limit: 1_000, leaseMs: 60_000, now: world.clock.now() });
  return claimed
    .map((m) => m.event)
    .filter((e) => e.type === EventTypes.RETAILER_APPROVED || e.type === EventTypes.RETAILER_SUSPENDED);
}

test('issue 9: a retailer registered by RegisterRetailer can order once approved (it starts PENDING_KYC)', async () => {
  const world = createTestWorld();
  const { retailer, product } = await shopWithOffer(world);
  assert.is(retailer.status, 'PENDING_KYC');
  const early = expectFailure(await order(world, retailer.id, product.id), ErrorCodes.PARTY_INACTIVE);
  assert.is(early.details.status, 'PENDING_KYC');

  const approved = expectOk(
    await world.useCases.approveRetailer.execute({ retailerId: retailer.id, reason: 'KYC checked', actor: OPERATOR }),
  );
  assert.is(approved.status, 'ACTIVE');
  assert.is((await world.repos.retailers.get(retailer.id))?.status, 'ACTIVE');
  assert.is(expectOk(await order(world, retailer.id, product.id)).status, 'ROUTING');
});

test('suspend refuses new orders; approving a suspended retailer reinstates it; each change is audited', async () => {
  const world = createTestWorld();
  const { retailer, product } = await shopWithOffer(world);
  const cmd = { retailerId: retailer.id, actor: OPERATOR };
  expectOk(await world.useCases.approveRetailer.execute({ ...cmd, reason: 'KYC checked' }));
  expectOk(await world.useCases.suspendRetailer.execute({ ...cmd, reason: 'cheque bounced' }));
  expectFailure(await order(world, retailer.id, product.id), ErrorCodes.PARTY_INACTIVE);
  expectOk(await world.useCases.suspendRetailer.execute({ ...cmd, reason: 'again' }));
  expectOk(await world.useCases.approveRetailer.execute({ ...cmd, reason: 'paid in cash' }));
  expectOk(await order(world, retailer.id, product.id));

  const events = await statusEvents(world);
  assert.equal(
    events.map((e) => [e.type, e.payload.from, e.payload.to, e.payload.reason, e.payload.actor]),
    [
      ['retailer.approved', 'PENDING_KYC', 'ACTIVE', 'KYC checked', OPERATOR],
      ['retailer.suspended', 'ACTIVE', 'SUSPENDED', 'cheque bounced', OPERATOR],
      ['retailer.approved', 'SUSPENDED', 'ACTIVE', 'paid in cash', OPERATOR],
    ],
    'a repeated suspend changes nothing and raises nothing',
  );
});

test('only staff approve or suspend, with a reason; an unknown retailer is NOT_FOUND', async () => {
  const world = createTestWorld();
  const { retailer } = await shopWithOffer(world);
  const self = { type: 'retailer', id: retailer.id } as const;
  for (const actor of [self, { type: 'vendor', id: 'v-1' } as const, { type: 'system', id: null } as const]) {
    expectFailure(
      await world.useCases.approveRetailer.execute({ retailerId: retailer.id, reason: 'me', actor }),
      ErrorCodes.FORBIDDEN,
    );
  }
  assert.is((await world.repos.retailers.get(retailer.id))?.status, 'PENDING_KYC');
  await expectRejects(
    (async () => world.useCases.suspendRetailer.execute({ retailerId: retailer.id, reason: ' ', actor: OPERATOR }))(),
    errorWith(ValidationError.is, ErrorCodes.TEXT_REQUIRED),
    'a blank reason is a malformed command',
  );
  expectFailure(
    await world.useCases.suspendRetailer.execute({
      retailerId: world.ids.next() as RetailerId,
      reason: 'fraud',
      actor: OPERATOR,
    }),
    ErrorCodes.NOT_FOUND,
  );
  assert.equal(await statusEvents(world), []);
});

test('a retailer cannot register itself past KYC', async () => {
  const world = createTestWorld();
  const outcome = await world.useCases.registerRetailer.execute({
    name: 'Sneaky Pasal',
    phone: uniquePhone(),
    area: 'kathmandu-10',
    district: 'kathmandu',
    status: 'ACTIVE',
    actor: { type: 'retailer', id: null },
  });
  expectFailure(outcome, ErrorCodes.FORBIDDEN);
  assert.is((await world.repos.retailers.list({ limit: 10 })).items.length, 0);
});

test.run();

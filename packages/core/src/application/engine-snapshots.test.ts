import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { ErrorCodes } from '../shared/errors.js';
import type { ProductId, VendorId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { expectFailure, expectOk } from '../testing/outcomes.js';
import { createTestWorld, type TestWorld } from '../testing/test-world.js';
import { VENDOR_SNAPSHOT_MAX_AGE_MS } from './engine-snapshots.js';

async function deliveredOrder(world: TestWorld) {
  const retailer = await world.given.retailer();
  const vendor = await world.given.vendor();
  const product = await world.given.product();
  await world.given.offer({ vendorId: vendor.id, productId: product.id });
  const placed = expectOk(
    await world.useCases.placeOrder.execute({
      retailerId: retailer.id,
      lines: [{ productId: product.id, quantity: 2, unit: 'packet' }],
      source: 'whatsapp',
      actor: { type: 'retailer', id: retailer.id },
    }),
  );
  const orderId = placed.order.id;
  const asVendor = { type: 'vendor', id: vendor.id } as const;
  expectOk(await world.useCases.offerOrderToVendor.execute({ orderId, vendorId: vendor.id, actor: SYSTEM_ACTOR }));
  world.clock.advance(3 * 60_000);
  expectOk(await world.useCases.acceptVendorOffer.execute({ orderId, vendorId: vendor.id, actor: asVendor }));
  expectOk(await world.useCases.dispatchOrder.execute({ orderId, actor: asVendor }));
  world.clock.advance(2 * 60 * 60_000);
  expectOk(
    await world.useCases.deliverOrder.execute({
      orderId: orderId,
      actor: asVendor,
      code: await world.deliveryCode(orderId),
    }),
  );
  return { vendor, product, retailer };
}

const refreshVendor = (world: TestWorld, vendorId: VendorId) =>
  world.useCases.refreshVendorPerformance.execute({ vendorId, actor: SYSTEM_ACTOR });
const refreshProduct = (world: TestWorld, productId: ProductId) =>
  world.useCases.refreshPriceIntelligence.execute({ productId, actor: SYSTEM_ACTOR });

test('GetVendorPerformance computes on read until a refresh stores a snapshot, then reads the snapshot', async () => {
  const world = createTestWorld();
  const vendor = await world.given.vendor();
  const before = expectOk(await world.useCases.getVendorPerformance.execute({ vendorId: vendor.id }));
  assert.is(before.source, 'COMPUTED');
  assert.is(before.checkedAt, null);
  assert.is(await world.repos.vendorPerformance.get(vendor.id), null, 'a query stores nothing');

  const refreshed = expectOk(await refreshVendor(world, vendor.id));
  assert.ok(refreshed.changed);
  assert.is(refreshed.snapshot.version, 1);
  const after = expectOk(await world.useCases.getVendorPerformance.execute({ vendorId: vendor.id }));
  assert.is(after.source, 'SNAPSHOT');
  assert.equal(after.report, before.report, 'same history, same figures');
  assert.ok(world.logger.records.some((e) => e.message === 'vendor performance refreshed'));
});

test('RefreshVendorPerformance: an accepted and delivered order changes the stored figures; a rerun changes nothing', async () => {
  const world = createTestWorld();
  const vendor = await world.given.vendor();
  const empty = expectOk(await refreshVendor(world, vendor.id)).snapshot;
  assert.is(empty.report.reliability.score, null, 'no history');
  await deliveredOrderFor(world, vendor.id);

  const first = expectOk(await refreshVendor(world, vendor.id));
  assert.ok(first.changed);
  assert.is(first.snapshot.version, 2);
  const w30 = first.snapshot.report.windows.find((w) => w.windowDays === 30);
  assert.is(w30?.accepted, 1);
  assert.is(w30?.delivered, 1);
  assert.is(w30?.acceptanceRate, 1);
  assert.is(w30?.fulfilmentRate, 1);
  assert.ok((first.snapshot.report.reliability.score ?? 0) > 0.9);

  world.clock.advance(60_000);
  const again = expectOk(await refreshVendor(world, vendor.id));
  assert.not.ok(again.changed, 'same inputs: no new content');
  assert.is(again.snapshot.version, 2);
  assert.equal(again.snapshot.computedAt, first.snapshot.computedAt);
  const stored = await world.repos.vendorPerformance.get(vendor.id);
  assert.is(stored?.version, 2);
  assert.equal(stored?.checkedAt, world.clock.now(), 'the rerun is recorded as a check');
});

async function deliveredOrderFor(world: TestWorld, vendorId: VendorId) {
  const retailer = await world.given.retailer();
  const product = await world.given.product();
  await world.given.offer({ vendorId, productId: product.id });
  const placed = expectOk(
    await world.useCases.placeOrder.execute({
      retailerId: retailer.id,
      lines: [{ productId: product.id, quantity: 2, unit: 'packet' }],
      source: 'whatsapp',
      actor: { type: 'retailer', id: retailer.id },
    }),
  );
  const orderId = placed.order.id;
  const asVendor = { type: 'vendor', id: vendorId } as const;
  expectOk(await world.useCases.offerOrderToVendor.execute({ orderId, vendorId, actor: SYSTEM_ACTOR }));
  world.clock.advance(3 * 60_000);
  expectOk(await world.useCases.acceptVendorOffer.execute({ orderId, vendorId, actor: asVendor }));
  expectOk(await world.useCases.dispatchOrder.execute({ orderId, actor: asVendor }));
  world.clock.advance(2 * 60 * 60_000);
  expectOk(
    await world.useCases.deliverOrder.execute({
      orderId: orderId,
      actor: asVendor,
      code: await world.deliveryCode(orderId),
    }),
  );
}

test('RefreshPriceIntelligence: a price change shows in the stored insight; GetPriceIntelligence reads it', async () => {
  const world = createTestWorld();
  const [a, b, c] = [await world.given.vendor(), await world.given.vendor(), await world.given.vendor()];
  const product = await world.given.product();
  for (const v of [a, b, c])
    await world.given.offer({ vendorId: v.id, productId: product.id, unitPrice: Money.of(2_000) });
  const computed = expectOk(await world.useCases.getPriceIntelligence.execute({ productId: product.id }));
  assert.is(computed.source, 'COMPUTED');

  const first = expectOk(await refreshProduct(world, product.id)).snapshot;
  assert.is(first.insight.reference.median?.amount, 2_000);
  assert.equal(first.insight.alerts, []);

  // A day later, so the old price is from before the move alert's 24-hour window.
  world.clock.advance(25 * 60 * 60_000);
  await world.given.offer({ vendorId: c.id, productId: product.id, unitPrice: Money.of(2_600) });
  const second = expectOk(await refreshProduct(world, product.id));
  assert.ok(second.changed);
  assert.is(second.snapshot.version, 2);
  assert.is(second.snapshot.insight.reference.max?.amount, 2_600);
  assert.equal(
    second.snapshot.insight.alerts.map((x) => [x.type, x.vendorId]).sort(),
    [
      ['ABOVE_MEDIAN', c.id],
      ['PRICE_MOVE', c.id],
    ].sort(),
  );
  const read = expectOk(await world.useCases.getPriceIntelligence.execute({ productId: product.id }));
  assert.is(read.source, 'SNAPSHOT');
  assert.equal(read.insight, second.snapshot.insight);

  const rerun = expectOk(await refreshProduct(world, product.id));
  assert.not.ok(rerun.changed);
  assert.is(rerun.snapshot.version, 2);
});

test('refreshes of unknown subjects are NOT_FOUND and store nothing', async () => {
  const world = createTestWorld();
  const vendorId = world.ids.next() as VendorId;
  const productId = world.ids.next() as ProductId;
  expectFailure(await refreshVendor(world, vendorId), ErrorCodes.NOT_FOUND);
  expectFailure(await refreshProduct(world, productId), ErrorCodes.NOT_FOUND);
  expectFailure(await world.useCases.getVendorPerformance.execute({ vendorId }), ErrorCodes.NOT_FOUND);
  assert.is(await world.repos.vendorPerformance.get(vendorId), null);
});

test('routing ranks with a fresh snapshot and computes past its age', async () => {
  const world = createTestWorld();
  const { vendor } = await deliveredOrder(world);
  expectOk(await refreshVendor(world, vendor.id));
  // Tamper with the stored figures: routing must show it read them, not the history.
  const stored = (await world.repos.vendorPerformance.get(vendor.id)) as NonNullable<
    Awaited<ReturnType<TestWorld['repos']['vendorPerformance']['get']>>
  >;
  const marked = { ...stored.report.reliability, score: 0.123456, sampleSize: 7 };
  await world.repos.vendorPerformance.save({ ...stored, report: { ...stored.report, reliability: marked } });

  const retailer = await world.given.retailer();
  const product = await world.given.product();
  await world.given.offer({ vendorId: vendor.id, productId: product.id });
  const place = async () =>
    expectOk(
      await world.useCases.placeOrder.execute({
        retailerId: retailer.id,
        lines: [{ productId: product.id, quantity: 1, unit: 'packet' }],
        source: 'whatsapp',
        actor: { type: 'retailer', id: retailer.id },
      }),
    ).order.id;
  const reliabilityUsed = async () => {
    const orderId = await place();
    const routed = expectOk(await world.useCases.routeOrder.execute({ orderId, actor: SYSTEM_ACTOR }));
    assert.is(routed.outcome, 'OFFERED');
    if (routed.outcome !== 'OFFERED') throw new Error('not offered');
    const candidate = routed.decision.candidates.find((x) => x.vendorId === vendor.id);
    return candidate?.reliabilitySamples;
  };
  assert.is(await reliabilityUsed(), 7, 'the fresh snapshot ranked the vendor');
  world.clock.advance(VENDOR_SNAPSHOT_MAX_AGE_MS + 60_000);
  // Stale: computed from the history (one accepted offer, plus the one the first routing made).
  const stale = await reliabilityUsed();
  assert.ok(stale !== undefined && stale !== 7, `computed from history, got ${stale}`);
});

test.run();

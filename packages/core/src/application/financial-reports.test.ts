import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { purchaseVolumeReport } from '../engines/reports/purchase-volume-report.js';
import { reportPeriod } from '../engines/reports/report-period.js';
import type { OrderSnapshot } from '../order/order.js';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { ErrorCodes, ValidationError } from '../shared/errors.js';
import type { RetailerId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { expectFailure, expectOk } from '../testing/outcomes.js';
import { createTestWorld } from '../testing/test-world.js';

const MINUTE = 60_000;

/**
 * More confirmed orders than one read page (200), over three shops, two products and two
 * vendors, some left unconfirmed: the paged reports must equal the engines run on every
 * order at once.
 */
async function market() {
  const world = createTestWorld();
  const vendors = [
    await world.given.vendor({ dailyCapacity: 1_000 }),
    await world.given.vendor({ dailyCapacity: 1_000 }),
  ];
  const products = [await world.given.product(), await world.given.product({ baseUnit: 'kg', conversions: [] })];
  for (const [i, v] of vendors.entries()) {
    for (const p of products) {
      await world.given.offer({
        vendorId: v.id,
        productId: p.id,
        unit: p.baseUnit,
        unitPrice: Money.of(2_000 + i * 100),
        stockOnHand: 1_000_000,
      });
    }
  }
  const retailers = [
    await world.given.retailer({ creditLimit: Money.of(1_000_000_00) }),
    await world.given.retailer({ creditLimit: Money.of(1_000_000_00) }),
    await world.given.retailer({ creditLimit: Money.of(1_000_000_00) }),
  ];
  const from = world.clock.now();
  for (let i = 0; i < 230; i++) {
    world.clock.advance(MINUTE);
    const retailer = retailers[i % 3] as (typeof retailers)[number];
    const lines = [{ productId: (products[i % 2] as (typeof products)[number]).id, quantity: 1 + (i % 7) }];
    if (i % 5 === 0) lines.push({ productId: (products[(i + 1) % 2] as (typeof products)[number]).id, quantity: 2.5 });
    const placed = expectOk(
      await world.useCases.placeOrder.execute({ retailerId: retailer.id, lines, source: 'api', actor: SYSTEM_ACTOR }),
    );
    if (i % 11 === 0) continue; // stays ROUTING: not GMV
    const vendorId = (vendors[i % 2] as (typeof vendors)[number]).id;
    const orderId = placed.order.id;
    expectOk(await world.useCases.offerOrderToVendor.execute({ orderId, vendorId, actor: SYSTEM_ACTOR }));
    expectOk(
      await world.useCases.acceptVendorOffer.execute({ orderId, vendorId, actor: { type: 'vendor', id: vendorId } }),
    );
  }
  world.clock.advance(MINUTE);
  const to = world.clock.now();
  const all: OrderSnapshot[] = [];
  for (const r of retailers) {
    let cursor: string | null = null;
    do {
      const page = await world.repos.orders.list({ retailerId: r.id }, { cursor, limit: 200 });
      all.push(...page.items.map((o) => o.snapshot()));
      cursor = page.nextCursor;
    } while (cursor);
  }
  assert.is(all.length, 230);
  return { world, retailers, from, to, all };
}

test('ExportPurchaseVolume over pages of orders equals the engine over every order, for each grouping and one retailer', async () => {
  const { world, retailers, from, to, all } = await market();
  const json = (rows: unknown) => JSON.parse(JSON.stringify(rows));
  for (const groupBy of ['retailer', 'vendor', 'product'] as const) {
    const paged = expectOk(await world.useCases.exportPurchaseVolume.execute({ from, to, groupBy }));
    assert.equal(json(paged), json(purchaseVolumeReport(all, reportPeriod(from, to), groupBy)), groupBy);
    assert.ok(paged.length > 0);
  }
  const one = retailers[1]?.id as RetailerId;
  const own = expectOk(
    await world.useCases.exportPurchaseVolume.execute({ from, to, groupBy: 'product', retailerId: one }),
  );
  assert.equal(
    json(own),
    json(
      purchaseVolumeReport(
        all.filter((o) => o.retailerId === one),
        reportPeriod(from, to),
        'product',
      ),
    ),
  );
});

test('GetFinancialSummary and GetSalesTrend count every order of the period across pages; periods are bounded', async () => {
  const { world, from, to, all } = await market();
  const summary = expectOk(await world.useCases.getFinancialSummary.execute({ from, to }));
  assert.is(summary.dashboard.orderCount, 230);
  const gmv = all.filter((o) => o.status === 'CONFIRMED').reduce((a, o) => a + o.total.amount, 0);
  assert.is(summary.dashboard.gmv.amount, gmv);
  assert.is(summary.accounts, 3);
  assert.is(summary.heldTotal.amount, gmv, 'every confirmed order holds its total');
  const trend = expectOk(await world.useCases.getSalesTrend.execute({ from, to, granularity: 'day' }));
  assert.is(
    trend.reduce((a, r) => a + r.gmv.amount, 0),
    gmv,
  );
  const long = new Date(from.getTime() + 401 * 86_400_000);
  for (const bad of [
    { from: to, to: from },
    { from, to: long },
  ]) {
    const refused = await world.useCases.getSalesTrend.execute(bad).then(
      () => null,
      (e: unknown) => e,
    );
    assert.instance(refused, ValidationError);
  }
});

test('account reports page over retailers: every account once, NOT_FOUND for a retailer without one', async () => {
  const { world } = await market();
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: readonly { retailerId: string }[]; nextCursor: string | null } = expectOk(
      await world.useCases.exportCreditSummary.execute({ page: { cursor, limit: 2 } }),
    );
    seen.push(...page.items.map((r) => r.retailerId));
    cursor = page.nextCursor;
  } while (cursor);
  assert.is(seen.length, 3);
  assert.is(new Set(seen).size, 3);
  const missing = await world.useCases.exportOutstandingLiability.execute({
    retailerId: '00000000-0000-7000-8000-000000000000' as RetailerId,
    page: { limit: 10 },
  });
  expectFailure(missing, ErrorCodes.NOT_FOUND);
});

test.run();

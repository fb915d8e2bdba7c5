// The catalog cache on real PostgreSQL and a redis-server of this test's own: a product or
// offer change made elsewhere is visible once its event is consumed (one made in this
// process at once), and a killed Redis costs a database read, never an error.
import {
  Money,
  ORDER_TEXT_PARSER,
  OUTBOX,
  type Product,
  QueueNames,
  REPOSITORIES,
  SYSTEM_ACTOR,
  USE_CASE_TOKENS,
  unwrap,
  type VendorId,
} from '@khaacho/core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Composition, composeContainer } from '../composition/compose-container.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { createOwnDatabase, type OwnDatabase, type OwnRedis, startOwnRedis } from '../testing/fault-harness.js';
import { eventually, type FlowWorld, flowWorld } from '../testing/flow-world.js';
import { startWorker, type WorkerHandle } from '../worker/start-worker.js';

const ctx: {
  db?: OwnDatabase;
  redis?: OwnRedis;
  app?: Composition;
  /** Another process writing the catalog (the API, say) with no access to this Redis: only events reach the worker's cache. */
  writer?: Composition;
  worker?: WorkerHandle;
  world?: FlowWorld;
} = {};
const app = () => ctx.app as Composition;
const db = () => ctx.db as OwnDatabase;
const world = () => ctx.world as FlowWorld;
const SKU = 'WAIWAI-k';

/** The world's vendors, cheapest first. */
function vendor(i: number): { readonly id: VendorId } {
  const v = world().vendors[i];
  assert.ok(v, `vendor ${i}`);
  return v;
}

/** Every catalog event in the outbox has had its invalidation job run. */
async function catalogEventsConsumed(): Promise<boolean> {
  const [row] = await db().query<{ n: string }>(
    `select count(*) as n from outbox where aggregate_type in ('product', 'vendor_offer')`,
  );
  const stats = await app().get(OUTBOX).stats(new Date());
  const done = ctx.worker?.status().queues[QueueNames.ORDER_PROCESSING]?.succeeded ?? 0;
  return stats.pending === 0 && done === Number(row?.n);
}

async function product(): Promise<Product> {
  const p = await app().get(REPOSITORIES).products.getBySku(SKU);
  assert.ok(p, 'the product exists');
  return p;
}

/** Price per vendor, in minor units, as the (cached) repositories answer outside a transaction. */
async function prices(): Promise<Map<VendorId, number>> {
  const offers = await app()
    .get(REPOSITORIES)
    .offers.listActiveForProducts([(await product()).id]);
  return new Map(offers.map((o) => [o.vendorId, o.unitPrice.amount]));
}

const reprice = async (vendorId: VendorId, price: string, via = app()) =>
  unwrap(
    await via.get(USE_CASE_TOKENS.upsertVendorOffer).execute({
      vendorId,
      productId: (await product()).id,
      unit: 'packet',
      unitPrice: Money.parse(price),
      stockOnHand: 3000,
      actor: SYSTEM_ACTOR,
    }),
  );

const cache = suite('catalog cache');

cache.before(async () => {
  ctx.db = await createOwnDatabase('catalog_cache');
  ctx.redis = await startOwnRedis();
  ctx.app = await composeContainer(
    workerConfigFromEnv({
      DATABASE_URL: ctx.db.url,
      KHAACHO_DB_MIGRATE: 'true',
      REDIS_URL: ctx.redis.url,
      KHAACHO_MESSAGE_SENDER: 'memory',
      LOG_LEVEL: 'silent',
    }),
  );
  await app().ready();
  ctx.writer = await composeContainer(
    workerConfigFromEnv({ DATABASE_URL: ctx.db.url, KHAACHO_MESSAGE_SENDER: 'memory', LOG_LEVEL: 'silent' }),
  );
  ctx.worker = startWorker(app(), { relay: { pollMs: 20, retryBaseMs: 50, retryMaxMs: 400 }, stopTimeoutMs: 3_000 });
  ctx.world = await flowWorld(app(), 2, 'k');
  await eventually('the catalog events are consumed', catalogEventsConsumed);
});

cache.after(async () => {
  await ctx.worker?.stop();
  await ctx.writer?.close();
  await ctx.app?.close();
  await ctx.redis?.kill();
  await ctx.db?.drop();
});

cache('lookups are served from Redis; an offer or product change is visible once its event is consumed', async () => {
  const [v1, v2] = [vendor(0), vendor(1)];
  assert.equal(
    [...(await prices())],
    [
      [v1.id, 2_000],
      [v2.id, 2_100],
    ].sort(),
  );
  // A write behind the application's back (no event): the cached answer does not see it.
  await db().query('update vendor_offers set unit_price = 1500 where vendor_id = $1', [v1.id]);
  assert.is((await prices()).get(v1.id), 2_000, 'served from the cache');

  await reprice(v2.id, '19', ctx.writer as Composition);
  const after = await eventually('the repriced offer is visible', async () => {
    const now = await prices();
    return now.get(v2.id) === 1_900 && now;
  });
  assert.is(after.get(v1.id), 1_500, 'the offer event replaced the offers generation: everything re-read');
  await reprice(v1.id, '18');
  assert.is((await prices()).get(v1.id), 1_800, 'a write in this process is read back at once, before its event');

  const parser = app().get(ORDER_TEXT_PARSER);
  const before = await parser.parse('5 packet chauchau');
  assert.ok(
    before.lines.every((l) => l.productId === null || l.needsClarification),
    'no alias yet',
  );
  const p = await product();
  unwrap(
    await (ctx.writer as Composition).get(USE_CASE_TOKENS.upsertProduct).execute({
      sku: p.sku,
      name: p.name,
      category: p.category,
      baseUnit: p.baseUnit,
      conversions: p.conversions,
      aliases: [{ text: 'chauchau', language: 'ne-Latn' }],
      actor: SYSTEM_ACTOR,
    }),
  );
  const parsed = await eventually('the parser knows the new alias', async () => {
    const r = await parser.parse('5 packet chauchau');
    const line = r.lines[0];
    return line && !line.needsClarification && line;
  });
  assert.is(parsed.productId, p.id);
  assert.is(parsed.quantity, 5);
});

cache(
  'Redis killed: lookups, the parser and routing read PostgreSQL and none fails; the change lands after Redis is back',
  async () => {
    const v1 = vendor(0);
    await eventually('settled', catalogEventsConsumed);
    await (ctx.redis as OwnRedis).kill();
    await db().query('update vendor_offers set unit_price = 1450 where vendor_id = $1', [v1.id]);
    assert.is((await prices()).get(v1.id), 1_450, 'no cache: the database answers');
    const parsed = await app().get(ORDER_TEXT_PARSER).parse('2 carton wai wai noodles');
    assert.is(parsed.lines[0]?.productId, (await product()).id, 'the parser still answers');
    await reprice(v1.id, '14');
    assert.is((await prices()).get(v1.id), 1_400, 'the committed change is read at once');
    const orderId = await world().placeOrder();
    const placed = unwrap(await app().get(USE_CASE_TOKENS.getOrder).execute({ orderId }));
    assert.is(placed.status, 'ROUTING', 'orders commit (their events wait in the outbox)');

    await (ctx.redis as OwnRedis).restart();
    await eventually('the backlog drains', catalogEventsConsumed, 30_000);
    const routed = await eventually('the order is routed', async () => {
      const o = unwrap(await app().get(USE_CASE_TOKENS.getOrder).execute({ orderId }));
      return o.pendingOffer() && o;
    });
    assert.is(routed.pendingOffer()?.vendorId, v1.id, 'ranked on the live prices: vendor 1 is now the cheapest');
    assert.is((await prices()).get(v1.id), 1_400, 'and the cache, refilled, agrees');
  },
);

cache.run();

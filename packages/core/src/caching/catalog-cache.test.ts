import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Product } from '../catalog/product.js';
import type { Cache } from '../ports/cache.js';
import type { OrderTextParser } from '../ports/order-text-parser.js';
import type { JsonValue } from '../shared/domain-event.js';
import { UnavailableError } from '../shared/errors.js';
import { deterministicIds } from '../testing/deterministic-ids.js';
import { aProduct, anOffer, aVendor } from '../testing/builders.js';
import { registerContract } from '../testing/contract.js';
import { catalogCacheContract } from '../testing/contracts/catalog-cache.contract.js';
import { InMemoryCache } from '../testing/in-memory-cache.js';
import { createInMemoryPersistence } from '../testing/in-memory-persistence.js';
import { ManualClock } from '../testing/manual-clock.js';
import { domainEvent, EventTypes } from '../events/event-catalog.js';
import { UpsertProduct, UpsertVendorOffer } from '../application/upsert-catalog.js';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { Money } from '../shared/money.js';
import { RecordingLogger } from '../testing/recording-logger.js';
import { CatalogCache } from './catalog-cache.js';
import { offerFromJson, offerToJson, productFromJson, productToJson } from './catalog-codec.js';
import { CatalogSnapshotParser } from './catalog-snapshot-parser.js';
import { LocalOrderTextParser } from '../parsing/local-order-text-parser.js';
import type { ProductId } from '../shared/ids.js';

registerContract(test, catalogCacheContract, {
  async create() {
    const clock = new ManualClock();
    return {
      cache: new InMemoryCache(clock),
      sleep: async (ms: number) => {
        clock.advance(ms);
      },
    };
  },
});

/** A cache whose every call fails as an unreachable one does: gets miss, writes vanish. */
class UnreachableCache implements Cache {
  calls = 0;
  async get<T extends JsonValue>(): Promise<T | null> {
    this.calls += 1;
    return null;
  }
  async set(): Promise<void> {
    this.calls += 1;
  }
  async delete(): Promise<void> {
    this.calls += 1;
  }
}

function setup(cache: Cache) {
  const clock = new ManualClock('2026-03-01T08:00:00.000Z');
  const ids = deterministicIds(clock);
  const { repos } = createInMemoryPersistence(ids);
  const catalog = new CatalogCache(cache, { newStamp: () => ids.next() });
  return { clock, ids, repos, catalog };
}

test('codec: JSON text round trip is exact, and what it does not recognise is a miss', () => {
  const clock = new ManualClock('2026-03-01T08:00:00.001Z');
  const ids = deterministicIds(clock);
  const p = aProduct(ids, clock.now(), { conversions: [{ unit: 'carton', toBase: 12.5 }] });
  const v = aVendor(ids, clock.now());
  const o = anOffer(ids, clock.now(), { vendorId: v.id, productId: p.id, stockOnHand: 0.001 });
  const viaText = (x: JsonValue) => JSON.parse(JSON.stringify(x)) as JsonValue;
  assert.equal(productFromJson(viaText(productToJson(p))), p);
  assert.equal(offerFromJson(viaText(offerToJson(o))), o);
  const bad: JsonValue[] = [
    null,
    'x',
    [],
    { ...productToJson(p), createdAt: '2026-03-01' },
    { ...productToJson(p), baseUnit: 'bushel' },
    { ...productToJson(p), aliases: [{ text: 'x', language: 'fr' }] },
  ];
  for (const b of bad) assert.is(productFromJson(b), null, JSON.stringify(b));
  assert.is(offerFromJson({ ...offerToJson(o), unitPrice: { amount: 1.5, currency: 'NPR' } }), null, 'fraction');
  assert.is(offerFromJson({ ...offerToJson(o), unitPrice: { amount: 1, currency: 'rupees' } }), null, 'currency');
  assert.is(offerFromJson({ ...offerToJson(o), stockOnHand: '5' }), null, 'text stock');
});

test('a corrupt entry is read from the repository and replaced', async () => {
  const clock = new ManualClock();
  const cache = new InMemoryCache(clock);
  const w = setup(cache);
  const p = aProduct(w.ids, w.clock.now());
  await w.repos.products.save(p);
  const products = w.catalog.products(w.repos.products);
  await products.get(p.id);
  const stamp = await w.catalog.catalogVersion();
  await cache.set(`catalog:v1:products:${stamp}:id:${p.id}`, { id: p.id, sku: 42 }, 60_000);
  assert.equal(await products.get(p.id), p);
  assert.equal(productFromJson(await cache.get(`catalog:v1:products:${stamp}:id:${p.id}`)), p, 'rewritten');
});

test('an unreachable cache: every read answers from the repository; invalidation refuses to pretend', async () => {
  const cache = new UnreachableCache();
  const w = setup(cache);
  const p = aProduct(w.ids, w.clock.now());
  const v = aVendor(w.ids, w.clock.now());
  await w.repos.products.save(p);
  await w.repos.vendors.save(v);
  const o = anOffer(w.ids, w.clock.now(), { vendorId: v.id, productId: p.id });
  await w.repos.offers.save(o);
  const products = w.catalog.products(w.repos.products);
  const offers = w.catalog.offers(w.repos.offers);
  assert.equal(await products.get(p.id), p);
  assert.equal(await products.getManyBySku([p.sku]), [p]);
  assert.equal(await offers.listActiveForProducts([p.id]), [o]);
  assert.equal(await offers.listByVendor(v.id), [o]);
  assert.equal((await w.catalog.activeCatalog(w.repos.products)).version, null, 'no version without the cache');
  assert.ok(cache.calls > 0, 'the cache was asked');
  const event = domainEvent(EventTypes.PRODUCT_UPDATED, p.id, w.clock.now(), { sku: p.sku });
  try {
    await w.catalog.invalidate(event);
    assert.unreachable('an invalidation that did not happen must fail (the job is retried)');
  } catch (error) {
    assert.ok(UnavailableError.is(error), String(error));
  }
});

test('the snapshot parser rebuilds only when the catalog version moves, and from the cached snapshot', async () => {
  const clock = new ManualClock();
  const cache = new InMemoryCache(clock);
  const w = setup(cache);
  const p = aProduct(w.ids, w.clock.now(), { name: 'Mustard oil' });
  await w.repos.products.save(p);
  let listed = 0;
  const builds: string[][] = [];
  const source = {
    listActive: async () => {
      listed += 1;
      return w.repos.products.listActive();
    },
    getMany: (ids: readonly ProductId[]) => w.repos.products.getMany(ids),
  };
  const build = (products: readonly Product[]): OrderTextParser => {
    builds.push(products.map((x) => x.name));
    return {
      parse: async () => ({ intent: 'unknown', lines: [], unparsed: [], orderNumber: null, source: 'local' }),
    };
  };
  const make = () => new CatalogSnapshotParser({ catalog: w.catalog, products: source, clock, build });
  const one = make();
  await one.parse('2 oil');
  await one.parse('2 oil');
  await Promise.all([one.parse('a'), one.parse('b')]);
  assert.equal(builds, [['Mustard oil']], 'built once, on first use');
  assert.is(listed, 1, 'one database read');
  const another = make();
  await another.parse('x');
  assert.is(listed, 1, 'a second instance builds from the snapshot too');

  await w.repos.products.save({ ...p, name: 'Sunflower oil' });
  await w.catalog.invalidate(domainEvent(EventTypes.PRODUCT_UPDATED, p.id, w.clock.now(), { sku: p.sku }));
  await one.parse('x');
  await one.parse('y');
  assert.equal(builds.at(-1), ['Sunflower oil'], 'rebuilt after the product event');
  assert.is(listed, 2, 'one database read for the new version');
  assert.is(builds.length, 3, 'first, second instance, new version');
});

test('pinned: the parses of one message share one catalog version read, of the version now', async () => {
  const clock = new ManualClock();
  let gets = 0;
  const inner = new InMemoryCache(clock);
  const cache: Cache = {
    get: (key) => {
      gets += 1;
      return inner.get(key);
    },
    set: (key, value, ttlMs) => inner.set(key, value, ttlMs),
    delete: (key) => inner.delete(key),
  };
  const w = setup(cache);
  const p = aProduct(w.ids, w.clock.now(), { name: 'Mustard oil' });
  await w.repos.products.save(p);
  const builtFrom: string[][] = [];
  const parser = new CatalogSnapshotParser({
    catalog: w.catalog,
    products: w.repos.products,
    clock,
    build: (products) => {
      const names = products.map((x) => x.name);
      builtFrom.push(names);
      return {
        parse: async () => ({
          intent: 'unknown',
          lines: [],
          unparsed: [names.join()],
          orderNumber: null,
          source: 'local',
        }),
      };
    },
  });
  await parser.parse('warm up');
  let before = gets;
  await parser.parse('a');
  await parser.parse('b', { history: [] });
  assert.is(gets - before, 2, 'unpinned: a version read per parse');
  before = gets;
  const pinned = await parser.pinned();
  await pinned.parse('a');
  await pinned.parse('b', { history: [] });
  assert.is(gets - before, 1, 'pinned: one version read for both');

  await w.repos.products.save({ ...p, name: 'Sunflower oil' });
  await w.catalog.invalidate(domainEvent(EventTypes.PRODUCT_UPDATED, p.id, w.clock.now(), { sku: p.sku }));
  const next = await parser.pinned();
  assert.equal((await next.parse('x')).unparsed, ['Sunflower oil'], 'pinned after the event: the new version');
});

test('the snapshot parser hands the parse context (purchase history, defaults) to the parser it built', async () => {
  const clock = new ManualClock();
  const w = setup(new InMemoryCache(clock));
  const seen: unknown[] = [];
  const parser = new CatalogSnapshotParser({
    catalog: w.catalog,
    products: w.repos.products,
    clock,
    build: () => ({
      parse: async (_text, context) => {
        seen.push(context);
        return { intent: 'order', lines: [], unparsed: [], orderNumber: null, source: 'local' };
      },
    }),
  });
  const context = { history: [] };
  await parser.parse('dal', context);
  await parser.parse('dal');
  assert.equal(seen, [context, undefined]);
  assert.is(seen[0], context, 'the same object');
});

test('the snapshot parser with the cache down: reuses its index for a while, then rebuilds from the database', async () => {
  const clock = new ManualClock();
  const w = setup(new UnreachableCache());
  await w.repos.products.save(aProduct(w.ids, w.clock.now()));
  let builds = 0;
  const parser = new CatalogSnapshotParser({
    catalog: w.catalog,
    products: w.repos.products,
    clock,
    unverifiedReuseMs: 1_000,
    build: () => {
      builds += 1;
      return { parse: async () => ({ intent: 'help', lines: [], unparsed: [], orderNumber: null, source: 'local' }) };
    },
  });
  assert.is((await parser.parse('help')).intent, 'help');
  await parser.parse('help');
  assert.is(builds, 1, 'reused');
  clock.advance(1_000);
  await parser.parse('help');
  assert.is(builds, 2, 'rebuilt once the reuse window passed');
});

test('a catalog write in this process replaces the cached part once committed; with the cache down it still commits', async () => {
  const clock = new ManualClock();
  const ids = deterministicIds(clock);
  const persistence = createInMemoryPersistence(ids);
  const { repos, uow } = persistence;
  const logger = new RecordingLogger();
  const useCases = (cache: Cache) => {
    const ctx = {
      uow,
      repos,
      clock,
      ids,
      logger,
      catalogCache: new CatalogCache(cache, { newStamp: () => ids.next() }),
    };
    return { ctx, product: new UpsertProduct(ctx), offer: new UpsertVendorOffer(ctx) };
  };
  const up = useCases(new InMemoryCache(clock));
  const v = aVendor(ids, clock.now());
  await repos.vendors.save(v);
  const made = await up.product.execute({
    sku: 'OIL-1',
    name: 'Oil',
    category: 'oil',
    baseUnit: 'litre',
    actor: SYSTEM_ACTOR,
  });
  assert.ok(made.ok);
  const productId = made.value.product.id;
  const offer = (price: number) => ({
    vendorId: v.id,
    productId,
    unit: 'litre' as const,
    unitPrice: Money.of(price),
    stockOnHand: 10,
    actor: SYSTEM_ACTOR,
  });
  assert.ok((await up.offer.execute(offer(30_000))).ok);
  const offers = up.ctx.catalogCache.offers(repos.offers);
  assert.is((await offers.listByVendor(v.id))[0]?.unitPrice.amount, 30_000, 'cached');
  assert.ok((await up.offer.execute(offer(31_000))).ok);
  assert.is((await offers.listByVendor(v.id))[0]?.unitPrice.amount, 31_000, 'read back at once, no event consumed');
  const products = up.ctx.catalogCache.products(repos.products);
  assert.is((await products.get(productId))?.name, 'Oil');
  assert.ok(
    (
      await up.product.execute({
        sku: 'OIL-1',
        name: 'Mustard oil',
        category: 'oil',
        baseUnit: 'litre',
        actor: SYSTEM_ACTOR,
      })
    ).ok,
  );
  assert.is((await products.get(productId))?.name, 'Mustard oil');

  const down = useCases(new UnreachableCache());
  assert.ok((await down.offer.execute(offer(32_000))).ok, 'committed');
  assert.is((await repos.offers.getByVendorAndProduct(v.id, productId))?.unitPrice.amount, 32_000);
  assert.ok(
    logger.records.some((e) => e.message.startsWith('catalog cache not invalidated on write')),
    'logged',
  );
});

test('the snapshot parser applies a product change it was told of to its index, without a rebuild; an untold step rebuilds', async () => {
  const clock = new ManualClock();
  const w = setup(new InMemoryCache(clock));
  const oil = aProduct(w.ids, w.clock.now(), { name: 'Mustard Oil', aliases: [{ text: 'tori tel', language: 'ne' }] });
  const noodles = aProduct(w.ids, w.clock.now(), { name: 'Wai Wai Noodles', aliases: [] });
  const salt = aProduct(w.ids, w.clock.now(), { name: 'Iodised Salt', aliases: [] });
  for (const p of [oil, noodles, salt]) await w.repos.products.save(p);
  const refreshes: string[] = [];
  const parser = new CatalogSnapshotParser({
    catalog: w.catalog,
    products: w.repos.products,
    clock,
    build: (products) => new LocalOrderTextParser(products),
    onRefresh: (r) => refreshes.push(`${r.kind}:${r.products}`),
  });
  const messages = ['2 sunflower oil', '3 tori tel', '5 wai wai', '1 iodised salt', '4 mustard oil'];
  const fresh = async () => {
    const built = new LocalOrderTextParser(await w.repos.products.listActive());
    return Promise.all(messages.map((m) => built.parse(m)));
  };
  const answers = () => Promise.all(messages.map((m) => parser.parse(m)));
  assert.equal(await answers(), await fresh(), 'first build answers like a fresh one');
  assert.equal(refreshes, ['rebuild:3']);

  // Renamed (the old name and alias gone) and another product withdrawn: two told steps.
  await w.repos.products.save({ ...oil, name: 'Sunflower Oil', aliases: [] });
  await w.catalog.invalidate(domainEvent(EventTypes.PRODUCT_UPDATED, oil.id, w.clock.now(), { sku: oil.sku }));
  await w.repos.products.save({ ...salt, active: false });
  await w.catalog.invalidate(domainEvent(EventTypes.PRODUCT_UPDATED, salt.id, w.clock.now(), { sku: salt.sku }));
  const after = await answers();
  assert.equal(after, await fresh(), 'after the changes it answers like a fresh build');
  assert.is(after[0]?.lines[0]?.productId, oil.id, 'the new name matches');
  assert.not.ok(
    after[3]?.lines.some((l) => l.productId === salt.id),
    'the withdrawn product no longer matches',
  );
  assert.equal(refreshes, ['rebuild:3', 'incremental:2'], 'the index was updated, not rebuilt');

  // A version step nobody told this parser of (another instance's change): rebuilt whole.
  await w.repos.products.save({ ...noodles, name: 'Rara Noodles', aliases: [] });
  await w.catalog.bump('products');
  await parser.parse('5 rara');
  assert.equal(refreshes, ['rebuild:3', 'incremental:2', 'rebuild:2'], 'the untold step fell back to a rebuild');
  assert.equal(await answers(), await fresh());
});

test.run();

import {
  addDays,
  addMs,
  createProduct,
  createRetailer,
  createVendor,
  createVendorOffer,
  CreditAccount,
  geoPoint,
  type IdGenerator,
  Money,
  Order,
  type OrderId,
  orderLine,
  PhoneNumber,
  type Product,
  type ProductId,
  Quantity,
  type Retailer,
  type RetailerId,
  SYSTEM_ACTOR,
  type Unit,
  UuidV7Generator,
  type Vendor,
  type VendorId,
  type VendorOffer,
  type VendorOfferId,
  SeededRandom,
} from '@khaacho/core';
import {
  CATALOG_DEFAULTS,
  type CatalogEntry,
  generatedCatalogCapacity,
  generatedCatalogEntries,
} from '@khaacho/core/corpus';
import { AREAS, SHOP_NAMES, SHOP_WORDS } from './places.js';

export interface SeedOptions {
  readonly retailers: number;
  readonly vendors: number;
  readonly products: number;
  readonly orders: number;
  readonly seed: number;
}

/** Everything the generator makes, built through core's constructors so it is all valid. */
export interface SeedPlan {
  readonly products: Product[];
  readonly vendors: Vendor[];
  readonly offers: VendorOffer[];
  readonly retailers: { retailer: Retailer; account: CreditAccount }[];
  readonly orders: SeedOrder[];
  /** The catalog's defaults for generic words whose product is among the seeded ones. */
  readonly defaults: { readonly mention: string; readonly productId: ProductId }[];
}

export interface SeedOrder {
  readonly id: OrderId;
  readonly retailerId: RetailerId;
  readonly vendorId: VendorId;
  readonly lines: ReturnType<typeof orderLine>[];
  readonly placedAt: Date;
  /** How far the order got: 0 routing, 1 confirmed, 2 delivered, 3 delivered and paid. */
  readonly stage: 0 | 1 | 2 | 3;
}

const EPOCH = new Date('2026-01-01T00:00:00.000Z');

/**
 * The seed's products: the generated catalog (the hand-written Nepali catalog first, exactly
 * as the parser's corpus knows it, then brands × kinds × pack sizes), the one source the
 * corpus and the parser benchmark use too. Past what the generator can make come numbered
 * lots, only for volume: no aliases, so a shop's words never fan out over copies.
 */
function catalogInputs(count: number): CatalogEntry[] {
  const generated = generatedCatalogEntries({ size: Math.min(count, generatedCatalogCapacity()) });
  const lots: CatalogEntry[] = [];
  for (let i = generated.length; i < count; i++) {
    const entry = generated[i % generated.length] as CatalogEntry;
    const lot = Math.floor(i / generated.length);
    lots.push({
      sku: `${entry.sku}-L${String(lot).padStart(3, '0')}`,
      name: `${entry.name} (lot ${lot})`,
      category: entry.category,
      baseUnit: entry.baseUnit,
      conversions: entry.conversions ?? [],
      aliases: [],
      typicalPrice: entry.typicalPrice,
    });
  }
  return [...generated, ...lots];
}

/** Same options, same plan: ids, names, phones and prices all come from the seeded PRNG. */
export function planSeed(options: SeedOptions): SeedPlan {
  const rng = new SeededRandom(options.seed);
  let tick = EPOCH.getTime();
  const clock = {
    now: () => {
      tick += 1;
      return new Date(tick);
    },
  };
  const ids: IdGenerator = new UuidV7Generator(clock, rng);
  const now = EPOCH;

  const products: Product[] = [];
  const priceOf = new Map<string, number>();
  for (const { typicalPrice, ...input } of catalogInputs(options.products)) {
    const product = createProduct(input, ids.next() as ProductId, now);
    products.push(product);
    priceOf.set(product.id, typicalPrice);
  }

  const vendors: Vendor[] = [];
  for (let i = 0; i < options.vendors; i++) {
    const home = rng.pick(AREAS);
    const nearby = AREAS.filter((x) => x.district === home.district);
    const areas = new Set([home.area]);
    for (let k = rng.int(2, 8); k > 0; k--) areas.add(rng.pick(nearby).area);
    vendors.push(
      createVendor(
        {
          name: `${rng.pick(SHOP_NAMES)} ${rng.pick(['Distributors', 'Wholesale', 'Suppliers', 'Traders'])} ${i + 1}`,
          phone: PhoneNumber.parse(`970${String(i).padStart(7, '0')}`),
          serviceAreas: [...areas],
          dailyCapacity: rng.int(20, 200),
          location: geoPoint(home.lat, home.lng),
        },
        ids.next() as VendorId,
        now,
      ),
    );
  }

  // Each product is offered by 1-4 vendors at ±15 % around its typical price.
  const offers: VendorOffer[] = [];
  const offersByVendor = new Map<string, VendorOffer[]>();
  for (const product of products) {
    const typicalPrice = priceOf.get(product.id) as number;
    const chosen = new Set<Vendor>();
    for (let k = rng.int(1, 4); k > 0 && vendors.length > 0; k--) chosen.add(rng.pick(vendors));
    for (const vendor of chosen) {
      const offer = createVendorOffer(
        {
          vendorId: vendor.id,
          productId: product.id,
          unit: product.baseUnit as Unit,
          unitPrice: Money.of(Math.round(typicalPrice * (0.85 + rng.next() * 0.3))),
          stockOnHand: rng.int(0, 2_000),
          minOrderQty: 1,
          leadTimeHours: rng.pick([4, 12, 24, 48]),
        },
        ids.next() as VendorOfferId,
        now,
      );
      offers.push(offer);
      offersByVendor.set(vendor.id, [...(offersByVendor.get(vendor.id) ?? []), offer]);
    }
  }

  const retailers: SeedPlan['retailers'] = [];
  for (let i = 0; i < options.retailers; i++) {
    const place = rng.pick(AREAS);
    const retailer = createRetailer(
      {
        name: `${rng.pick(SHOP_NAMES)} ${rng.pick(SHOP_WORDS)}`,
        phone: PhoneNumber.parse(`980${String(i).padStart(7, '0')}`),
        area: place.area,
        district: place.district,
        location: geoPoint(place.lat + rng.next() * 0.004, place.lng + rng.next() * 0.004),
        status: rng.chance(0.92) ? 'ACTIVE' : rng.pick(['PENDING_KYC', 'SUSPENDED'] as const),
      },
      ids.next() as RetailerId,
      now,
    );
    const limit = Money.of(rng.int(5, 50) * 1_000_000);
    const account = CreditAccount.open({
      retailerId: retailer.id,
      currency: 'NPR',
      creditLimit: limit,
      netTermsDays: rng.pick([7, 15, 30]),
      createdAt: now,
    });
    retailers.push({ retailer, account });
  }

  const productById = new Map(products.map((p) => [p.id, p]));
  const orders: SeedOrder[] = [];
  const servingArea = (area: string) =>
    vendors.filter((v) => v.serviceAreas.includes(area) && offersByVendor.has(v.id));
  // Only retailers some vendor can serve can order: picking among them keeps --orders exact.
  const orderable = retailers
    .filter((r) => r.retailer.status === 'ACTIVE')
    .map(({ retailer }) => ({ retailer, serving: servingArea(retailer.area) }))
    .filter((r) => r.serving.length > 0);
  for (let i = 0; i < options.orders && orderable.length > 0; i++) {
    const { retailer, serving } = rng.pick(orderable);
    const vendor = rng.pick(serving);
    const vendorOffers = offersByVendor.get(vendor.id) ?? [];
    const lines = Array.from({ length: rng.int(1, 4) }, () => rng.pick(vendorOffers));
    const unique = [...new Map(lines.map((o) => [o.productId, o])).values()];
    orders.push({
      id: ids.next() as OrderId,
      retailerId: retailer.id,
      vendorId: vendor.id,
      lines: unique.map((o) => {
        const p = productById.get(o.productId) as Product;
        return orderLine({
          productId: p.id,
          sku: p.sku,
          name: p.name,
          quantity: Quantity.of(rng.int(1, 10), o.unit),
          unitPrice: o.unitPrice,
        });
      }),
      placedAt: addMs(addDays(EPOCH, rng.int(1, 60)), rng.int(0, 86_399) * 1000),
      stage: rng.pick([0, 1, 2, 2, 3, 3, 3] as const),
    });
  }
  orders.sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime());
  const idOfSku = new Map(products.map((p) => [p.sku, p.id]));
  const defaults = CATALOG_DEFAULTS.flatMap(({ mention, sku }) => {
    const productId = idOfSku.get(sku);
    return productId ? [{ mention, productId }] : [];
  });
  return { products, vendors, offers, retailers, orders, defaults };
}

/** Walk a placed order through the real lifecycle up to its stage. */
export function buildOrder(o: SeedOrder, number: string): Order {
  const order = Order.place({
    id: o.id,
    number,
    retailerId: o.retailerId,
    lines: o.lines,
    source: 'whatsapp',
    actor: SYSTEM_ACTOR,
    at: o.placedAt,
  });
  order.route(SYSTEM_ACTOR, o.placedAt);
  if (o.stage === 0) return order;
  const at = (minutes: number) => addMs(o.placedAt, minutes * 60_000);
  order.offerTo(o.vendorId, at(1), at(16));
  order.acceptOffer(o.vendorId, at(5));
  return order;
}

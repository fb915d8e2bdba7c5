import {
  CACHE,
  CATALOG_CACHE,
  CatalogCache,
  CatalogSnapshotParser,
  type IncrementalOrderTextParser,
  CLOCK,
  ID_GENERATOR,
  LocalOrderTextParser,
  ORDER_TEXT_PARSER,
  type OrderTextParser,
  type Product,
  type ProductId,
  type ProductRepository,
  RELIABILITY_CACHE,
  ReliabilityCache,
  REPOSITORIES,
  REPOSITORY_TOKENS,
  type Repositories,
  type Token,
  token,
  type VendorOfferRepository,
} from '@khaacho/core';
import { ContainerModule } from 'inversify';
import { provide } from './bindings.js';

/**
 * The local parser over the cached catalog, and the products of the snapshot it was last
 * built from, by id: what an AI parser is grounded on (its candidates) and re-matches its
 * answer against. `productById` is synchronous, so it reads that snapshot rather than the
 * repository; `local.parse` moves it to the current catalog version first.
 */
export interface CatalogParser {
  readonly local: OrderTextParser;
  readonly productById: (id: ProductId) => Product | undefined;
}
export const CATALOG_PARSER: Token<CatalogParser> = token('CatalogParser');

export interface CatalogCacheModuleOptions {
  /** How long a cached catalog entry lives (CatalogCache's default otherwise). */
  readonly ttlMs?: number;
  /**
   * Bind ORDER_TEXT_PARSER to the local parser (default true). False when another module
   * (the AI one) binds it over CATALOG_PARSER: one binding per token, never two.
   */
  readonly bindOrderTextParser?: boolean;
}

/**
 * The catalog read-through cache on whichever `Cache` is bound (Redis or in memory):
 *   CATALOG_CACHE         the `CatalogCache` (RouteOrder ranks from it; the consumers invalidate it)
 *   REPOSITORIES, REPOSITORY_TOKENS.products / .offers
 *                         product and offer lookups outside a transaction read through it.
 *                         Transactions keep their own live repositories: PlaceOrder prices
 *                         from those, never from here.
 *   CATALOG_PARSER        the local parser over the cached catalog snapshot, updated product by
 *                         product for the changes this instance invalidated, else rebuilt when a
 *                         product event moves the catalog version, and that snapshot by id
 *   ORDER_TEXT_PARSER     that local parser (unless `bindOrderTextParser: false`)
 *   RELIABILITY_CACHE     vendor reliability for routing, kept a minute (see ReliabilityCache)
 * Needs CACHE, ID_GENERATOR, CLOCK and a storage module.
 */
export function catalogCacheModule(options: CatalogCacheModuleOptions = {}): ContainerModule {
  const { bindOrderTextParser = true, ...cacheOptions } = options;
  return new ContainerModule(({ bind, onActivation }) => {
    provide(
      bind,
      CATALOG_CACHE,
      [CACHE, ID_GENERATOR],
      (cache, ids) => new CatalogCache(cache, { ...cacheOptions, newStamp: () => ids.next() }),
    );
    provide(bind, RELIABILITY_CACHE, [CACHE], (cache) => new ReliabilityCache(cache));
    onActivation<Repositories>(REPOSITORIES, (context, repos) => {
      const catalog = context.get<CatalogCache>(CATALOG_CACHE);
      return { ...repos, products: catalog.products(repos.products), offers: catalog.offers(repos.offers) };
    });
    onActivation<ProductRepository>(REPOSITORY_TOKENS.products, (context, products) =>
      context.get<CatalogCache>(CATALOG_CACHE).products(products),
    );
    onActivation<VendorOfferRepository>(REPOSITORY_TOKENS.offers, (context, offers) =>
      context.get<CatalogCache>(CATALOG_CACHE).offers(offers),
    );
    provide(bind, CATALOG_PARSER, [CATALOG_CACHE, REPOSITORY_TOKENS.products, CLOCK], (catalog, products, clock) => {
      let byId: ReadonlyMap<ProductId, Product> = new Map();
      const local = new CatalogSnapshotParser({
        catalog,
        products,
        clock,
        build: (snapshot) => {
          const snapshotById = new Map(snapshot.map((product) => [product.id, product]));
          byId = snapshotById;
          const parser = new LocalOrderTextParser(snapshot);
          // Product changes are applied to the index in place: the lookup follows them.
          return {
            parse: (text, context) => parser.parse(text, context),
            updateProduct: (product) => {
              parser.updateProduct(product);
              snapshotById.set(product.id, product);
            },
            removeProduct: (id) => {
              parser.removeProduct(id);
              snapshotById.delete(id);
            },
          } satisfies IncrementalOrderTextParser;
        },
      });
      return { local, productById: (id) => byId.get(id) };
    });
    if (bindOrderTextParser) provide(bind, ORDER_TEXT_PARSER, [CATALOG_PARSER], (parser) => parser.local);
  });
}

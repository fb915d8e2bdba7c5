import {
  CACHE,
  CATALOG_CACHE,
  CatalogCache,
  CatalogSnapshotParser,
  CLOCK,
  ID_GENERATOR,
  LocalOrderTextParser,
  ORDER_TEXT_PARSER,
  type ProductRepository,
  RELIABILITY_CACHE,
  ReliabilityCache,
  REPOSITORIES,
  REPOSITORY_TOKENS,
  type Repositories,
  type VendorOfferRepository,
} from '@khaacho/core';
import { ContainerModule } from 'inversify';
import { provide } from './bindings.js';

/**
 * The catalog read-through cache on whichever `Cache` is bound (Redis or in memory):
 *   CATALOG_CACHE         the `CatalogCache` (RouteOrder ranks from it; the consumers invalidate it)
 *   REPOSITORIES, REPOSITORY_TOKENS.products / .offers
 *                         product and offer lookups outside a transaction read through it.
 *                         Transactions keep their own live repositories: PlaceOrder prices
 *                         from those, never from here.
 *   ORDER_TEXT_PARSER     the local parser over the cached catalog snapshot, rebuilt when a
 *                         product event moves the catalog version
 *   RELIABILITY_CACHE     vendor reliability for routing, kept a minute (see ReliabilityCache)
 * Needs CACHE, ID_GENERATOR, CLOCK and a storage module.
 */
export function catalogCacheModule(options: { ttlMs?: number } = {}): ContainerModule {
  return new ContainerModule(({ bind, onActivation }) => {
    provide(
      bind,
      CATALOG_CACHE,
      [CACHE, ID_GENERATOR],
      (cache, ids) => new CatalogCache(cache, { ...options, newStamp: () => ids.next() }),
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
    provide(
      bind,
      ORDER_TEXT_PARSER,
      [CATALOG_CACHE, REPOSITORY_TOKENS.products, CLOCK],
      (catalog, products, clock) =>
        new CatalogSnapshotParser({ catalog, products, clock, build: (p) => new LocalOrderTextParser(p) }),
    );
  });
}

import { createProduct, type Product } from '../catalog/product.js';
import type { ProductId } from '../shared/ids.js';
import type { CatalogEntry } from './catalog-entry.js';
import { PACKAGED } from './catalog-packaged.js';
import { STAPLES } from './catalog-staples.js';

/**
 * The one Nepali catalog: everyday kirana stock in Nepal, with the aliases a shop owner
 * actually types. The parser's corpus is labelled against it and the seed sells it, so
 * the parser is scored on the products a seeded database holds. Generic words are given
 * to one product on purpose ("chamal" is the everyday Mansuli rice) and left out where a
 * real shop would have to ask ("tel": mustard, soybean or sunflower?).
 */
export const NEPALI_CATALOG: readonly CatalogEntry[] = [...STAPLES, ...PACKAGED];

const EPOCH = new Date('2025-01-01T00:00:00.000Z');

/** The catalog as products, built fresh on each call (ids are fixed so results are reproducible). */
export function nepaliCatalog(): Product[] {
  return NEPALI_CATALOG.map(({ typicalPrice: _, ...input }, i) => {
    const id = `00000000-0000-7000-8000-${String(i + 1).padStart(12, '0')}` as ProductId;
    return createProduct(input, id, EPOCH);
  });
}

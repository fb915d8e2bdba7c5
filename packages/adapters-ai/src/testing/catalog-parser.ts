import { LocalOrderTextParser, type Product, type ProductId } from '@khaacho/core';
import { nepaliCatalog } from '@khaacho/core/corpus';
import type { AiConfig } from '../ai-config.js';
import { OpenAiOrderTextParser } from '../openai-order-text-parser.js';

/** The corpus catalog, core's local parser over it, and the AI parser grounded on both. */
export function catalogParsers(config: AiConfig, catalog: readonly Product[] = nepaliCatalog()) {
  const products = new Map<string, Product>(catalog.map((p) => [p.id as string, p]));
  const local = new LocalOrderTextParser(catalog);
  const ai = new OpenAiOrderTextParser({
    config,
    local,
    productById: (id: ProductId) => products.get(id as string),
  });
  const sku = (s: string): Product => {
    const found = catalog.find((p) => p.sku === s);
    if (!found) throw new Error(`no ${s} in the catalog`);
    return found;
  };
  return { catalog, products, local, ai, sku };
}

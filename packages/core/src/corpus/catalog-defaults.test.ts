import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultMentionKey } from '../ports/draft-repositories.js';
import type { ProductId } from '../shared/ids.js';
import { LocalOrderTextParser } from '../parsing/local-order-text-parser.js';
import { CATALOG_DEFAULTS } from './catalog-defaults.js';
import { generatedCatalog } from './generated-catalog.js';

const catalog = generatedCatalog();
const parser = new LocalOrderTextParser(catalog);
const idOf = new Map(catalog.map((p) => [p.sku, p.id]));
const defaults = new Map(
  CATALOG_DEFAULTS.map((d) => [defaultMentionKey(d.mention), idOf.get(d.sku) as ProductId] as const),
);

test('every default names a product of the 5,000-product catalog', () => {
  for (const d of CATALOG_DEFAULTS) assert.ok(idOf.has(d.sku), d.sku);
});

test('each word asks without the defaults and is its designated product with them', () => {
  for (const d of CATALOG_DEFAULTS) {
    const bare = parser.parseSync(`${d.mention} 2`).lines[0];
    assert.ok(bare?.needsClarification, `${d.mention} alone is a question`);
    const line = parser.parseSync(`${d.mention} 2`, { defaults }).lines[0];
    if (!line || line.needsClarification) return assert.unreachable(`${d.mention} resolves`);
    assert.is(line.productId, idOf.get(d.sku), d.mention);
    assert.is(line.resolvedBy, 'default', d.mention);
  }
});

test.run();

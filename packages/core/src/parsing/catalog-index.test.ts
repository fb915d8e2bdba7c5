import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createProduct, type Product, type ProductInput } from '../catalog/product.js';
import type { ProductId } from '../shared/ids.js';
import { CatalogIndex } from './catalog-index.js';
import { LocalOrderTextParser } from './local-order-text-parser.js';

const NOW = new Date('2025-01-01T00:00:00.000Z');

/** A product builder with sensible defaults. */
function aProduct(n: number, overrides: Partial<ProductInput> = {}): Product {
  const id = `00000000-0000-7000-8000-${String(n).padStart(12, '0')}` as ProductId;
  return createProduct(
    { sku: `P-${n}`, name: `Product ${n}`, category: 'misc', baseUnit: 'piece', ...overrides },
    id,
    NOW,
  );
}

/** Five thousand products with made-up but word-like names, plus a few real ones. */
function bigCatalog(): Product[] {
  const syllables = ['ka', 'ri', 'mo', 'ta', 'lu', 'se', 'na', 'po', 'di', 'gu', 'ba', 'che'];
  const syl = (i: number) => syllables[i % syllables.length] ?? 'x';
  const products = Array.from({ length: 5000 }, (_, i) =>
    aProduct(i + 100, { name: `${syl(i)}${syl(i >> 3)}${syl(i >> 6)} ${syl(i >> 9)}${syl(i + 5)} brand ${i}` }),
  );
  products.push(
    aProduct(1, {
      sku: 'SUGAR',
      name: 'Sugar',
      baseUnit: 'kg',
      conversions: [{ unit: 'bag', toBase: 50 }],
      aliases: [{ text: 'chini', language: 'ne-Latn' }],
    }),
    aProduct(2, {
      sku: 'NDL-RARA',
      name: 'Rara Noodles',
      baseUnit: 'packet',
      conversions: [{ unit: 'carton', toBase: 30 }],
    }),
  );
  return products;
}

test('rank: exact alias first, then near spellings', () => {
  const index = new CatalogIndex([
    aProduct(1, { name: 'Sugar', aliases: [{ text: 'chini', language: 'ne-Latn' }] }),
    aProduct(2, { name: 'Salt' }),
  ]);
  assert.is(index.rank(['chini'])[0]?.score, 1);
  assert.is(index.rank(['suger'])[0]?.product.name, 'Sugar');
  assert.equal(index.rank([]), []);
});

test('SKU lookup is case-insensitive', () => {
  const index = new CatalogIndex([aProduct(7, { sku: 'OIL-MUS-1L' })]);
  assert.is(index.productBySku('oil-mus-1l')?.sku, 'OIL-MUS-1L');
  assert.is(index.productBySku('nope'), undefined);
});

test('5,000 products: built once, matches still exact', async () => {
  const parser = new LocalOrderTextParser(bigCatalog());
  const result = await parser.parse('chini 2 bag\nrara 3 carton\nsuger 5 kg');
  const skus = result.lines.map((l) => (l.needsClarification ? null : l.suggestions[0]?.sku));
  assert.equal(skus, ['SUGAR', 'NDL-RARA', 'SUGAR']);
});

test.run();

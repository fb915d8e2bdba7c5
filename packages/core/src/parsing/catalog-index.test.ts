import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createProduct, type Product, type ProductInput } from '../catalog/product.js';
import type { ProductId } from '../shared/ids.js';
import { generatedCatalog } from '../corpus/generated-catalog.js';
import { CatalogIndex, wordsOf } from './catalog-index.js';
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

test('upsert: a changed alias stops matching and the new one starts; inactive products leave', () => {
  const sugar = aProduct(1, { name: 'Sugar', aliases: [{ text: 'chini', language: 'ne-Latn' }] });
  const index = new CatalogIndex([sugar, aProduct(2, { name: 'Salt' })]);
  index.upsert({ ...sugar, aliases: [{ text: 'cheeni bora', language: 'ne-Latn' }] });
  assert.ok((index.rank(['chini'])[0]?.score ?? 0) < 1, 'the old alias is no exact hit any more');
  assert.is(index.rank(['cheeni', 'bora'])[0]?.score, 1);
  assert.ok(index.hasWord('cheeni'));
  assert.not.ok(index.hasWord('chini'), 'a word no product uses any more is no catalog word');
  index.upsert({ ...sugar, active: false });
  assert.equal(
    index.rank(['sugar']).map((s) => s.product.sku),
    [],
  );
  assert.is(index.productBySku('P-1'), undefined);
  assert.is(index.products.length, 1);
  index.remove('00000000-0000-7000-8000-000000000002');
  assert.is(index.products.length, 0);
});

test('an index updated product by product ranks exactly like one built from the result', () => {
  const catalog = generatedCatalog({ size: 600 });
  const index = new CatalogIndex(catalog.slice(0, 300));
  const final = new Map(catalog.map((p) => [p.id, p]));
  // Add the rest, rename every tenth product, deactivate every seventh, and delete a few.
  for (const p of catalog.slice(300)) index.upsert(p);
  catalog.forEach((p, i) => {
    if (i % 10 === 3) {
      const renamed = { ...p, aliases: [...p.aliases, { text: `${p.name} special ${i}`, language: 'en' as const }] };
      index.upsert(renamed);
      final.set(p.id, renamed);
    }
    if (i % 7 === 5) {
      index.upsert({ ...p, active: false });
      final.delete(p.id);
    }
    if (i % 50 === 11) {
      index.remove(p.id);
      final.delete(p.id);
    }
  });
  const fresh = new CatalogIndex([...final.values()]);
  const mentions = [...catalog.slice(0, 120).map((p) => wordsOf(p.name)), ['chamal'], ['dhara', 'tel'], ['biskut']];
  const view = (i: CatalogIndex, words: string[]) =>
    i.rank(words, 8).map((s) => `${s.product.sku}:${s.score.toFixed(4)}`);
  for (const words of mentions) assert.equal(view(index, words), view(fresh, words), words.join(' '));
});

test.run();
